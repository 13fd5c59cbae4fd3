/** Severity mappings shared by the Slack and PagerDuty formats. */
import { SEVERITY_RANK, type Severity } from '../core/findings.ts';

/** GuardDuty's numeric severity: < 4 low, < 7 medium, >= 7 high. */
export function guardDutySeverity(score: number): Extract<Severity, 'low' | 'medium' | 'high'> {
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** Slack attachment colour bar per severity. */
export const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  critical: '#7a0019',
  high: '#d62728',
  medium: '#ff9900',
  low: '#2b7bb9',
  info: '#9e9e9e',
};

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** PagerDuty Events API v2 severities: critical -> critical, high -> error, medium -> warning, low and info -> info. */
export const PAGERDUTY_SEVERITIES: Readonly<Record<Severity, PagerDutySeverity>> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'info',
};

export function atLeast(severity: Severity, minimum: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum];
}

export function severityLabel(severity: Severity): string {
  return severity.charAt(0).toUpperCase() + severity.slice(1);
}
