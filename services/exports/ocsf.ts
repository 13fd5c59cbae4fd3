/**
 * A finding as an OCSF 1.1.0 Compliance Finding (class 2003, category 2
 * Findings). Class and objects: https://schema.ocsf.io/1.1.0/classes/compliance_finding
 * (ocsf-schema: events/findings/compliance_finding.json, finding.json,
 * objects/compliance.json; base_event.json for severity_id and type_uid).
 */
import type { Severity } from '../core/findings.ts';
import { controlLabels, frameworksOf, type Framework } from '../core/frameworks.ts';
import type { FindingStatus } from '../findings-store/findingRecord.ts';
import type { ExportedFinding } from './exportedFinding.ts';
import { partitionOf, resourceIdOf } from './resourceArn.ts';

export const OCSF_VERSION = '1.1.0';
export const COMPLIANCE_FINDING_CLASS_UID = 2003;
export const FINDINGS_CATEGORY_UID = 2;
export const PRODUCT = { name: 'aws-compliance-remediator', vendor_name: 'aws-compliance-remediator' } as const;

/** finding.json activity_id: 1 Create, 2 Update, 3 Close. */
export const OCSF_ACTIVITY = { 1: 'Create', 2: 'Update', 3: 'Close' } as const;
/** base_event.json severity_id: 0 Unknown, 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical, 6 Fatal, 99 Other. */
export const OCSF_SEVERITY: Readonly<Record<Severity, { id: 1 | 2 | 3 | 4 | 5; name: string }>> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};
/** finding.json status_id: 1 New, 2 In Progress, 3 Suppressed, 4 Resolved. */
export const OCSF_STATUS: Readonly<Record<FindingStatus, { id: 1 | 3 | 4; name: string }>> = {
  open: { id: 1, name: 'New' },
  excepted: { id: 3, name: 'Suppressed' },
  resolved: { id: 4, name: 'Resolved' },
};
/** objects/compliance.json status_id: 1 Pass, 2 Warning, 3 Fail. */
export const OCSF_COMPLIANCE_STATUS = { pass: { id: 1, name: 'Pass' }, fail: { id: 3, name: 'Fail' } } as const;

const STANDARD: Readonly<Record<Framework, string>> = {
  fsbp: 'AWS Foundational Security Best Practices',
  cis: 'CIS AWS Foundations Benchmark v3.0.0',
};

export interface OcsfComplianceFinding {
  class_uid: typeof COMPLIANCE_FINDING_CLASS_UID;
  class_name: 'Compliance Finding';
  category_uid: typeof FINDINGS_CATEGORY_UID;
  category_name: 'Findings';
  activity_id: keyof typeof OCSF_ACTIVITY;
  activity_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  time: number;
  metadata: { version: typeof OCSF_VERSION; product: typeof PRODUCT };
  finding_info: { uid: string; title: string; desc: string; types: string[]; first_seen_time: number; last_seen_time: number };
  compliance: { status: string; status_id: number; standards: string[]; requirements?: string[]; control?: string };
  resources: { uid: string; type: string; region: string; cloud_partition: string }[];
  cloud: { provider: 'AWS'; region: string; account: { uid: string; type_id: 10; type: 'AWS Account' } };
  remediation: { desc: string };
  unmapped: { check_id: string; remediation: string; resource_id: string };
}

function activityOf(finding: ExportedFinding): keyof typeof OCSF_ACTIVITY {
  if (finding.status === 'resolved') return 3;
  return finding.firstSeen === finding.lastSeen ? 1 : 2;
}

export function toOcsf(finding: ExportedFinding): OcsfComplianceFinding {
  const activityId = activityOf(finding);
  const severity = OCSF_SEVERITY[finding.severity];
  const status = OCSF_STATUS[finding.status];
  const compliance = finding.status === 'resolved' ? OCSF_COMPLIANCE_STATUS.pass : OCSF_COMPLIANCE_STATUS.fail;
  const requirements = controlLabels(finding.controls);
  const control = finding.controls?.fsbp?.[0] ?? finding.controls?.cis?.[0];
  // account.json type_id 10: AWS Account.
  const account = { uid: finding.account, type_id: 10, type: 'AWS Account' } as const;
  return {
    class_uid: COMPLIANCE_FINDING_CLASS_UID,
    class_name: 'Compliance Finding',
    category_uid: FINDINGS_CATEGORY_UID,
    category_name: 'Findings',
    activity_id: activityId,
    activity_name: OCSF_ACTIVITY[activityId],
    type_uid: COMPLIANCE_FINDING_CLASS_UID * 100 + activityId,
    type_name: `Compliance Finding: ${OCSF_ACTIVITY[activityId]}`,
    severity_id: severity.id,
    severity: severity.name,
    status_id: status.id,
    status: status.name,
    time: Date.parse(finding.lastSeen),
    metadata: { version: OCSF_VERSION, product: PRODUCT },
    finding_info: {
      uid: finding.findingId,
      title: finding.title,
      desc: finding.detail || finding.title,
      types: [finding.checkId],
      first_seen_time: Date.parse(finding.firstSeen),
      last_seen_time: Date.parse(finding.lastSeen),
    },
    compliance: {
      status: compliance.name,
      status_id: compliance.id,
      standards: frameworksOf(finding.controls).map((framework) => STANDARD[framework]),
      ...(requirements.length > 0 ? { requirements } : {}),
      ...(control ? { control } : {}),
    },
    resources: [{ uid: resourceIdOf(finding), type: finding.type, region: finding.region, cloud_partition: partitionOf(finding.region) }],
    cloud: { provider: 'AWS', region: finding.region, account },
    remediation: { desc: `Remediation: ${finding.remediation}${finding.remediationDetail ? ` (${finding.remediationDetail})` : ''}` },
    unmapped: { check_id: finding.checkId, remediation: finding.remediation, resource_id: finding.id },
  };
}
