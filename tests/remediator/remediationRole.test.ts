import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineAuditor, type ResourceContext } from '../../auditors/contract.ts';
import { ClientFactory, type AwsClients } from '../../services/core/clientFactory.ts';
import { memoryLog } from '../../services/core/log.ts';
import { auditResource } from '../../services/remediator/auditResource.ts';
import { RemediationBudget } from '../../services/remediator/remediationBudget.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION, UNKNOWN_ACCOUNT, awsError, makeCheckContext, makeConfig } from '../helpers/context.ts';
import { makeBrake } from '../helpers/brake.ts';

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);

const AUDIT_ROLE = `arn:aws:iam::${ACCOUNT}:role/ComplianceAuditorMemberRole`;
const REMEDIATION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ComplianceAuditorRemediationRole`;
/** The access key STS hands out for each role, so a call tells which role made it. */
const AUDIT_KEY = 'ASIAAUDITROLE0000001';
const REMEDIATION_KEY = 'ASIAREMEDIATION00001';
const KEY_OF: Record<string, string> = { [AUDIT_ROLE]: AUDIT_KEY, [REMEDIATION_ROLE]: REMEDIATION_KEY };

/** A role trusting an unknown account: iam_role.untrusted_account_trust fails; GetRole returns the trust URL-encoded, as IAM does. */
function foreignTrustRole(name: string) {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${UNKNOWN_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
  return {
    Role: { RoleName: name, RoleId: 'AROAEXAMPLEID1234567', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, CreateDate: NOW, AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)) },
  };
}

function assumedRoles(): (string | undefined)[] {
  return sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn);
}

/** The access key each IAM call was made with, in call order ("GetRole ASIA..."). */
const signedWith: string[] = [];

/** Answers like IAM, after resolving the calling client's credentials as signing does (the mock replaces send, signing included). */
function answering<T>(command: string, output: T) {
  return async (_input: unknown, getClient: () => IAMClient): Promise<T> => {
    signedWith.push(`${command} ${(await getClient().config.credentials()).accessKeyId}`);
    return output;
  };
}

async function auditForeignTrustRole(options: { remediate: boolean; refuseRemediationRole?: boolean }) {
  sts.on(AssumeRoleCommand).callsFake((input: AssumeRoleCommandInput) => {
    const key = KEY_OF[input.RoleArn ?? ''];
    if (!key) throw new Error(`unexpected RoleArn ${input.RoleArn}`);
    if (options.refuseRemediationRole && input.RoleArn === REMEDIATION_ROLE) {
      throw awsError('AccessDenied', 403, `User: arn:aws:sts::123456789012:assumed-role/compliance-auditor-prod-us-east-1-remediator/x is not authorized to perform: sts:AssumeRole on resource: ${REMEDIATION_ROLE}`);
    }
    return { Credentials: { AccessKeyId: key, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3600_000) } };
  });
  iam.on(GetRoleCommand).callsFake(answering('GetRole', foreignTrustRole('team-deployer')));
  iam.on(UpdateAssumeRolePolicyCommand).callsFake(answering('UpdateAssumeRolePolicy', {}));
  iam.on(ListAttachedRolePoliciesCommand).callsFake(answering('ListAttachedRolePolicies', { AttachedPolicies: [], IsTruncated: false }));
  const config = makeConfig({ remediate: options.remediate, remediateChecks: ['iam_role.untrusted_account_trust'], externalId: 'external-id-for-tests' });
  const factory = new ClientFactory({ ...config, env: {} });
  const run = { config, factory, trustedAccounts: new Set([ACCOUNT]), budget: new RemediationBudget(10), brake: makeBrake(factory, memoryLog()), log: memoryLog(), now: NOW };
  const outcome = await auditResource({ account: ACCOUNT, region: REGION, type: 'iam_role', id: 'team-deployer' }, run);
  if (outcome.status !== 'audited') throw new Error(`unexpected ${outcome.status}`);
  return outcome.findings.find((f) => f.checkId === 'iam_role.untrusted_account_trust');
}

describe('the remediator assumes the remediation role only to remediate', () => {
  beforeEach(() => {
    sts.reset();
    iam.reset();
    signedWith.length = 0;
  });

  it('a dry run assumes the audit role only', async () => {
    const finding = await auditForeignTrustRole({ remediate: false });
    expect(finding?.remediation).toBe('planned');
    expect(assumedRoles()).toEqual([AUDIT_ROLE]);
    expect(signedWith).toEqual([`GetRole ${AUDIT_KEY}`, `ListAttachedRolePolicies ${AUDIT_KEY}`]);
  });

  it('collect reads through the audit role; the remediation re-reads and writes through the remediation role, with the ExternalId', async () => {
    const finding = await auditForeignTrustRole({ remediate: true });
    expect(finding?.remediation).toBe('applied');
    expect(assumedRoles()).toEqual([AUDIT_ROLE, REMEDIATION_ROLE]);
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.ExternalId)).toEqual(['external-id-for-tests', 'external-id-for-tests']);
    expect(signedWith).toEqual([`GetRole ${AUDIT_KEY}`, `ListAttachedRolePolicies ${AUDIT_KEY}`, `GetRole ${REMEDIATION_KEY}`, `UpdateAssumeRolePolicy ${REMEDIATION_KEY}`]);
  });

  it('a refused remediation role (RemediationLevel none) fails the remediation with what to set, never falls back to the audit role', async () => {
    const finding = await auditForeignTrustRole({ remediate: true, refuseRemediationRole: true });
    expect(finding?.remediation).toBe('failed');
    expect(finding?.remediationDetail).toMatch(/ComplianceAuditorRemediationRole.*AccessDenied.*RemediationLevel safe or disruptive/s);
    expect(assumedRoles()).toEqual([AUDIT_ROLE, REMEDIATION_ROLE]);
    expect(signedWith).toEqual([`GetRole ${AUDIT_KEY}`, `ListAttachedRolePolicies ${AUDIT_KEY}`]);
    expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)).toHaveLength(0);
  });
});

describe('client factory roles', () => {
  it('keeps the clients of each role apart when assuming roles, and shares them with ambient credentials', () => {
    const assuming = new ClientFactory({ memberRoleName: 'A', remediationRoleName: 'R', externalId: 'x', assumeRole: true, env: {} });
    expect(assuming.forAccount(ACCOUNT, REGION, 'remediation').get(IAMClient)).not.toBe(assuming.forAccount(ACCOUNT, REGION).get(IAMClient));
    expect(assuming.forAccount(ACCOUNT, REGION, 'remediation').get(IAMClient)).toBe(assuming.forAccount(ACCOUNT, REGION, 'remediation').get(IAMClient));
    const ambient = new ClientFactory({ memberRoleName: 'A', assumeRole: false, env: {} });
    expect(ambient.forAccount(ACCOUNT, REGION, 'remediation').get(IAMClient)).toBe(ambient.forAccount(ACCOUNT, REGION, 'audit').get(IAMClient));
  });
});

describe('defineAuditor hands a remediation the remediation clients', () => {
  const clientsNamed = (name: string): AwsClients => ({ account: name, region: REGION, get: () => { throw new Error('not called'); } });
  const seen: { clients?: string; elsewhere?: string }[] = [];
  const auditor = defineAuditor<{ wrong: true }>({
    type: 'sqs',
    scope: 'regional',
    description: 'test auditor',
    permissions: { list: ['sqs:ListQueues'], collect: ['sqs:GetQueueAttributes'] },
    triggers: [],
    list: async function* () {},
    collect: async () => ({ wrong: true }),
    checks: [{ id: 'sqs.test', title: 't', severity: 'low', rationale: 'r', controls: { none: 'a check of this test only' }, evaluate: () => ({ detail: 'wrong' }) }],
    remediations: {
      'sqs.test': {
        description: 'd',
        risk: 'safe',
        permissions: ['sqs:SetQueueAttributes'],
        apply: async (context: ResourceContext) => {
          seen.push({ clients: context.clients.account, elsewhere: context.clientsFor?.(OTHER_ACCOUNT, REGION).account });
          return 'applied';
        },
      },
    },
  });

  it.each([
    { name: 'the remediation role\'s clients', offered: { remediationClients: clientsNamed('remediation'), remediationClientsFor: () => clientsNamed('remediation-elsewhere') }, expected: { clients: 'remediation', elsewhere: 'remediation-elsewhere' } },
    // A caller with one role only (the baseline report): apply gets the clients it has.
    { name: 'no remediation clients', offered: {}, expected: { clients: 'audit', elsewhere: 'audit-elsewhere' } },
  ])('$name offered: apply acts through them', async ({ offered, expected }) => {
    seen.length = 0;
    const context: ResourceContext = { account: ACCOUNT, region: REGION, id: 'q', config: makeConfig(), clients: clientsNamed('audit'), clientsFor: () => clientsNamed('audit-elsewhere'), ...offered };
    const result = await auditor.audit(context, makeCheckContext('q'));
    if (!Array.isArray(result)) throw new Error('expected failed checks');
    await result[0]?.remediate?.();
    expect(seen).toEqual([expected]);
  });
});
