/**
 * How a poll thread of the bench's poller CLI makes its clients
 * (PollThreadData.setupModule): its own BenchAws (latency, token buckets,
 * counters) over the accounts it is given, each copied from the template the
 * main thread built when it arrives, and dropped once polled; what it
 * reports is the counters, its heap and the time spent copying. Throttle buckets are per (account,
 * region), and an account goes to one thread only, so splitting the buckets
 * by thread changes nothing.
 */
import type { PollThreadData, PollThreadSetup } from '../../services/poller/pollThreadMessages.ts';
import { BENCH_CREDENTIALS_ENV, BenchAws } from './benchAws.ts';
import { addAccount, copyTemplate, type AccountTemplate } from './benchOrganization.ts';
import type { CounterSnapshot } from './callCounters.ts';
import { memorySampler } from './statistics.ts';

export interface BenchThreadData {
  template: AccountTemplate;
  latencyMs: number;
}

export interface BenchThreadReport {
  counters: CounterSnapshot;
  /** Copying its accounts from the template, in all: the bench's work, not the poller's. */
  setupMs: number;
  /** This thread's heap when its setup began (modules loaded; in the main thread, the bench's own organization too), and its peak. */
  heapAtSetupMiB: number;
  peakHeapMiB: number;
  /** How busy the thread's event loop was from setup to report (0..1): near 1, the thread's CPU was the limit. */
  eventLoopUtilization: number;
}

function isBenchThreadData(data: unknown): data is BenchThreadData {
  const candidate = data as Partial<BenchThreadData> | undefined;
  return typeof candidate?.latencyMs === 'number' && typeof candidate.template?.accountJson === 'string';
}

export async function setupPollThread(data: PollThreadData): Promise<PollThreadSetup> {
  const setupData = data.setupData;
  if (!isBenchThreadData(setupData)) throw new Error('benchPollThread: setupData must be BenchThreadData');
  Object.assign(process.env, BENCH_CREDENTIALS_ENV);
  const aws = new BenchAws(copyTemplate(setupData.template, []), { latencyMs: setupData.latencyMs, throttle: true });
  let setupMs = 0;
  const heapAtSetupMiB = process.memoryUsage().heapUsed / 2 ** 20;
  const memory = memorySampler();
  const busy = performance.eventLoopUtilization();
  return {
    factory: aws.factory(data.config),
    prepareAccount: (account) => {
      const started = performance.now();
      addAccount(aws.sandbox.state, setupData.template, account);
      setupMs += performance.now() - started;
    },
    // Polled: its copy goes, so the thread's heap is the poller's own and the accounts in flight.
    releaseAccount: (account) => {
      delete aws.sandbox.state.accounts[account];
    },
    report: (): BenchThreadReport => ({ counters: aws.counters.snapshot(), setupMs, heapAtSetupMiB, peakHeapMiB: memory.stop().peakHeapMiB, eventLoopUtilization: performance.eventLoopUtilization(busy).utilization }),
  };
}
