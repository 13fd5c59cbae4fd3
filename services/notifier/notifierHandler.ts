/**
 * The notifier Lambda's logic, for SNS events (this service's findings) and
 * EventBridge events (GuardDuty findings, root console sign-ins) alike.
 * A delivery that still fails after retries fails the invocation
 * (NotificationDeliveryError), so Lambda retries the asynchronous event and
 * then hands it to the failure destination: nothing is dropped silently.
 */
import type { Log } from '../core/log.ts';
import { alertsFromEvent } from './alerts.ts';
import { deliverAlerts, type DeliveryDependencies, type DeliveryReport } from './deliverAlerts.ts';
import { NotificationDeliveryError } from './errors.ts';

export interface NotifierResult {
  alerts: number;
  ignored: number;
  delivered: DeliveryReport['delivered'];
}

export function createNotifierHandler(deps: DeliveryDependencies & { log: Log }): (event: unknown) => Promise<NotifierResult> {
  return async (event) => {
    const parsed = alertsFromEvent(event);
    for (const ignored of parsed.ignored) deps.log.warn('event not notified', ignored);
    const report = await deliverAlerts(parsed.alerts, deps);
    if (report.failed.length > 0) throw new NotificationDeliveryError(report.failed);
    return { alerts: parsed.alerts.length, ignored: parsed.ignored.length, delivered: report.delivered };
  };
}
