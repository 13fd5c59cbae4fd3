import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { sendToQueue } from '../core/queueSender.ts';
import type { ResourceType } from '../core/resourceTypes.ts';
import { parsePollTask } from './pollTask.ts';
import { pollUnit } from './pollUnit.ts';
import { unitsOf } from './pollUnits.ts';
import { sqsSink } from './sinks.ts';

export interface PollerHandlerOptions {
  config: Config;
  factory: ClientFactory;
  directory: AccountDirectory;
  log: Log;
  /** Types to list; all registered types when absent. */
  types?: readonly ResourceType[];
}

/**
 * Nightly: one poll task per (account, region) onto the poll queue, so an
 * organization of any size is polled by many short worker invocations.
 */
export function createDispatcher(options: PollerHandlerOptions): () => Promise<{ tasks: number }> {
  return async () => {
    const { config } = options;
    if (!config.pollQueueUrl) throw new Error('POLL_QUEUE_URL is not set');
    const accounts = (await options.directory.auditedAccounts()) ?? [];
    const units = unitsOf(accounts, config.regions);
    await sendToQueue(options.factory.forSecurityAccount(config.homeRegion), config.pollQueueUrl, units.map((unit) => ({ body: JSON.stringify(unit) })));
    options.log.info('dispatched poll tasks', { accounts: accounts.length, regions: config.regions.length, tasks: units.length });
    return { tasks: units.length };
  };
}

/**
 * One (account, region) per record: list every type onto the resource queue.
 * A type that fails (AccessDenied, AssumeRole refused, throttled past the
 * SDK's retries) does not stop the other types, but fails the record: SQS
 * retries it, then dead-letters it (and the DLQ alarm fires). The retry lists
 * the whole unit again, so the types that did list are sent again: harmless
 * (the remediator's audit is idempotent) and counted as `resent` in the log.
 */
export function createPollWorker(options: PollerHandlerOptions): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const { config } = options;
    if (!config.resourceQueueUrl) throw new Error('RESOURCE_QUEUE_URL is not set');
    const sink = sqsSink(options.factory, config.resourceQueueUrl, config.homeRegion);
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      try {
        const unit = parsePollTask(record.body);
        if (!(config.regions as readonly string[]).includes(unit.region)) throw new Error(`region ${unit.region} is not in the configured regions`);
        if (!(await options.directory.isAllowed(unit.account))) throw new Error(`account ${unit.account} is not in the configured accounts`);
        const report = await pollUnit(unit, options, sink);
        const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
        options.log.info('polled', { ...report, resent: receiveCount > 1 ? report.listed : 0 });
        if (report.failures.length > 0) {
          throw new Error(`${report.failures.length} type(s) could not be listed: ${report.failures.map((f) => `${f.type} (${f.error})`).join('; ')}`);
        }
      } catch (error) {
        options.log.error('poll task failed', { messageId: record.messageId, error: describeError(error) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
