/**
 * Well-known mappings, each checked against the AWS Security Hub controls
 * reference (the page is cited next to each declaration in auditors/): a
 * change of a check's controls must be deliberate.
 */
import { describe, expect, it } from 'vitest';
import { AUDITORS, typesDeclaring } from '../../auditors/registry.ts';
import { isNoControl, type ControlDeclaration } from '../../services/core/frameworks.ts';

const controlsOf = (checkId: string): ControlDeclaration | undefined => AUDITORS.flatMap((a) => a.checks).find((c) => c.id === checkId)?.controls;

describe('framework controls of the checks', () => {
  it.each<[string, ControlDeclaration | 'none']>([
    // s3-controls.html: S3.2 read / S3.3 write, no CIS requirement; S3.8 and S3.1 are CIS v3.0.0 2.1.4; S3.5 is 2.1.1
    ['s3_bucket.public_policy', { fsbp: ['S3.2', 'S3.3'] }],
    ['s3_bucket.public_acl', { fsbp: ['S3.2', 'S3.3'] }],
    ['s3_bucket.public_access_block_off', { fsbp: ['S3.8'], cis: ['2.1.4'] }],
    ['s3_bucket.tls_not_enforced', { fsbp: ['S3.5'], cis: ['2.1.1'] }],
    ['region.s3_account_public_access_block_off', { fsbp: ['S3.1'], cis: ['2.1.4'] }],
    // ec2-controls.html
    ['ec2.imdsv1_allowed', { fsbp: ['EC2.8'], cis: ['5.6'] }],
    ['ebs_snapshot.public', { fsbp: ['EC2.1'] }],
    ['security_group.open_admin_port', { fsbp: ['EC2.19'], cis: ['5.2', '5.3'] }],
    ['region.ebs_default_encryption_off', { fsbp: ['EC2.7'], cis: ['2.2.1'] }],
    ['region.vpc_flow_logs_missing', { fsbp: ['EC2.6'], cis: ['3.7'] }],
    // rds-controls.html
    ['rds.public', { fsbp: ['RDS.2'], cis: ['2.3.3'] }],
    ['rds.unencrypted', { fsbp: ['RDS.3', 'RDS.27'], cis: ['2.3.1'] }],
    ['rds_snapshot.public', { fsbp: ['RDS.1'] }],
    ['rds_snapshot.unencrypted', { fsbp: ['RDS.4'] }],
    // elb-controls.html: ELB.1 (ALB redirect), ELB.3 (CLB TLS listeners), ELB.5 (ALB and CLB logging), no CIS requirement
    ['elb.listener_not_tls', { fsbp: ['ELB.3'] }],
    ['elb.access_logging_off', { fsbp: ['ELB.5'] }],
    ['elbv2.http_not_redirected_to_https', { fsbp: ['ELB.1'] }],
    ['elbv2.access_logging_off', { fsbp: ['ELB.5'] }],
    // iam-controls.html: IAM.9 (root MFA) is CIS 1.5 and not an FSBP control
    ['region.root_mfa_off', { cis: ['1.5'] }],
    ['region.root_access_keys', { fsbp: ['IAM.4'], cis: ['1.4'] }],
    ['iam_user.console_without_mfa', { fsbp: ['IAM.5'], cis: ['1.10'] }],
    ['iam_user.access_key_too_old', { fsbp: ['IAM.3'], cis: ['1.14'] }],
    // IAM.1 (the Config rule iam-policy-no-statements-with-admin-access); no CIS number confirmed from the page
    ['iam_user.admin_policy_attached', { fsbp: ['IAM.1'] }],
    ['iam_role.admin_policy_attached', { fsbp: ['IAM.1'] }],
    // config-controls.html, lambda-controls.html
    ['region.config_not_recording', { fsbp: ['Config.1'], cis: ['3.3'] }],
    ['lambda_function.public_policy', { fsbp: ['Lambda.1'] }],
    // kms-controls.html: KMS.4 is CIS v3.0.0 3.6; KMS.3 fails every key pending deletion
    ['kms_key.rotation_off', { fsbp: ['KMS.4'], cis: ['3.6'] }],
    ['kms_key.pending_deletion_in_use', { fsbp: ['KMS.3'] }],
    // secretsmanager-controls.html
    ['secret.rotation_off', { fsbp: ['SecretsManager.1'] }],
    ['secret.rotation_overdue', { fsbp: ['SecretsManager.4'] }],
    // sns-controls.html: SNS.4 is FSBP; SNS.1 belongs to the NIST standards only
    ['sns_topic.public_policy', { fsbp: ['SNS.4'] }],
    ['sns_topic.unencrypted', 'none'],
    // ecr-controls.html
    ['ecr_repository.scan_on_push_off', { fsbp: ['ECR.1'] }],
    ['ecr_repository.tags_mutable', { fsbp: ['ECR.2'] }],
    ['ecr_repository.public_policy', 'none'],
    // cloudtrail-controls.html; the control reference's applicable standards: CloudTrail.2 is CIS v3.0.0 3.5,
    // CloudTrail.5 is in CIS v1.2.0/v1.4.0 only, CloudTrail.6 in CIS v1.2.0/v1.4.0 and PCI DSS only
    ['cloudtrail_trail.not_kms_encrypted', { fsbp: ['CloudTrail.2'], cis: ['3.5'] }],
    ['cloudtrail_trail.no_cloudwatch_logs', { fsbp: ['CloudTrail.5'] }],
    ['cloudtrail_trail.bucket_public', 'none'],
    // dynamodb-controls.html
    ['dynamodb_table.pitr_off', { fsbp: ['DynamoDB.2'] }],
    ['dynamodb_table.deletion_protection_off', { fsbp: ['DynamoDB.6'] }],
    // ssm-controls.html
    ['ssm_document.public', { fsbp: ['SSM.4'] }],
    // ecs-controls.html; the control reference's applicable standards: ECS.17 is NIST SP 800-53 only
    ['ecs_task_definition.privileged_container', { fsbp: ['ECS.4'] }],
    ['ecs_task_definition.secrets_in_environment', { fsbp: ['ECS.8'] }],
    ['ecs_task_definition.host_network_mode', 'none'],
    // no control of either framework
    ['iam_role.public_trust', 'none'],
    ['ami.public', 'none'],
    ['s3_bucket.missing_required_tags', 'none'],
    ['kms_key.public_policy', 'none'],
    ['secret.public_policy', 'none'],
  ])('%s -> %j', (checkId, expected) => {
    expect(AUDITORS.flatMap((a) => a.checks).some((c) => c.id === checkId)).toBe(true);
    const controls = controlsOf(checkId);
    if (expected === 'none') expect(isNoControl(controls)).toBe(true);
    else expect(controls).toEqual(expected);
  });

  it.each([
    ['cis', ['region', 's3_bucket', 'ec2', 'security_group', 'rds', 'iam_user', 'kms_key', 'efs_file_system', 'cloudtrail_trail']],
    ['fsbp', ['region', 's3_bucket', 'ec2', 'ebs_snapshot', 'ebs_volume', 'security_group', 'rds', 'rds_snapshot', 'redshift', 'sqs', 'iam_user', 'iam_role', 'lambda_function', 'elb', 'elbv2', 'kms_key', 'secret', 'sns_topic', 'ecr_repository', 'efs_file_system', 'opensearch_domain', 'cloudtrail_trail', 'dynamodb_table', 'ssm_document', 'ecs_task_definition', 'eks_cluster']],
  ] as const)('the types with a %s control', (framework, types) => {
    expect(typesDeclaring(framework)).toEqual(types);
  });
});
