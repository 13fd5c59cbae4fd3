import { CloudTrailClient, GetTrailCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { cloudTrailTrailAuditor } from '../../auditors/cloudTrailTrail.ts';
import { s3BucketAuditor, tlsDenyStatement } from '../../auditors/s3Bucket.ts';
import { cloudTrailTrailMaker, makerTrailName, trailDeliveryStatements } from '../../misconfiguration-maker/entries/cloudTrailTrail.ts';
import { ACCOUNT, REGION } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext } from './makerHarness.ts';

const NAME = makerTrailName(ACCOUNT, REGION);

describe('cloudtrail_trail maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  it('plans one trail that is never started, delivering to a private bucket of its own', () => {
    expect(cloudTrailTrailMaker.plan(ACCOUNT, REGION)).toEqual([`CloudTrail trail ${NAME}: single-region, never started (no events, no cost); no KMS key; no CloudWatch Logs; delivers to the private, empty bucket of the same name`]);
    expect(makerTrailName(ACCOUNT, 'ap-southeast-2').length).toBeLessThanOrEqual(63);
  });

  it('makes a tagged trail that fails exactly what provokes() says, and never starts it', async () => {
    const context = makerContext(organization);

    const ids = await cloudTrailTrailMaker.create(context);
    const audited = await auditListed(cloudTrailTrailAuditor, context);

    expect(ids).toEqual([NAME]);
    expect(audited.map((r) => [r.id, r.maker])).toEqual([[NAME, true]]);
    expect(failedCheckIds(audited)).toEqual([...cloudTrailTrailMaker.provokes(context.config)].sort());
    const cloudTrail = context.clients.get(CloudTrailClient);
    expect((await cloudTrail.send(new GetTrailStatusCommand({ Name: NAME }))).IsLogging).toBe(false);
    expect((await cloudTrail.send(new GetTrailCommand({ Name: NAME }))).Trail).toMatchObject({ IsMultiRegionTrail: false, S3BucketName: NAME });
  });

  it('its log bucket passes every s3_bucket check (private, TLS only, Public Access Block on) and lets CloudTrail deliver for this trail only', async () => {
    const context = makerContext(organization);
    await cloudTrailTrailMaker.create(context);

    const buckets = await auditListed(s3BucketAuditor, context);
    expect(buckets.map((b) => [b.id, b.maker, failedCheckIds([b])])).toEqual([[NAME, true, []]]);
    const { Policy } = await context.clients.get(S3Client).send(new GetBucketPolicyCommand({ Bucket: NAME }));
    expect(JSON.parse(Policy ?? '{}')).toEqual({ Version: '2012-10-17', Statement: [...trailDeliveryStatements(NAME, ACCOUNT, REGION), tlsDenyStatement(NAME, REGION)] });
  });

  it('a second run reuses the trail and bucket', async () => {
    const context = makerContext(organization);
    await cloudTrailTrailMaker.create(context);
    expect(await cloudTrailTrailMaker.create(context)).toEqual([NAME]);
    expect(await auditListed(cloudTrailTrailAuditor, context)).toHaveLength(1);
    expect(await auditListed(s3BucketAuditor, context)).toHaveLength(1);
  });

  it('teardown deletes the trail and its empty bucket, and a second teardown removes nothing', async () => {
    const context = makerContext(organization);
    await cloudTrailTrailMaker.create(context);

    expect(await cloudTrailTrailMaker.teardown(context)).toEqual([NAME, `s3://${NAME}`]);
    expect(await auditListed(cloudTrailTrailAuditor, context)).toEqual([]);
    expect(await auditListed(s3BucketAuditor, context)).toEqual([]);
    expect(await cloudTrailTrailMaker.teardown(context)).toEqual([]);
  });
});
