import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { DENY_ALL_TRUST_POLICY, iamRoleAuditor } from '../../auditors/iamRole.ts';
import { iamRoleMaker, makerAdminPolicyArn, makerAdminPolicyName, makerRoleName } from '../../misconfiguration-maker/entries/iamRole.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import { ACCOUNT, OTHER_ACCOUNT, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, remediateAll } from './makerHarness.ts';

const ROLE = makerRoleName(ACCOUNT);
const ADMIN_POLICY = makerAdminPolicyName(ACCOUNT);

async function trustPolicyOf(iam: IAMClient): Promise<unknown> {
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: ROLE }));
  return JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''));
}

describe('iam_role maker', () => {
  it('makes a tagged role trusted by anyone and by the nonexistent account', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());

    const ids = await iamRoleMaker.create(context);

    expect(ids).toEqual([`misconfiguration-maker-role-${ACCOUNT}`]);
    const iam = context.clients.get(IAMClient);
    expect((await iam.send(new GetRoleCommand({ RoleName: ROLE }))).Role?.Tags).toEqual([{ Key: 'created-by', Value: 'misconfiguration-maker' }]);
    expect(await trustPolicyOf(iam)).toMatchObject({
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${NONEXISTENT_ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
      ],
    });
  });

  it('attaches one customer managed policy allowing "*" on "*" only under a condition no request meets', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await iamRoleMaker.create(context);
    await iamRoleMaker.create(context);

    const iam = context.clients.get(IAMClient);
    const arn = makerAdminPolicyArn(ACCOUNT, context.region);
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE }))).AttachedPolicies).toEqual([{ PolicyName: ADMIN_POLICY, PolicyArn: arn }]);
    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? ''))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'MisconfigurationMakerAdminNeverApplies',
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalAccount': NONEXISTENT_ACCOUNT }, IpAddress: { 'aws:SourceIp': '192.0.2.0/32' } },
        },
      ],
    });
  });

  it('fails exactly the provoked checks, once each; remediation leaves a deny-all trust policy and only the notify-only IAM.1 finding', async () => {
    // Prepare
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    await iamRoleMaker.create(context);
    await iamRoleMaker.create(context);

    // Act
    const before = await auditListed(iamRoleAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(iamRoleAuditor, context);
    const again = await remediateAll(before);

    // Assess
    expect(before.map((a) => a.id)).toEqual([ROLE]);
    expect(failedCheckIds(before)).toEqual([...iamRoleMaker.provokes(config)].sort());
    expect(failedCheckIds(before)).toEqual(['iam_role.admin_policy_attached', 'iam_role.public_trust', 'iam_role.untrusted_account_trust']);
    expect(outcomes).toEqual(['iam_role.public_trust=applied', 'iam_role.untrusted_account_trust=applied']);
    expect(failedCheckIds(after)).toEqual(['iam_role.admin_policy_attached']);
    expect(again).toEqual(['iam_role.public_trust=already_compliant', 'iam_role.untrusted_account_trust=already_compliant']);
    expect(await trustPolicyOf(context.clients.get(IAMClient))).toEqual(DENY_ALL_TRUST_POLICY);
    expect(await auditListed(iamRoleAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('does not claim untrusted_account_trust when 000000000000 is configured as trusted', async () => {
    const config = makeConfig({ trustedAccounts: [NONEXISTENT_ACCOUNT] });
    const context = makerContext(sandboxOrganization(), config);
    await iamRoleMaker.create(context);

    const audited = await auditListed(iamRoleAuditor, context);

    expect(iamRoleMaker.provokes(config)).toEqual(['iam_role.public_trust', 'iam_role.admin_policy_attached']);
    expect(failedCheckIds(audited)).toEqual(['iam_role.admin_policy_attached', 'iam_role.public_trust']);
  });

  it('re-creating puts the misconfigured trust policy back on the same role', async () => {
    const config = makeConfig();
    const context = makerContext(sandboxOrganization(), config);
    await iamRoleMaker.create(context);
    await remediateAll(await auditListed(iamRoleAuditor, context));

    await iamRoleMaker.create(context);

    const audited = await auditListed(iamRoleAuditor, context);
    expect(audited.map((a) => a.id)).toEqual([ROLE]);
    expect(failedCheckIds(audited)).toEqual(['iam_role.admin_policy_attached', 'iam_role.public_trust', 'iam_role.untrusted_account_trust']);
  });

  it('tears down exactly its role and its policy, idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await iamRoleMaker.create(context);

    expect(await iamRoleMaker.teardown(context)).toEqual([ROLE, ADMIN_POLICY]);
    expect(await iamRoleMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(iamRoleAuditor, context)).toEqual([]);
    await expect(context.clients.get(IAMClient).send(new GetPolicyCommand({ PolicyArn: makerAdminPolicyArn(ACCOUNT, context.region) }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});
