/**
 * Pure: an observation against the stored record -> the transition and the
 * record to write. The store calls it again on a fresh read when its
 * conditional write loses a race, so it must depend on nothing else.
 */
import type { Finding } from '../core/findings.ts';
import type { FindingRecord, FindingStatus, Observation, Transition } from './findingRecord.ts';

export interface LifecycleSettings {
  /** An open finding last notified more than this many days ago is notified again as a digest; 0: never. */
  renotifyDays: number;
  /** A resolved record expires (DynamoDB TTL) this many days after it was resolved. */
  resolvedRetentionDays: number;
}

export const DEFAULT_RESOLVED_RETENTION_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

export interface Decision {
  transition: Transition;
  /** The record to write (its version one more than the one read); undefined: nothing to write. */
  next?: FindingRecord;
  /** The record as it stands after the decision (next, or the one read): what is notified. */
  record?: FindingRecord;
}

function statusOf(finding: Finding): FindingStatus {
  return finding.remediation === 'excepted' ? 'excepted' : 'open';
}

/**
 * How long the writer of a change has to notify it: the longest a Lambda
 * invocation runs. Until then a concurrent remediator that reads the change
 * leaves its notification to that writer (no duplicate).
 */
export const NOTIFY_LEASE_MS = 15 * 60 * 1000;

/**
 * The last change was recorded but not notified within the lease (its
 * publish failed, or its invocation died): it is sent again.
 */
export function notificationPending(record: FindingRecord, now: Date): boolean {
  const unsent = record.lastNotified === undefined || record.lastNotified < record.lastChange;
  return unsent && now.getTime() - Date.parse(record.lastChange) >= NOTIFY_LEASE_MS;
}

function digestDue(record: FindingRecord, now: Date, settings: LifecycleSettings): boolean {
  if (record.status !== 'open' || settings.renotifyDays <= 0 || record.lastNotified === undefined) return false;
  return now.getTime() - Date.parse(record.lastNotified) > settings.renotifyDays * DAY_MS;
}

function observed(previous: FindingRecord | undefined, finding: Finding, at: string): FindingRecord {
  const record: FindingRecord = {
    ...(previous ?? { lastChange: at, lastTransition: 'new' }),
    findingId: finding.findingId,
    checkId: finding.checkId,
    title: finding.title,
    severity: finding.severity,
    account: finding.account,
    region: finding.region,
    type: finding.type,
    id: finding.id,
    status: statusOf(finding),
    detail: finding.detail,
    firstSeen: previous?.firstSeen ?? at,
    lastSeen: at,
    lastRemediation: { status: finding.remediation, ...(finding.remediationDetail !== undefined ? { detail: finding.remediationDetail } : {}) },
    version: (previous?.version ?? 0) + 1,
  };
  // Failing again: no longer due to expire.
  delete record.expiresAt;
  return record;
}

function failing(previous: FindingRecord | undefined, finding: Finding, now: Date, settings: LifecycleSettings): Decision {
  const at = now.toISOString();
  const next = observed(previous, finding, at);
  const changed = (transition: 'new' | 'reopened' | 'remediation_changed'): Decision => {
    const record = { ...next, lastChange: at, lastTransition: transition };
    return { transition, next: record, record };
  };
  if (!previous) return changed('new');
  if (previous.status === 'resolved') return changed('reopened');
  if (previous.status !== next.status || previous.lastRemediation.status !== next.lastRemediation.status) return changed('remediation_changed');
  if (notificationPending(previous, now)) return { transition: previous.lastTransition, next, record: next };
  if (digestDue(previous, now, settings)) return { transition: 'digest', next, record: next };
  return { transition: 'unchanged', next, record: next };
}

function passing(previous: FindingRecord | undefined, now: Date, settings: LifecycleSettings): Decision {
  if (!previous) return { transition: 'unchanged' };
  if (previous.status === 'resolved') {
    return notificationPending(previous, now) ? { transition: 'resolved', record: previous } : { transition: 'unchanged', record: previous };
  }
  const at = now.toISOString();
  const record: FindingRecord = {
    ...previous,
    status: 'resolved',
    lastChange: at,
    lastTransition: 'resolved',
    expiresAt: Math.floor(now.getTime() / 1000) + settings.resolvedRetentionDays * 24 * 3600,
    version: previous.version + 1,
  };
  return { transition: 'resolved', next: record, record };
}

export function decideTransition(previous: FindingRecord | undefined, observation: Observation, now: Date, settings: LifecycleSettings): Decision {
  return observation.outcome === 'failing' ? failing(previous, observation.finding, now, settings) : passing(previous, now, settings);
}
