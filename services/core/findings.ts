import { createHash } from 'node:crypto';
import type { Controls } from './frameworks.ts';
import type { ResourceType } from './resourceTypes.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

export const REMEDIATION_STATUSES = ['none', 'planned', 'applied', 'already_compliant', 'failed', 'excepted', 'gone', 'protected'] as const;
/**
 * none: the check is notify-only; planned: a remediation exists but was not
 * run (dry run, not opted in, or a cap was reached); applied: it made a
 * mutating call; already_compliant: its re-read found nothing to change, no
 * mutating call; failed: it ran and failed; excepted: an exception matched,
 * so it was not run; gone: the resource was deleted between the audit and the
 * fix (AWS answered NotFound), nothing to fix; protected: the resource is the
 * service's own or the organization's (services/core/selfProtection.ts), so it
 * is never run.
 */
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

export interface Finding {
  findingId: string;
  checkId: string;
  title: string;
  severity: Severity;
  account: string;
  region: string;
  type: ResourceType;
  id: string;
  detail: string;
  remediation: RemediationStatus;
  /** Why remediation ended where it did (the exception's reason, the error). */
  remediationDetail?: string;
  /** The FSBP / CIS controls the check declares; present only when it declares one. */
  controls?: Controls;
}

/** Stable across runs: the same problem on the same resource has the same id. */
export function findingIdOf(checkId: string, account: string, region: string, resourceId: string): string {
  return createHash('sha256').update([checkId, account, region, resourceId].join('\u0000')).digest('hex').slice(0, 32);
}

export function highestSeverity(findings: readonly { severity: Severity }[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const finding of findings) {
    if (worst === undefined || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[worst]) worst = finding.severity;
  }
  return worst;
}
