import {
  DeleteBucketPolicyCommand,
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type Grant,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ALL_FLAGS_ON, OWNER, OWNER_GRANT } from '../fixtures/s3.ts';
import { awsError } from './context.ts';

export interface FakeBucket {
  region: string;
  policy?: string;
  grants: Grant[];
  block?: PublicAccessBlockConfiguration;
  tags?: { Key: string; Value: string }[];
  /** GetBucketPolicyStatus IsPublic; unset: S3 answers AccessDenied (the analyser decides alone). */
  publicByS3?: boolean;
}

/**
 * A stateful S3 of one member account behind aws-sdk-client-mock: reads see
 * what earlier writes did, so remediation and its second run can be tested
 * end to end. Errors carry S3's real names.
 */
export function fakeS3(buckets: Record<string, FakeBucket>) {
  const mock = mockClient(S3Client);
  const find = (name: string | undefined): FakeBucket => {
    const bucket = name === undefined ? undefined : buckets[name];
    if (!bucket) throw awsError('NoSuchBucket', 404, 'The specified bucket does not exist');
    return bucket;
  };
  mock.on(ListBucketsCommand).callsFake((input: { BucketRegion?: string }) => ({
    Buckets: Object.entries(buckets)
      .filter(([, b]) => !input.BucketRegion || b.region === input.BucketRegion)
      .map(([Name, b]) => ({ Name, BucketRegion: b.region, CreationDate: new Date('2025-01-01T00:00:00Z') })),
    Owner: OWNER,
  }));
  mock.on(GetBucketPolicyCommand).callsFake(({ Bucket }: { Bucket?: string }) => {
    const bucket = find(Bucket);
    if (bucket.policy === undefined) throw awsError('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    return { Policy: bucket.policy };
  });
  mock.on(GetBucketPolicyStatusCommand).callsFake(({ Bucket }: { Bucket?: string }) => {
    const bucket = find(Bucket);
    if (bucket.policy === undefined) throw awsError('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    if (bucket.publicByS3 === undefined) throw awsError('AccessDenied', 403, 'Access Denied');
    return { PolicyStatus: { IsPublic: bucket.publicByS3 } };
  });
  mock.on(PutBucketPolicyCommand).callsFake(({ Bucket, Policy }: { Bucket?: string; Policy?: string }) => {
    find(Bucket).policy = Policy;
    return {};
  });
  mock.on(DeleteBucketPolicyCommand).callsFake(({ Bucket }: { Bucket?: string }) => {
    find(Bucket).policy = undefined;
    return {};
  });
  mock.on(GetBucketAclCommand).callsFake(({ Bucket }: { Bucket?: string }) => ({ Owner: OWNER, Grants: find(Bucket).grants }));
  mock.on(PutBucketAclCommand).callsFake(({ Bucket, AccessControlPolicy }: { Bucket?: string; AccessControlPolicy?: { Grants?: Grant[] } }) => {
    find(Bucket).grants = AccessControlPolicy?.Grants ?? [];
    return {};
  });
  mock.on(GetPublicAccessBlockCommand).callsFake(({ Bucket }: { Bucket?: string }) => {
    const bucket = find(Bucket);
    if (!bucket.block) throw awsError('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found');
    return { PublicAccessBlockConfiguration: bucket.block };
  });
  mock.on(PutPublicAccessBlockCommand).callsFake(({ Bucket, PublicAccessBlockConfiguration }: { Bucket?: string; PublicAccessBlockConfiguration?: PublicAccessBlockConfiguration }) => {
    find(Bucket).block = PublicAccessBlockConfiguration;
    return {};
  });
  mock.on(GetBucketTaggingCommand).callsFake(({ Bucket }: { Bucket?: string }) => {
    const bucket = find(Bucket);
    if (!bucket.tags) throw awsError('NoSuchTagSet', 404, 'The TagSet does not exist');
    return { TagSet: bucket.tags };
  });
  return { mock, buckets };
}

/** A bucket that passes every check. */
export function compliantBucket(name: string, region = 'us-east-1'): FakeBucket {
  return {
    region,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    }),
    grants: [OWNER_GRANT],
    block: { ...ALL_FLAGS_ON },
  };
}

