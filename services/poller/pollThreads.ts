/**
 * The poller CLI on every core: one Node thread runs JavaScript on one CPU,
 * and a large poll is CPU-bound there (the SDK builds, signs and parses every
 * call; each (account, region) makes a client per service), so the accounts
 * are handed out, one at a time as each asks, to poll threads
 * (pollThread.ts), each with its own clients and its share of the units at
 * once: a thread that started late or drew small accounts takes more. An
 * account goes to one thread only, so its role is assumed once. Every
 * message comes back here to the one sink, in batches the sink takes one at
 * a time; a failing sink or thread stops the whole run with its error, and
 * nothing is reported as polled that was not.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from '../core/config.ts';
import type { Log } from '../core/log.ts';
import type { ResourceType } from '../core/resourceTypes.ts';
import type { MainMessage, PollThreadData, ThreadMessage } from './pollThreadMessages.ts';
import type { PollSummary } from './pollUnits.ts';
import type { ResourceSink } from './sinks.ts';

/**
 * Units a thread should have before it is worth starting: a thread loads the
 * auditors and the SDK again (about a second of CPU), and one unit costs
 * about 20 ms of CPU (measured, sandbox at 50 ms per call).
 */
export const MIN_UNITS_PER_THREAD = 64;

/** One thread per CPU, as many as the units fill (MIN_UNITS_PER_THREAD), never more than the accounts. */
export function defaultPollThreads(accounts: number, regions: number, cpus: number = availableParallelism()): number {
  return Math.max(1, Math.min(cpus, accounts, Math.floor((accounts * regions) / MIN_UNITS_PER_THREAD)));
}

export interface ThreadedPollOptions {
  config: Config;
  threads: number;
  log: Log;
  types?: readonly ResourceType[];
  onlyTestResources?: boolean;
  /** How each thread makes its clients (PollThreadData.setupModule); unset: as a deployed function does. */
  setupModule?: string;
  setupData?: unknown;
}

export interface ThreadedPollSummary extends PollSummary {
  threads: number;
  /** What each thread's setup reported when done (the bench's counters), in thread order. */
  reports: unknown[];
}

const ENTRY = new URL('./pollThreadEntry.mjs', import.meta.url);

/** Poll every unit of `accounts` x config.regions on `threads` threads (no more than the accounts); config.concurrency is shared among them. */
export async function pollInThreads(accounts: readonly string[], options: ThreadedPollOptions, sink: ResourceSink): Promise<ThreadedPollSummary> {
  const threads = Math.max(1, Math.min(options.threads, accounts.length));
  const waitingAccounts = [...accounts];
  const workers: Worker[] = [];
  let sinkQueue: Promise<void> = Promise.resolve();
  let stopped = false;
  const stopAll = (): void => {
    stopped = true;
    for (const worker of workers) void worker.terminate();
  };

  const runThread = (index: number): Promise<{ summary: PollSummary; report: unknown }> =>
    new Promise((resolve, reject) => {
      const data: PollThreadData = {
        config: options.config,
        concurrency: Math.max(1, Math.ceil(options.config.concurrency / threads)),
        ...(options.types ? { types: [...options.types] } : {}),
        ...(options.onlyTestResources ? { onlyTestResources: true } : {}),
        ...(options.setupModule ? { setupModule: options.setupModule, setupData: options.setupData } : {}),
      };
      const name = `poll thread ${index + 1} of ${threads}`;
      const tell = (message: MainMessage): void => worker.postMessage(message);
      const worker = new Worker(ENTRY, { workerData: data });
      workers.push(worker);
      let finished = false;
      const fail = (error: unknown): void => {
        if (finished) return;
        finished = true;
        reject(error);
      };
      worker.on('message', (message: ThreadMessage) => {
        if (message.kind === 'log') {
          options.log[message.level](message.message, message.fields);
        } else if (message.kind === 'want-account') {
          tell({ kind: 'account', account: stopped ? undefined : waitingAccounts.shift() });
        } else if (message.kind === 'messages') {
          // One sink, one batch at a time, in the order the batches came.
          sinkQueue = sinkQueue.then(async () => {
            if (stopped) return;
            try {
              await sink(message.messages);
            } catch (error) {
              fail(error);
              stopAll();
              return;
            }
            tell({ kind: 'taken', batch: message.batch });
          });
        } else if (message.kind === 'done') {
          // Every batch it sent was taken before it could finish.
          finished = true;
          resolve({ summary: message.summary, report: message.report });
          void worker.terminate();
        } else {
          fail(new Error(`${name} failed: ${message.error}`));
        }
      });
      worker.on('error', (error) => fail(new Error(`${name} failed: ${error.message}`, { cause: error })));
      worker.on('exit', (code) => fail(new Error(`${name} stopped (exit code ${code}) before it finished`)));
    });

  try {
    const results = await Promise.all(Array.from({ length: threads }, (_, index) => runThread(index)));
    return {
      units: results.reduce((sum, { summary }) => sum + summary.units, 0),
      listed: results.reduce((sum, { summary }) => sum + summary.listed, 0),
      failedUnits: results.flatMap(({ summary }) => summary.failedUnits),
      threads,
      reports: results.map(({ report }) => report),
    };
  } catch (error) {
    stopAll();
    throw error;
  }
}
