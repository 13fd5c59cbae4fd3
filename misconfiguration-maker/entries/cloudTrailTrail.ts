/**
 * One single-region trail, `misconfiguration-maker-trail-<account>-<region>`,
 * tagged, without a KMS key (not_kms_encrypted) or a CloudWatch Logs log
 * group (no_cloudwatch_logs), delivering to a private, empty bucket of the
 * same name: Public Access Block on, a TLS-only statement, and the two
 * statements CloudTrail requires before it accepts a bucket (GetBucketAcl,
 * and PutObject under AWSLogs/<account>/ for this trail only):
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 *
 * bucket_public is not provoked: a public log bucket is public to the
 * s3_bucket auditor too, whose safe remediations make it private, and the
 * trail's notify-only finding would then vanish after a remediation run
 * (the demo and the pipeline tests hold every notify-only finding to stay).
 * The unit tests provoke it instead (tests/auditors/cloudTrailTrail.test.ts).
 *
 * Cost: none. The trail is never started (CreateTrail leaves a trail off
 * until StartLogging, which this entry never calls), so it delivers no
 * event and the bucket stays empty: CloudTrail charges per event a trail
 * delivers, the first copy of management events excepted, so a second
 * logging trail would be charged (https://aws.amazon.com/cloudtrail/pricing/).
 * A region holds at most 5 trails per account: CreateTrail then fails with
 * MaximumNumberOfTrailsExceededException, and the maker reports it.
 */
import { CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, GetTrailCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { DeleteBucketCommand, PutBucketPolicyCommand, PutBucketTaggingCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { serialisePolicyDocument, type PolicyStatement } from '../../auditors/policy/index.ts';
import { tlsDenyStatement } from '../../auditors/s3Bucket.ts';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { ensureBucket } from './s3Bucket.ts';
import { unlessGone } from './unlessGone.ts';

/** The trail's name, and its bucket's (at most 63 characters: 29 + 12 + a region's name). */
export function makerTrailName(account: string, region: string): string {
  return makerName('trail', account, region);
}

/** The statements CloudTrail needs in the bucket's policy, for this trail only (aws:SourceArn). */
export function trailDeliveryStatements(bucket: string, account: string, region: string): PolicyStatement[] {
  const partition = partitionOf(region);
  const sourceArn = `arn:${partition}:cloudtrail:${region}:${account}:trail/${makerTrailName(account, region)}`;
  const principal = { Service: 'cloudtrail.amazonaws.com' };
  return [
    { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: principal, Action: 's3:GetBucketAcl', Resource: `arn:${partition}:s3:::${bucket}`, Condition: { StringEquals: { 'aws:SourceArn': sourceArn } } },
    {
      Sid: 'AWSCloudTrailWrite',
      Effect: 'Allow',
      Principal: principal,
      Action: 's3:PutObject',
      Resource: `arn:${partition}:s3:::${bucket}/AWSLogs/${account}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': sourceArn } },
    },
  ];
}

/** A private, tagged bucket CloudTrail may deliver to; put back as made when it exists. */
async function ensureLogBucket(context: MakerContext, bucket: string): Promise<void> {
  const s3 = context.clients.get(S3Client);
  await ensureBucket(context, bucket);
  await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [...MAKER_TAGS] } }));
  await s3.send(
    new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
  );
  const statements = [...trailDeliveryStatements(bucket, context.account, context.region), tlsDenyStatement(bucket, context.region)];
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: serialisePolicyDocument({ Version: '2012-10-17', Statement: statements }) }));
}

export const cloudTrailTrailMaker: MisconfigurationEntry = {
  type: 'cloudtrail_trail',
  scope: 'regional',
  provokes: () => ['cloudtrail_trail.not_kms_encrypted', 'cloudtrail_trail.no_cloudwatch_logs'],
  plan: (account, region) => [
    `CloudTrail trail ${makerTrailName(account, region)}: single-region, never started (no events, no cost); no KMS key; no CloudWatch Logs; delivers to the private, empty bucket of the same name`,
  ],
  async create(context) {
    const name = makerTrailName(context.account, context.region);
    await ensureLogBucket(context, name);
    const cloudTrail = context.clients.get(CloudTrailClient);
    const settings = { Name: name, S3BucketName: name, IsMultiRegionTrail: false, IncludeGlobalServiceEvents: false };
    try {
      await cloudTrail.send(new CreateTrailCommand({ ...settings, TagsList: [...MAKER_TAGS] }));
    } catch (error) {
      if (!hasErrorName(error, 'TrailAlreadyExistsException')) throw error;
      // Reused: deliver to its bucket again.
      await cloudTrail.send(new UpdateTrailCommand(settings));
    }
    return [name];
  },
  async teardown(context) {
    const name = makerTrailName(context.account, context.region);
    const cloudTrail = context.clients.get(CloudTrailClient);
    // Looked up first: DeleteTrail of a missing trail answers TrailNotFoundException in AWS, nothing in moto (gap moto-cloudtrail-delete-missing-trail).
    const trail = await unlessGone(async () => {
      await cloudTrail.send(new GetTrailCommand({ Name: name }));
      return cloudTrail.send(new DeleteTrailCommand({ Name: name }));
    }, RESOURCE_GONE_ERRORS.cloudtrail_trail, undefined);
    // The bucket is empty: the trail never logged.
    const bucket = await unlessGone(() => context.clients.get(S3Client).send(new DeleteBucketCommand({ Bucket: name })), RESOURCE_GONE_ERRORS.s3_bucket, undefined);
    return [...(trail ? [name] : []), ...(bucket ? [`s3://${name}`] : [])];
  },
};
