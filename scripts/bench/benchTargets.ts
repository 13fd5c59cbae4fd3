import type { BenchResult } from './benchResult.ts';
import { INIT_TARGET_MS, ONE_UNIT_TARGET_RATIO, POLLER_PEAK_TARGET_MIB, POLLER_TARGET_RATIO, REMEDIATOR_HEAP_TARGET_MIB, REMEDIATOR_OVERHEAD_TARGET_MS, ZIP_TARGET_BYTES } from './targets.ts';

const ms = (value: number): string => `${Math.round(value)} ms`;

/** Each of issue 16's targets, with what this run measured and whether it is met. */
export function judgeTargets(result: Omit<BenchResult, 'targets' | 'totalSeconds'>): BenchResult['targets'] {
  const { handlers } = result.coldStart;
  const judged: BenchResult['targets'] = [];
  for (const [name, ceiling] of Object.entries(ZIP_TARGET_BYTES) as [keyof typeof ZIP_TARGET_BYTES, number][]) {
    const bytes = handlers[name].zipBytes;
    judged.push({ target: `${name} zip < ${(ceiling / 1024).toFixed(0)} KiB`, measured: `${(bytes / 1024).toFixed(0)} KiB`, met: bytes < ceiling });
  }
  for (const [name, ceiling] of Object.entries(INIT_TARGET_MS) as [keyof typeof INIT_TARGET_MS, number][]) {
    const init = handlers[name].initMedianMs;
    judged.push({ target: `${name} init < ${ceiling} ms (median of ${handlers[name].initSamplesMs.length})`, measured: ms(init), met: init < ceiling });
  }
  const unit = result.oneUnit;
  judged.push({ target: `one poll unit <= ${ONE_UNIT_TARGET_RATIO}x its longest service chain`, measured: `${ms(unit.medianMs)} / ${ms(unit.longestChainMs)} (${unit.longestChainService}) = ${unit.ratio.toFixed(2)}x`, met: unit.ratio <= ONE_UNIT_TARGET_RATIO });
  const cli = result.pollerCli;
  const at500 = result.shape.accounts === 500 && result.shape.regions.length === 4;
  judged.push({
    target: `poller CLI 500 x 4 <= ${POLLER_TARGET_RATIO}x the lower bound, 0 lost`,
    measured: `${result.shape.accounts} x ${result.shape.regions.length}: ${cli.ratioToBound.toFixed(2)}x, ${cli.lostResources} lost`,
    met: at500 ? cli.ratioToBound <= POLLER_TARGET_RATIO && cli.lostResources === 0 : 'not measured',
  });
  const { oneContainer, atZeroLatency } = result.remediator;
  judged.push({
    target: `remediator overhead per message < ${REMEDIATOR_OVERHEAD_TARGET_MS} ms (CPU, one warm container)`,
    measured: `${oneContainer.overheadPerMessageMs.toFixed(2)} ms (${atZeroLatency.overheadPerMessageMs.toFixed(2)} ms over ${atZeroLatency.containers} containers)`,
    met: oneContainer.overheadPerMessageMs < REMEDIATOR_OVERHEAD_TARGET_MS,
  });
  const memory = result.remediator.containerMemory;
  judged.push({
    target: `remediator heap < ${REMEDIATOR_HEAP_TARGET_MIB} MB after 10,000 account-regions (one container)`,
    measured: `+${(memory.heapAfterMiB - memory.heapBeforeMiB).toFixed(1)} MiB after ${memory.accountRegions}; ${memory.extrapolatedPer10kMiB.toFixed(0)} MiB per 10,000 extrapolated`,
    met: memory.accountRegions >= 10_000 ? memory.heapAfterMiB - memory.heapBeforeMiB < REMEDIATOR_HEAP_TARGET_MIB : 'not measured',
  });
  const at500x17 = result.shape.accounts === 500 && result.shape.regions.length === 17;
  const pollerHeap = cli.pollerHeapMiB ?? cli.peakHeapMiB - cli.heapAtStartMiB;
  judged.push({
    target: `poller CLI peak < ${POLLER_PEAK_TARGET_MIB} MiB for 500 x 17`,
    measured: `${result.shape.accounts} x ${result.shape.regions.length}: the poller's heap ${pollerHeap.toFixed(0)} MiB at its peak (${cli.threads ?? 1} thread(s)); the bench process: heap ${cli.peakHeapMiB.toFixed(0)} MiB, RSS ${cli.peakRssMiB.toFixed(0)} MiB`,
    met: at500x17 ? pollerHeap < POLLER_PEAK_TARGET_MIB : 'not measured',
  });
  return judged;
}
