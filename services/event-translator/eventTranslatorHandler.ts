import type { Config } from '../core/config.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Log } from '../core/log.ts';
import { formatResourceMessage } from '../core/message.ts';
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
    await sendToQueue(
      options.factory.forSecurityAccount(options.config.homeRegion),
      queueUrl,
      translation.messages.map(({ message, delaySeconds }) => ({ body: formatResourceMessage(message), ...(delaySeconds ? { delaySeconds } : {}) })),
    );
    options.log.info('queued', { ...fields, resources: translation.messages.map((m) => `${m.message.type} ${m.message.id}`) });
    return { messages: translation.messages.length };
  };
}
