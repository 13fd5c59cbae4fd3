/**
 * Route each alert by severity (slackMinSeverity, pagerDutyMinSeverity),
 * read the destination's secret (cached), format and POST. Failures are
 * collected, never thrown, so every destination gets its chance; the caller
 * turns them into a failed invocation. Logs carry no URL and no key.
 */
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import type { Alert } from './alerts.ts';
import { pagerDutyEventsFor, pagerDutyResolvesFor, reachesPagerDuty } from './pagerDutyEvent.ts';
import { postJson, type DeliveryOptions, type DeliveryResult } from './postJson.ts';
import type { SecretSource } from './secretParameters.ts';
import { slackMessageFor } from './slackMessage.ts';

export type NotifierSettings = Pick<
  Config,
  'slackWebhookParameter' | 'pagerDutyRoutingKeyParameter' | 'slackMinSeverity' | 'pagerDutyMinSeverity' | 'pagerDutyEventsUrl' | 'notifierTimeoutMs' | 'notifierMaxAttempts'
>;

export interface DeliveryDependencies {
  settings: NotifierSettings;
  secrets: SecretSource;
  log: Log;
  /** Backoff overrides (tests use short ones). */
  retry?: Pick<DeliveryOptions, 'baseDelayMs' | 'maxDelayMs' | 'sleep'>;
}

export interface DeliveryReport {
  delivered: { destination: 'slack' | 'pagerduty'; alert: string; attempts: number }[];
  failed: string[];
}

/** How an alert is named in logs and errors: ids only. */
export function alertLabel(alert: Alert): string {
  switch (alert.kind) {
    case 'guardduty':
      return `GuardDuty finding ${alert.finding.id}`;
    case 'root_sign_in':
      return `root sign-in ${alert.signIn.eventID} in ${alert.account}`;
    case 'compliance':
      return `${alert.notification.transition ? `${alert.notification.transition} ` : ''}findings for ${alert.notification.resource.type} ${alert.notification.resource.id || '(region)'} in ${alert.notification.resource.account}`;
  }
}

async function send(
  destination: 'slack' | 'pagerduty',
  label: string,
  post: () => Promise<DeliveryResult>,
  deps: DeliveryDependencies,
  report: DeliveryReport,
): Promise<void> {
  const result = await post();
  if (result.ok) {
    report.delivered.push({ destination, alert: label, attempts: result.attempts });
    deps.log.info('notification delivered', { destination, alert: label, attempts: result.attempts });
    return;
  }
  report.failed.push(`${destination} (${label}): ${result.error} after ${result.attempts} attempt(s)`);
  deps.log.error('notification delivery failed', { destination, alert: label, attempts: result.attempts, error: result.error });
}

async function secret(parameter: string, destination: string, label: string, deps: DeliveryDependencies, report: DeliveryReport): Promise<string | undefined> {
  try {
    return await deps.secrets.get(parameter);
  } catch (error) {
    report.failed.push(`${destination} (${label}): ${describeError(error)}`);
    deps.log.error('notification secret unavailable', { destination, parameter, error: describeError(error) });
    return undefined;
  }
}

async function toSlack(alert: Alert, label: string, deps: DeliveryDependencies, report: DeliveryReport): Promise<void> {
  const { settings } = deps;
  if (!settings.slackWebhookParameter) return;
  const message = slackMessageFor(alert, settings.slackMinSeverity);
  if (!message) return;
  const url = await secret(settings.slackWebhookParameter, 'slack', label, deps, report);
  if (url === undefined) return;
  const options = { timeoutMs: settings.notifierTimeoutMs, maxAttempts: settings.notifierMaxAttempts, ...deps.retry };
  await send('slack', label, () => postJson(url, message, options), deps, report);
}

async function toPagerDuty(alert: Alert, label: string, deps: DeliveryDependencies, report: DeliveryReport): Promise<void> {
  const { settings } = deps;
  if (!settings.pagerDutyRoutingKeyParameter || !reachesPagerDuty(alert, settings.pagerDutyMinSeverity)) return;
  const routingKey = await secret(settings.pagerDutyRoutingKeyParameter, 'pagerduty', label, deps, report);
  if (routingKey === undefined) return;
  const options = { timeoutMs: settings.notifierTimeoutMs, maxAttempts: settings.notifierMaxAttempts, redact: [routingKey], ...deps.retry };
  const events = [...pagerDutyEventsFor(alert, settings.pagerDutyMinSeverity, routingKey), ...pagerDutyResolvesFor(alert, settings.pagerDutyMinSeverity, routingKey)];
  for (const event of events) {
    await send('pagerduty', `${label} dedup ${event.dedup_key}`, () => postJson(settings.pagerDutyEventsUrl, event, options), deps, report);
  }
}

export async function deliverAlerts(alerts: readonly Alert[], deps: DeliveryDependencies): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: [], failed: [] };
  if (alerts.length > 0 && !deps.settings.slackWebhookParameter && !deps.settings.pagerDutyRoutingKeyParameter) {
    deps.log.warn('no notification destination configured (SLACK_WEBHOOK_PARAMETER, PAGERDUTY_ROUTING_KEY_PARAMETER): alerts are only logged', { alerts: alerts.map(alertLabel) });
    return report;
  }
  for (const alert of alerts) {
    const label = alertLabel(alert);
    await Promise.all([toSlack(alert, label, deps, report), toPagerDuty(alert, label, deps, report)]);
  }
  return report;
}
