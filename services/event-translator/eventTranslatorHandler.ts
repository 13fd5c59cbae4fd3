import type { Config } from '../core/config.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Log } from '../core/log.ts';
import { describeError } from '../core/errors.ts';
import { formatResourceMessage, validateResourceMessage } from '../core/message.ts';
import { assertInScope } from '../core/messageScope.ts';
import { sendToQueue } from '../core/queueSender.ts';
import { translateEvent, type CloudTrailEvent } from './translateEvent.ts';
import type { TriggerTable } from './triggerTable.ts';

export interface EventTranslatorOptions {
  config: Config;
  factory: ClientFactory;
  table: TriggerTable;
  log: Log;
}

/**
 * EventBridge target: one CloudTrail event in, resource messages out onto
 * the resource queue (in the home region, whatever region this runs in).
 * Skips are logged with the event id and never thrown; a queue that cannot
 * take the messages is thrown, so EventBridge/Lambda retries the event.
 */
/** Why the remediator would refuse this message (the one schema, then the scope), or undefined. */
function refusalOf(message: unknown, options: EventTranslatorOptions): string | undefined {
  try {
    assertInScope(validateResourceMessage(message).message, { ...options.config, endpointOf: (service) => options.factory.endpointOf(service) });
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

export function createEventTranslator(options: EventTranslatorOptions): (event: CloudTrailEvent) => Promise<{ messages: number }> {
  return async (event) => {
    const translation = translateEvent(event, options.table, { homeRegion: options.config.homeRegion });
    const envelope: CloudTrailEvent = typeof event === 'object' && event !== null ? event : {};
    const fields = { eventId: envelope.id, eventName: envelope.detail?.eventName, eventSource: envelope.detail?.eventSource, account: envelope.detail?.recipientAccountId ?? envelope.account };
    if (translation.status === 'skipped') {
      options.log.info(`skipped: ${translation.reason}`, fields);
      return { messages: 0 };
    }
    const queueUrl = options.config.resourceQueueUrl;
    if (!queueUrl) throw new Error('RESOURCE_QUEUE_URL is not set');
    // The remediator's own checks, here: what it would refuse is never queued (it would only go round into the DLQ).
    const emitted = translation.messages.filter(({ message }) => {
      const refusal = refusalOf(message, options);
      if (refusal) options.log.error(`not queued: ${refusal}`, fields);
      return refusal === undefined;
    });
    if (emitted.length === 0) return { messages: 0 };
    await sendToQueue(
      options.factory.forSecurityAccount(options.config.homeRegion),
      queueUrl,
      emitted.map(({ message, delaySeconds }) => ({ body: formatResourceMessage(message), ...(delaySeconds ? { delaySeconds } : {}) })),
    );
    options.log.info('queued', { ...fields, resources: emitted.map((m) => `${m.message.type} ${m.message.id}`) });
    return { messages: emitted.length };
  };
}
