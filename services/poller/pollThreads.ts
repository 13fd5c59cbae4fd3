/**
 * The poller CLI on every core: one Node thread runs JavaScript on one CPU,
 * and a large poll is CPU-bound there (the SDK builds, signs and parses every
 * call; each (account, region) makes a client per service). So accounts are
 * polled by worker threads (pollThread.ts), each with its own clients and
 * its share of the units at once. (A heap limit per worker, 256 MiB, halved
 * the peak heap but cost about half again the CPU in GC: not set. The heap
 * is kept small by bounding its growth instead, heapGrowth.ts, and each
 * worker gets a larger young generation, POLL_THREAD_YOUNG_GENERATION_MB.)
 * They are handed out one at a time as each thread runs low, so a thread
 * that drew small accounts takes more; the main thread polls too until every
 * worker has loaded (about two seconds), then only feeds them. An account
 * goes to one thread only, so its role is assumed once, ahead of its units.
 * Every message reaches the one sink here, a batch at a time; a failing sink
 * or thread stops the whole run with its error, and nothing is reported as
 * polled that was not.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import type { ResourceMessage } from '../core/message.ts';
import type { ResourceType } from '../core/resourceTypes.ts';
import { pollDrawnAccounts } from './accountUnits.ts';
import type { MainMessage, PollThreadData, PollThreadSetup, PollThreadSetupModule, ThreadMessage } from './pollThreadMessages.ts';
import type { UnitReport } from './pollUnit.ts';
import { polledLine, type PollSummary } from './pollUnits.ts';
import type { ResourceSink } from './sinks.ts';

/**
 * Units a worker thread should have before it is worth starting: it loads
 * the auditors and the SDK again (about a second of CPU), and one unit costs
 * about 20 ms of CPU (measured, sandbox at 50 ms per call).
 */
export const MIN_UNITS_PER_THREAD = 64;

/**
 * Each worker's young generation (V8 makes it three semi-spaces: 32 MiB
 * each, against 16 by default on 64-bit). A unit's objects live for its
 * calls, about 0.35 s; scavenged half as often, fewer of them survive into
 * the old generation. Measured (500 x 4, 2 threads, --trace-gc): per worker
 * 223 scavenges (2.0 s) against 445 (2.6 to 2.8 s), 26 full GCs against 30;
 * the ratio to the bound 1.20x to 1.22x against 1.23x to 1.25x in runs side
 * by side; the heap about 30 MiB more.
 */
export const POLL_THREAD_YOUNG_GENERATION_MB = 96;

/** One thread per CPU, as many as the units fill (MIN_UNITS_PER_THREAD), never more than the accounts. */
export function defaultPollThreads(accounts: number, regions: number, cpus: number = availableParallelism()): number {
  return Math.max(1, Math.min(cpus, accounts, Math.floor((accounts * regions) / MIN_UNITS_PER_THREAD)));
}

export interface ThreadedPollOptions {
  config: Config;
  /** Worker threads (the main thread helps while they load). */
  threads: number;
  log: Log;
  /** The main thread's clients; unset, it makes them with the setup module as the workers do. */
  factory?: ClientFactory;
  types?: readonly ResourceType[];
  onlyTestResources?: boolean;
  /** How each worker thread makes its clients (PollThreadData.setupModule); unset: as a deployed function does. */
  setupModule?: string;
  setupData?: unknown;
}

export interface ThreadedPollSummary extends PollSummary {
  threads: number;
  /** What each thread's setup reported when done (the bench's counters), the main thread's first. */
  reports: unknown[];
  /** Accounts the main thread polled while the workers loaded. */
  accountsPolledByMain: number;
}

const ENTRY = new URL('./pollThreadEntry.mjs', import.meta.url);

interface ThreadResult {
  summary: PollSummary;
  report: unknown;
}

/** Poll every unit of `accounts` x config.regions on `threads` worker threads (no more than the accounts); config.concurrency is shared among them. */
export async function pollInThreads(accounts: readonly string[], options: ThreadedPollOptions, sink: ResourceSink): Promise<ThreadedPollSummary> {
  const threads = Math.max(1, Math.min(options.threads, accounts.length));
  const concurrency = Math.max(1, Math.ceil(options.config.concurrency / threads));
  const data: PollThreadData = {
    config: options.config,
    concurrency,
    ...(options.types ? { types: [...options.types] } : {}),
    ...(options.onlyTestResources ? { onlyTestResources: true } : {}),
    ...(options.setupModule ? { setupModule: options.setupModule, setupData: options.setupData } : {}),
  };
  const waitingAccounts = [...accounts];
  const workers: Worker[] = [];
  // Workers that have asked for an account: loaded. Once all have, the main thread draws no more.
  const loaded = new Set<Worker>();
  let accountsPolledByMain = 0;
  let sinkError: { error: unknown } | undefined;
  let failSink: (error: unknown) => void = () => undefined;
  const sinkFailed = new Promise<never>((_resolve, reject) => {
    failSink = reject;
  });
  sinkFailed.catch(() => undefined);
  const stopAll = (): void => {
    waitingAccounts.length = 0;
    for (const worker of workers) void worker.terminate();
  };

  // One sink, one batch at a time, in the order the batches came.
  let sinkQueue: Promise<void> = Promise.resolve();
  const take = (messages: ResourceMessage[]): Promise<void> => {
    sinkQueue = sinkQueue.then(async () => {
      if (sinkError) return;
      try {
        await sink(messages);
      } catch (error) {
        sinkError = { error };
        stopAll();
        failSink(error);
      }
    });
    return sinkQueue;
  };

  // Progress for the whole run: every thread's units counted here, against the run's total.
  const total = accounts.length * options.config.regions.length;
  let polledUnits = 0;
  const announce = (report: UnitReport): void => {
    polledUnits += 1;
    options.log.info(polledLine(report, polledUnits, total));
  };

  const runMain = async (): Promise<ThreadResult> => {
    const setup: PollThreadSetup = options.factory ? { factory: options.factory } : await setupHere(data);
    const whileWorkersLoad = async (): Promise<string | undefined> => {
      if (loaded.size === threads) return undefined;
      const account = waitingAccounts.shift();
      if (account !== undefined) accountsPolledByMain += 1;
      return account;
    };
    const emit = async (messages: ResourceMessage[]): Promise<void> => {
      await take(messages);
      if (sinkError) throw sinkError.error;
    };
    const summary = await pollDrawnAccounts(whileWorkersLoad, setup, { config: { ...options.config, concurrency }, log: options.log, types: options.types, onlyTestResources: options.onlyTestResources }, emit, { announce });
    return { summary, report: setup.report?.() };
  };

  const runWorker = (index: number): Promise<ThreadResult> =>
    new Promise((resolve, reject) => {
      const name = `poll thread ${index + 1} of ${threads}`;
      const worker = new Worker(ENTRY, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: POLL_THREAD_YOUNG_GENERATION_MB } });
      workers.push(worker);
      const tell = (message: MainMessage): void => worker.postMessage(message);
      let finished = false;
      const fail = (error: unknown): void => {
        if (finished) return;
        finished = true;
        reject(error);
      };
      worker.on('message', (message: ThreadMessage) => {
        if (message.kind === 'log') options.log[message.level](message.message, message.fields);
        else if (message.kind === 'polled') announce(message.report);
        else if (message.kind === 'want-account') {
          loaded.add(worker);
          tell({ kind: 'account', account: waitingAccounts.shift() });
        }
        else if (message.kind === 'messages') void take(message.messages).then(() => tell({ kind: 'taken' }));
        else if (message.kind === 'failed') fail(new Error(`${name} failed: ${message.error}`));
        else {
          // Its batches came before this, and are in the sink's queue.
          finished = true;
          resolve({ summary: message.summary, report: message.report });
          void worker.terminate();
        }
      });
      worker.on('error', (error) => fail(new Error(`${name} failed: ${error.message}`, { cause: error })));
      worker.on('exit', (code) => fail(new Error(`${name} stopped (exit code ${code}) before it finished`)));
    });

  try {
    const running = [runMain(), ...Array.from({ length: threads }, (_, index) => runWorker(index))];
    const results = await Promise.race([Promise.all(running), sinkFailed]);
    await sinkQueue;
    if (sinkError) throw sinkError.error;
    return {
      units: results.reduce((sum, { summary }) => sum + summary.units, 0),
      listed: results.reduce((sum, { summary }) => sum + summary.listed, 0),
      failedUnits: results.flatMap(({ summary }) => summary.failedUnits),
      unitMs: results.reduce((sum, { summary }) => sum + summary.unitMs, 0),
      threads,
      reports: results.map(({ report }) => report),
      accountsPolledByMain,
    };
  } catch (error) {
    stopAll();
    throw error;
  }
}

/** The main thread's clients, made by the setup module as a worker's are. */
async function setupHere(data: PollThreadData): Promise<PollThreadSetup> {
  if (!data.setupModule) throw new Error('pollInThreads: give the main thread a factory, or a setup module');
  try {
    const module = (await import(data.setupModule)) as PollThreadSetupModule;
    return await module.setupPollThread(data);
  } catch (error) {
    throw new Error(`the main poll thread failed: ${describeError(error)}`, { cause: error });
  }
}
