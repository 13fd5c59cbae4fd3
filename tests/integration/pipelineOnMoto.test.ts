/**
 * The whole pipeline against moto, for every maker entry (one per auditor
 * type moto implements): the maker creates its resources in two accounts,
 * each reached by AssumeRole with the ExternalId, and two regions; the
 * poller lists every one; the remediator finds exactly what the entries
 * declare they provoke; --remediate fixes what may be fixed; a second
 * --remediate makes no mutating call; the excepted resource is untouched;
 * every AssumeRole carried the ExternalId (moto would accept any).
 * Accounts 230000000001-2 are this file's own.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkIdsWithRisk, mitigatingCheckIds } from '../../auditors/registry.ts';
import { MAKER_ENTRIES } from '../../misconfiguration-maker/registry.ts';
import { makerBucketName } from '../../misconfiguration-maker/entries/s3Bucket.ts';
import type { MakerReport } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { motoGap } from './gaps.ts';
import { motoEnvironment } from './moto.ts';
import { EXTERNAL_ID, checkKey, findingsOf, motoPipeline, type MotoPipeline } from './motoPipeline.ts';

const ACCOUNTS = ['230000000001', '230000000002'] as const;
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const EXCEPTED_BUCKET = makerBucketName(ACCOUNTS[1], REGIONS[0]);
/** Where moto differs from AWS, what this file relies on instead (printed in the test summary). */
const GAPS_MET = [
  motoGap('moto-snapshot-permission-form'),
  motoGap('moto-redshift-unencrypted-default'),
  motoGap('moto-recorder-one-file'),
  motoGap('moto-assumerole-external-id-unchecked'),
  motoGap('moto-eks-vpc-config-defaults'),
];

describe(`maker -> poller -> remediator on moto (integration; gaps met: ${GAPS_MET.map((g) => g.id).join(', ')})`, () => {
  let pipeline: MotoPipeline;
  let made: MakerReport[];
  let messages: ResourceMessage[];

  beforeAll(async () => {
    // The factory's STS client (AssumeRole) reads the caller's credentials and endpoint from the environment.
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
    pipeline = motoPipeline({ byRole: ACCOUNTS, regions: REGIONS, flags: { exceptions: [{ type: 's3_bucket', id: EXCEPTED_BUCKET, reason: 'integration: an approved public bucket' }] } });
    made = await pipeline.make();
    messages = (await pipeline.poll()).messages;
  }, 120_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('the maker creates every entry in both accounts and both regions', () => {
    expect(made.flatMap((r) => r.failed.map((f) => `${r.account}/${r.region} ${f.type}: ${f.error}`))).toEqual([]);
    const typesMade = new Set(made.flatMap((r) => r.done.filter((d) => d.ids.length > 0).map((d) => d.type)));
    expect([...typesMade].sort()).toEqual([...new Set(MAKER_ENTRIES.map((e) => e.type))].sort());
  });

  // Maker entries also make helpers no auditor lists (an ALB's target group), and AWS makes
  // by-products the poller rightly lists too (an AMI's backing snapshot, a function's role).
  const NOT_AUDITED = /:targetgroup\//;

  it.each(MAKER_ENTRIES.map((entry) => [entry.type]))('the poller lists every resource the %s entry made, in its account and region', (type) => {
    const listed = new Set(messages.map((m) => `${m.account} ${m.region} ${m.id}`));
    const madeIds = made.flatMap((r) =>
      r.done.filter((d) => d.type === type).flatMap((d) => d.ids.filter((id) => !NOT_AUDITED.test(id)).map((id) => ({ account: r.account, region: r.region, id }))),
    );
    expect(madeIds.length).toBeGreaterThan(0);
    // IAM is global: listed once per account, in the home region.
    const where = (m: { account: string; region: string; id: string }) => `${m.account} ${type.startsWith('iam_') ? pipeline.config.homeRegion : m.region} ${m.id}`;
    expect(madeIds.map(where).filter((key) => !listed.has(key))).toEqual([]);
    const listedOfType = messages.filter((m) => m.type === type);
    expect(listedOfType.length).toBeGreaterThanOrEqual(madeIds.length);
  });

  it('dry run: the remediator finds exactly the checks the maker entries declare, and no others', async () => {
    const outcomes = await pipeline.audit(messages, false);
    expect(outcomes.filter((o) => o.status !== 'audited')).toEqual([]);
    const found = [...new Set(findingsOf(outcomes).map(checkKey))].sort();
    expect(found).toEqual([...new Set(pipeline.provoked().map(checkKey))].sort());
  }, 120_000);

  it('--remediate alone applies only safe remediations: every disruptive one is planned with the reason', async () => {
    const disruptive = new Set(checkIdsWithRisk('disruptive'));
    const findings = findingsOf(await pipeline.audit(messages, true));
    const held = findings.filter((f) => disruptive.has(f.checkId) && f.remediation !== 'excepted');
    expect(held.length).toBeGreaterThan(0);
    expect(held.filter((f) => f.remediation !== 'planned' || !f.remediationDetail?.startsWith('disruptive:')).map((f) => `${checkKey(f)} ${f.id} ${f.remediation}`)).toEqual([]);
    const ran = findings.filter((f) => f.remediation === 'applied' || f.remediation === 'already_compliant' || f.remediation === 'failed');
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.filter((f) => disruptive.has(f.checkId))).toEqual([]);
  }, 120_000);

  it('--remediate with every disruptive check opted in fixes what may be fixed, leaves the excepted bucket alone, and a second run makes no mutating call', async () => {
    const everyCheck = checkIdsWithRisk('disruptive');
    const mutationsMade = pipeline.factory.mutations.length;
    const before = findingsOf(await pipeline.audit(messages, true, everyCheck));
    const remediations = pipeline.factory.mutations.slice(mutationsMade);
    expect(remediations.filter((m) => m.input.Bucket !== undefined && m.input.Bucket !== EXCEPTED_BUCKET).length).toBeGreaterThan(0);
    expect(remediations.filter((m) => m.input.Bucket === EXCEPTED_BUCKET)).toEqual([]);
    expect(before.filter((f) => f.remediation === 'failed' || f.remediation === 'planned').map((f) => `${checkKey(f)} ${f.id}: ${f.remediationDetail ?? ''}`)).toEqual([]);
    const excepted = before.filter((f) => f.id === EXCEPTED_BUCKET);
    expect(excepted.length).toBeGreaterThan(0);
    expect(excepted.every((f) => f.remediation === 'excepted')).toBe(true);

    const mutationsBefore = pipeline.factory.mutations.length;
    const after = findingsOf(await pipeline.audit(messages, true, everyCheck));
    expect(pipeline.factory.mutations.slice(mutationsBefore)).toEqual([]);
    // What remains: notify-only checks and the excepted bucket, exactly as before.
    // A stop only mitigates: its finding stays, already compliant.
    const mitigating = new Set(mitigatingCheckIds());
    const remains = (f: (typeof before)[number]) => f.remediation === 'none' || f.remediation === 'excepted' || mitigating.has(f.checkId);
    const left = (fs: typeof before) => fs.filter(remains).map((f) => `${checkKey(f)} ${f.id}`).sort();
    expect(after.filter((f) => !remains(f) || (mitigating.has(f.checkId) && f.remediation !== 'already_compliant'))).toEqual([]);
    expect(after.map((f) => `${checkKey(f)} ${f.id}`).sort()).toEqual(left(before));
  }, 120_000);

  it('every account was reached by one AssumeRole per role, for all its regions, through the home region\'s STS (the audit role; the remediation role only because the runs above remediated), with the ExternalId (moto checks none of it)', () => {
    expect(REGIONS.length).toBeGreaterThan(1);
    const expected = ACCOUNTS.flatMap((account) =>
      [pipeline.config.memberRoleName, pipeline.config.remediationRoleName].map((role) => ({
        account,
        region: pipeline.config.homeRegion,
        RoleArn: `arn:aws:iam::${account}:role/${role}`,
        ExternalId: EXTERNAL_ID,
        RoleSessionName: 'compliance-auditor',
      })),
    );
    const byKey = (a: { account: string; region: string; RoleArn: unknown }, b: { account: string; region: string; RoleArn: unknown }) =>
      `${a.account} ${a.region} ${String(a.RoleArn)}`.localeCompare(`${b.account} ${b.region} ${String(b.RoleArn)}`);
    expect([...pipeline.factory.assumeRoles].sort(byKey)).toEqual(expected.sort(byKey));
  });
});
