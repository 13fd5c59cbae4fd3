/**
 * One record per finding id: where the finding stands (open, resolved,
 * excepted), when it was first and last seen, when it last changed and was
 * last notified, and the last remediation outcome. `version` counts writes:
 * every write is conditional on the version read (see findingsStore.ts).
 */
import type { Finding, RemediationStatus } from '../core/findings.ts';

export const FINDING_STATUSES = ['open', 'resolved', 'excepted'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/**
 * What an observation did to a finding. Notified: new (first seen),
 * reopened (failing again after resolved), resolved (passes now, or its
 * resource is gone), remediation_changed (the remediation outcome, or open
 * vs excepted, changed), digest (open and last notified more than
 * renotifyDays ago). Not notified: unchanged.
 */
export const TRANSITIONS = ['new', 'reopened', 'resolved', 'remediation_changed', 'digest', 'unchanged'] as const;
export type Transition = (typeof TRANSITIONS)[number];
/** The transitions a record remembers as its last change (digest and unchanged change nothing). */
export type ChangeTransition = Exclude<Transition, 'digest' | 'unchanged'>;
/** Published before the first mutating call of a remediation (not a store transition: nothing is recorded). */
export const REMEDIATION_STARTING = 'remediation_starting';
/** Every value of the SNS `transition` attribute. */
export type NotifiedTransition = Exclude<Transition, 'unchanged'> | typeof REMEDIATION_STARTING;

/** The finding's own fields (detail: the last violation's, kept when resolved: what was wrong). */
export interface FindingRecord extends Pick<Finding, 'findingId' | 'checkId' | 'title' | 'severity' | 'account' | 'region' | 'type' | 'id' | 'detail'> {
  status: FindingStatus;
  /** ISO date-times. */
  firstSeen: string;
  lastSeen: string;
  lastChange: string;
  /** The transition recorded at lastChange. */
  lastTransition: ChangeTransition;
  /** Unset, or before lastChange: lastTransition is not notified yet (a failed publish), so it is sent again. */
  lastNotified?: string;
  lastRemediation: { status: RemediationStatus; detail?: string };
  /** Epoch seconds (DynamoDB TTL): set when resolved, removed when reopened. */
  expiresAt?: number;
  version: number;
}

/** What the remediator saw of one check on one resource. */
export type Observation =
  | { outcome: 'failing'; finding: Finding }
  /** The check passes now, or the resource is gone (`because` says which). */
  | { outcome: 'passing'; findingId: string; because: string };

/** The resource part of a record: (account, region, type, id), the key of the store's by-resource lookup. */
export type ResourceRef = Pick<FindingRecord, 'account' | 'region' | 'type' | 'id'>;

export function resourceKeyOf(resource: ResourceRef): string {
  return [resource.account, resource.region, resource.type, resource.id].join('/');
}

/** A record as the Finding that notifications carry. */
export function findingOfRecord(record: FindingRecord): Finding {
  return {
    findingId: record.findingId,
    checkId: record.checkId,
    title: record.title,
    severity: record.severity,
    account: record.account,
    region: record.region,
    type: record.type,
    id: record.id,
    detail: record.detail,
    remediation: record.lastRemediation.status,
    ...(record.lastRemediation.detail !== undefined ? { remediationDetail: record.lastRemediation.detail } : {}),
  };
}
