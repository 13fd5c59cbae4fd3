/**
 * toOcsf: an OCSF 1.1.0 Compliance Finding (class 2003). The schema below is
 * written from https://schema.ocsf.io/1.1.0/classes/compliance_finding
 * (ocsf-schema events/findings/compliance_finding.json, finding.json,
 * base_event.json, objects/compliance.json, objects/account.json): the
 * required attributes, their types and enumerations.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ExportedFinding } from '../../services/exports/exportedFinding.ts';
import { toOcsf } from '../../services/exports/ocsf.ts';
import { exportedFinding } from './fixtures.ts';

const int = z.number().int();
const complianceFinding = z
  .object({
    class_uid: z.literal(2003),
    category_uid: z.literal(2),
    activity_id: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    activity_name: z.enum(['Create', 'Update', 'Close']),
    type_uid: int,
    severity_id: z.union([0, 1, 2, 3, 4, 5, 6, 99].map((id) => z.literal(id))),
    severity: z.string(),
    status_id: z.union([0, 1, 2, 3, 4, 99].map((id) => z.literal(id))),
    time: int.positive(),
    metadata: z.object({ version: z.literal('1.1.0'), product: z.object({ name: z.string().min(1), vendor_name: z.string().min(1) }) }),
    finding_info: z.object({ uid: z.string().min(1), title: z.string().min(1), desc: z.string(), types: z.array(z.string()) }),
    compliance: z.object({
      standards: z.array(z.string()),
      status: z.enum(['Pass', 'Warning', 'Fail']),
      status_id: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      requirements: z.array(z.string()).optional(),
      control: z.string().optional(),
    }),
    resources: z.array(z.object({ uid: z.string().min(1), type: z.string(), region: z.string() })).min(1),
    cloud: z.object({ provider: z.literal('AWS'), region: z.string(), account: z.object({ uid: z.string().regex(/^\d{12}$/), type_id: z.literal(10) }) }),
  })
  .refine((event) => event.type_uid === event.class_uid * 100 + event.activity_id, { message: 'type_uid must be class_uid * 100 + activity_id' });

describe('toOcsf', () => {
  it.each<[string, Partial<ExportedFinding>, number, number, number, string]>([
    // name, overrides, activity_id, status_id, compliance.status_id, compliance.status
    ['first seen now: Create, New, Fail', { lastSeen: '2026-12-01T10:00:00.000Z' }, 1, 1, 3, 'Fail'],
    ['seen again: Update, New, Fail', {}, 2, 1, 3, 'Fail'],
    ['excepted: Update, Suppressed, Fail', { status: 'excepted' }, 2, 3, 3, 'Fail'],
    ['resolved: Close, Resolved, Pass', { status: 'resolved' }, 3, 4, 1, 'Pass'],
  ])('%s', (_, overrides, activityId, statusId, complianceStatusId, complianceStatus) => {
    const event = toOcsf(exportedFinding(overrides));
    expect(complianceFinding.safeParse(event).error?.issues ?? []).toEqual([]);
    expect([event.activity_id, event.type_uid, event.status_id, event.compliance.status_id, event.compliance.status]).toEqual([activityId, 200300 + activityId, statusId, complianceStatusId, complianceStatus]);
  });

  it.each([
    ['info', 1, 'Informational'],
    ['low', 2, 'Low'],
    ['medium', 3, 'Medium'],
    ['high', 4, 'High'],
    ['critical', 5, 'Critical'],
  ] as const)('severity %s -> severity_id %i %s', (severity, id, name) => {
    const event = toOcsf(exportedFinding({ severity }));
    expect([event.severity_id, event.severity]).toEqual([id, name]);
  });

  it('maps the finding: uid, title, times, controls, resource, cloud', () => {
    const event = toOcsf(exportedFinding());
    expect(event).toMatchObject({
      time: Date.parse('2026-12-05T10:00:00.000Z'),
      finding_info: { uid: '3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c', title: 'S3 bucket policy allows public access', types: ['s3_bucket.public_policy'], first_seen_time: Date.parse('2026-12-01T10:00:00.000Z') },
      compliance: { standards: ['AWS Foundational Security Best Practices', 'CIS AWS Foundations Benchmark v3.0.0'], requirements: ['FSBP S3.2', 'FSBP S3.3', 'CIS 2.1.4'], control: 'S3.2' },
      resources: [{ uid: 'arn:aws:s3:::public-site', type: 's3_bucket', region: 'us-east-1', cloud_partition: 'aws' }],
      cloud: { provider: 'AWS', region: 'us-east-1', account: { uid: '214000000001', type_id: 10, type: 'AWS Account' } },
    });
  });

  it('a check with no controls: no standards, requirements or control', () => {
    const event = toOcsf(exportedFinding({ controls: undefined }));
    expect(event.compliance).toEqual({ status: 'Fail', status_id: 3, standards: [] });
    expect(complianceFinding.safeParse(event).success).toBe(true);
  });
});
