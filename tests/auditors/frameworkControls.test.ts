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
    // iam-controls.html: IAM.9 (root MFA) is CIS 1.5 and not an FSBP control
    ['region.root_mfa_off', { cis: ['1.5'] }],
    ['iam_user.console_without_mfa', { fsbp: ['IAM.5'], cis: ['1.10'] }],
    // config-controls.html, lambda-controls.html
    ['region.config_not_recording', { fsbp: ['Config.1'], cis: ['3.3'] }],
    ['lambda_function.public_policy', { fsbp: ['Lambda.1'] }],
    // no control of either framework
    ['iam_role.public_trust', 'none'],
    ['ami.public', 'none'],
    ['s3_bucket.missing_required_tags', 'none'],
  ])('%s -> %j', (checkId, expected) => {
    expect(AUDITORS.flatMap((a) => a.checks).some((c) => c.id === checkId)).toBe(true);
    const controls = controlsOf(checkId);
    if (expected === 'none') expect(isNoControl(controls)).toBe(true);
    else expect(controls).toEqual(expected);
  });

  it.each([
    ['cis', ['region', 's3_bucket', 'ec2', 'security_group', 'rds', 'iam_user', 'efs_file_system']],
    ['fsbp', ['region', 's3_bucket', 'ec2', 'ebs_snapshot', 'ebs_volume', 'security_group', 'rds', 'rds_snapshot', 'redshift', 'sqs', 'iam_user', 'lambda_function', 'efs_file_system', 'opensearch_domain', 'eks_cluster']],
  ] as const)('the types with a %s control', (framework, types) => {
    expect(typesDeclaring(framework)).toEqual(types);
  });
});
