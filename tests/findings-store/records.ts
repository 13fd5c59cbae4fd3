/** Findings and stored records of one public bucket, as the remediator and the store make them. */
import { findingIdOf, type Finding } from '../../services/core/findings.ts';
import type { FindingRecord } from '../../services/findings-store/findingRecord.ts';

export const BUCKET = 'acme-public-assets';
export const FINDING_ID = findingIdOf('s3_bucket.public_acl', '111111111111', 'us-east-1', BUCKET);
export const T0 = '2026-11-01T02:00:00.000Z';

export function bucketFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    findingId: FINDING_ID,
    checkId: 's3_bucket.public_acl',
    title: 'S3 bucket ACL grants access to everyone',
    severity: 'high',
    account: '111111111111',
    region: 'us-east-1',
    type: 's3_bucket',
    id: BUCKET,
    detail: 'ACL grants READ to http://acs.amazonaws.com/groups/global/AllUsers',
    remediation: 'planned',
    remediationDetail: 'dry run',
    ...overrides,
  };
}

export function storedRecord(overrides: Partial<FindingRecord> = {}): FindingRecord {
  const finding = bucketFinding();
  return {
    findingId: finding.findingId,
    checkId: finding.checkId,
    title: finding.title,
    severity: finding.severity,
    account: finding.account,
    region: finding.region,
    type: finding.type,
    id: finding.id,
    status: 'open',
    detail: finding.detail,
    firstSeen: T0,
    lastSeen: T0,
    lastChange: T0,
    lastTransition: 'new',
    lastNotified: T0,
    lastRemediation: { status: 'planned', detail: 'dry run' },
    version: 3,
    ...overrides,
  };
}
