/**
 * cloudtrail_trail against moto, in an account of this file's own
 * (291515000001) reached by AssumeRole: the maker's trail is listed once,
 * in its home region only (not as a shadow elsewhere), audited with
 * exactly what the maker declares, and torn down idempotently. Where moto
 * differs from AWS the gaps say so.
 */
import { CloudTrailClient, CreateTrailCommand, DeleteTrailCommand } from '@aws-sdk/client-cloudtrail';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cloudTrailTrailAuditor } from '../../auditors/cloudTrailTrail.ts';
import { GONE } from '../../auditors/contract.ts';
import { cloudTrailTrailMaker, makerTrailName, trailDeliveryStatements } from '../../misconfiguration-maker/entries/cloudTrailTrail.ts';
import type { MakerContext } from '../../misconfiguration-maker/makerContract.ts';
import { memoryLog } from '../../services/core/log.ts';
import { collectAll, makeCheckContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';
import { motoGap } from './gaps.ts';
import { motoEnvironment } from './moto.ts';
import { motoPipeline, type MotoPipeline } from './motoPipeline.ts';

const ACCOUNT = '291515000001';
const [HOME, OTHER] = ['us-east-1', 'eu-west-1'] as const;
const NAME = makerTrailName(ACCOUNT, HOME);
const GAPS_MET = [motoGap('moto-cloudtrail-get-trail-no-home-region'), motoGap('moto-cloudtrail-delete-missing-trail'), motoGap('moto-cloudtrail-bucket-policy-unchecked')];

describe(`cloudtrail_trail on moto (integration; gaps met: ${GAPS_MET.map((g) => g.id).join(', ')})`, () => {
  let pipeline: MotoPipeline;
  let context: MakerContext;

  beforeAll(async () => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
    pipeline = motoPipeline({ byRole: [ACCOUNT], regions: [HOME, OTHER] });
    context = { account: ACCOUNT, region: HOME, clients: pipeline.factory.forAccount(ACCOUNT, HOME), config: pipeline.config, log: memoryLog() };
    expect(await cloudTrailTrailMaker.create(context)).toEqual([NAME]);
    // A multi-region trail of the account, homed here: DescribeTrails shows it in the other region as a shadow.
    await context.clients.get(CloudTrailClient).send(new CreateTrailCommand({ Name: 'everywhere', S3BucketName: NAME, IsMultiRegionTrail: true }));
  }, 60_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('the maker wrote CloudTrail\'s delivery statements (moto would have taken the trail without them)', async () => {
    const { Policy } = await context.clients.get(S3Client).send(new GetBucketPolicyCommand({ Bucket: NAME }));
    expect((JSON.parse(Policy ?? '{}') as { Statement: unknown[] }).Statement).toEqual(expect.arrayContaining(trailDeliveryStatements(NAME, ACCOUNT, HOME)));
  });

  it('each trail is listed once, in its home region: no shadow in the other region', async () => {
    const listed = async (region: string) => (await collectAll(cloudTrailTrailAuditor.list({ ...context, region, clients: pipeline.factory.forAccount(ACCOUNT, region) }))).map((r) => r.id).sort();
    expect(await listed(HOME)).toEqual(['everywhere', NAME].sort());
    expect(await listed(OTHER)).toEqual([]);
  });

  it('the maker\'s trail fails exactly what the maker declares; its private bucket is judged', async () => {
    let summary: unknown;
    const result = await cloudTrailTrailAuditor.audit({ ...context, id: NAME }, makeCheckContext(NAME, { account: ACCOUNT, region: HOME }), (made) => {
      summary = made;
    });
    expect(failedChecksOf(result).map((f) => f.check.id).sort()).toEqual([...cloudTrailTrailMaker.provokes(pipeline.config)].sort());
    expect(summary).toMatchObject({ homeRegion: HOME, logBucket: { name: NAME, judged: true, public: false } });
  });

  it('the multi-region trail is audited in its home region only: in the other region it is gone (a shadow)', async () => {
    const elsewhere = { ...context, region: OTHER, clients: pipeline.factory.forAccount(ACCOUNT, OTHER), id: 'everywhere' };
    expect(await cloudTrailTrailAuditor.audit(elsewhere, makeCheckContext('everywhere', { account: ACCOUNT, region: OTHER }))).toBe(GONE);
  });

  it('teardown removes the trail and its bucket; a second teardown removes nothing', async () => {
    await context.clients.get(CloudTrailClient).send(new DeleteTrailCommand({ Name: 'everywhere' }));
    expect(await cloudTrailTrailMaker.teardown(context)).toEqual([NAME, `s3://${NAME}`]);
    expect(await cloudTrailTrailMaker.teardown(context)).toEqual([]);
  });
});
