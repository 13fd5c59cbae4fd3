/**
 * toAsff: every finding is a valid AWS Security Finding Format record. Checked
 * two ways: (1) the required top-level attributes and their enumerations, by
 * a schema written from the doc
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html,
 * https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html);
 * (2) the SDK's own model: @aws-sdk/client-securityhub serializes a
 * BatchImportFindings request and drops every field its model does not know,
 * so the serialized finding equals ours only when every field is in the model.
 */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AUDITORS } from '../../auditors/registry.ts';
import { RESOURCE_TYPES, type ResourceType } from '../../services/core/resourceTypes.ts';
import { toAsff } from '../../services/exports/asff.ts';
import type { ExportedFinding } from '../../services/exports/exportedFinding.ts';
import { exportedFinding } from './fixtures.ts';

const ISO = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
const requiredAsff = z.object({
  SchemaVersion: z.literal('2018-10-08'),
  Id: z.string().min(1).max(512),
  ProductArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/),
  GeneratorId: z.string().min(1).max(512),
  AwsAccountId: z.string().regex(/^\d{12}$/),
  // Types: namespace/category/classifier, the namespace from the taxonomy's list.
  Types: z.array(z.string().regex(/^(Software and Configuration Checks|TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)(\/[^/]+){0,2}$/)).min(1).max(50),
  CreatedAt: ISO,
  UpdatedAt: ISO,
  Severity: z.object({ Label: z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']) }),
  Title: z.string().min(1).max(256),
  Description: z.string().min(1).max(1024),
  Resources: z.array(z.object({ Type: z.string().min(1), Id: z.string().min(1), Partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']), Region: z.string() })).min(1).max(32),
  Compliance: z.object({ Status: z.enum(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']), RelatedRequirements: z.array(z.string()).max(32).optional(), SecurityControlId: z.string().optional() }),
  RecordState: z.enum(['ACTIVE', 'ARCHIVED']),
  Workflow: z.object({ Status: z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']) }),
  Remediation: z.object({ Recommendation: z.object({ Text: z.string().max(512) }) }),
  // Up to 50 pairs, keys up to 128 characters, values up to 2048: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html
  ProductFields: z.record(z.string().max(128), z.string().max(2048)).refine((fields) => Object.keys(fields).length <= 50, 'at most 50 ProductFields'),
});

class Captured extends Error {}

/** The finding as the SDK serializes it into BatchImportFindings (no request is sent). */
async function serializedBySdk(finding: AwsSecurityFinding): Promise<unknown> {
  const client = new SecurityHubClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  let body = '';
  client.middlewareStack.add(
    () => (args) => {
      const raw = (args.request as { body: unknown }).body;
      body = raw instanceof Uint8Array ? new TextDecoder().decode(raw) : String(raw);
      throw new Captured();
    },
    { step: 'finalizeRequest', priority: 'low' },
  );
  await expect(client.send(new BatchImportFindingsCommand({ Findings: [finding] }))).rejects.toBeInstanceOf(Captured);
  return (JSON.parse(body) as { Findings: unknown[] }).Findings[0];
}

const RESOURCES: [ResourceType, string, string, string][] = [
  ['s3_bucket', 'public-site', 'AwsS3Bucket', 'arn:aws:s3:::public-site'],
  ['ec2', 'i-0abc123def4567890', 'AwsEc2Instance', 'arn:aws:ec2:us-east-1:214000000001:instance/i-0abc123def4567890'],
  ['security_group', 'sg-0123456789abcdef0', 'AwsEc2SecurityGroup', 'arn:aws:ec2:us-east-1:214000000001:security-group/sg-0123456789abcdef0'],
  ['ebs_volume', 'vol-0123456789abcdef0', 'AwsEc2Volume', 'arn:aws:ec2:us-east-1:214000000001:volume/vol-0123456789abcdef0'],
  ['ebs_snapshot', 'snap-0123456789abcdef0', 'Other', 'arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0'],
  ['ami', 'ami-0123456789abcdef0', 'Other', 'arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0'],
  ['rds', 'orders-db', 'AwsRdsDbInstance', 'orders-db'],
  ['rds_snapshot', 'orders-db-2026-12-01', 'AwsRdsDbSnapshot', 'orders-db-2026-12-01'],
  ['redshift', 'analytics', 'AwsRedshiftCluster', 'arn:aws:redshift:us-east-1:214000000001:cluster:analytics'],
  ['sqs', 'https://sqs.us-east-1.amazonaws.com/214000000001/orders', 'AwsSqsQueue', 'arn:aws:sqs:us-east-1:214000000001:orders'],
  ['dynamodb_table', 'orders', 'AwsDynamoDbTable', 'arn:aws:dynamodb:us-east-1:214000000001:table/orders'],
  ['ecr_repository', 'orders/api', 'AwsEcrRepository', 'arn:aws:ecr:us-east-1:214000000001:repository/orders/api'],
  ['sns_topic', 'arn:aws:sns:us-east-1:214000000001:orders', 'AwsSnsTopic', 'arn:aws:sns:us-east-1:214000000001:orders'],
  ['iam_user', 'deploy-bot', 'AwsIamUser', 'deploy-bot'],
  ['iam_role', 'ci-runner', 'AwsIamRole', 'ci-runner'],
  ['lambda_function', 'orders-api:live', 'AwsLambdaFunction', 'arn:aws:lambda:us-east-1:214000000001:function:orders-api:live'],
  ['elb', 'web-classic', 'AwsElbLoadBalancer', 'arn:aws:elasticloadbalancing:us-east-1:214000000001:loadbalancer/web-classic'],
  ['elbv2', 'arn:aws:elasticloadbalancing:us-east-1:214000000001:loadbalancer/app/web/50dc6c495c0c9188', 'AwsElbv2LoadBalancer', 'arn:aws:elasticloadbalancing:us-east-1:214000000001:loadbalancer/app/web/50dc6c495c0c9188'],
  ['efs_file_system', 'fs-0123456789abcdef0', 'Other', 'arn:aws:elasticfilesystem:us-east-1:214000000001:file-system/fs-0123456789abcdef0'],
  ['opensearch_domain', 'orders-search', 'AwsOpenSearchServiceDomain', 'arn:aws:es:us-east-1:214000000001:domain/orders-search'],
  ['eks_cluster', 'platform', 'AwsEksCluster', 'arn:aws:eks:us-east-1:214000000001:cluster/platform'],
  ['region', 'us-east-1', 'AwsAccount', 'AWS::::Account:214000000001'],
  ['secret', 'arn:aws:secretsmanager:us-east-1:214000000001:secret:prod/orders/db-master-AbCdEf', 'AwsSecretsManagerSecret', 'arn:aws:secretsmanager:us-east-1:214000000001:secret:prod/orders/db-master-AbCdEf'],
  ['ssm_document', 'Restart-Orders-Service', 'Other', 'arn:aws:ssm:us-east-1:214000000001:document/Restart-Orders-Service'],
  ['kms_key', '1234abcd-12ab-34cd-56ef-1234567890ab', 'AwsKmsKey', 'arn:aws:kms:us-east-1:214000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  ['cloudtrail_trail', 'management-events', 'AwsCloudTrailTrail', 'arn:aws:cloudtrail:us-east-1:214000000001:trail/management-events'],
  ['ecs_task_definition', 'billing-api', 'AwsEcsTaskDefinition', 'billing-api'],
];

describe('toAsff', () => {
  it('the table covers every resource type', () => {
    expect(RESOURCES.map(([type]) => type).sort()).toEqual([...RESOURCE_TYPES].sort());
  });

  it.each(RESOURCES)('%s %s -> Resources[0] %s %s, valid ASFF, every field in the SDK model', async (type, id, asffType, resourceId) => {
    const asff = toAsff(exportedFinding({ type, id }));
    expect(requiredAsff.safeParse(asff).error?.issues ?? []).toEqual([]);
    expect(asff.Resources).toEqual([{ Type: asffType, Id: resourceId, Partition: 'aws', Region: 'us-east-1' }]);
    expect(await serializedBySdk(asff)).toEqual(asff);
  });

  it('maps the finding: id, product, generator, times, controls', () => {
    const asff = toAsff(exportedFinding());
    expect(asff).toMatchObject({
      Id: '3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c',
      ProductArn: 'arn:aws:securityhub:us-east-1:214000000001:product/214000000001/default',
      GeneratorId: 's3_bucket.public_policy',
      AwsAccountId: '214000000001',
      CreatedAt: '2026-12-01T10:00:00.000Z',
      UpdatedAt: '2026-12-05T10:00:00.000Z',
      Types: ['Software and Configuration Checks/AWS Security Best Practices', 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark'],
      Compliance: { Status: 'FAILED', RelatedRequirements: ['FSBP S3.2', 'FSBP S3.3', 'CIS 2.1.4'], SecurityControlId: 'S3.2' },
      ProductFields: { checkId: 's3_bucket.public_policy', status: 'open', remediation: 'planned', resourceType: 's3_bucket', resourceId: 'public-site' },
      // Severity and Types also as the provider's own: what updates set (BatchImportFindings API reference).
      FindingProviderFields: {
        Severity: { Label: 'CRITICAL', Original: 'critical' },
        Types: ['Software and Configuration Checks/AWS Security Best Practices', 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark'],
      },
    });
  });

  it('Remediation.Recommendation.Text is the check\'s: why it matters, and what its remediation does', () => {
    const [s3] = AUDITORS.filter((auditor) => auditor.type === 's3_bucket');
    const check = s3?.checks.find((c) => c.id === 's3_bucket.public_policy');
    const remediation = s3?.remediations['s3_bucket.public_policy'];
    if (!check || !remediation) throw new Error('s3_bucket.public_policy is not registered');
    expect(toAsff(exportedFinding()).Remediation).toEqual({ Recommendation: { Text: `${check.rationale} Fix: ${remediation.description}`.slice(0, 512) } });
  });

  it.each(AUDITORS.flatMap((auditor) => auditor.checks.map((check) => [check.id, auditor.type] as const)))('%s: a recommendation within 512 characters', (checkId, type) => {
    const text = toAsff(exportedFinding({ checkId, type })).Remediation?.Recommendation?.Text ?? '';
    expect(text.length).toBeGreaterThan(20);
    expect(text.length).toBeLessThanOrEqual(512);
  });

  it('UpdatedAt is the time given (an import sends the time of the change), else lastSeen', () => {
    expect(toAsff(exportedFinding(), { updatedAt: '2026-12-06T08:00:00.000Z' }).UpdatedAt).toBe('2026-12-06T08:00:00.000Z');
    expect(toAsff(exportedFinding()).UpdatedAt).toBe('2026-12-05T10:00:00.000Z');
  });

  it('the product ARN of another account and region, when given', () => {
    expect(toAsff(exportedFinding(), { productAccount: '214000000009', productRegion: 'eu-west-1' }).ProductArn).toBe('arn:aws:securityhub:eu-west-1:214000000009:product/214000000009/default');
  });

  it.each([
    ['critical', 'CRITICAL'],
    ['high', 'HIGH'],
    ['medium', 'MEDIUM'],
    ['low', 'LOW'],
    ['info', 'INFORMATIONAL'],
  ] as const)('severity %s -> %s', (severity, label) => {
    expect(toAsff(exportedFinding({ severity })).Severity).toEqual({ Label: label });
  });

  it.each([
    ['open', 'FAILED', 'ACTIVE', 'NEW'],
    ['excepted', 'FAILED', 'ACTIVE', 'SUPPRESSED'],
    ['resolved', 'PASSED', 'ARCHIVED', 'RESOLVED'],
  ] as const)('status %s -> Compliance %s, RecordState %s, Workflow %s', (status, compliance, recordState, workflow) => {
    const asff = toAsff(exportedFinding({ status }));
    expect([asff.Compliance?.Status, asff.RecordState, asff.Workflow?.Status]).toEqual([compliance, recordState, workflow]);
  });

  it.each<[string, Partial<ExportedFinding>, Partial<AwsSecurityFinding>]>([
    ['no controls: no requirements, best practices only', { controls: undefined }, { Types: ['Software and Configuration Checks/AWS Security Best Practices'], Compliance: { Status: 'FAILED' } }],
    ['CIS only: no SecurityControlId', { controls: { cis: ['1.14'] } }, { Compliance: { Status: 'FAILED', RelatedRequirements: ['CIS 1.14'] } }],
    ['a failed remediation says why (ProductFields)', { remediation: 'failed', remediationDetail: 'AccessDenied: s3:PutBucketPolicy' }, { ProductFields: { checkId: 's3_bucket.public_policy', status: 'open', remediation: 'failed', remediationDetail: 'AccessDenied: s3:PutBucketPolicy', resourceType: 's3_bucket', resourceId: 'public-site' } }],
    ['an excepted finding says so (ProductFields.status: for an automation rule, Workflow being the customer\'s after creation)', { status: 'excepted', remediation: 'excepted', remediationDetail: 'ticket SEC-42' }, { Workflow: { Status: 'SUPPRESSED' }, ProductFields: { checkId: 's3_bucket.public_policy', status: 'excepted', remediation: 'excepted', remediationDetail: 'ticket SEC-42', resourceType: 's3_bucket', resourceId: 'public-site' } }],
    ['a GovCloud region: its partition', { region: 'us-gov-west-1', type: 'ec2', id: 'i-1' }, { Resources: [{ Type: 'AwsEc2Instance', Id: 'arn:aws-us-gov:ec2:us-gov-west-1:214000000001:instance/i-1', Partition: 'aws-us-gov', Region: 'us-gov-west-1' }] }],
  ])('%s', (_, overrides, expected) => {
    const asff = toAsff(exportedFinding(overrides));
    expect(asff).toMatchObject(expected);
    expect(requiredAsff.safeParse(asff).success).toBe(true);
  });

  it('clips a long detail to the 1024-character Description limit', () => {
    const asff = toAsff(exportedFinding({ detail: 'x'.repeat(5000) }));
    expect(asff.Description).toHaveLength(1024);
    expect(requiredAsff.safeParse(asff).success).toBe(true);
  });
});
