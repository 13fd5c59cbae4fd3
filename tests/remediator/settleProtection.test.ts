import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryLog } from '../../services/core/log.ts';
import { auditResource } from '../../services/remediator/auditResource.ts';
import { RemediationBudget } from '../../services/remediator/remediationBudget.ts';
import { makeBrake } from '../helpers/brake.ts';
import { ACCOUNT, NOW, REGION, UNKNOWN_ACCOUNT, makeConfig, makeFactory } from '../helpers/context.ts';

const iam = mockClient(IAMClient);

/** GetRole returns the trust policy URL-encoded, as IAM does. */
function role(name: string, path: string): { Role: { RoleName: string; RoleId: string; Path: string; Arn: string; CreateDate: Date; AssumeRolePolicyDocument: string } } {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${UNKNOWN_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
  return {
    Role: { RoleName: name, RoleId: 'AROAEXAMPLEID1234567', Path: path, Arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`, CreateDate: NOW, AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)) },
  };
}

describe('settle: protected resources are reported, never remediated', () => {
  beforeEach(() => iam.reset());

  it.each([
    { name: 'ComplianceAuditorMemberRole', path: '/', expected: 'protected', writes: 0 },
    { name: 'compliance-auditor-event-forwarding', path: '/', expected: 'protected', writes: 0 },
    { name: 'AWSServiceRoleForSupport', path: '/aws-service-role/support.amazonaws.com/', expected: 'protected', writes: 0 },
    { name: 'team-deployer', path: '/', expected: 'applied', writes: 1 },
    // The trust rewrite is disruptive: remediate=true alone only plans it.
    { name: 'team-deployer', path: '/', expected: 'planned', writes: 0, remediateChecks: [] },
  ])('$name -> $expected', async ({ name, path, expected, writes, remediateChecks = ['iam_role.untrusted_account_trust'] }) => {
    iam.on(GetRoleCommand).resolves(role(name, path));
    iam.on(UpdateAssumeRolePolicyCommand).resolves({});
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    const config = makeConfig({ remediate: true, remediateChecks });
    const factory = makeFactory();
    const log = memoryLog();
    const run = { config, factory, trustedAccounts: new Set([ACCOUNT]), budget: new RemediationBudget(10), brake: makeBrake(factory, log), log, now: NOW };
    const outcome = await auditResource({ account: ACCOUNT, region: REGION, type: 'iam_role', id: name }, run);
    if (outcome.status !== 'audited') throw new Error(`unexpected ${outcome.status}`);
    const finding = outcome.findings.find((f) => f.checkId === 'iam_role.untrusted_account_trust');
    expect(finding?.remediation).toBe(expected);
    expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)).toHaveLength(writes);
  });
});
