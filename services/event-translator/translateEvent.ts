import { accountIdSchema, regionSchema } from '../core/fieldSchemas.ts';
import type { ResourceMessage } from '../core/message.ts';
import { valuesAtPath } from './idPath.ts';
import { triggerKey, type TriggerTable } from './triggerTable.ts';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** The EventBridge envelope of a CloudTrail API call, as far as the translator reads it. */
export interface CloudTrailEvent {
  id?: string;
  'detail-type'?: string;
  source?: string;
  account?: string;
  region?: string;
  time?: string;
  detail?: {
    eventSource?: string;
    eventName?: string;
    awsRegion?: string;
    recipientAccountId?: string;
    errorCode?: string;
    errorMessage?: string;
    requestParameters?: unknown;
    responseElements?: unknown;
  };
}

export interface TranslatedMessage {
  message: ResourceMessage;
  delaySeconds?: number;
}

export type Translation =
  | { status: 'messages'; messages: TranslatedMessage[] }
  | { status: 'skipped'; reason: string };

/**
 * Turn one CloudTrail event into resource messages: ids only. The event's
 * payload is never trusted for compliance state: the remediator describes
 * the resource itself. Failed calls, unknown events, calls on something no
 * auditor covers ("not audited") and malformed events are skipped with a
 * reason, never thrown.
 */
export interface TranslateOptions {
  /** Where account-level triggers are audited (the configuration's home region). */
  homeRegion?: string;
}

export function translateEvent(event: CloudTrailEvent, table: TriggerTable, options: TranslateOptions = {}): Translation {
  // The payload is parsed JSON: the declared types are what it should be, not what it is.
  if (typeof event !== 'object' || event === null) return { status: 'skipped', reason: 'malformed event: not a JSON object' };
  const detail = event.detail;
  if (typeof detail !== 'object' || detail === null) return { status: 'skipped', reason: 'malformed event: no detail' };
  if (event['detail-type'] !== undefined && event['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) {
    return { status: 'skipped', reason: `not a CloudTrail API call: detail-type ${JSON.stringify(event['detail-type'])}` };
  }
  if (detail.errorCode) return { status: 'skipped', reason: `the call failed (${detail.errorCode}); nothing changed` };
  const { eventSource, eventName } = detail;
  if (typeof eventSource !== 'string' || typeof eventName !== 'string' || !eventSource || !eventName) return { status: 'skipped', reason: 'malformed event: no eventSource or eventName' };
  const targets = table.get(triggerKey(eventSource, eventName));
  if (!targets) return { status: 'skipped', reason: `no auditor is triggered by ${eventSource} ${eventName}` };

  const rawAccount = detail.recipientAccountId ?? event.account;
  const rawRegion = detail.awsRegion ?? event.region;
  const checkedAccount = accountIdSchema.safeParse(rawAccount);
  if (!checkedAccount.success) return { status: 'skipped', reason: `malformed event: account ${JSON.stringify(rawAccount)}` };
  const checkedRegion = regionSchema.safeParse(rawRegion);
  if (!checkedRegion.success) return { status: 'skipped', reason: `malformed event: region ${JSON.stringify(rawRegion)}` };
  const account = checkedAccount.data;
  const region = checkedRegion.data;

  const messages: TranslatedMessage[] = [];
  const seen = new Set<string>();
  for (const target of targets) {
    for (const raw of valuesAtPath(detail, target.idPath)) {
      const id = target.transformId ? target.transformId(raw, detail) : raw;
      const key = `${target.type} ${id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const auditRegion = target.accountLevel && options.homeRegion ? options.homeRegion : region;
      messages.push({ message: { account, region: auditRegion, type: target.type, id }, ...(target.delaySeconds ? { delaySeconds: target.delaySeconds } : {}) });
    }
  }
  if (messages.length === 0) {
    const valueAt = (path: string): string | undefined => valuesAtPath(detail, path)[0];
    const notAudited = targets.map((target) => target.notAudited?.(valueAt)).find((reason) => reason !== undefined);
    if (notAudited !== undefined) return { status: 'skipped', reason: `not audited: ${eventName} ${notAudited}` };
    return { status: 'skipped', reason: `malformed event: no id at ${targets.map((t) => t.idPath).join(' or ')} in ${eventName}` };
  }
  return { status: 'messages', messages };
}
