import type { BenchResult } from './benchResult.ts';
import type { PollRun } from './pollerCliBench.ts';

/** Rows of cells as an aligned text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const calls = (record: Readonly<Record<string, number>>): string =>
  Object.entries(record)
    .map(([service, count]) => `${service} ${count}`)
    .join(', ') || 'none';

function pollRow(name: string, run: PollRun & { lostResources: number }): string[] {
  return [
    name,
    run.threads && run.threads > 1 ? `${run.parallelism} (${run.threads} threads)` : String(run.parallelism),
    s(run.wallMs),
    s(run.cpuMs),
    s(run.bound.boundMs),
    `${run.ratioToBound.toFixed(2)}x`,
    String(run.messages),
    String(run.lostResources),
    String(run.counters.assumeRoleCalls),
    String(run.counters.sendMessageBatchCalls),
    `${run.heapAtStartMiB.toFixed(0)} -> ${run.peakHeapMiB.toFixed(0)} / ${run.peakRssMiB.toFixed(0)}`,
  ];
}

export function formatReport(result: BenchResult): string {
  const { shape, coldStart, pollerCli, lambdaPoll, oneUnit, remediator } = result;
  const sections = [
    `npm run bench: ${shape.accounts} accounts x ${shape.regions.length} regions (${shape.regions.join(', ')}), ${shape.resourcesPerBulkType} resources per bulk type, ${shape.latencyMs} ms per call`,
    `machine: ${result.machine.cpus} x ${result.machine.cpuModel}, ${result.machine.totalMemoryGiB.toFixed(1)} GiB, Node ${result.machine.node}, load average ${result.machine.loadAverageAtStart.toFixed(1)} at start, ${result.machine.loadAverageAtEnd.toFixed(1)} at end; organization built in ${result.organization.buildSeconds.toFixed(1)} s, ${result.organization.expectedMessages} resources`,
    '',
    `Cold start (serverless package ${coldStart.packageSeconds.toFixed(0)} s; init = importing the bundled module in a fresh Node)`,
    table(
      ['function', 'zip', 'init median', 'init min..max', 'init CPU median'],
      Object.entries(coldStart.handlers).map(([name, h]) => [
        name,
        `${(h.zipBytes / 1024).toFixed(0)} KiB`,
        `${h.initMedianMs.toFixed(0)} ms`,
        `${Math.min(...h.initSamplesMs).toFixed(0)}..${Math.max(...h.initSamplesMs).toFixed(0)} ms`,
        `${h.initCpuMedianMs.toFixed(0)} ms`,
      ]),
    ),
    '',
    `Poll (lower bound = max(latency bound, bucket bound), scripts/bench/lowerBound.ts; Lambda: poll worker reservedConcurrency ${coldStart.settings.pollWorker.reservedConcurrency}, batchSize ${coldStart.settings.pollWorker.batchSize})`,
    table(['path', 'parallel', 'wall', 'CPU', 'bound', 'ratio', 'messages', 'lost', 'AssumeRole', 'SendMessageBatch', 'heap at start -> peak / peak RSS MiB'], [pollRow('poller CLI', pollerCli), pollRow('Lambda poll path', lambdaPoll)]),
    `  bound terms, CLI: latency ${s(pollerCli.bound.latencyBoundMs)}, buckets ${s(pollerCli.bound.bucketBoundMs)}; Lambda: latency ${s(lambdaPoll.bound.latencyBoundMs)}, buckets ${s(lambdaPoll.bound.bucketBoundMs)}; longest chain ${pollerCli.bound.longestChainCalls} calls`,
    `  CLI units: ${(pollerCli.unitsInFlight ?? 0).toFixed(1)} in flight on average, each ${(pollerCli.unitSlowdown ?? 0).toFixed(2)}x its own chain (the rest of the ratio: start-up, tail, idle slots)`,
    `  CLI threads: ${pollerCli.threads ?? 1}, event loop busy ${busyThreads(pollerCli.threadUtilization)}; the poller's own heap at its peak ${(pollerCli.pollerHeapMiB ?? 0).toFixed(0)} MiB`,
    `  Lambda dispatcher: ${s(lambdaPoll.dispatchMs)}, failed records ${lambdaPoll.failedRecords}`,
    `  calls, CLI: ${calls(pollerCli.counters.callsByService)}`,
    `  throttled, CLI: ${calls(pollerCli.counters.throttledByService)}`,
    `  calls, Lambda: ${calls(lambdaPoll.counters.callsByService)}`,
    `  throttled, Lambda: ${calls(lambdaPoll.counters.throttledByService)}`,
    `  one unit (${oneUnit.unit}): median ${oneUnit.medianMs.toFixed(0)} ms of [${oneUnit.samplesMs.map((t) => t.toFixed(0)).join(', ')}], longest chain ${oneUnit.longestChainService} ${oneUnit.longestChainMs} ms, ${oneUnit.ratio.toFixed(2)}x`,
    '',
    `Remediator (reservedConcurrency ${coldStart.settings.remediator.reservedConcurrency}, batchSize ${coldStart.settings.remediator.batchSize}; dry run, findings published)`,
    table(
      ['latency', 'containers', 'messages', 'failed', 'wall', 'CPU', 'messages/s', 'overhead/message (CPU)', 'AssumeRole/account max (mean)', 'peak heap / RSS MiB'],
      [remediator.atZeroLatency, remediator.atLatency, remediator.oneContainer].map((run) => [
        `${run.latencyMs} ms`,
        String(run.containers),
        String(run.messages),
        String(run.failedRecords),
        s(run.wallMs),
        s(run.cpuMs),
        run.messagesPerSecond.toFixed(0),
        run.latencyMs === 0 ? `${run.overheadPerMessageMs.toFixed(2)} ms` : '-',
        `${run.assumeRolePerAccountMax} (${run.assumeRolePerAccountMean.toFixed(1)})`,
        `${run.peakHeapMiB.toFixed(0)} / ${run.peakRssMiB.toFixed(0)}`,
      ]),
    ),
    `  calls at ${remediator.atLatency.latencyMs} ms: ${calls(remediator.atLatency.counters.callsByService)}`,
    `  one container, one message per account-region: heap ${remediator.containerMemory.heapBeforeMiB.toFixed(1)} -> ${remediator.containerMemory.heapAfterMiB.toFixed(1)} MiB after ${remediator.containerMemory.accountRegions}${remediator.containerMemory.gcExposed ? ' (after gc)' : ' (no --expose-gc: not collected)'}`,
    '',
    'Targets (issue 16)',
    table(['target', 'measured', 'met'], result.targets.map((t) => [t.target, t.measured, String(t.met)])),
    '',
    `total ${result.totalSeconds.toFixed(0)} s`,
  ];
  return sections.join('\n');
}

/** The main thread's share is while it polled (until the workers had loaded); each worker's is its whole run. */
function busyThreads(utilization: readonly number[] | undefined): string {
  const [main, ...workers] = (utilization ?? []).map((u) => `${(u * 100).toFixed(0)}%`);
  if (main === undefined) return '-';
  return `${workers.length > 0 ? `workers ${workers.join(', ')}; ` : ''}main thread ${main} while it polled`;
}
