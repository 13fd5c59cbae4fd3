import { describe, expect, it } from 'vitest';
import { isResourceGone, RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { RESOURCE_TYPES } from '../../services/core/resourceTypes.ts';
import { awsError } from '../helpers/context.ts';

describe('isResourceGone', () => {
  it.each([
    ['s3_bucket', 'NoSuchBucket', 404],
    ['security_group', 'InvalidGroup.NotFound', 400],
    ['ec2', 'InvalidInstanceID.NotFound', 400],
    ['ami', 'InvalidAMIID.NotFound', 400],
    ['ebs_snapshot', 'InvalidSnapshot.NotFound', 400],
    ['rds', 'DBInstanceNotFoundFault', 404],
    ['rds_snapshot', 'DBSnapshotNotFoundFault', 404],
    ['redshift', 'ClusterNotFoundFault', 404],
    ['sqs', 'QueueDoesNotExist', 400],
    ['sqs', 'AWS.SimpleQueueService.NonExistentQueue', 400],
    ['iam_user', 'NoSuchEntityException', 404],
    ['iam_role', 'NoSuchEntity', 404],
    ['lambda_function', 'ResourceNotFoundException', 404],
    ['elb', 'AccessPointNotFoundException', 400],
    ['elbv2', 'LoadBalancerNotFoundException', 400],
  ] as const)('%s: %s means the resource was deleted', (type, code, status) => {
    expect(isResourceGone(type, awsError(code, status, 'not found'))).toBe(true);
  });

  it.each([
    ['s3_bucket', 'NoSuchBucketPolicy'],
    ['s3_bucket', 'AccessDenied'],
    ['rds', 'Throttling'],
    ['security_group', 'InvalidInstanceID.NotFound'],
    ['region', 'ResourceNotFoundException'],
  ] as const)('%s: %s is not a deletion', (type, code) => {
    expect(isResourceGone(type, awsError(code, 400, 'x'))).toBe(false);
  });

  it('names the deletion errors of every type that has resources', () => {
    expect(RESOURCE_TYPES.filter((type) => type !== 'region' && RESOURCE_GONE_ERRORS[type].length === 0)).toEqual([]);
  });
});
