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
import type { ExportedFinding } from './exportedFinding.ts';
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
}

export function toAsff(finding: ExportedFinding, context: AsffContext = {}): AwsSecurityFinding {
  const productAccount = context.productAccount ?? finding.account;
  const productRegion = context.productRegion ?? finding.region;
  const labels = controlLabels(finding.controls);
  const fsbp = finding.controls?.fsbp?.[0];
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: finding.findingId,
    ProductArn: `arn:${partitionOf(productRegion)}:securityhub:${productRegion}:${productAccount}:product/${productAccount}/default`,
    GeneratorId: finding.checkId,
    AwsAccountId: finding.account,
    Types: [
      'Software and Configuration Checks/AWS Security Best Practices',
      ...(finding.controls?.cis?.length ? ['Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark'] : []),
    ],
    CreatedAt: finding.firstSeen,
    UpdatedAt: finding.lastSeen,
    Severity: { Label: ASFF_SEVERITY[finding.severity] },
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
    Remediation: { Recommendation: { Text: clip(`Remediation: ${finding.remediation}${finding.remediationDetail ? ` (${finding.remediationDetail})` : ''}`, 512) } },
    ProductFields: { checkId: finding.checkId, remediation: finding.remediation, resourceType: finding.type, resourceId: finding.id },
  };
}
