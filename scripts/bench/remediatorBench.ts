/**
 * The deployed remediator over resource messages: as many containers as its
 * reserved concurrency (each its own client factory), each taking batches of
 * the event source's batchSize. Dry run (remediation off, the default),
 * findings published to the bench's topic, no findings table. Per-message
 * overhead is measured at 0 ms latency, where the run is pure CPU: (CPU time
 * - the sandbox's CPU time answering) / messages, i.e. everything on the
 * remediator's side of each AWS call (validation, SDK clients, middleware and
 * signing, checks, notification shaping). CPU time, not wall time: the
 * other processes of a shared machine do not inflate it.
 */
import type { SandboxState } from '../../sandbox/sandboxState.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { createRemediatorHandler } from '../../services/remediator/remediatorHandler.ts';
import { BenchAws } from './benchAws.ts';
import type { CounterSnapshot } from './callCounters.ts';
import { deployedConfig, sqsRecord } from './lambdaPollBench.ts';
import { MessageQueue } from './messageQueue.ts';
import { silentLog } from './silentLog.ts';
import type { EventSourceSettings } from './stackSettings.ts';
import { cpuMsSince, heapNowMiB, memorySampler } from './statistics.ts';

export interface RemediatorRun {
  latencyMs: number;
  containers: number;
  messages: number;
  failedRecords: number;
  wallMs: number;
  cpuMs: number;
  messagesPerSecond: number;
  /** (CPU - sandbox answer CPU) / messages; meaningful at 0 ms latency. */
  overheadPerMessageMs: number;
  assumeRolePerAccountMax: number;
  assumeRolePerAccountMean: number;
  peakHeapMiB: number;
  peakRssMiB: number;
  counters: CounterSnapshot;
}

export interface RemediatorTarget {
  state: SandboxState;
  accounts: readonly string[];
  regions: readonly string[];
  /** Resource message bodies, as the poll path queued them. */
  messages: readonly string[];
}

/** Up to `count` messages spread evenly over the whole list (every account and type represented). */
export function spreadSample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, index) => items[Math.floor(index * step)] as T);
}

/**
 * `whileAlive` runs after the last message, while the containers (their
 * factories, clients and credentials) are still held: what a warm container keeps.
 */
export async function benchRemediator(
  target: RemediatorTarget,
  settings: EventSourceSettings,
  latencyMs: number,
  containers = settings.reservedConcurrency,
  whileAlive: () => void = () => undefined,
): Promise<RemediatorRun> {
  const aws = new BenchAws(target.state, { latencyMs, throttle: true });
  const config = deployedConfig(target.accounts, target.regions);
  const handlers = Array.from({ length: containers }, () => {
    const factory = aws.factory(config);
    return createRemediatorHandler({ config, factory, directory: new AccountDirectory(config, factory.forSecurityAccount(config.homeRegion)), log: silentLog() });
  });
  const queue = new MessageQueue();
  queue.push(target.messages);
  let failedRecords = 0;
  let index = 0;
  const context = { getRemainingTimeInMillis: () => 300_000 };
  const memory = memorySampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    handlers.map(async (handler) => {
      for (let bodies = queue.take(settings.batchSize); bodies.length > 0; bodies = queue.take(settings.batchSize)) {
        const response = await handler({ Records: bodies.map((body) => sqsRecord(body, (index += 1))) }, context);
        failedRecords += response.batchItemFailures.length;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpuMs = cpuMsSince(cpu);
  const { peakHeapMiB, peakRssMiB } = memory.stop();
  whileAlive();
  if (handlers.length === 0) throw new Error('no remediator container');
  const counters = aws.counters.snapshot();
  const perAccount = Object.values(counters.assumeRoleByAccount);
  const messages = target.messages.length;
  return {
    latencyMs,
    containers,
    messages,
    failedRecords,
    wallMs,
    cpuMs,
    messagesPerSecond: messages / (wallMs / 1000),
    overheadPerMessageMs: (cpuMs - counters.sandboxAnswerMs) / messages,
    assumeRolePerAccountMax: Math.max(0, ...perAccount),
    assumeRolePerAccountMean: perAccount.length > 0 ? perAccount.reduce((sum, n) => sum + n, 0) / perAccount.length : 0,
    peakHeapMiB,
    peakRssMiB,
    counters,
  };
}

export interface ContainerMemory {
  accountRegions: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  /** (after - before) / account-regions x 10,000: the target is per 10,000 account-regions. */
  extrapolatedPer10kMiB: number;
  gcExposed: boolean;
}

/** One container audits one message of every (account, region): its heap before and after. */
export async function benchContainerMemory(target: RemediatorTarget, settings: EventSourceSettings): Promise<ContainerMemory> {
  const seen = new Set<string>();
  const onePerUnit = target.messages.filter((body) => {
    const { account, region } = JSON.parse(body) as { account: string; region: string };
    const key = `${account}/${region}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const before = heapNowMiB();
  let after = before;
  const run = await benchRemediator({ ...target, messages: onePerUnit }, settings, 0, 1, () => {
    after = heapNowMiB();
  });
  return {
    accountRegions: run.messages,
    heapBeforeMiB: before,
    heapAfterMiB: after,
    extrapolatedPer10kMiB: run.messages > 0 ? ((after - before) / run.messages) * 10_000 : 0,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
}
