/**
 * A finding in the AWS Security Finding Format (ASFF), the shape Security
 * Hub's BatchImportFindings takes. Required top-level attributes:
 * https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html
 * Syntax (Compliance, RecordState, Workflow, Remediation):
 * https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html
 * Types taxonomy: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-type-taxonomy.html
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Severity } from '../core/findings.ts';
import { controlLabels } from '../core/frameworks.ts';
import type { FindingStatus } from '../findings-store/findingRecord.ts';
import { recommendationOfCheck, type ExportedFinding } from './exportedFinding.ts';
import { ASFF_RESOURCE_TYPE, partitionOf, resourceIdOf } from './resourceArn.ts';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

export const ASFF_SEVERITY: Readonly<Record<Severity, 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL'>> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

const WORKFLOW: Readonly<Record<FindingStatus, 'NEW' | 'SUPPRESSED' | 'RESOLVED'>> = { open: 'NEW', excepted: 'SUPPRESSED', resolved: 'RESOLVED' };

/** ASFF length limits (Title 256, Description 1024, Recommendation.Text 512 characters). */
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export interface AsffContext {
  /** Where the product (this tool) imports from: its ProductArn is `product/<account>/default` there. Default: the finding's. */
  productAccount?: string;
  productRegion?: string;
  /** UpdatedAt: when the provider last changed the finding (an import sends the time of the change); default lastSeen. */
  updatedAt?: string;
}

/**
 * The account's default product, through which an account imports findings about itself only:
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html
 */
export function defaultProductArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${account}:product/${account}/default`;
}

/** ProductFields values hold at most 2048 characters: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html */
const PRODUCT_FIELD_MAX = 2048;

export function toAsff(finding: ExportedFinding, context: AsffContext = {}): AwsSecurityFinding {
  const productAccount = context.productAccount ?? finding.account;
  const productRegion = context.productRegion ?? finding.region;
  const labels = controlLabels(finding.controls);
  const fsbp = finding.controls?.fsbp?.[0];
  const types = [
    'Software and Configuration Checks/AWS Security Best Practices',
    ...(finding.controls?.cis?.length ? ['Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark'] : []),
  ];
  const severity = { Label: ASFF_SEVERITY[finding.severity] };
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: finding.findingId,
    ProductArn: defaultProductArn(productAccount, productRegion),
    GeneratorId: finding.checkId,
    AwsAccountId: finding.account,
    Types: types,
    CreatedAt: finding.firstSeen,
    UpdatedAt: context.updatedAt ?? finding.lastSeen,
    Severity: severity,
    // Providers give Severity and Types on updates through FindingProviderFields, so a customer's own changes stand:
    // https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html
    FindingProviderFields: { Severity: { ...severity, Original: finding.severity }, Types: types },
    Title: clip(finding.title, 256),
    Description: clip(finding.detail || finding.title, 1024),
    Resources: [{ Type: ASFF_RESOURCE_TYPE[finding.type], Id: resourceIdOf(finding), Partition: partitionOf(finding.region), Region: finding.region }],
    Compliance: {
      Status: finding.status === 'resolved' ? 'PASSED' : 'FAILED',
      ...(labels.length > 0 ? { RelatedRequirements: labels } : {}),
      ...(fsbp ? { SecurityControlId: fsbp } : {}),
    },
    RecordState: finding.status === 'resolved' ? 'ARCHIVED' : 'ACTIVE',
    Workflow: { Status: WORKFLOW[finding.status] },
    Remediation: { Recommendation: { Text: clip(recommendationOfCheck(finding.checkId) ?? finding.title, 512) } },
    // What this tool did and where the finding stands: `status` lets a Security Hub automation rule set Workflow (see README).
    ProductFields: {
      checkId: finding.checkId,
      status: finding.status,
      remediation: finding.remediation,
      ...(finding.remediationDetail ? { remediationDetail: clip(finding.remediationDetail, PRODUCT_FIELD_MAX) } : {}),
      resourceType: finding.type,
      resourceId: clip(finding.id, PRODUCT_FIELD_MAX),
    },
  };
}
