import {
  DeleteResourcePolicyCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  SecretsManagerClient,
  type DescribeSecretCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { secretAuditor } from '../../auditors/secret.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const secrets = mockClient(SecretsManagerClient);
const NAME = 'prod/orders/db-master';
const ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${NAME}-AbCdEf`;
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

/** DescribeSecret of a secret rotated by its RDS rotation function every 30 days, last 10 days ago. */
function described(overrides: Partial<DescribeSecretCommandOutput> = {}): Omit<DescribeSecretCommandOutput, '$metadata'> {
  return {
    ARN,
    Name: NAME,
    Description: 'orders database master credentials',
    RotationEnabled: true,
    RotationLambdaARN: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:SecretsManagerRDSPostgreSQLRotationSingleUser`,
    RotationRules: { AutomaticallyAfterDays: 30 },
    LastRotatedDate: daysAgo(10),
    LastChangedDate: daysAgo(10),
    LastAccessedDate: daysAgo(1),
    NextRotationDate: daysAgo(-20),
    CreatedDate: daysAgo(400),
    Tags: [{ Key: 'team', Value: 'orders' }],
    VersionIdsToStages: { '6a0c4e1b-3f5d-47a9-9e2b-8c1d0f3a5b7e': ['AWSCURRENT'] },
    ...overrides,
  };
}

const OWN_READ = { Sid: 'OrdersApiRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/orders-api` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const TRUSTED_READ = { Sid: 'ReportingRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/reporting` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const PUBLIC_READ = { Sid: 'AnyoneRead', Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const UNKNOWN_READ = { Sid: 'PartnerRead', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::999999999999:role/etl', `arn:aws:iam::${OTHER_ACCOUNT}:role/reporting`] }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };

function secretPolicy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** A secret that behaves like Secrets Manager: GetResourcePolicy answers what PutResourcePolicy last wrote. */
function givenSecret(description = described(), policy?: string): { policy?: string } {
  const stored: { policy?: string } = policy === undefined ? {} : { policy };
  secrets.on(DescribeSecretCommand, { SecretId: ARN }).resolves(description);
  secrets.on(GetResourcePolicyCommand, { SecretId: ARN }).callsFake(() => ({ ARN, Name: NAME, ...(stored.policy ? { ResourcePolicy: stored.policy } : {}) }));
  secrets.on(PutResourcePolicyCommand, { SecretId: ARN }).callsFake((input: { ResourcePolicy?: string }) => {
    stored.policy = input.ResourcePolicy;
    return { ARN, Name: NAME };
  });
  secrets.on(DeleteResourcePolicyCommand, { SecretId: ARN }).callsFake(() => {
    delete stored.policy;
    return { ARN, Name: NAME };
  });
  return stored;
}

async function failed(): Promise<FailedCheck[]> {
  return failedChecksOf(await secretAuditor.audit(makeResourceContext(ARN), makeCheckContext(ARN)));
}

async function failedIds(): Promise<string[]> {
  return (await failed()).map((f) => f.check.id);
}

describe('secret auditor', () => {
  beforeEach(() => secrets.reset());

  it('declares its APIs, triggers (the ARN of the response), controls, and remediations for the policy checks only', () => {
    expect(secretAuditor.permissions).toEqual({ list: ['secretsmanager:ListSecrets'], collect: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'] });
    expect(secretAuditor.triggers).toEqual([
      { eventSource: 'secretsmanager.amazonaws.com', eventNames: ['CreateSecret', 'PutResourcePolicy', 'RotateSecret', 'CancelRotateSecret'], idPath: 'responseElements.arn' },
    ]);
    expect(secretAuditor.checks.map((c) => [c.id, c.severity])).toEqual([
      ['secret.public_policy', 'critical'],
      ['secret.shared_unknown_account', 'high'],
      ['secret.rotation_off', 'medium'],
      ['secret.rotation_overdue', 'medium'],
    ]);
    expect(Object.entries(secretAuditor.remediations).map(([id, r]) => [id, r.risk])).toEqual([
      ['secret.public_policy', 'safe'],
      ['secret.shared_unknown_account', 'safe'],
    ]);
  });

  it('list follows NextToken with MaxResults 100 and yields the ARN, name and tags', async () => {
    const token = 'eyJsYXN0IjoicHJvZC9vcmRlcnMvZGItbWFzdGVyIn0=';
    const other = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:misconfiguration-maker-secret-${ACCOUNT}-us-east-1-Zx9Yw8`;
    secrets.on(ListSecretsCommand, { NextToken: undefined }).resolves({ SecretList: [{ ARN, Name: NAME, Tags: [{ Key: 'team', Value: 'orders' }] }], NextToken: token });
    secrets.on(ListSecretsCommand, { NextToken: token }).resolves({ SecretList: [{ ARN: other, Name: `misconfiguration-maker-secret-${ACCOUNT}-us-east-1` }] });
    expect(await collectAll(secretAuditor.list(makeListContext()))).toEqual([
      { id: ARN, name: NAME, tags: { team: 'orders' } },
      { id: other, name: `misconfiguration-maker-secret-${ACCOUNT}-us-east-1`, tags: {} },
    ]);
    expect(secrets.commandCalls(ListSecretsCommand)[0]?.args[0].input).toMatchObject({ MaxResults: 100 });
  });

  describe('checks', () => {
    it.each([
      ['rotated 10 days ago, no policy', described(), undefined],
      ['a policy for the account and a trusted one', described(), secretPolicy(OWN_READ, TRUSTED_READ)],
      ['principal "*" limited to the account by aws:PrincipalAccount', described(), secretPolicy({ ...PUBLIC_READ, Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } })],
      ['rotated exactly 90 days ago', described({ LastRotatedDate: daysAgo(90) }), undefined],
      ['managed by RDS on a schedule expression, rotated last week', described({ OwningService: 'rds', RotationRules: { ScheduleExpression: 'rate(7 days)' }, LastRotatedDate: daysAgo(7) }), undefined],
      ['scheduled for deletion, public and never rotated', described({ RotationEnabled: false, LastRotatedDate: undefined, DeletedDate: daysAgo(1) }), secretPolicy(PUBLIC_READ)],
    ])('a compliant secret fails no check: %s', async (_name, description, policy) => {
      givenSecret(description, policy);
      expect(await failedIds()).toEqual([]);
    });

    it('a secret scheduled for deletion has its policy left unread', async () => {
      givenSecret(described({ DeletedDate: daysAgo(1) }));
      await failed();
      expect(secrets.commandCalls(GetResourcePolicyCommand)).toHaveLength(0);
    });

    it.each([
      ['rotation never configured (no RotationEnabled), made last month', { RotationEnabled: undefined, RotationRules: undefined, RotationLambdaARN: undefined, LastRotatedDate: undefined, CreatedDate: daysAgo(30) }],
      ['rotation cancelled, rotated 20 days ago', { RotationEnabled: false, LastRotatedDate: daysAgo(20) }],
    ])('rotation_off: %s', async (_name, overrides) => {
      givenSecret(described(overrides));
      const [finding, ...rest] = await failed();
      expect(rest).toEqual([]);
      expect(finding?.check.id).toBe('secret.rotation_off');
      expect(finding?.violation.detail).toBe('automatic rotation is off');
      expect(finding?.remediate).toBeUndefined();
      expect(finding?.tags).toEqual({ team: 'orders' });
    });

    it.each([
      ['rotation on every 30 days, last rotated 120 days ago (failing)', { LastRotatedDate: daysAgo(120) }, [], 'last rotated 2026-07-23 (120 days ago); rotation is on, every 30 days'],
      ['rotation on a schedule expression, never rotated since made 91 days ago', { RotationRules: { ScheduleExpression: 'cron(0 4 1 * ? *)' }, LastRotatedDate: undefined, CreatedDate: daysAgo(91) }, [], 'never rotated since it was made on 2026-08-21 (91 days ago); rotation is on, on cron(0 4 1 * ? *)'],
      ['rotation on every 180 days, last rotated 100 days ago', { RotationRules: { AutomaticallyAfterDays: 180 }, LastRotatedDate: daysAgo(100) }, [], 'last rotated 2026-08-12 (100 days ago); rotation is on, every 180 days'],
      ['rotation never configured, made 400 days ago', { RotationEnabled: undefined, RotationRules: undefined, LastRotatedDate: undefined }, ['secret.rotation_off'], 'never rotated since it was made on 2025-10-16 (400 days ago); rotation is off'],
    ])('rotation_overdue: %s', async (_name, overrides, alsoFailed, detail) => {
      givenSecret(described(overrides));
      const found = await failed();
      expect(found.map((f) => f.check.id)).toEqual([...alsoFailed, 'secret.rotation_overdue']);
      const overdue = found.find((f) => f.check.id === 'secret.rotation_overdue');
      expect(overdue?.violation.detail).toBe(detail);
      expect(overdue?.remediate).toBeUndefined();
    });

    it.each([
      ['Principal "*"', PUBLIC_READ],
      ['Principal {"AWS":"*"}', { ...PUBLIC_READ, Principal: { AWS: '*' } }],
      ['aws:PrincipalOrgID with a wildcard', { ...PUBLIC_READ, Condition: { StringLike: { 'aws:PrincipalOrgID': 'o-*' } } }],
    ])('public_policy: %s', async (_name, statement) => {
      givenSecret(described(), secretPolicy(OWN_READ, statement));
      const [finding, ...rest] = await failed();
      expect(rest).toEqual([]);
      expect(finding?.check.id).toBe('secret.public_policy');
      expect(finding?.violation.detail).toBe('policy statement "AnyoneRead" allows principal "*" without a restricting condition');
    });

    it.each([
      ['a role of an unknown account beside a trusted one', UNKNOWN_READ, 'policy statement "PartnerRead" grants 999999999999'],
      ['principal "*" limited to an unknown account', { ...PUBLIC_READ, Sid: 'ForeignAccount', Condition: { StringEquals: { 'aws:PrincipalAccount': '999999999999' } } }, 'policy statement "ForeignAccount" grants 999999999999'],
    ])('shared_unknown_account: %s', async (_name, statement, detail) => {
      givenSecret(described(), secretPolicy(OWN_READ, statement));
      const [finding, ...rest] = await failed();
      expect(rest).toEqual([]);
      expect(finding?.check.id).toBe('secret.shared_unknown_account');
      expect(finding?.violation.detail).toBe(detail);
    });

    it.each([DescribeSecretCommand, GetResourcePolicyCommand])('a secret deleted before %s answers is gone (ResourceNotFoundException)', async (command) => {
      givenSecret();
      secrets.on(command).rejects(awsError('ResourceNotFoundException', 400, "Secrets Manager can't find the specified secret."));
      expect(await secretAuditor.audit(makeResourceContext(ARN), makeCheckContext(ARN))).toBe(GONE);
    });

    it('AccessDeniedException propagates (an error, not a finding)', async () => {
      secrets.on(DescribeSecretCommand).rejects(awsError('AccessDeniedException'));
      await expect(secretAuditor.audit(makeResourceContext(ARN), makeCheckContext(ARN))).rejects.toThrow('AccessDeniedException');
    });
  });

  describe('remediations', () => {
    async function remediation(checkId: string): Promise<() => Promise<string>> {
      const remediate = (await failed()).find((f) => f.check.id === checkId)?.remediate;
      if (!remediate) throw new Error(`${checkId} did not fail or has no remediation`);
      return remediate;
    }

    it('public_policy removes only the public statements; a second run makes no call', async () => {
      const stored = givenSecret(described(), secretPolicy(OWN_READ, PUBLIC_READ, TRUSTED_READ));
      const remediate = await remediation('secret.public_policy');
      expect(await remediate()).toBe('applied');
      expect(JSON.parse(stored.policy ?? '')).toEqual({ Version: '2012-10-17', Statement: [OWN_READ, TRUSTED_READ] });
      expect(await remediate()).toBe('already_compliant');
      expect(secrets.commandCalls(PutResourcePolicyCommand)).toHaveLength(1);
      expect(secrets.commandCalls(DeleteResourcePolicyCommand)).toHaveLength(0);
      expect(await failedIds()).toEqual([]);
    });

    it('public_policy deletes a policy left without statements', async () => {
      const stored = givenSecret(described(), secretPolicy(PUBLIC_READ));
      const remediate = await remediation('secret.public_policy');
      expect(await remediate()).toBe('applied');
      expect(stored.policy).toBeUndefined();
      expect(secrets.commandCalls(PutResourcePolicyCommand)).toHaveLength(0);
      expect(await remediate()).toBe('already_compliant');
      expect(secrets.commandCalls(DeleteResourcePolicyCommand)).toHaveLength(1);
    });

    it('shared_unknown_account removes only the unknown account; a second run makes no call', async () => {
      const stored = givenSecret(described(), secretPolicy(OWN_READ, UNKNOWN_READ));
      const remediate = await remediation('secret.shared_unknown_account');
      expect(await remediate()).toBe('applied');
      expect(JSON.parse(stored.policy ?? '')).toEqual({ Version: '2012-10-17', Statement: [OWN_READ, { ...UNKNOWN_READ, Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/reporting` } }] });
      expect(await remediate()).toBe('already_compliant');
      expect(secrets.commandCalls(PutResourcePolicyCommand)).toHaveLength(1);
    });

    it('a secret deleted since the audit is gone, with no call', async () => {
      givenSecret(described(), secretPolicy(PUBLIC_READ));
      const remediate = await remediation('secret.public_policy');
      secrets.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
      expect(await remediate()).toBe('gone');
      expect(secrets.commandCalls(PutResourcePolicyCommand)).toHaveLength(0);
      expect(secrets.commandCalls(DeleteResourcePolicyCommand)).toHaveLength(0);
    });
  });
});
