/**
 * The poller CLI's work (`poller --stdout`): every (account, region) with the
 * CLI's configured unit concurrency, JSON lines to a sink that counts them,
 * against the bench's AWS (latency, token buckets).
 */
import type { SandboxState } from '../../sandbox/sandboxState.ts';
import { loadConfig, type Config } from '../../services/core/config.ts';
import { withBoundedHeapGrowth } from '../../services/poller/heapGrowth.ts';
import { pollUnit } from '../../services/poller/pollUnit.ts';
import { defaultPollThreads, pollInThreads } from '../../services/poller/pollThreads.ts';
import { pollAccounts } from '../../services/poller/accountUnits.ts';
import { stdoutSink } from '../../services/poller/sinks.ts';
import { BenchAws } from './benchAws.ts';
import { copyTemplate, type AccountTemplate } from './benchOrganization.ts';
import type { BenchThreadData, BenchThreadReport } from './benchPollThread.ts';
import { mergeSnapshots, type CounterSnapshot } from './callCounters.ts';
import { longestChain, lowerBound, ratioToBound, unitSlowdown, type LowerBound } from './lowerBound.ts';
import { cpuMsSince, heapNowMiB, median, memorySampler } from './statistics.ts';
import { silentLog } from './silentLog.ts';

const BENCH_THREAD_SETUP = new URL('./benchPollThread.ts', import.meta.url).href;

export interface PollRun {
  wallMs: number;
  /** This process's CPU time during the run (the sandbox's included): near wall x cores means the machine, not AWS, was the limit. */
  cpuMs: number;
  /** Units polled at once: the CLI's concurrency (shared by its threads), or the poll worker's reserved concurrency. */
  parallelism: number;
  /** The CLI's poll threads (1: polled in the bench's own thread); the Lambda path's are its containers. */
  threads?: number;
  /** Each poll thread's event-loop utilization, the main thread's first (while it polled: until the workers had loaded): near 1, that thread's CPU was the limit. */
  threadUtilization?: number[];
  units: number;
  messages: number;
  failedUnits: number;
  counters: CounterSnapshot;
  bound: LowerBound;
  ratioToBound: number;
  /** The units' wall times over their chains (lowerBound.ts unitSlowdown); the CLI's run only. */
  unitSlowdown?: number;
  /** Units in flight on average: their wall times added up over the run's; the CLI's run only. */
  unitsInFlight?: number;
  /** Heap when the run started (the sandbox's organization, the loaded modules): the run's own share is the peak less this. */
  heapAtStartMiB: number;
  /** This thread's peak heap, plus each poll thread's. */
  peakHeapMiB: number;
  /**
   * The poller's own heap at its peak: each worker thread's peak, plus the
   * main thread's growth while it polled (its heap at the start is the
   * bench's: the organization the other runs use). Each thread drops an
   * account's copy once it is polled, so what is left of the sandbox is the
   * accounts in flight. The CLI's run only.
   */
  pollerHeapMiB?: number;
  peakRssMiB: number;
}

export interface PollTarget {
  state: SandboxState;
  /** What every account of `state` is a copy of: poll threads copy their own share. */
  template: AccountTemplate;
  accounts: readonly string[];
  regions: readonly string[];
  latencyMs: number;
  /** The CLI's poll threads; default as the CLI chooses (defaultPollThreads). */
  threads?: number;
  /** The CLI's units at once; default as the CLI chooses (defaultUnitConcurrency). */
  concurrency?: number;
}

/** The CLI run needs no organization built beforehand: its threads copy their accounts from the template. */
export type CliTarget = Omit<PollTarget, 'state'> & { state?: SandboxState };

/**
 * The CLI's poll: pollInThreads with the CLI's default threads
 * (defaultPollThreads) when that is more than one, each thread behind its own
 * BenchAws over its share of the organization; else pollUnits here. Thread
 * start-up (loading the auditors and the SDK again) is in the wall time;
 * copying the organization into a thread is the bench's own work, and is not.
 */
export async function benchPollerCli(target: CliTarget): Promise<PollRun> {
  const config = loadConfig({ flags: { accounts: [...target.accounts], regions: [...target.regions], ...(target.concurrency ? { concurrency: target.concurrency } : {}) } });
  const threads = target.threads ?? defaultPollThreads(target.accounts.length, target.regions.length);
  // As the CLI does (heapGrowth.ts), for this run only.
  return withBoundedHeapGrowth(() => pollAsTheCli(target, config, threads));
}

async function pollAsTheCli(target: CliTarget, config: Config, threads: number): Promise<PollRun> {
  let messages = 0;
  const sink = stdoutSink(async (text) => {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) messages += 1;
  });
  // One thread polls the whole organization in this heap, copied before the start; threads copy their own share as they go.
  const oneThread = threads > 1 ? undefined : new BenchAws(target.state ?? copyTemplate(target.template, target.accounts), { latencyMs: target.latencyMs, throttle: true });
  const heapAtStartMiB = heapNowMiB();
  const memory = memorySampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let run: { failedUnits: number; unitMs: number; counters: CounterSnapshot; setupMs: number; workersPeakHeapMiB: number; pollerHeapMiB?: number; threadUtilization?: number[] };
  if (!oneThread) {
    const setupData: BenchThreadData = { template: target.template, latencyMs: target.latencyMs };
    const summary = await pollInThreads(target.accounts, { config, threads, log: silentLog(), setupModule: BENCH_THREAD_SETUP, setupData }, sink);
    const reports = summary.reports as BenchThreadReport[];
    run = {
      failedUnits: summary.failedUnits.length,
      unitMs: summary.unitMs,
      counters: mergeSnapshots(reports.map((report) => report.counters)),
      // The threads copy side by side, as they poll: the longest share of copying is what the wall time holds of it.
      setupMs: Math.max(0, ...reports.map((report) => report.setupMs)),
      workersPeakHeapMiB: reports.slice(1).reduce((sum, report) => sum + report.peakHeapMiB, 0),
      threadUtilization: reports.map((report) => report.eventLoopUtilization),
    };
    const [main] = reports;
    if (main) run.pollerHeapMiB = main.peakHeapMiB - main.heapAtSetupMiB + run.workersPeakHeapMiB;
  } else {
    const summary = await pollAccounts(target.accounts, { factory: oneThread.factory(config) }, { config, log: silentLog() }, sink);
    run = { failedUnits: summary.failedUnits.length, unitMs: summary.unitMs, counters: oneThread.counters.snapshot(), setupMs: 0, workersPeakHeapMiB: 0 };
  }
  const wallMs = performance.now() - started - run.setupMs;
  const cpuMs = cpuMsSince(cpu);
  const { peakHeapMiB, peakRssMiB } = memory.stop();
  const bound = lowerBound(run.counters.units, run.counters.buckets, target.latencyMs, config.concurrency);
  return {
    wallMs,
    cpuMs,
    threads,
    parallelism: config.concurrency,
    units: target.accounts.length * target.regions.length,
    messages,
    failedUnits: run.failedUnits,
    counters: run.counters,
    bound,
    ratioToBound: ratioToBound(wallMs, bound.boundMs),
    unitSlowdown: unitSlowdown(run.counters.units, target.latencyMs, run.unitMs),
    unitsInFlight: run.unitMs / wallMs,
    heapAtStartMiB,
    peakHeapMiB: peakHeapMiB + run.workersPeakHeapMiB,
    pollerHeapMiB: run.pollerHeapMiB ?? peakHeapMiB - heapAtStartMiB,
    ...(run.threadUtilization ? { threadUtilization: run.threadUtilization } : {}),
    peakRssMiB,
  };
}

export interface OneUnitRun {
  unit: string;
  medianMs: number;
  samplesMs: number[];
  /** calls of the unit's longest single-service chain x latency */
  longestChainMs: number;
  longestChainService: string;
  ratio: number;
}

/** One unit (the first account's home region: it lists IAM too) polled alone, median of `runs`. */
export async function benchOneUnit(target: PollTarget, runs = 3): Promise<OneUnitRun> {
  const account = target.accounts[0] as string;
  const region = target.regions[0] as string;
  const config = loadConfig({ flags: { accounts: [account], regions: [...target.regions] } });
  const samplesMs: number[] = [];
  let chain = { calls: 0, service: '' };
  for (let run = 0; run < runs; run += 1) {
    const aws = new BenchAws(target.state, { latencyMs: target.latencyMs, throttle: true });
    const started = performance.now();
    await pollUnit({ account, region }, { config, factory: aws.factory(config), log: silentLog() }, async () => undefined);
    samplesMs.push(performance.now() - started);
    const unitCalls = aws.counters.snapshot().units.find((u) => u.unit === `${account}/${region}`);
    if (unitCalls) {
      const calls = longestChain(unitCalls);
      chain = { calls, service: Object.entries(unitCalls.callsByService).find(([, n]) => n === calls)?.[0] ?? '' };
    }
  }
  const medianMs = median(samplesMs);
  const longestChainMs = chain.calls * target.latencyMs;
  return { unit: `${account}/${region}`, medianMs, samplesMs, longestChainMs, longestChainService: chain.service, ratio: ratioToBound(medianMs, longestChainMs) };
}
