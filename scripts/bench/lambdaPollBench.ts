/**
 * The deployed poll path: the dispatcher sends one task per (account,
 * region) to the poll queue; poll workers, as many containers as the
 * worker's reserved concurrency (each its own client factory, as each Lambda
 * container is), take batches of the event source's batchSize and list onto
 * the resource queue. SQS's own polling delay is not modelled (a worker takes
 * a task as soon as it is sent).
 */
import type { SQSRecord } from 'aws-lambda';
import { toLambdaRecord } from '../../demo/sqsLambdaRunner.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { sleep } from '../../services/core/concurrency.ts';
import { loadConfig, type Config } from '../../services/core/config.ts';
import { createDispatcher, createPollWorker } from '../../services/poller/pollerHandlers.ts';
import { unitsOf } from '../../services/poller/pollUnits.ts';
import { BenchAws } from './benchAws.ts';
import { lowerBound, ratioToBound } from './lowerBound.ts';
import type { PollRun, PollTarget } from './pollerCliBench.ts';
import { silentLog } from './silentLog.ts';
import type { EventSourceSettings } from './stackSettings.ts';
import { cpuMsSince, heapNowMiB, memorySampler } from './statistics.ts';

export const BENCH_QUEUES = {
  poll: 'https://sqs.us-east-1.amazonaws.com/111111111111/compliance-auditor-bench-PollQueue',
  resource: 'https://sqs.us-east-1.amazonaws.com/111111111111/compliance-auditor-bench-ResourceQueue',
  topic: 'arn:aws:sns:us-east-1:111111111111:compliance-auditor-bench-NotificationsTopic',
} as const;

/** A deployed function's configuration (as its environment gives it) for the bench's organization. */
export function deployedConfig(accounts: readonly string[], regions: readonly string[]): Config {
  return loadConfig({
    flags: { accounts: [...accounts], regions: [...regions], pollQueueUrl: BENCH_QUEUES.poll, resourceQueueUrl: BENCH_QUEUES.resource, notificationsTopicArn: BENCH_QUEUES.topic, externalId: 'bench-external-id-0001' },
    deployed: true,
    requireAccounts: true,
  });
}

/** A queued body as Lambda's SQS event source hands it to the function (the demo's runner does the same). */
export function sqsRecord(body: string, index: number): SQSRecord {
  return toLambdaRecord({ MessageId: `bench-message-${index}`, ReceiptHandle: `bench-receipt-${index}`, Body: body }, 'arn:aws:sqs:us-east-1:111111111111:bench', 'us-east-1');
}

export interface LambdaPollRun extends PollRun {
  dispatchMs: number;
  failedRecords: number;
  /** The resource queue's messages, for the remediator bench. */
  resourceMessages: readonly string[];
}

export async function benchLambdaPoll(target: PollTarget, worker: EventSourceSettings): Promise<LambdaPollRun> {
  const aws = new BenchAws(target.state, { latencyMs: target.latencyMs, throttle: true });
  const config = deployedConfig(target.accounts, target.regions);
  const container = () => {
    const factory = aws.factory(config);
    return { config, factory, directory: new AccountDirectory(config, factory.forSecurityAccount(config.homeRegion)), log: silentLog() };
  };
  const dispatch = createDispatcher(container());
  const workers = Array.from({ length: worker.reservedConcurrency }, () => createPollWorker(container()));
  const pollQueue = aws.queue(BENCH_QUEUES.poll);
  let dispatched = false;
  let dispatchMs = 0;
  let failedRecords = 0;
  let received = 0;
  const heapAtStartMiB = heapNowMiB();
  const memory = memorySampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const dispatching = dispatch().then(() => {
    dispatched = true;
    dispatchMs = performance.now() - started;
  });
  await Promise.all([
    dispatching,
    ...workers.map(async (handler) => {
      for (;;) {
        const bodies = pollQueue.take(worker.batchSize);
        if (bodies.length === 0) {
          if (dispatched) return;
          await sleep(1);
          continue;
        }
        const records = bodies.map((body) => sqsRecord(body, (received += 1)));
        const response = await handler({ Records: records });
        failedRecords += response.batchItemFailures.length;
      }
    }),
  ]);
  const wallMs = performance.now() - started;
  const cpuMs = cpuMsSince(cpu);
  const { peakHeapMiB, peakRssMiB } = memory.stop();
  const counters = aws.counters.snapshot();
  const bound = lowerBound(counters.units, counters.buckets, target.latencyMs, worker.reservedConcurrency);
  const resourceMessages = aws.queue(BENCH_QUEUES.resource).all();
  return {
    wallMs,
    cpuMs,
    dispatchMs,
    parallelism: worker.reservedConcurrency,
    units: unitsOf(target.accounts, target.regions).length,
    messages: resourceMessages.length,
    failedUnits: failedRecords,
    failedRecords,
    counters,
    bound,
    ratioToBound: ratioToBound(wallMs, bound.boundMs),
    heapAtStartMiB,
    peakHeapMiB,
    peakRssMiB,
    resourceMessages,
  };
}
