/**
 * The poller CLI's work (`poller --stdout`): every (account, region) with the
 * CLI's configured unit concurrency, JSON lines to a sink that counts them,
 * against the bench's AWS (latency, token buckets).
 */
import type { SandboxState } from '../../sandbox/sandboxState.ts';
import { loadConfig } from '../../services/core/config.ts';
import { pollUnit } from '../../services/poller/pollUnit.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { stdoutSink } from '../../services/poller/sinks.ts';
import { BenchAws } from './benchAws.ts';
import type { CounterSnapshot } from './callCounters.ts';
import { longestChain, lowerBound, ratioToBound, type LowerBound } from './lowerBound.ts';
import { cpuMsSince, heapNowMiB, median, memorySampler } from './statistics.ts';
import { silentLog } from './silentLog.ts';

export interface PollRun {
  wallMs: number;
  /** This process's CPU time during the run (the sandbox's included): near wall x cores means the machine, not AWS, was the limit. */
  cpuMs: number;
  /** Units polled at once: the CLI's concurrency, or the poll worker's reserved concurrency. */
  parallelism: number;
  units: number;
  messages: number;
  failedUnits: number;
  counters: CounterSnapshot;
  bound: LowerBound;
  ratioToBound: number;
  /** Heap when the run started (the sandbox's organization, the loaded modules): the run's own share is the peak less this. */
  heapAtStartMiB: number;
  peakHeapMiB: number;
  peakRssMiB: number;
}

export interface PollTarget {
  state: SandboxState;
  accounts: readonly string[];
  regions: readonly string[];
  latencyMs: number;
}

export async function benchPollerCli(target: PollTarget): Promise<PollRun> {
  const aws = new BenchAws(target.state, { latencyMs: target.latencyMs, throttle: true });
  const config = loadConfig({ flags: { accounts: [...target.accounts], regions: [...target.regions] } });
  const factory = aws.factory(config);
  let messages = 0;
  const sink = stdoutSink(async (text) => {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) messages += 1;
  });
  const units = unitsOf(target.accounts, target.regions);
  const heapAtStartMiB = heapNowMiB();
  const memory = memorySampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const summary = await pollUnits(units, { config, factory, log: silentLog() }, sink);
  const wallMs = performance.now() - started;
  const cpuMs = cpuMsSince(cpu);
  const { peakHeapMiB, peakRssMiB } = memory.stop();
  const counters = aws.counters.snapshot();
  const bound = lowerBound(counters.units, counters.buckets, target.latencyMs, config.concurrency);
  return { wallMs, cpuMs, parallelism: config.concurrency, units: units.length, messages, failedUnits: summary.failedUnits.length, counters, bound, ratioToBound: ratioToBound(wallMs, bound.boundMs), heapAtStartMiB, peakHeapMiB, peakRssMiB };
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
