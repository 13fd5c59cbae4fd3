import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import { mapWithConcurrency } from '../core/concurrency.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { formatResourceMessage } from '../core/message.ts';
import { sendToQueue } from '../core/queueSender.ts';
import type { BrakeStore } from './brakeStore.ts';
import { brakeStoreFor } from './brakeStoreFor.ts';
import type { FindingsStore } from '../findings-store/findingsStore.ts';
import { processMessage, type MessageOutcome } from './processMessage.ts';
import { startRun } from './remediatorRun.ts';

/** A resource still not ready after this many re-queues goes to the DLQ instead of looping forever. */
export const MAX_NOT_READY_REQUEUES = 12;
export const NOT_READY_ATTRIBUTE = 'notReadyRequeues';
/**
 * The least time one record is assumed to need (describe, remediate with the
 * SDK's retries, publish twice); the longest record of the invocation raises it.
 */
export const RECORD_TIME_NEEDED_MS = 60_000;
/**
 * Records of one invocation worked on at once. Each spends most of its time
 * waiting on AWS (describe, remediate, publish) in the member account's own
 * throttle domain; 8 keeps a batch of 10 to about two record-times without
 * bursting one account's API limits when a batch is all one account's.
 */
export const RECORDS_AT_ONCE = 8;

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
  /** Default RECORDS_AT_ONCE. */
  recordsAtOnce?: number;
  /** Where the organization-wide brake counts; default brakeStoreFor(config) (DynamoDB when brakeTableName is set). */
  brakeStore?: BrakeStore;
  /** The findings store (the demo's, a test's); default: DynamoDB when findingsTableName is set, else none. */
  findings?: FindingsStore;
}

/**
 * The SQS-triggered remediator. The records of an invocation are worked on
 * RECORDS_AT_ONCE at a time; records about one resource one after another,
 * in their order, so two audits of a resource never race. Each record is
 * validated and processed on its own; a bad or failing record is reported in
 * batchItemFailures (so it is retried, then dead-lettered) and the rest of
 * the batch succeeds. A resource not ready to judge is re-queued with a
 * delay. The run's caps hold under concurrency: the budget is taken
 * synchronously, the organization-wide brake by a conditional counter. When
 * the time left (the Lambda context) is less than one record needs, no
 * further record is started: those are reported as failures, so SQS hands
 * them out again, and nothing finished is redone nor half done.
 */
export function createRemediatorHandler(options: RemediatorHandlerOptions): (event: SQSEvent, context?: DeadlineContext) => Promise<SQSBatchResponse> {
  const brakeStore = options.brakeStore ?? brakeStoreFor(options.config, options.factory);
  return async (event, context) => {
    const run = await startRun(options.config, options.factory, options.directory, options.log, {
      now: options.now?.() ?? new Date(),
      brakeStore,
      ...(options.findings ? { findings: options.findings } : {}),
    });
    const failed = new Set<SQSRecord>();
    const notStarted = new Set<SQSRecord>();
    let needed = options.recordTimeNeededMs ?? RECORD_TIME_NEEDED_MS;
    let leftWhenStopped: number | undefined;
    await mapWithConcurrency(byResource(event.Records), options.recordsAtOnce ?? RECORDS_AT_ONCE, async (records) => {
      for (const record of records) {
        const left = context?.getRemainingTimeInMillis();
        if (leftWhenStopped !== undefined || (left !== undefined && left < needed)) {
          leftWhenStopped ??= left;
          notStarted.add(record);
          continue;
        }
        const started = Date.now();
        const outcome = await processMessage(record.body, run);
        needed = Math.max(needed, Date.now() - started);
        if (!(await settle(record, outcome, options))) failed.add(record);
      }
    });
    if (notStarted.size > 0) {
      options.log.warn(`${leftWhenStopped ?? 0} ms left, less than one record needs (${needed} ms): ${notStarted.size} record(s) not started, left for SQS to hand out again`, {
        messageIds: [...notStarted].map((r) => r.messageId),
      });
    }
    return { batchItemFailures: event.Records.filter((r) => failed.has(r) || notStarted.has(r)).map((r) => ({ itemIdentifier: r.messageId })) };
  };
}

/** The records of a batch grouped by the resource they name (in their order); a record whose body names none is a group of its own. */
export function byResource(records: readonly SQSRecord[]): SQSRecord[][] {
  const groups = new Map<string, SQSRecord[]>();
  records.forEach((record, index) => {
    const key = resourceKeyOf(record.body) ?? `record ${index}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  });
  return [...groups.values()];
}

function resourceKeyOf(body: string): string | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const fields = ['account', 'region', 'type', 'id'].map((name) => (value as Record<string, unknown>)[name]);
    return fields.every((field) => typeof field === 'string') ? JSON.stringify(fields) : undefined;
  } catch {
    return undefined;
  }
}

/** Log a record's outcome and re-queue it when it is not ready; false when the record failed (SQS retries it). */
async function settle(record: SQSRecord, outcome: MessageOutcome, options: RemediatorHandlerOptions): Promise<boolean> {
  const fields = { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount };
  switch (outcome.status) {
    case 'audited':
      options.log.info('audited', { ...fields, resource: outcome.message, findings: outcome.findings.length, ...(outcome.changes ? { changes: outcome.changes.length } : {}), ...(outcome.securityHub ? { securityHub: outcome.securityHub } : {}) });
      return true;
    case 'gone':
      return true;
    case 'not_ready': {
      const requeues = Number(record.messageAttributes?.[NOT_READY_ATTRIBUTE]?.stringValue ?? '0') || 0;
      if (requeues >= MAX_NOT_READY_REQUEUES) {
        options.log.error(`record failed: still not ready after ${requeues} re-queues (${outcome.reason}); left for the dead-letter queue`, fields);
        return false;
      }
      try {
        if (!options.config.resourceQueueUrl) throw new Error('RESOURCE_QUEUE_URL is not set, so the message cannot be re-queued');
        await sendToQueue(options.factory.forSecurityAccount(options.config.homeRegion), options.config.resourceQueueUrl, [
          { body: formatResourceMessage(outcome.message), delaySeconds: outcome.delaySeconds, attributes: { [NOT_READY_ATTRIBUTE]: String(requeues + 1) } },
        ]);
        options.log.info('not ready; re-queued with a delay', { ...fields, reason: outcome.reason, delaySeconds: outcome.delaySeconds });
        return true;
      } catch (error) {
        options.log.error('not ready and could not re-queue; left for SQS to retry', { ...fields, error: describeError(error) });
        return false;
      }
    }
    case 'rejected':
    case 'error':
      options.log.error(`record failed: ${outcome.error}`, fields);
      return false;
  }
}
