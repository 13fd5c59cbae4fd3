import type { PollUnit } from './pollUnit.ts';
import type { UnitSource } from './pollUnits.ts';

/**
 * Units drawn account by account (poll threads, pollThreads.ts): an account's
 * regions become units when it is drawn, and the next account is asked for
 * ahead, once fewer than `ahead` units are left, so pollers rarely wait on
 * the asking. `nextAccount` never rejects; undefined means no more.
 */
export function unitsByAccount(
  nextAccount: () => Promise<string | undefined>,
  regions: readonly string[],
  options: { ahead: number; prepareAccount?: (account: string) => void },
): UnitSource {
  const units: PollUnit[] = [];
  let asking: Promise<void> | undefined;
  let exhausted = false;
  const ask = (): Promise<void> =>
    (asking ??= nextAccount().then((account) => {
      asking = undefined;
      if (account === undefined) {
        exhausted = true;
        return;
      }
      options.prepareAccount?.(account);
      for (const region of regions) units.push({ account, region });
    }));
  return async () => {
    while (units.length === 0 && !exhausted) await ask();
    const unit = units.shift();
    if (units.length < options.ahead && !exhausted) void ask();
    return unit;
  };
}

/** Calls `done(account)` once each of the account's `regions` units has been polled (UnitProgress.polled). */
export function accountCompletion(regions: number, done: (account: string) => void): (unit: PollUnit) => void {
  const left = new Map<string, number>();
  return (unit) => {
    const remaining = (left.get(unit.account) ?? regions) - 1;
    if (remaining > 0) {
      left.set(unit.account, remaining);
      return;
    }
    left.delete(unit.account);
    done(unit.account);
  };
}
