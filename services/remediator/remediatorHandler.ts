import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { formatResourceMessage } from '../core/message.ts';
import { sendToQueue } from '../core/queueSender.ts';
import { processMessage } from './processMessage.ts';
import { startRun } from './remediatorRun.ts';

/** A resource still not ready after this many re-queues goes to the DLQ instead of looping forever. */
export const MAX_NOT_READY_REQUEUES = 12;
export const NOT_READY_ATTRIBUTE = 'notReadyRequeues';

export interface RemediatorHandlerOptions {
  config: Config;
  factory: ClientFactory;
  directory: AccountDirectory;
  log: Log;
  now?: () => Date;
}

/**
 * The SQS-triggered remediator. Each record is validated and processed on
 * its own; a bad or failing record is reported in batchItemFailures (so it
 * is retried, then dead-lettered) and the rest of the batch succeeds. A
 * resource not ready to judge is re-queued with a delay.
 */
export function createRemediatorHandler(options: RemediatorHandlerOptions): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const run = await startRun(options.config, options.factory, options.directory, options.log, options.now?.() ?? new Date());
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      const outcome = await processMessage(record.body, run);
      const fields = { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount };
      switch (outcome.status) {
        case 'audited':
          options.log.info('audited', { ...fields, resource: outcome.message, findings: outcome.findings.length });
          break;
        case 'gone':
          break;
        case 'not_ready': {
          const requeues = Number(record.messageAttributes?.[NOT_READY_ATTRIBUTE]?.stringValue ?? '0') || 0;
          if (requeues >= MAX_NOT_READY_REQUEUES) {
            options.log.error(`record failed: still not ready after ${requeues} re-queues (${outcome.reason}); left for the dead-letter queue`, fields);
            batchItemFailures.push({ itemIdentifier: record.messageId });
            break;
          }
          try {
            if (!options.config.resourceQueueUrl) throw new Error('RESOURCE_QUEUE_URL is not set, so the message cannot be re-queued');
            await sendToQueue(options.factory.forSecurityAccount(options.config.homeRegion), options.config.resourceQueueUrl, [
              { body: formatResourceMessage(outcome.message), delaySeconds: outcome.delaySeconds, attributes: { [NOT_READY_ATTRIBUTE]: String(requeues + 1) } },
            ]);
            options.log.info('not ready; re-queued with a delay', { ...fields, reason: outcome.reason, delaySeconds: outcome.delaySeconds });
          } catch (error) {
            options.log.error('not ready and could not re-queue; left for SQS to retry', { ...fields, error: describeError(error) });
            batchItemFailures.push({ itemIdentifier: record.messageId });
          }
          break;
        }
        case 'rejected':
        case 'error':
          options.log.error(`record failed: ${outcome.error}`, fields);
          batchItemFailures.push({ itemIdentifier: record.messageId });
          break;
      }
    }
    return { batchItemFailures };
  };
}
