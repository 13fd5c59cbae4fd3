/**
 * An account reached with the caller's own credentials, no AssumeRole, as a
 * local run inside one account does (assumeRole: false), on moto: the
 * caller is an IAM user of account 280000000001 with an access key of its
 * own (moto finds the account behind the key), auditing its own account
 * with those credentials while it reaches 280000000002 by AssumeRole of the
 * member role, as the security account reaches its members. The findings
 * of each account are exactly what the maker provoked there, and no
 * AssumeRole is ever made for the caller's own account.
 * Accounts 280000000001-2 are this file's own.
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkIdsWithRisk } from '../../auditors/registry.ts';
import type { MakerReport } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { motoEndpoint } from './moto.ts';
import { EXTERNAL_ID, checkKey, findingsOf, motoPipeline, type MotoPipeline } from './motoPipeline.ts';

const OWN_ACCOUNT = '280000000001';
const MEMBER_ACCOUNT = '280000000002';
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const CALLER = 'local-auditor';
const MOTO_FIXED = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** The caller: an IAM user of OWN_ACCOUNT and its access key, made through moto's way into an account (AssumeRole). */
async function createCaller(endpoint: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ endpoint, region: REGIONS[0], credentials: MOTO_FIXED });
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OWN_ACCOUNT}:role/setup`, RoleSessionName: 'setup' }));
  if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new Error('moto AssumeRole returned no credentials');
  const iam = new IAMClient({
    endpoint,
    region: REGIONS[0],
    credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken },
  });
  await iam.send(new CreateUserCommand({ UserName: CALLER }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: CALLER }));
  if (!AccessKey?.AccessKeyId || !AccessKey.SecretAccessKey) throw new Error('moto CreateAccessKey returned no key');
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

const ofAccount = (account: string) => (f: { account: string }) => f.account === account;

describe('an account audited with the caller\'s own credentials, beside one reached by AssumeRole (integration)', () => {
  let pipeline: MotoPipeline;
  let made: MakerReport[];
  let messages: ResourceMessage[];

  beforeAll(async () => {
    const caller = await createCaller(motoEndpoint());
    // The caller's credentials, as a local run has them: the SDK's default chain reads them from the environment.
    vi.stubEnv('AWS_ENDPOINT_URL', motoEndpoint());
    vi.stubEnv('AWS_ACCESS_KEY_ID', caller.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', caller.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    vi.stubEnv('AWS_REGION', REGIONS[0]);
    pipeline = motoPipeline({ byRole: [MEMBER_ACCOUNT], byOwnCredentials: [OWN_ACCOUNT], regions: REGIONS });
    made = await pipeline.make();
    messages = (await pipeline.poll()).messages;
  }, 120_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    [OWN_ACCOUNT, `arn:aws:iam::${OWN_ACCOUNT}:user/${CALLER}`],
    [MEMBER_ACCOUNT, `arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/ComplianceAuditorMemberRole/compliance-auditor`],
  ])('the clients of %s act as %s', async (account, arn) => {
    for (const region of REGIONS) {
      const identity = await pipeline.factory.forAccount(account, region).get(STSClient).send(new GetCallerIdentityCommand({}));
      expect({ region, Account: identity.Account, Arn: identity.Arn }).toEqual({ region, Account: account, Arn: arn });
    }
  });

  it('the maker creates every entry in both accounts and both regions, and the poller lists resources in each', () => {
    expect(made.flatMap((r) => r.failed.map((f) => `${r.account}/${r.region} ${f.type}: ${f.error}`))).toEqual([]);
    expect(made.map((r) => `${r.account} ${r.region}`).sort()).toEqual([OWN_ACCOUNT, MEMBER_ACCOUNT].flatMap((a) => REGIONS.map((r) => `${a} ${r}`)).sort());
    for (const account of [OWN_ACCOUNT, MEMBER_ACCOUNT]) expect(messages.filter(ofAccount(account)).length).toBeGreaterThan(0);
  });

  it.each([OWN_ACCOUNT, MEMBER_ACCOUNT])('dry run: the findings of %s are exactly what the maker provoked there', async (account) => {
    const findings = findingsOf(await pipeline.audit(messages.filter(ofAccount(account)), false));
    const provoked = pipeline.provoked().filter(ofAccount(account));
    expect(provoked.length).toBeGreaterThan(0);
    expect([...new Set(findings.map(checkKey))].sort()).toEqual([...new Set(provoked.map(checkKey))].sort());
  }, 120_000);

  it('--remediate fixes the own account with its own credentials, and a second run makes no mutating call there', async () => {
    const everyCheck = checkIdsWithRisk('disruptive');
    const own = messages.filter(ofAccount(OWN_ACCOUNT));
    const first = pipeline.factory.mutations.length;
    const before = findingsOf(await pipeline.audit(own, true, everyCheck));
    expect(pipeline.factory.mutations.slice(first).filter(ofAccount(OWN_ACCOUNT)).length).toBeGreaterThan(0);
    expect(before.filter((f) => f.remediation === 'failed' || f.remediation === 'planned').map((f) => `${checkKey(f)} ${f.id}: ${f.remediationDetail ?? ''}`)).toEqual([]);
    const second = pipeline.factory.mutations.length;
    await pipeline.audit(own, true, everyCheck);
    expect(pipeline.factory.mutations.slice(second)).toEqual([]);
  }, 120_000);

  it('no AssumeRole was made for the own account; the member\'s carried the ExternalId', () => {
    const calls = pipeline.factory.assumeRoles;
    expect(calls.filter((c) => c.account === OWN_ACCOUNT || String(c.RoleArn).includes(`::${OWN_ACCOUNT}:`))).toEqual([]);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.account !== MEMBER_ACCOUNT || c.ExternalId !== EXTERNAL_ID)).toEqual([]);
  });
});
