import type { ExportedFinding } from '../../services/exports/exportedFinding.ts';

/** A finding as the remediator reports it, with its store lifecycle fields. */
export function exportedFinding(overrides: Partial<ExportedFinding> = {}): ExportedFinding {
  return {
    findingId: '3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c',
    checkId: 's3_bucket.public_policy',
    title: 'S3 bucket policy allows public access',
    severity: 'critical',
    account: '214000000001',
    region: 'us-east-1',
    type: 's3_bucket',
    id: 'public-site',
    detail: 'statement Public allows s3:GetObject to Principal "*"',
    remediation: 'planned',
    controls: { fsbp: ['S3.2', 'S3.3'], cis: ['2.1.4'] },
    status: 'open',
    firstSeen: '2026-12-01T10:00:00.000Z',
    lastSeen: '2026-12-05T10:00:00.000Z',
    ...overrides,
  };
}
