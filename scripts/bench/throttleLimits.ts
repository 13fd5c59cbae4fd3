/**
 * AWS's documented request rates, as token buckets the bench's sandbox
 * enforces: which bucket a call takes a token from, and its size and refill.
 * A service without a published request rate is not throttled (listed in
 * UNTHROTTLED_SERVICES, so the report says so rather than inventing one).
 */
import type { ThrottleSettings } from '../../sandbox/throttling.ts';

export interface BucketRule extends ThrottleSettings {
  /** What the bucket is, for the report: `EC2 DescribeInstances`, `RDS (all APIs)`. */
  name: string;
}

/** Which bucket a call takes its token from: a key per (account, region, bucket) and its rule. */
export interface Bucket {
  key: string;
  rule: BucketRule;
}

const NON_MUTATING = /^(Describe|List|Get|Search)/;

// https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html: non-mutating (Describe*, List*, Get*, Search*) 100 burst, 20/s refill, each API its own bucket, per account and region.
const EC2_NON_MUTATING = { burst: 100, ratePerSecond: 20 } as const;
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html: 300 requests in a burst, 12/s sustained, per account and region, all RDS APIs.
const RDS_ALL = { burst: 300, ratePerSecond: 12 } as const;
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: GetFunction 100/s, GetPolicy 15/s, the rest of the control plane 15/s across all APIs (no burst published: the rate is the burst).
const LAMBDA_GET_FUNCTION = { burst: 100, ratePerSecond: 100 } as const;
const LAMBDA_GET_POLICY = { burst: 15, ratePerSecond: 15 } as const;
const LAMBDA_CONTROL_PLANE = { burst: 15, ratePerSecond: 15 } as const;

/** Services the poller or remediator calls for which AWS publishes no per-API request rate we could cite. */
export const UNTHROTTLED_SERVICES = ['S3', 'IAM', 'SQS', 'Elastic Load Balancing', 'Elastic Load Balancing v2', 'Redshift', 'STS', 'SNS', 'and the posture services'] as const;

/** The bucket a call of `operation` on `serviceId` in (account, region) takes a token from; undefined: not throttled. */
export function bucketOf(serviceId: string, operation: string, account: string, region: string): Bucket | undefined {
  const scope = `${account}/${region}`;
  if (serviceId === 'EC2' && NON_MUTATING.test(operation)) return { key: `${scope}/EC2/${operation}`, rule: { name: `EC2 ${operation}`, ...EC2_NON_MUTATING } };
  if (serviceId === 'RDS') return { key: `${scope}/RDS`, rule: { name: 'RDS (all APIs)', ...RDS_ALL } };
  if (serviceId === 'Lambda') {
    if (operation === 'GetFunction') return { key: `${scope}/Lambda/GetFunction`, rule: { name: 'Lambda GetFunction', ...LAMBDA_GET_FUNCTION } };
    if (operation === 'GetPolicy') return { key: `${scope}/Lambda/GetPolicy`, rule: { name: 'Lambda GetPolicy', ...LAMBDA_GET_POLICY } };
    return { key: `${scope}/Lambda/control`, rule: { name: 'Lambda control plane', ...LAMBDA_CONTROL_PLANE } };
  }
  return undefined;
}
