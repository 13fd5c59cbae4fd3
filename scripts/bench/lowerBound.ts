/**
 * The lower bound a poll can reach, and how far a measured run is from it:
 *
 *   bound = max(latencyBound, bucketBound)
 *
 * latencyBound: a unit (account, region) lists each service one call after
 * another (one throttle bucket, one caller) and its services at once, so a
 * unit needs at least its longest service chain: chain(u) = max over services
 * s of calls(u, s) x latency. P units run at once (the CLI's concurrency, the
 * Lambda path's reserved concurrency), so the run needs at least
 * max(max over u of chain(u), sum over u of chain(u) / P): no unit can be
 * faster than its own chain, and P workers share the total.
 *
 * bucketBound: a bucket of burst b refilled at r per second answers n calls
 * in no less than max(0, n - b) / r seconds; the run is at least its slowest
 * bucket.
 *
 * Calls are those AWS answered (throttled attempts are not work the poll had
 * to do). Pure: no clock, no I/O.
 */
import type { ThrottleSettings } from '../../sandbox/throttling.ts';

/** Answered calls of one unit, per service. */
export interface UnitCalls {
  unit: string;
  callsByService: Readonly<Record<string, number>>;
}

export interface BucketCalls {
  key: string;
  calls: number;
  rule: ThrottleSettings;
}

export interface LowerBound {
  latencyBoundMs: number;
  bucketBoundMs: number;
  boundMs: number;
  /** The longest service chain of any unit, in calls. */
  longestChainCalls: number;
  parallelism: number;
}

/** A unit's longest single-service call chain, in calls. */
export function longestChain(calls: UnitCalls): number {
  return Math.max(0, ...Object.values(calls.callsByService));
}

export function latencyBoundMs(units: readonly UnitCalls[], latencyMs: number, parallelism: number): number {
  if (parallelism < 1) throw new RangeError(`parallelism must be at least 1, got ${parallelism}`);
  const chains = units.map((unit) => longestChain(unit) * latencyMs);
  const total = chains.reduce((sum, chain) => sum + chain, 0);
  return Math.max(0, ...chains, total / parallelism);
}

export function bucketBoundMs(buckets: readonly BucketCalls[]): number {
  return Math.max(0, ...buckets.map((bucket) => (Math.max(0, bucket.calls - bucket.rule.burst) / bucket.rule.ratePerSecond) * 1000));
}

export function lowerBound(units: readonly UnitCalls[], buckets: readonly BucketCalls[], latencyMs: number, parallelism: number): LowerBound {
  const latency = latencyBoundMs(units, latencyMs, parallelism);
  const bucket = bucketBoundMs(buckets);
  return {
    latencyBoundMs: latency,
    bucketBoundMs: bucket,
    boundMs: Math.max(latency, bucket),
    longestChainCalls: Math.max(0, ...units.map(longestChain)),
    parallelism,
  };
}

/**
 * How much longer the units took than their own chains, on average: their
 * wall times added up over their chains added up. The ratio to the bound is
 * this, times what start-up, the tail and idle slots cost; this alone is what
 * waiting for a busy CPU costs each unit.
 */
export function unitSlowdown(units: readonly UnitCalls[], latencyMs: number, unitMs: number): number {
  return ratioToBound(unitMs, units.reduce((sum, unit) => sum + longestChain(unit) * latencyMs, 0));
}

/** measured / bound; Infinity when the bound is 0 but time was spent. */
export function ratioToBound(measuredMs: number, boundMs: number): number {
  if (boundMs <= 0) return measuredMs > 0 ? Number.POSITIVE_INFINITY : 1;
  return measuredMs / boundMs;
}
