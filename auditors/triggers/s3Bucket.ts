/** CloudTrail calls that trigger an audit of s3_bucket (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const s3BucketTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 's3.amazonaws.com',
    eventNames: ['CreateBucket', 'PutBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock'],
    idPath: 'requestParameters.bucketName',
  },
];
