/**
 * One bucket that fails every s3_bucket check, harmlessly: it holds no
 * data, its ACL gives the public only READ_ACP (reading the ACL itself), and
 * its public policy statement allows only s3:GetBucketLocation.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketAclCommand,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { hasErrorName } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

export function makerBucketName(account: string, region: string): string {
  return makerName('s3', account, region);
}

/** The bucket in the context's region, made if missing (BucketAlreadyOwnedByYou: reused). */
export async function ensureBucket(context: MakerContext, bucket: string): Promise<void> {
  const s3 = context.clients.get(S3Client);
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(context.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: context.region as BucketLocationConstraint } }),
      }),
    );
  } catch (error) {
    if (!hasErrorName(error, 'BucketAlreadyOwnedByYou')) throw error;
  }
}

export const s3BucketMaker: MisconfigurationEntry = {
  type: 's3_bucket',
  scope: 'regional',
  provokes: (config) => [
    's3_bucket.public_acl',
    's3_bucket.public_policy',
    's3_bucket.tls_not_enforced',
    's3_bucket.public_access_block_off',
    ...(config.requiredTags.length > 0 ? ['s3_bucket.missing_required_tags'] : []),
  ],
  plan: (account, region) => [
    `S3 bucket ${makerBucketName(account, region)}: empty; Public Access Block off; ACL grants READ_ACP to AllUsers; policy allows everyone s3:GetBucketLocation; no TLS-only statement`,
  ],
  async create(context) {
    const s3 = context.clients.get(S3Client);
    const bucket = makerBucketName(context.account, context.region);
    await ensureBucket(context, bucket);
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [...MAKER_TAGS] } }));
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    const grants = acl.Grants ?? [];
    if (!grants.some((g) => g.Grantee?.URI === ALL_USERS && g.Permission === 'READ_ACP')) {
      await s3.send(
        new PutBucketAclCommand({
          Bucket: bucket,
          AccessControlPolicy: { Owner: acl.Owner, Grants: [...grants, { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ_ACP' }] },
        }),
      );
    }
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'MisconfigurationMakerPublicLocation', Effect: 'Allow', Principal: '*', Action: 's3:GetBucketLocation', Resource: `arn:${partitionOf(context.region)}:s3:::${bucket}` }],
        }),
      }),
    );
    return [bucket];
  },
  async teardown(context) {
    const s3 = context.clients.get(S3Client);
    const bucket = makerBucketName(context.account, context.region);
    const deleted = await unlessGone(
      async () => {
        await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
        return s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      },
      ['NoSuchBucket'],
      undefined,
    );
    return deleted ? [bucket] : [];
  },
};
