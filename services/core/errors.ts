import type { ResourceType } from './resourceTypes.ts';

/**
 * Typed errors. Each carries what it concerns (account, region, type, id when
 * known) and says what to do next.
 */
export interface ResourceRef {
  account?: string;
  region?: string;
  type?: string;
  id?: string;
}

export class ComplianceError extends Error {
  readonly ref: ResourceRef;
  constructor(message: string, ref: ResourceRef = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ComplianceError';
    this.ref = ref;
  }
}

/** A message failed validation: it names the field and the bad value. */
export class InvalidMessageError extends ComplianceError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[], ref: ResourceRef = {}) {
    super(`invalid resource message: ${issues.join('; ')}`, ref);
    this.name = 'InvalidMessageError';
    this.issues = issues;
  }
}

/** A message names an account outside the configured set. */
export class AccountNotAllowedError extends ComplianceError {
  constructor(ref: ResourceRef) {
    super(
      `account ${ref.account} is not in the configured accounts; add it to ACCOUNTS (or use ACCOUNTS=organization) if it should be audited`,
      ref,
    );
    this.name = 'AccountNotAllowedError';
  }
}

/** Configuration is invalid: raised once, at start-up. */
export class ConfigError extends ComplianceError {
  constructor(issues: readonly string[]) {
    super(`invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Credentials for a member account could not be obtained. */
export class AssumeRoleError extends ComplianceError {
  constructor(account: string, roleArn: string, cause: unknown, region?: string) {
    super(
      `cannot assume ${roleArn}${region ? ` through STS in ${region}` : ''}: ${describeError(cause)}. Check that the member-account stack is deployed in ${account}, that the ExternalId matches${region ? ` and that ${region} is enabled in the account` : ''}`,
      { account, ...(region ? { region } : {}) },
      { cause },
    );
    this.name = 'AssumeRoleError';
  }
}

/** The AWS error name (SDK v3 sets `name`; some endpoints set `Code`). */
export function awsErrorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as { name?: unknown; Code?: unknown; code?: unknown };
    for (const value of [candidate.Code, candidate.code, candidate.name]) {
      if (typeof value === 'string' && value.length > 0 && value !== 'Error') return value;
    }
  }
  return 'Error';
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = awsErrorName(error);
    return name === 'Error' || error.message.startsWith(name) ? error.message : `${name}: ${error.message}`;
  }
  return String(error);
}

export function hasErrorName(error: unknown, ...names: readonly string[]): boolean {
  return names.includes(awsErrorName(error));
}

const ACCESS_DENIED = [
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthFailure',
  'OptInRequired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
] as const;

export function isAccessDenied(error: unknown): boolean {
  return hasErrorName(error, ...ACCESS_DENIED);
}

/**
 * The error names AWS answers when the resource a call names no longer
 * exists, per resource type: the wire code and the SDK v3 exception name
 * where they differ. Only "this resource is gone", never "this part of it
 * is absent" (NoSuchBucketPolicy, Lambda GetPolicy's ResourceNotFound on a
 * function without a policy is the auditor's business, not a deletion).
 */
export const RESOURCE_GONE_ERRORS: Readonly<Record<ResourceType, readonly string[]>> = {
  region: [],
  // https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
  s3_bucket: ['NoSuchBucket'],
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  ec2: ['InvalidInstanceID.NotFound'],
  ami: ['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable'],
  ebs_snapshot: ['InvalidSnapshot.NotFound'],
  ebs_volume: ['InvalidVolume.NotFound'],
  security_group: ['InvalidGroup.NotFound'],
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html#API_DescribeDBInstances_Errors
  rds: ['DBInstanceNotFound', 'DBInstanceNotFoundFault', 'DBClusterNotFoundFault'],
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html#API_DescribeDBSnapshots_Errors
  rds_snapshot: ['DBSnapshotNotFound', 'DBSnapshotNotFoundFault', 'DBClusterSnapshotNotFoundFault'],
  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_DescribeClusters.html#API_DescribeClusters_Errors
  redshift: ['ClusterNotFound', 'ClusterNotFoundFault'],
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html#API_GetQueueAttributes_Errors
  // (JSON protocol: QueueDoesNotExist; query protocol: AWS.SimpleQueueService.NonExistentQueue)
  sqs: ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'],
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html#API_GetUser_Errors
  iam_user: ['NoSuchEntity', 'NoSuchEntityException'],
  iam_role: ['NoSuchEntity', 'NoSuchEntityException'],
  // https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html#API_GetFunction_Errors
  lambda_function: ['ResourceNotFoundException'],
  // https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_DescribeLoadBalancers.html
  elb: ['LoadBalancerNotFound', 'AccessPointNotFoundException', 'AccessPointNotFound'],
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancers.html
  elbv2: ['LoadBalancerNotFound', 'LoadBalancerNotFoundException'],
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html#API_DescribeKey_Errors
  kms_key: ['NotFoundException'],
  // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html#API_DescribeSecret_Errors
  secret: ['ResourceNotFoundException'],
  // https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html#API_GetTopicAttributes_Errors (NotFound; ListTagsForResource: ResourceNotFound)
  sns_topic: ['NotFound', 'NotFoundException', 'ResourceNotFound', 'ResourceNotFoundException'],
  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html#API_DescribeRepositories_Errors
  ecr_repository: ['RepositoryNotFoundException'],
  // https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystems.html#API_DescribeFileSystems_Errors
  efs_file_system: ['FileSystemNotFound'],
  // https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DescribeDomain.html#API_DescribeDomain_Errors
  opensearch_domain: ['ResourceNotFoundException'],
  // https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrail.html#API_GetTrail_Errors
  cloudtrail_trail: ['TrailNotFoundException'],
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html (ResourceNotFoundException);
  // DescribeContinuousBackups answers TableNotFoundException: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeContinuousBackups.html
  dynamodb_table: ['ResourceNotFoundException', 'TableNotFoundException'],
  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeDocument.html#API_DescribeDocument_Errors
  ssm_document: ['InvalidDocument'],
  // A family with no ACTIVE revision: ClientException "Unable to describe task definition." (the auditor reads the message too:
  // ClientException also means other caller errors): https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html#API_DescribeTaskDefinition_Errors
  ecs_task_definition: ['ClientException'],
  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html#API_DescribeCluster_Errors
  eks_cluster: ['ResourceNotFoundException'],
};

/** Whether the error says the resource of this type was deleted (between the audit and the fix, say). */
export function isResourceGone(type: ResourceType, error: unknown): boolean {
  return hasErrorName(error, ...RESOURCE_GONE_ERRORS[type]);
}
