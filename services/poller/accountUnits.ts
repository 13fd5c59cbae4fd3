import type { ResourceMessage } from '../core/message.ts';
import type { PollThreadSetup } from './pollThreadMessages.ts';
import type { PollOptions, PollUnit } from './pollUnit.ts';
import { pollUnitsFrom, type PollSummary, type UnitProgress, type UnitSource } from './pollUnits.ts';

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

/**
 * What a poll thread (the main thread's share included) does: poll the
 * accounts `nextAccount` hands it, config.concurrency units at once, each
 * account's role assumed when it is drawn, each account prepared and
 * released through the thread's setup.
 */
export function pollDrawnAccounts(
  nextAccount: () => Promise<string | undefined>,
  setup: PollThreadSetup,
  options: Omit<PollOptions, 'factory'>,
  emit: (messages: ResourceMessage[]) => Promise<void>,
  /** Units in all (shown in the progress lines), or who tells of each polled unit instead. */
  progress: Pick<UnitProgress, 'total' | 'announce'> = {},
): Promise<PollSummary> {
  const { config } = options;
  const prepareAccount = (account: string): void => {
    setup.prepareAccount?.(account);
    setup.factory.prefetchCredentials(account, config.homeRegion);
  };
  const source = unitsByAccount(nextAccount, config.regions, { ahead: config.concurrency, prepareAccount });
  const release = setup.releaseAccount ? { polled: accountCompletion(config.regions.length, setup.releaseAccount) } : {};
  return pollUnitsFrom(source, { ...options, factory: setup.factory }, emit, { ...progress, ...release });
}

/**
 * The poller in one thread (few accounts, or a sandbox): `accounts` polled as
 * a poll thread polls those it draws, so each account's role is assumed
 * ahead of its units, not on their critical path.
 */
export function pollAccounts(accounts: readonly string[], setup: PollThreadSetup, options: Omit<PollOptions, 'factory'>, emit: (messages: ResourceMessage[]) => Promise<void>): Promise<PollSummary> {
  let next = 0;
  return pollDrawnAccounts(async () => accounts[next++], setup, options, emit, { total: accounts.length * options.config.regions.length });
}
