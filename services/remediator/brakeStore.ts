/**
 * The shared counter behind the organization-wide brake: every remediator
 * instance (every invocation, every container) takes from the same count
 * per window. A window is one UTC hour, named `2026-12-05T17`.
 */
export interface BrakeStore {
  /** Take one remediation from the window's count: true while fewer than `limit` were taken, atomically. */
  take(window: string, limit: number): Promise<boolean>;
  /** True for exactly one caller per window: the one that publishes the window's alarm. */
  claimAlarm(window: string): Promise<boolean>;
}

/** The UTC hour `now` falls in: `2026-12-05T17`. */
export function brakeWindowOf(now: Date): string {
  return now.toISOString().slice(0, 13);
}

/** When the window after `window` starts (the brake releases): `2026-12-05T18:00:00.000Z` for `2026-12-05T17`. */
export function windowEnd(window: string): Date {
  const start = Date.parse(`${window}:00:00.000Z`);
  if (Number.isNaN(start)) throw new Error(`not a brake window (YYYY-MM-DDTHH): ${window}`);
  return new Date(start + 3_600_000);
}
