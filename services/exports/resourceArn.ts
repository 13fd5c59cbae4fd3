/**
 * A finding's resource as ASFF and OCSF name it: the ASFF resource type and,
 * where our id determines it, the resource's ARN.
 * ASFF resource types: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Resource.html
 * (Type: one of the ResourceDetails names, checked below against the SDK's model, or Other).
 * ARN formats: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import type { ResourceDetails } from '@aws-sdk/client-securityhub';
import type { ResourceType } from '../core/resourceTypes.ts';
import { functionRefOf } from '../../auditors/triggers/lambdaFunction.ts';

export interface ResourceRefForExport {
  account: string;
  region: string;
  type: ResourceType;
  id: string;
}

export type AsffResourceType = keyof ResourceDetails | 'AwsAccount';
/** Our type -> the ASFF Resources[].Type (AwsAccount: Security Hub's type for an account-level finding). */
export const ASFF_RESOURCE_TYPE: Readonly<Record<ResourceType, AsffResourceType>> = {
  region: 'AwsAccount',
  s3_bucket: 'AwsS3Bucket',
  ec2: 'AwsEc2Instance',
  ami: 'Other',
  ebs_snapshot: 'Other',
  ebs_volume: 'AwsEc2Volume',
  security_group: 'AwsEc2SecurityGroup',
  rds: 'AwsRdsDbInstance',
  rds_snapshot: 'AwsRdsDbSnapshot',
  redshift: 'AwsRedshiftCluster',
  sqs: 'AwsSqsQueue',
  iam_user: 'AwsIamUser',
  iam_role: 'AwsIamRole',
  lambda_function: 'AwsLambdaFunction',
  elb: 'AwsElbLoadBalancer',
  elbv2: 'AwsElbv2LoadBalancer',
  kms_key: 'AwsKmsKey',
  secret: 'AwsSecretsManagerSecret',
  sns_topic: 'AwsSnsTopic',
  ecr_repository: 'AwsEcrRepository',
  // ASFF has AwsEfsAccessPoint but no file system type.
  efs_file_system: 'Other',
  opensearch_domain: 'AwsOpenSearchServiceDomain',
  cloudtrail_trail: 'AwsCloudTrailTrail',
  dynamodb_table: 'AwsDynamoDbTable',
  // ASFF has no Systems Manager document type.
  ssm_document: 'Other',
  ecs_task_definition: 'AwsEcsTaskDefinition',
  eks_cluster: 'AwsEksCluster',
};

/** aws, aws-cn or aws-us-gov, from the region's name. */
export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `https://sqs.us-east-1.amazonaws.com/111111111111/orders` -> `orders`. */
function queueNameOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

/**
 * The resource's ARN when our id determines it, else the id itself. Not
 * derived: IAM users and roles (the id is the name; the ARN holds the path,
 * which the id does not), RDS and RDS snapshots (the identifier names an
 * instance or a cluster, whose ARNs differ: `db:` vs `cluster:`); a secret's
 * id is its ARN already.
 * instance or a cluster, whose ARNs differ: `db:` vs `cluster:`), ECS task
 * definitions (the id is the family; an ARN names one revision).
 */
export function resourceIdOf(resource: ResourceRefForExport): string {
  const { account, region, id } = resource;
  const arn = (service: string, rest: string, withAccount = true) => `arn:${partitionOf(region)}:${service}:${region}:${withAccount ? account : ''}:${rest}`;
  switch (resource.type) {
    case 'region':
      // Security Hub's own id for an account resource: AWS::::Account:<account id>.
      return `AWS::::Account:${account}`;
    case 's3_bucket':
      return `arn:${partitionOf(region)}:s3:::${id}`;
    case 'ec2':
      return arn('ec2', `instance/${id}`);
    case 'security_group':
      return arn('ec2', `security-group/${id}`);
    case 'ebs_volume':
      return arn('ec2', `volume/${id}`);
    case 'ebs_snapshot':
      return arn('ec2', `snapshot/${id}`, false);
    case 'ami':
      return arn('ec2', `image/${id}`, false);
    case 'redshift':
      return arn('redshift', `cluster:${id}`);
    case 'sqs':
      return arn('sqs', queueNameOf(id));
    case 'lambda_function': {
      const { functionName, qualifier } = functionRefOf(id);
      return arn('lambda', `function:${functionName}${qualifier ? `:${qualifier}` : ''}`);
    }
    case 'ecr_repository':
      return arn('ecr', `repository/${id}`);
    case 'dynamodb_table':
      return arn('dynamodb', `table/${id}`);
    case 'elb':
      return arn('elasticloadbalancing', `loadbalancer/${id}`);
    case 'kms_key':
      return arn('kms', `key/${id}`);
    case 'efs_file_system':
      return arn('elasticfilesystem', `file-system/${id}`);
    case 'opensearch_domain':
      return arn('es', `domain/${id}`);
    case 'cloudtrail_trail':
      // The trail's name in its home region (the region it is listed and audited in).
      return arn('cloudtrail', `trail/${id}`);
    case 'ssm_document':
      return arn('ssm', `document/${id}`);
    case 'eks_cluster':
      return arn('eks', `cluster/${id}`);
    case 'elbv2':
    case 'sns_topic':
    case 'iam_user':
    case 'iam_role':
    case 'rds':
    case 'rds_snapshot':
    case 'secret':
    case 'ecs_task_definition':
      return id;
  }
}
