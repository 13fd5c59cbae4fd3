import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { sendToQueue } from '../core/queueSender.ts';
import type { ResourceType } from '../core/resourceTypes.ts';
import { mapWithConcurrency } from '../core/concurrency.ts';
import { parsePollTask, tasksOf } from './pollTask.ts';
import { pollUnit } from './pollUnit.ts';
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
 * Nightly: one poll task per account (its regions, MAX_REGIONS_PER_TASK at
 * most) onto the poll queue, so an organization of any size is polled by many
 * short worker invocations, and an account's role is assumed once per worker
 * container, not once per region.
 */
export function createDispatcher(options: PollerHandlerOptions): () => Promise<{ tasks: number }> {
  return async () => {
    const { config } = options;
    if (!config.pollQueueUrl) throw new Error('POLL_QUEUE_URL is not set');
    const accounts = (await options.directory.auditedAccounts()) ?? [];
    const tasks = tasksOf(accounts, config.regions);
    await sendToQueue(options.factory.forSecurityAccount(config.homeRegion), config.pollQueueUrl, tasks.map((task) => ({ body: JSON.stringify(task) })));
    options.log.info('dispatched poll tasks', { accounts: accounts.length, regions: config.regions.length, tasks: tasks.length });
    return { tasks: tasks.length };
  };
}

/**
 * One account per record, its regions listed at once (each region is its own
 * throttle domain; inside one, pollUnit bounds each service), every type onto
 * the resource queue. A type that fails (AccessDenied, AssumeRole refused,
 * throttled past the SDK's retries) does not stop the other types nor the
 * other regions, but fails the record: SQS retries it, then dead-letters it
 * (and the DLQ alarm fires). The retry lists the task's regions again, so
 * what did list is sent again: harmless (the remediator's audit is
 * idempotent) and counted as `resent` in the log.
 */
export function createPollWorker(options: PollerHandlerOptions): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const { config } = options;
    if (!config.resourceQueueUrl) throw new Error('RESOURCE_QUEUE_URL is not set');
    const sink = sqsSink(options.factory, config.resourceQueueUrl, config.homeRegion);
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      try {
        const task = parsePollTask(record.body);
        const unconfigured = task.regions.filter((region) => !(config.regions as readonly string[]).includes(region));
        if (unconfigured.length > 0) throw new Error(`region(s) ${unconfigured.join(', ')} not in the configured regions`);
        if (!(await options.directory.isAllowed(task.account))) throw new Error(`account ${task.account} is not in the configured accounts`);
        const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
        // Every region finishes before the record is judged: none is left running after the invocation.
        const outcomes = await mapWithConcurrency(task.regions, task.regions.length, async (region): Promise<string[]> => {
          try {
            const report = await pollUnit({ account: task.account, region }, options, sink);
            options.log.info('polled', { ...report, resent: receiveCount > 1 ? report.listed : 0 });
            return report.failures.map((f) => `${region} ${f.type} (${f.error})`);
          } catch (error) {
            return [`${region}: ${describeError(error)}`];
          }
        });
        const failures = outcomes.flat();
        if (failures.length > 0) throw new Error(`${failures.length} failure(s): ${failures.join('; ')}`);
      } catch (error) {
        options.log.error('poll task failed', { messageId: record.messageId, error: describeError(error) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
