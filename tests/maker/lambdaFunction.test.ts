import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, GetFunctionUrlConfigCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { iamRoleAuditor } from '../../auditors/iamRole.ts';
import { lambdaFunctionAuditor } from '../../auditors/lambdaFunction.ts';
import { PUBLIC_STATEMENT_ID, lambdaFunctionMaker, makerExecutionRoleName, makerFunctionName } from '../../misconfiguration-maker/entries/lambdaFunction.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, remediateAll } from './makerHarness.ts';

const FUNCTION = makerFunctionName(ACCOUNT, REGION);
const ROLE = makerExecutionRoleName(ACCOUNT, REGION);

describe('lambda_function maker', () => {
  it('makes a tagged function on a policy-less execution role, public configuration read and an AuthType NONE URL', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    const lambda = context.clients.get(LambdaClient);

    const ids = await lambdaFunctionMaker.create(context);

    expect(ids).toEqual([`misconfiguration-maker-lambda-${ACCOUNT}-${REGION}`]);
    const { Role } = await context.clients.get(IAMClient).send(new GetRoleCommand({ RoleName: ROLE }));
    expect(Role?.Tags).toEqual([{ Key: 'created-by', Value: 'misconfiguration-maker' }]);
    expect(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION }))).toMatchObject({ Role: Role?.Arn, Runtime: 'nodejs22.x', Handler: 'index.handler' });
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: FUNCTION }));
    expect(JSON.parse(Policy ?? '')).toMatchObject({ Statement: [{ Sid: PUBLIC_STATEMENT_ID, Principal: '*', Action: 'lambda:GetFunctionConfiguration' }] });
    expect((await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: FUNCTION }))).AuthType).toBe('NONE');
  });

  it('fails exactly the provoked checks, once each; after remediation only the notify-only public_url remains', async () => {
    // Prepare
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    await lambdaFunctionMaker.create(context);
    await lambdaFunctionMaker.create(context);

    // Act
    const before = await auditListed(lambdaFunctionAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(lambdaFunctionAuditor, context);
    const again = await remediateAll(before);

    // Assess
    expect(before.map((a) => a.id)).toEqual([FUNCTION]);
    expect(failedCheckIds(before)).toEqual([...lambdaFunctionMaker.provokes(config)].sort());
    expect(outcomes).toEqual(['lambda_function.public_policy=applied']);
    expect(failedCheckIds(after)).toEqual(['lambda_function.public_url']);
    expect(after[0]?.failed[0]?.remediate).toBeUndefined();
    expect(again).toEqual(['lambda_function.public_policy=already_compliant']);
    expect(await auditListed(lambdaFunctionAuditor, makerContext(organization, config, { region: 'eu-west-1' }))).toEqual([]);
    expect(await auditListed(lambdaFunctionAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('its execution role fails no iam_role check', async () => {
    const config = makeConfig();
    const context = makerContext(sandboxOrganization(), config);
    await lambdaFunctionMaker.create(context);

    const roles = await auditListed(iamRoleAuditor, context);

    expect(roles.map((r) => r.id)).toEqual([ROLE]);
    expect(failedCheckIds(roles)).toEqual([]);
  });

  it('re-creating puts the public statement back on the same function', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await lambdaFunctionMaker.create(context);
    await remediateAll(await auditListed(lambdaFunctionAuditor, context));

    await lambdaFunctionMaker.create(context);

    const audited = await auditListed(lambdaFunctionAuditor, context);
    expect(audited.map((a) => a.id)).toEqual([FUNCTION]);
    expect(failedCheckIds(audited)).toEqual(['lambda_function.public_policy', 'lambda_function.public_url']);
  });

  it('tears down its function and execution role, idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await lambdaFunctionMaker.create(context);

    expect(await lambdaFunctionMaker.teardown(context)).toEqual([FUNCTION, ROLE]);
    expect(await lambdaFunctionMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(lambdaFunctionAuditor, context)).toEqual([]);
    expect(await makerResourcesListed(iamRoleAuditor, context)).toEqual([]);
  });
});
