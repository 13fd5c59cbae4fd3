import {
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { lambdaFunctionAuditor } from '../../auditors/lambdaFunction.ts';
import { functionRefOf, idOfEventFunction } from '../../auditors/triggers/lambdaFunction.ts';
import { buildTriggerTable } from '../../services/event-translator/triggerTable.ts';
import { translateEvent } from '../../services/event-translator/translateEvent.ts';
import * as cloudTrail from '../fixtures/cloudtrail/lambda.ts';
import { awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import {
  API_GATEWAY_INVOKE,
  FUNCTION,
  FUNCTION_ARN,
  FUNCTION_URL,
  PARTNER_INVOKE,
  S3_INVOKE,
  URL_INVOKE_ACTION,
  URL_PUBLIC_ACCESS,
  functionConfiguration,
  functionPolicy,
  publicInvoke,
  urlConfig,
} from '../fixtures/lambdaFunction.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const lambda = mockClient(LambdaClient);

type Statement = { Sid: string } & Record<string, unknown>;

/**
 * A function that behaves like Lambda: RemovePermission removes one
 * statement, GetPolicy answers ResourceNotFoundException once none is left
 * (as it does for a function that never had a policy).
 */
function givenFunction(fixture: { statements?: Statement[]; url?: 'NONE' | 'AWS_IAM' } = {}): Statement[] {
  const statements = [...(fixture.statements ?? [])];
  lambda.on(GetFunctionConfigurationCommand).resolves(functionConfiguration());
  lambda.on(GetPolicyCommand).callsFake(() => {
    if (statements.length === 0) throw awsError('ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    return { Policy: functionPolicy(...statements), RevisionId: '5b7e2a4c-1a2b-4c3d-9e8f-0123456789ab' };
  });
  lambda.on(RemovePermissionCommand).callsFake((input: { StatementId: string }) => {
    const index = statements.findIndex((s) => s.Sid === input.StatementId);
    if (index < 0) throw awsError('ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    statements.splice(index, 1);
    return {};
  });
  if (fixture.url) lambda.on(GetFunctionUrlConfigCommand).resolves(urlConfig(fixture.url));
  else lambda.on(GetFunctionUrlConfigCommand).rejects(awsError('ResourceNotFoundException', 404, 'The resource you requested does not exist.'));
  return statements;
}

async function failedChecks(id = FUNCTION): Promise<FailedCheck[]> {
  return failedChecksOf(await lambdaFunctionAuditor.audit(makeResourceContext(id), makeCheckContext(id)));
}

async function failedIds(id = FUNCTION): Promise<string[]> {
  return (await failedChecks(id)).map((f) => f.check.id);
}

describe('lambda_function auditor', () => {
  beforeEach(() => lambda.reset());

  describe('list', () => {
    it('follows NextMarker and yields function names', async () => {
      // Prepare
      lambda.on(ListFunctionsCommand, { Marker: undefined }).resolves({
        Functions: [functionConfiguration(), functionConfiguration('misconfiguration-maker-public-function')],
        NextMarker: 'eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==',
      });
      lambda.on(ListFunctionsCommand, { Marker: 'eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==' }).resolves({
        Functions: [functionConfiguration('thumbnailer')],
      });
      lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
      // Act
      const listed = await collectAll(lambdaFunctionAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: FUNCTION, name: FUNCTION },
        { id: 'misconfiguration-maker-public-function', name: 'misconfiguration-maker-public-function' },
        { id: 'thumbnailer', name: 'thumbnailer' },
      ]);
      expect(lambda.commandCalls(ListFunctionsCommand)).toHaveLength(2);
    });

    it('yields each alias after its function as `function:alias`, following NextMarker', async () => {
      // Prepare
      lambda.on(ListFunctionsCommand).resolves({ Functions: [functionConfiguration(), functionConfiguration('thumbnailer')] });
      lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
      lambda.on(ListAliasesCommand, { FunctionName: FUNCTION, Marker: undefined }).resolves({
        Aliases: [{ AliasArn: `${FUNCTION_ARN}:live`, Name: 'live', FunctionVersion: '7', Description: '', RevisionId: '2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f' }],
        NextMarker: 'bGl2ZQ==',
      });
      lambda.on(ListAliasesCommand, { FunctionName: FUNCTION, Marker: 'bGl2ZQ==' }).resolves({
        Aliases: [{ AliasArn: `${FUNCTION_ARN}:staging`, Name: 'staging', FunctionVersion: '$LATEST', Description: '', RevisionId: '7c6b5a49-3827-4165-9f4e-3d2c1b0a9f8e' }],
      });
      // Act
      const listed = await collectAll(lambdaFunctionAuditor.list(makeListContext()));
      // Assess
      expect(listed.map((r) => r.id)).toEqual([FUNCTION, `${FUNCTION}:live`, `${FUNCTION}:staging`, 'thumbnailer']);
      expect(listed[1]?.name).toBe(FUNCTION);
    });
  });

  describe('checks', () => {
    it.each([
      ['no policy and no URL', {}],
      ['service principals limited by AWS:SourceArn / AWS:SourceAccount', { statements: [S3_INVOKE, API_GATEWAY_INVOKE] }],
      ['a trusted account', { statements: [PARTNER_INVOKE] }],
      ['"*" limited to the organization', { statements: [{ ...publicInvoke(), Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] }],
      ['"*" limited by AWS:SourceAccount', { statements: [{ ...publicInvoke(), Condition: { StringEquals: { 'AWS:SourceAccount': '111111111111' } } }] }],
      ['an IAM-authenticated URL', { url: 'AWS_IAM' as const }],
    ])('a compliant function fails no check: %s', async (_name, fixture) => {
      givenFunction(fixture);
      expect(await failedIds()).toEqual([]);
    });

    const publicForms: [string, Statement, string][] = [
      ['Principal "*"', publicInvoke(), 'statement "public-invoke"'],
      ['Principal {"AWS":"*"}', { ...publicInvoke(), Principal: { AWS: '*' } }, 'statement "public-invoke"'],
      ['the URL\'s InvokeFunction statement behind an AWS_IAM URL (any AWS account)', URL_INVOKE_ACTION, 'statement "FunctionURLAllowInvokeAction"'],
      ['"*" with AWS:SourceArn "*"', { ...publicInvoke(), Condition: { ArnLike: { 'AWS:SourceArn': '*' } } }, 'statement "public-invoke"'],
    ];
    it.each(publicForms)('public_policy: %s', async (_name, statement, named) => {
      givenFunction({ statements: [S3_INVOKE, statement], url: 'AWS_IAM' });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['lambda_function.public_policy']);
      expect(failed[0]?.violation.detail).toBe(`policy ${named} allows principal "*" without a restricting condition`);
      expect(failed[0]?.check.severity).toBe('critical');
    });

    it('public_url: AuthType NONE, notify-only', async () => {
      givenFunction({ url: 'NONE' });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['lambda_function.public_url']);
      expect(failed[0]?.violation.detail).toBe(`function URL ${FUNCTION_URL} has AuthType NONE`);
      expect(failed[0]?.check.severity).toBe('high');
      expect(failed[0]?.remediate).toBeUndefined();
    });

    // The statements an AuthType NONE URL needs are public_url's (notify-only), never public_policy's.
    it.each<[string, Statement[], 'NONE' | 'AWS_IAM' | undefined, string[]]>([
      ['FunctionURLAllowPublicAccess with a NONE URL', [URL_PUBLIC_ACCESS], 'NONE', ['lambda_function.public_url']],
      ['both URL statements with a NONE URL', [URL_PUBLIC_ACCESS, URL_INVOKE_ACTION], 'NONE', ['lambda_function.public_url']],
      ['FunctionURLAllowPublicAccess without a URL (grants nothing)', [URL_PUBLIC_ACCESS], undefined, []],
      ['FunctionURLAllowPublicAccess with an AWS_IAM URL (its condition never holds)', [URL_PUBLIC_ACCESS], 'AWS_IAM', []],
      ['FunctionURLAllowInvokeAction with an AWS_IAM URL', [URL_INVOKE_ACTION], 'AWS_IAM', ['lambda_function.public_policy']],
      ['InvokeFunctionUrl for "*" with AuthType AWS_IAM in the condition', [{ ...URL_PUBLIC_ACCESS, Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } } }], 'NONE', ['lambda_function.public_url']],
      ['InvokeFunctionUrl and InvokeFunction in one statement', [{ ...URL_PUBLIC_ACCESS, Action: ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction'] }], 'NONE', ['lambda_function.public_policy', 'lambda_function.public_url']],
      ['a public invoke beside the URL statements', [URL_PUBLIC_ACCESS, URL_INVOKE_ACTION, publicInvoke()], 'NONE', ['lambda_function.public_policy', 'lambda_function.public_url']],
    ])('URL statements: %s', async (_name, statements, url, expected) => {
      givenFunction({ statements, url });
      expect(await failedIds()).toEqual(expected);
    });

    it('GetPolicy ResourceNotFoundException on an existing function means no policy', async () => {
      givenFunction();
      expect(await failedIds()).toEqual([]);
      expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);
    });

    it('a function that vanished is gone', async () => {
      lambda.on(GetPolicyCommand).rejects(awsError('ResourceNotFoundException', 404));
      lambda.on(GetFunctionConfigurationCommand).rejects(awsError('ResourceNotFoundException', 404, 'Function not found: ' + FUNCTION_ARN));
      expect(await lambdaFunctionAuditor.audit(makeResourceContext(FUNCTION), makeCheckContext(FUNCTION))).toBe(GONE);
      expect(lambda.commandCalls(GetFunctionUrlConfigCommand)).toHaveLength(0);
    });

    it.each(['GetPolicy', 'GetFunctionUrlConfig'])('AccessDeniedException on %s propagates (it is an error, not a finding)', async (call) => {
      givenFunction({ statements: [S3_INVOKE] });
      const denied = awsError('AccessDeniedException', 403);
      if (call === 'GetPolicy') lambda.on(GetPolicyCommand).rejects(denied);
      else lambda.on(GetFunctionUrlConfigCommand).rejects(denied);
      await expect(lambdaFunctionAuditor.audit(makeResourceContext(FUNCTION), makeCheckContext(FUNCTION))).rejects.toThrow('AccessDeniedException');
    });

    it.each([
      [FUNCTION, { functionName: FUNCTION }],
      [FUNCTION_ARN, { functionName: FUNCTION }],
      ['111111111111:function:orders-api', { functionName: FUNCTION }],
      [`${FUNCTION_ARN}:live`, { functionName: FUNCTION, qualifier: 'live' }],
      [`${FUNCTION_ARN}:$LATEST`, { functionName: FUNCTION }],
      ['orders-api:7', { functionName: FUNCTION, qualifier: '7' }],
    ])('accepts a name or an ARN as id: %s', (id, ref) => {
      expect(functionRefOf(id)).toEqual(ref);
    });

    it('an ARN id (from a CloudTrail event) is audited by name; a qualified one with its Qualifier', async () => {
      givenFunction({ statements: [publicInvoke()] });
      expect(await failedIds(FUNCTION_ARN)).toEqual(['lambda_function.public_policy']);
      expect(lambda.commandCalls(GetPolicyCommand)[0]?.args[0].input).toEqual({ FunctionName: FUNCTION });
      lambda.resetHistory();
      await failedIds(`${FUNCTION_ARN}:live`);
      expect(lambda.commandCalls(GetPolicyCommand)[0]?.args[0].input).toEqual({ FunctionName: FUNCTION, Qualifier: 'live' });
      expect(lambda.commandCalls(GetFunctionUrlConfigCommand)[0]?.args[0].input).toEqual({ FunctionName: FUNCTION, Qualifier: 'live' });
    });
  });

  describe('remediations', () => {
    async function remediation(id = FUNCTION): Promise<() => Promise<string>> {
      const remediate = (await failedChecks(id)).find((f) => f.check.id === 'lambda_function.public_policy')?.remediate;
      if (!remediate) throw new Error('public_policy did not fail or has no remediation');
      return remediate;
    }

    it('public_policy removes exactly the public statement ids, never those the NONE URL needs', async () => {
      // Prepare
      const statements = givenFunction({ statements: [S3_INVOKE, publicInvoke(), PARTNER_INVOKE, URL_PUBLIC_ACCESS, URL_INVOKE_ACTION, publicInvoke('public-invoke-2')], url: 'NONE' });
      const remediate = await remediation();
      // Act
      const outcome = await remediate();
      // Assess
      expect(outcome).toBe('applied');
      expect(lambda.commandCalls(RemovePermissionCommand).map((call) => call.args[0].input)).toEqual([
        { FunctionName: FUNCTION, StatementId: 'public-invoke' },
        { FunctionName: FUNCTION, StatementId: 'public-invoke-2' },
      ]);
      expect(statements).toEqual([S3_INVOKE, PARTNER_INVOKE, URL_PUBLIC_ACCESS, URL_INVOKE_ACTION]);
    });

    it('public_policy on an alias reads and fixes the alias, not the function', async () => {
      givenFunction({ statements: [publicInvoke()] });
      const remediate = await remediation(`${FUNCTION}:live`);
      expect(await remediate()).toBe('applied');
      expect(lambda.commandCalls(GetPolicyCommand).map((call) => call.args[0].input)).toEqual([
        { FunctionName: FUNCTION, Qualifier: 'live' },
        { FunctionName: FUNCTION, Qualifier: 'live' },
      ]);
      expect(lambda.commandCalls(RemovePermissionCommand)[0]?.args[0].input).toEqual({ FunctionName: FUNCTION, Qualifier: 'live', StatementId: 'public-invoke' });
    });

    it('public_policy on a qualified ARN removes the statement from that alias', async () => {
      givenFunction({ statements: [publicInvoke()] });
      const remediate = await remediation(`${FUNCTION_ARN}:live`);
      expect(await remediate()).toBe('applied');
      expect(lambda.commandCalls(RemovePermissionCommand)[0]?.args[0].input).toEqual({
        FunctionName: FUNCTION,
        Qualifier: 'live',
        StatementId: 'public-invoke',
      });
    });

    it.each([
      ['one public statement among others', [S3_INVOKE, publicInvoke()]],
      ['only public statements (the policy goes with the last one)', [publicInvoke(), publicInvoke('public-invoke-2')]],
    ])('a second run against the fixed function makes no mutating call: %s', async (_name, statements) => {
      // Prepare: the first run fixed the function
      givenFunction({ statements });
      const remediate = await remediation();
      expect(await remediate()).toBe('applied');
      lambda.resetHistory();
      // Act
      const outcome = await remediate();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(lambda.commandCalls(RemovePermissionCommand)).toHaveLength(0);
    });

    it('a function deleted before remediation is gone, with no mutating call', async () => {
      givenFunction({ statements: [publicInvoke()] });
      const remediate = await remediation();
      lambda.reset();
      lambda.on(GetPolicyCommand).rejects(awsError('ResourceNotFoundException', 404));
      lambda.on(GetFunctionConfigurationCommand).rejects(awsError('ResourceNotFoundException', 404));
      expect(await remediate()).toBe('gone');
      expect(lambda.commandCalls(RemovePermissionCommand)).toHaveLength(0);
    });
  });

  it('declares what it calls', () => {
    expect(lambdaFunctionAuditor.permissions).toEqual({
      list: ['lambda:ListFunctions', 'lambda:ListAliases'],
      collect: ['lambda:GetPolicy', 'lambda:GetFunctionConfiguration', 'lambda:GetFunctionUrlConfig'],
    });
    expect(lambdaFunctionAuditor.remediations).toEqual({
      'lambda_function.public_policy': {
        description: expect.any(String),
        risk: 'safe',
        permissions: ['lambda:GetPolicy', 'lambda:GetFunctionConfiguration', 'lambda:GetFunctionUrlConfig', 'lambda:RemovePermission'],
      },
    });
    expect(lambdaFunctionAuditor.triggers).toEqual([
      { eventSource: 'lambda.amazonaws.com', eventNames: ['AddPermission20150331v2', 'CreateFunction20150331'], idPath: 'requestParameters.functionName', transformId: idOfEventFunction },
      { eventSource: 'lambda.amazonaws.com', eventNames: ['CreateFunctionUrlConfig20211031', 'UpdateFunctionUrlConfig20211031'], idPath: 'responseElements.functionArn', transformId: idOfEventFunction },
    ]);
  });

  describe('CloudTrail ids are the ids the poller lists', () => {
    const table = buildTriggerTable([lambdaFunctionAuditor]);
    const idsOf = (event: Parameters<typeof translateEvent>[0]) => {
      const translation = translateEvent(event, table);
      return translation.status === 'messages' ? translation.messages.map((m) => m.message.id) : [translation.reason];
    };

    it.each([
      ['AddPermission by name', cloudTrail.addPermission20150331v2, ['invoice-renderer']],
      ['AddPermission with a qualifier audits that alias', cloudTrail.addPermission20150331v2OnAlias, ['invoice-renderer:live']],
      ['AddPermission by ARN (CloudFormation)', cloudTrail.addPermission20150331v2ByArn, ['invoice-renderer']],
      ['CreateFunctionUrlConfig on the function', cloudTrail.createFunctionUrlConfig20211031, ['invoice-renderer']],
      ['CreateFunctionUrlConfig on an alias', cloudTrail.createFunctionUrlConfigOnAlias, ['invoice-renderer:live']],
    ])('%s', (_name, event, expected) => {
      expect(idsOf(event)).toEqual(expected);
    });

    it.each([
      ['a partial ARN', '111111111111:function:invoice-renderer', {}, 'invoice-renderer'],
      ['a qualified ARN', `${cloudTrail.FUNCTION_ARN}:live`, {}, 'invoice-renderer:live'],
      ['an ARN with a qualifier parameter', cloudTrail.FUNCTION_ARN, { requestParameters: { qualifier: 'live' } }, 'invoice-renderer:live'],
      ['a $LATEST qualifier (the function itself)', 'invoice-renderer', { requestParameters: { qualifier: '$LATEST' } }, 'invoice-renderer'],
      ['a version qualifier', 'invoice-renderer', { requestParameters: { qualifier: '7' } }, 'invoice-renderer:7'],
      ['a qualifier that is not a string', 'invoice-renderer', { requestParameters: { qualifier: 7 } }, 'invoice-renderer'],
    ])('idOfEventFunction: %s', (_name, value, detail, expected) => {
      expect(idOfEventFunction(value, detail)).toBe(expected);
    });
  });
});
