/** The median (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Samples the process's memory every `everyMs` until stopped; the peak heap and RSS seen. */
export function memorySampler(everyMs = 50): { stop(): { peakHeapMiB: number; peakRssMiB: number } } {
  let peakHeap = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    peakRss = Math.max(peakRss, usage.rss);
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { peakHeapMiB: peakHeap / 2 ** 20, peakRssMiB: peakRss / 2 ** 20 };
    },
  };
}

/** This process's CPU time (user + system, every thread) since `start`, in ms: unlike wall time, other processes on the machine do not inflate it. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The heap in use now, after a full collection when Node runs with --expose-gc (npm run bench does). */
export function heapNowMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}
