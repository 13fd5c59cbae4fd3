/**
 * How far the poller lets V8 heaps grow between full collections.
 *
 * After a full GC, V8 lets a heap grow to up to 4x what survived before the
 * next one, faster the faster the program allocates (MemoryController::
 * GrowingFactor, deps/v8/src/heap/heap-controller.cc; --heap-growing-percent
 * overrides it there, read at each GC, for every isolate of the process). A
 * poll keeps little alive (the loaded SDK, the clients and the units in
 * flight) but allocates fast (every answer parsed), so each poll thread let
 * its heap fill with garbage: 794 MiB for 500 x 17 on 2 threads, 346 MiB
 * bounded. It costs CPU (at 500 x 4 about 30 full GCs a worker instead of 8,
 * 5 to 10% more CPU), which the workers' larger young generation partly pays
 * back (pollThreads.ts). Growing by half costs more full collections, which
 * are cheap here (what survives is small): measured at 100 x 17 on one
 * thread, the poller's heap 459 -> 127 MiB, RSS 811 -> 417 MiB, and 1.0 s
 * more of full-GC time in 32 s of CPU. (A hard limit per worker,
 * resourceLimits, shrinks its young generation too and cost half again the
 * CPU.)
 */
import { setFlagsFromString } from 'node:v8';

export const POLLER_HEAP_GROWING_PERCENT = 50;

const FLAG = /--heap[-_]growing[-_]percent\b/;

/** True when whoever started node chose a growing factor themselves (`node --heap-growing-percent=N`; NODE_OPTIONS refuses V8 flags): theirs wins. */
export function heapGrowthChosenByOperator(execArgv: readonly string[] = process.execArgv): boolean {
  return execArgv.some((arg) => FLAG.test(arg));
}

/**
 * Heaps of this process (poll threads started later included) grow by
 * `percent` between full collections, unless the operator chose otherwise.
 * Returns what puts V8's own heuristic back (the bench polls, then measures
 * other things in the same process).
 */
export function boundHeapGrowth(percent: number = POLLER_HEAP_GROWING_PERCENT): () => void {
  if (!Number.isInteger(percent) || percent < 1) throw new RangeError(`heap growing percent must be a whole number from 1, got ${percent}`);
  if (heapGrowthChosenByOperator()) return () => undefined;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  // 0 is V8's default: its own factor, from GC and allocation speed.
  return () => setFlagsFromString('--heap-growing-percent=0');
}

/** `work` with heap growth bounded (boundHeapGrowth), V8's own heuristic back after it, however it ends. */
export async function withBoundedHeapGrowth<T>(work: () => Promise<T>): Promise<T> {
  const restore = boundHeapGrowth();
  try {
    return await work();
  } finally {
    restore();
  }
}
