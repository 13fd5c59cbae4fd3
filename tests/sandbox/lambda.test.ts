import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  RemovePermissionCommand,
  paginateListFunctions,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { makerFunctionPackage } from '../../misconfiguration-maker/entries/lambdaFunctionCode.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders-api-role`;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders-api`;
const NOT_FOUND = { name: 'ResourceNotFoundException', status: 404 };
/** The sandbox clock: what the tests below create is dated so. */
const CREATED = new Date('2026-11-20T11:00:00.000Z');

let org: SandboxOrganization;
let lambda: LambdaClient;

function functionInput(name = 'orders-api', overrides: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput {
  return { FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE_ARN, Code: { ZipFile: makerFunctionPackage() }, ...overrides };
}

beforeEach(async () => {
  org = sandboxOrganization({ start: CREATED });
  lambda = org.clients().get(LambdaClient);
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  await org.clients().get(IAMClient).send(new CreateRoleCommand({ RoleName: 'orders-api-role', AssumeRolePolicyDocument: trust }));
});

describe('Lambda functions', () => {
  it('creates a function and returns its configuration as Lambda does', async () => {
    const created = await lambda.send(new CreateFunctionCommand(functionInput('orders-api', { Architectures: ['arm64'], Tags: { team: 'payments' } })));
    const read = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'orders-api' }));

    expect(read).toMatchObject({
      FunctionName: 'orders-api',
      FunctionArn: FUNCTION_ARN,
      Runtime: 'nodejs22.x',
      Role: ROLE_ARN,
      Handler: 'index.handler',
      CodeSize: makerFunctionPackage().length,
      CodeSha256: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      Timeout: 3,
      MemorySize: 128,
      LastModified: '2026-11-20T11:00:00.000+0000',
      Version: '$LATEST',
      State: 'Active',
      PackageType: 'Zip',
      Architectures: ['arm64'],
      RevisionId: expect.any(String),
    });
    expect({ ...created, $metadata: undefined }).toEqual({ ...read, $metadata: undefined });
  });

  it('finds a function by name, partial ARN or ARN, only in its own account and region', async () => {
    await lambda.send(new CreateFunctionCommand(functionInput()));

    for (const name of ['orders-api', `${ACCOUNT}:function:orders-api`, FUNCTION_ARN, `${FUNCTION_ARN}:$LATEST`]) {
      expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).FunctionArn).toBe(FUNCTION_ARN);
    }
    await expectAwsError(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'orders-api', Qualifier: 'live' })), { ...NOT_FOUND, message: /Function not found: .*orders-api:live/ });
    await expectAwsError(org.clients(ACCOUNT, OTHER_REGION).get(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: 'orders-api' })), NOT_FOUND);
    await expectAwsError(org.clients(OTHER_ACCOUNT).get(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: 'orders-api' })), NOT_FOUND);
  });

  it('refuses a duplicate (409), a role Lambda cannot assume and a package that is not a zip (400)', async () => {
    await lambda.send(new CreateFunctionCommand(functionInput()));

    await expectAwsError(lambda.send(new CreateFunctionCommand(functionInput())), { name: 'ResourceConflictException', status: 409, message: /Function already exist: orders-api/ });
    await expectAwsError(lambda.send(new CreateFunctionCommand(functionInput('other', { Role: `arn:aws:iam::${ACCOUNT}:role/missing` }))), {
      name: 'InvalidParameterValueException',
      status: 400,
      message: /cannot be assumed by Lambda/,
    });
    await expectAwsError(lambda.send(new CreateFunctionCommand(functionInput('other', { Code: { ZipFile: new Uint8Array([1, 2, 3]) } }))), { name: 'InvalidParameterValueException', status: 400, message: /Could not unzip/ });
  });

  it('lists functions in pages of at most 50 with NextMarker', async () => {
    for (const name of ['c-fn', 'a-fn', 'b-fn']) await lambda.send(new CreateFunctionCommand(functionInput(name)));

    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    const second = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));

    expect(first.Functions?.map((f) => f.FunctionName)).toEqual(['a-fn', 'b-fn']);
    expect(first.NextMarker).toEqual(expect.any(String));
    expect(second.Functions?.map((f) => f.FunctionName)).toEqual(['c-fn']);
    expect(second.NextMarker).toBeUndefined();
    const names: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 1 }, {})) names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
    expect(names).toEqual(['a-fn', 'b-fn', 'c-fn']);
  });

  it('deletes a function with its policy and URL; ResourceNotFoundException afterwards', async () => {
    await lambda.send(new CreateFunctionCommand(functionInput()));
    await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'orders-api', AuthType: 'NONE' }));

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'orders-api' }));

    await expectAwsError(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'orders-api' })), NOT_FOUND);
    await expectAwsError(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'orders-api' })), NOT_FOUND);
    await expectAwsError(lambda.send(new DeleteFunctionCommand({ FunctionName: 'orders-api' })), NOT_FOUND);
  });
});

describe('Lambda resource policies', () => {
  beforeEach(async () => {
    await lambda.send(new CreateFunctionCommand(functionInput()));
  });

  it('has no policy until a permission is added (ResourceNotFoundException, 404)', async () => {
    await expectAwsError(lambda.send(new GetPolicyCommand({ FunctionName: 'orders-api' })), { ...NOT_FOUND, message: /The resource you requested does not exist/ });
  });

  it('writes statements as Lambda spells them: principals, conditions, the function as Resource', async () => {
    const publicStatement = await lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 'public', Action: 'lambda:InvokeFunction', Principal: '*' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 'partner', Action: 'lambda:InvokeFunction', Principal: OTHER_ACCOUNT }));
    await lambda.send(
      new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::uploads', SourceAccount: ACCOUNT }),
    );

    const { Policy, RevisionId } = await lambda.send(new GetPolicyCommand({ FunctionName: 'orders-api' }));

    expect(JSON.parse(publicStatement.Statement ?? '')).toEqual({ Sid: 'public', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: FUNCTION_ARN });
    expect(JSON.parse(Policy ?? '')).toEqual({
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        { Sid: 'public', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: FUNCTION_ARN },
        { Sid: 'partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'lambda:InvokeFunction', Resource: FUNCTION_ARN },
        {
          Sid: 's3',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: FUNCTION_ARN,
          Condition: { StringEquals: { 'AWS:SourceAccount': ACCOUNT }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } },
        },
      ],
    });
    expect(RevisionId).toEqual(expect.any(String));
  });

  it('refuses a duplicate statement id (409), a malformed action, policies on $LATEST and a public URL grant without FunctionUrlAuthType (400)', async () => {
    await lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 'public', Action: 'lambda:GetFunctionConfiguration', Principal: '*' }));

    await expectAwsError(lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 'public', Action: 'lambda:InvokeFunction', Principal: '*' })), {
      name: 'ResourceConflictException',
      status: 409,
      message: /statement id \(public\) provided already exists/,
    });
    await expectAwsError(lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 'bad', Action: 's3:GetObject', Principal: '*' })), { name: 'ValidationException', status: 400 });
    await expectAwsError(lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 'x', Action: 'lambda:InvokeFunction', Principal: '*', Qualifier: '$LATEST' })), {
      name: 'InvalidParameterValueException',
      status: 400,
    });
    await expectAwsError(lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*' })), {
      name: 'InvalidParameterValueException',
      status: 400,
      message: /You must specify lambda:FunctionUrlAuthType/,
    });
  });

  it('removes exactly one statement; the policy disappears with the last; 404 for an unknown statement', async () => {
    await lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 'a', Action: 'lambda:InvokeFunction', Principal: '*' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', StatementId: 'b', Action: 'lambda:InvokeFunction', Principal: OTHER_ACCOUNT }));

    await lambda.send(new RemovePermissionCommand({ FunctionName: 'orders-api', StatementId: 'a' }));
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: 'orders-api' }));
    expect((JSON.parse(Policy ?? '') as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid)).toEqual(['b']);
    await expectAwsError(lambda.send(new RemovePermissionCommand({ FunctionName: 'orders-api', StatementId: 'a' })), { ...NOT_FOUND, message: /Statement a is not found/ });
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'orders-api', StatementId: 'b' }));

    await expectAwsError(lambda.send(new GetPolicyCommand({ FunctionName: 'orders-api' })), NOT_FOUND);
  });
});

describe('Lambda function URLs', () => {
  beforeEach(async () => {
    await lambda.send(new CreateFunctionCommand(functionInput()));
  });

  it('creates a URL once (ResourceConflictException, 409, after) and reads it back; 404 before', async () => {
    await expectAwsError(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'orders-api' })), NOT_FOUND);

    const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'orders-api', AuthType: 'NONE' }));
    const read = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'orders-api' }));

    expect(created).toMatchObject({ FunctionUrl: expect.stringMatching(/^https:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws\/$/), FunctionArn: FUNCTION_ARN, AuthType: 'NONE', InvokeMode: 'BUFFERED', CreationTime: '2026-11-20T11:00:00.000Z' });
    expect(read).toMatchObject({ FunctionUrl: created.FunctionUrl, AuthType: 'NONE', CreationTime: created.CreationTime, LastModifiedTime: created.CreationTime });
    await expectAwsError(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'orders-api', AuthType: 'AWS_IAM' })), { name: 'ResourceConflictException', status: 409 });
  });
});

describe('Lambda aliases', () => {
  beforeEach(async () => {
    await lambda.send(new CreateFunctionCommand(functionInput()));
  });

  it('creates, lists and deletes aliases of $LATEST; refuses a duplicate (409), a numeric name and an unmodelled version', async () => {
    const created = await lambda.send(new CreateAliasCommand({ FunctionName: 'orders-api', Name: 'live', FunctionVersion: '$LATEST' }));
    expect(created).toMatchObject({ AliasArn: `${FUNCTION_ARN}:live`, Name: 'live', FunctionVersion: '$LATEST', Description: '', RevisionId: expect.any(String) });
    await lambda.send(new CreateAliasCommand({ FunctionName: FUNCTION_ARN, Name: 'staging', FunctionVersion: '$LATEST' }));
    expect((await lambda.send(new ListAliasesCommand({ FunctionName: 'orders-api' }))).Aliases?.map((a) => a.Name)).toEqual(['live', 'staging']);

    await expectAwsError(lambda.send(new CreateAliasCommand({ FunctionName: 'orders-api', Name: 'live', FunctionVersion: '$LATEST' })), { name: 'ResourceConflictException', status: 409 });
    await expectAwsError(lambda.send(new CreateAliasCommand({ FunctionName: 'orders-api', Name: '42', FunctionVersion: '$LATEST' })), { name: 'ValidationException', status: 400 });
    await expectAwsError(lambda.send(new CreateAliasCommand({ FunctionName: 'orders-api', Name: 'v7', FunctionVersion: '7' })), NOT_FOUND);

    await lambda.send(new DeleteAliasCommand({ FunctionName: 'orders-api', Name: 'staging' }));
    expect((await lambda.send(new ListAliasesCommand({ FunctionName: 'orders-api' }))).Aliases?.map((a) => a.Name)).toEqual(['live']);
  });

  it("an alias has its own policy and URL, apart from the function's (as AWS keeps them; moto shares them)", async () => {
    await lambda.send(new CreateAliasCommand({ FunctionName: 'orders-api', Name: 'live', FunctionVersion: '$LATEST' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'orders-api', Qualifier: 'live', StatementId: 'public-invoke', Action: 'lambda:InvokeFunction', Principal: '*' }));
    await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: `${FUNCTION_ARN}:live`, AuthType: 'NONE' }));

    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'orders-api', Qualifier: 'live' }))).Policy ?? '{}');
    expect(policy.Statement).toEqual([{ Sid: 'public-invoke', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: `${FUNCTION_ARN}:live` }]);
    expect(await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'orders-api', Qualifier: 'live' }))).toMatchObject({ FunctionArn: `${FUNCTION_ARN}:live`, AuthType: 'NONE' });
    await expectAwsError(lambda.send(new GetPolicyCommand({ FunctionName: 'orders-api' })), NOT_FOUND);
    await expectAwsError(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'orders-api' })), NOT_FOUND);

    await lambda.send(new RemovePermissionCommand({ FunctionName: 'orders-api', Qualifier: 'live', StatementId: 'public-invoke' }));
    await expectAwsError(lambda.send(new GetPolicyCommand({ FunctionName: 'orders-api', Qualifier: 'live' })), NOT_FOUND);
  });

  it('an unknown alias names nothing (404), and DeleteFunction does not delete an alias', async () => {
    await expectAwsError(lambda.send(new GetPolicyCommand({ FunctionName: 'orders-api', Qualifier: 'blue' })), NOT_FOUND);
    await lambda.send(new CreateAliasCommand({ FunctionName: 'orders-api', Name: 'live', FunctionVersion: '$LATEST' }));
    await expectAwsError(lambda.send(new DeleteFunctionCommand({ FunctionName: 'orders-api', Qualifier: 'live' })), { name: 'InvalidParameterValueException', status: 400 });
  });
});
