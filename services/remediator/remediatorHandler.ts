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
        case 'not_ready':
          try {
            if (!options.config.resourceQueueUrl) throw new Error('RESOURCE_QUEUE_URL is not set, so the message cannot be re-queued');
            await sendToQueue(options.factory.forSecurityAccount(options.config.homeRegion), options.config.resourceQueueUrl, [
              { body: formatResourceMessage(outcome.message), delaySeconds: outcome.delaySeconds },
            ]);
            options.log.info('not ready; re-queued with a delay', { ...fields, reason: outcome.reason, delaySeconds: outcome.delaySeconds });
          } catch (error) {
            options.log.error('not ready and could not re-queue; left for SQS to retry', { ...fields, error: describeError(error) });
            batchItemFailures.push({ itemIdentifier: record.messageId });
          }
          break;
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
