import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { formatResourceMessage } from '../core/message.ts';
import { sendToQueue } from '../core/queueSender.ts';
import type { BrakeStore } from './brakeStore.ts';
import { brakeStoreFor } from './brakeStoreFor.ts';
import type { FindingsStore } from '../findings-store/findingsStore.ts';
import { processMessage } from './processMessage.ts';
import { startRun } from './remediatorRun.ts';

/** A resource still not ready after this many re-queues goes to the DLQ instead of looping forever. */
export const MAX_NOT_READY_REQUEUES = 12;
export const NOT_READY_ATTRIBUTE = 'notReadyRequeues';
/**
 * The least time one record is assumed to need (describe, remediate with the
 * SDK's retries, publish twice); the longest record of the invocation raises it.
 */
export const RECORD_TIME_NEEDED_MS = 60_000;

/** The part of the Lambda context the handler reads. */
export type DeadlineContext = Pick<Context, 'getRemainingTimeInMillis'>;

export interface RemediatorHandlerOptions {
  config: Config;
  factory: ClientFactory;
  directory: AccountDirectory;
  log: Log;
  now?: () => Date;
  /** Default RECORD_TIME_NEEDED_MS. */
  recordTimeNeededMs?: number;
  /** Where the organization-wide brake counts; default brakeStoreFor(config) (DynamoDB when brakeTableName is set). */
  brakeStore?: BrakeStore;
  /** The findings store (the demo's, a test's); default: DynamoDB when findingsTableName is set, else none. */
  findings?: FindingsStore;
}

/**
 * The SQS-triggered remediator. Each record is validated and processed on
 * its own; a bad or failing record is reported in batchItemFailures (so it
 * is retried, then dead-lettered) and the rest of the batch succeeds. A
 * resource not ready to judge is re-queued with a delay. When the time left
 * (the Lambda context) is less than one record needs, no further record is
 * started: the rest are reported as failures, so SQS hands them out again,
 * and nothing finished is redone nor half done.
 */
export function createRemediatorHandler(options: RemediatorHandlerOptions): (event: SQSEvent, context?: DeadlineContext) => Promise<SQSBatchResponse> {
  const brakeStore = options.brakeStore ?? brakeStoreFor(options.config, options.factory);
  return async (event, context) => {
    const run = await startRun(options.config, options.factory, options.directory, options.log, {
      now: options.now?.() ?? new Date(),
      brakeStore,
      ...(options.findings ? { findings: options.findings } : {}),
    });
    const batchItemFailures: SQSBatchItemFailure[] = [];
    let needed = options.recordTimeNeededMs ?? RECORD_TIME_NEEDED_MS;
    for (const [index, record] of event.Records.entries()) {
      const left = context?.getRemainingTimeInMillis();
      if (left !== undefined && left < needed) {
        const rest = event.Records.slice(index);
        options.log.warn(`${left} ms left, less than one record needs (${needed} ms): ${rest.length} record(s) not started, left for SQS to hand out again`, { messageIds: rest.map((r) => r.messageId) });
        batchItemFailures.push(...rest.map((r) => ({ itemIdentifier: r.messageId })));
        break;
      }
      const started = Date.now();
      const outcome = await processMessage(record.body, run);
      needed = Math.max(needed, Date.now() - started);
      const fields = { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount };
      switch (outcome.status) {
        case 'audited':
          options.log.info('audited', { ...fields, resource: outcome.message, findings: outcome.findings.length, ...(outcome.changes ? { changes: outcome.changes.length } : {}), ...(outcome.securityHub ? { securityHub: outcome.securityHub } : {}) });
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
