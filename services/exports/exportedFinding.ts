/**
 * What every export format carries: one finding, with where it stands in its
 * lifecycle (open, resolved, excepted) and when it was first and last seen.
 * The remediator exports what it just saw; the `findings` CLI exports the
 * findings store's records. Both go through this one shape, so the JSON
 * lines, ASFF, OCSF and CSV exports hold the same fields.
 */
import { AUDITORS } from '../../auditors/registry.ts';
import type { Finding } from '../core/findings.ts';
import { declaredControls, type Controls } from '../core/frameworks.ts';
import { findingOfRecord, type FindingRecord, type FindingStatus, type NotifiedTransition } from '../findings-store/findingRecord.ts';

export interface ExportedFinding extends Finding {
  status: FindingStatus;
  /** ISO date-times. */
  firstSeen: string;
  lastSeen: string;
}

const CONTROLS_BY_CHECK: ReadonlyMap<string, Controls> = new Map(
  AUDITORS.flatMap((auditor) => auditor.checks.flatMap((check) => {
    const controls = declaredControls(check.controls);
    return controls ? [[check.id, controls] as const] : [];
  })),
);

/** The controls a check declares (a store record does not keep them: they belong to the check, not the finding). */
export function controlsOfCheck(checkId: string): Controls | undefined {
  return CONTROLS_BY_CHECK.get(checkId);
}

/** Why the check matters and, when it has a remediation, what that remediation does. */
const RECOMMENDATION_BY_CHECK: ReadonlyMap<string, string> = new Map(
  AUDITORS.flatMap((auditor) => auditor.checks.map((check) => {
    const remediation = auditor.remediations[check.id]?.description;
    return [check.id, remediation ? `${check.rationale} Fix: ${remediation}` : check.rationale] as const;
  })),
);

/** The check's recommendation (ASFF Remediation.Recommendation.Text); undefined for a check id no auditor declares. */
export function recommendationOfCheck(checkId: string): string | undefined {
  return RECOMMENDATION_BY_CHECK.get(checkId);
}

/** A finding the remediator just saw (with its store transition, when it keeps a store). */
export function exportOfFinding(finding: Finding, seenAt: Date, transition?: NotifiedTransition): ExportedFinding {
  const status: FindingStatus = transition === 'resolved' ? 'resolved' : finding.remediation === 'excepted' ? 'excepted' : 'open';
  const at = seenAt.toISOString();
  return { ...finding, status, firstSeen: at, lastSeen: at };
}

/** A findings-store record. */
export function exportOfRecord(record: FindingRecord): ExportedFinding {
  const finding = findingOfRecord(record);
  const controls = controlsOfCheck(record.checkId);
  return { ...finding, ...(controls ? { controls } : {}), status: record.status, firstSeen: record.firstSeen, lastSeen: record.lastSeen };
}
