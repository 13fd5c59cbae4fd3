/**
 * Pure: PagerDuty Events API v2 `trigger` events for an alert, one per
 * finding at or above the configured severity. dedup_key is the finding id
 * (GuardDuty's, this service's stable findingId, or the sign-in's CloudTrail
 * event id), so a repeated finding updates one incident. A `resolved`
 * notification sends `resolve` events instead, with the same dedup_key.
 */
import type { Finding, Severity } from '../core/findings.ts';
import type { ResourceMessage } from '../core/message.ts';
import type { Alert, ComplianceAlert, GuardDutyAlert, RootSignInAlert } from './alerts.ts';
import { cloudTrailEventUrl, guardDutyFindingUrl } from './consoleLinks.ts';
import { PAGERDUTY_SEVERITIES, atLeast, severityLabel, type PagerDutySeverity } from './severity.ts';
import { truncate } from '../core/text.ts';

export const PAGERDUTY_CLIENT = 'aws-compliance-remediator';
/** PagerDuty truncates summaries at 1024 characters. */
export const MAX_SUMMARY_LENGTH = 1024;

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, unknown>;
  };
  client: string;
  links?: { href: string; text: string }[];
}

/**
 * A resolve event: routing_key, event_action and the dedup_key of the
 * trigger; no payload (it is read only for triggers).
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 * (and PagerDuty/api-schema reference/events-v2/openapiv3.json)
 */
export interface PagerDutyResolveEvent {
  routing_key: string;
  event_action: 'resolve';
  dedup_key: string;
}

function summary(text: string): string {
  return truncate(text, MAX_SUMMARY_LENGTH);
}

function guardDutyEvent({ finding, severity }: GuardDutyAlert, routingKey: string): PagerDutyEvent {
  const url = guardDutyFindingUrl(finding.region, finding.id, finding.partition);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: finding.id,
    payload: {
      summary: summary(`GuardDuty ${severityLabel(severity)} (${finding.severity}): ${finding.title} in ${finding.accountId} ${finding.region}`),
      source: `guardduty/${finding.accountId}/${finding.region}`,
      severity: PAGERDUTY_SEVERITIES[severity],
      ...(finding.updatedAt ? { timestamp: finding.updatedAt } : {}),
      ...(finding.resource?.resourceType ? { component: finding.resource.resourceType } : {}),
      group: finding.accountId,
      class: finding.type,
      custom_details: finding,
    },
    client: PAGERDUTY_CLIENT,
    links: [{ href: url, text: 'Open in GuardDuty' }],
  };
}

function rootSignInEvent({ signIn, account, region, severity }: RootSignInAlert, routingKey: string): PagerDutyEvent {
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: signIn.eventID,
    payload: {
      summary: summary(`Root user console sign-in to ${account} from ${signIn.sourceIPAddress ?? 'an unknown address'} (${signIn.responseElements?.ConsoleLogin ?? 'unknown result'})`),
      source: `signin/${account}`,
      severity: PAGERDUTY_SEVERITIES[severity],
      timestamp: signIn.eventTime,
      component: 'root user',
      group: account,
      class: 'root_console_sign_in',
      custom_details: signIn,
    },
    client: PAGERDUTY_CLIENT,
    links: [{ href: cloudTrailEventUrl(signIn.awsRegion ?? region, signIn.eventID), text: 'Open in CloudTrail' }],
  };
}

function complianceEvent(resource: ResourceMessage, finding: Finding, routingKey: string): PagerDutyEvent {
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: finding.findingId,
    payload: {
      summary: summary(`${severityLabel(finding.severity)}: ${finding.title}: ${resource.type} ${resource.id || '(region)'} in ${resource.account} ${resource.region}`),
      source: `${resource.type}/${resource.account}/${resource.region}/${resource.id}`,
      severity: PAGERDUTY_SEVERITIES[finding.severity],
      component: resource.type,
      group: resource.account,
      class: finding.checkId,
      custom_details: { ...finding },
    },
    client: PAGERDUTY_CLIENT,
  };
}

/** The findings of a compliance alert that reach PagerDuty (the same filter for triggers and resolves). */
function pagedFindings(alert: ComplianceAlert, minimum: Severity): Finding[] {
  return alert.notification.findings.filter((finding) => atLeast(finding.severity, minimum));
}

function isResolved(alert: ComplianceAlert): boolean {
  return alert.notification.transition === 'resolved';
}

export function pagerDutyEventsFor(alert: Alert, minimum: Severity, routingKey: string): PagerDutyEvent[] {
  if (alert.kind === 'compliance') {
    if (isResolved(alert)) return [];
    const { resource, findings } = alert.notification;
    return findings.filter((finding) => atLeast(finding.severity, minimum)).map((finding) => complianceEvent(resource, finding, routingKey));
  }
  if (!atLeast(alert.severity, minimum)) return [];
  return [alert.kind === 'guardduty' ? guardDutyEvent(alert, routingKey) : rootSignInEvent(alert, routingKey)];
}

/** `resolve` for each resolved finding that would have been paged, with the trigger's dedup_key (the finding id). */
export function pagerDutyResolvesFor(alert: Alert, minimum: Severity, routingKey: string): PagerDutyResolveEvent[] {
  if (alert.kind !== 'compliance' || !isResolved(alert)) return [];
  return pagedFindings(alert, minimum).map((finding) => ({ routing_key: routingKey, event_action: 'resolve', dedup_key: finding.findingId }));
}

/** Whether an alert would produce any PagerDuty event: lets the notifier skip reading the routing key. */
export function reachesPagerDuty(alert: Alert, minimum: Severity): boolean {
  return alert.kind === 'compliance' ? pagedFindings(alert, minimum).length > 0 : atLeast(alert.severity, minimum);
}
