/**
 * The resource types a message can name. The names are fixed: they appear in
 * messages and exception lists that users of earlier tools already have.
 */
export const RESOURCE_TYPES = [
  'region',
  's3_bucket',
  'ec2',
  'ami',
  'ebs_snapshot',
  'ebs_volume',
  'security_group',
  'rds',
  'rds_snapshot',
  'redshift',
  'sqs',
  'iam_user',
  'iam_role',
  'lambda_function',
  'elb',
  'elbv2',
  'kms_key',
  'secret',
  'sns_topic',
  'ecr_repository',
  'efs_file_system',
  'opensearch_domain',
  'cloudtrail_trail',
  'dynamodb_table',
  'ssm_document',
  'ecs_task_definition',
  'eks_cluster',
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

export function isResourceType(value: string): value is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(value);
}
