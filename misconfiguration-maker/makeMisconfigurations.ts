import type { ClientFactory } from '../services/core/clientFactory.ts';
import type { Config } from '../services/core/config.ts';
import { describeError } from '../services/core/errors.ts';
import type { Log } from '../services/core/log.ts';
import type { MisconfigurationEntry } from './makerContract.ts';
import { MAKER_ENTRIES } from './registry.ts';

export interface MakerTarget {
  account: string;
  region: string;
}

export interface MakerReport extends MakerTarget {
  done: { type: string; ids: string[] }[];
  failed: { type: string; error: string }[];
}

/** Entries that apply to this region: global ones (IAM) only in the home region. */
export function entriesFor(region: string, config: Config, entries: readonly MisconfigurationEntry[] = MAKER_ENTRIES): MisconfigurationEntry[] {
  return entries.filter((entry) => entry.scope === 'regional' || region === config.homeRegion);
}

/** What the entry's resources fail in this account: its dev-account checks only in dev accounts. */
export function provokedIn(entry: MisconfigurationEntry, config: Config, account: string): string[] {
  const devOnly = new Set(entry.devAccountChecks ?? []);
  return entry.provokes(config).filter((checkId) => !devOnly.has(checkId) || config.devAccounts.includes(account));
}

export function planFor(target: MakerTarget, config: Config, entries?: readonly MisconfigurationEntry[]): string[] {
  return entriesFor(target.region, config, entries).flatMap((entry) => entry.plan(target.account, target.region).map((line) => `${target.account}/${target.region}: ${line}`));
}

/**
 * Create (or, with teardown, remove) every entry's resources in one
 * account x region. Entries fail independently: one that fails is reported
 * and the others go on.
 */
export async function makeMisconfigurations(
  target: MakerTarget,
  options: { config: Config; factory: ClientFactory; log: Log; teardown?: boolean; entries?: readonly MisconfigurationEntry[] },
): Promise<MakerReport> {
  const report: MakerReport = { ...target, done: [], failed: [] };
  const clients = options.factory.forAccount(target.account, target.region);
  for (const entry of entriesFor(target.region, options.config, options.entries)) {
    const context = { ...target, clients, config: options.config, log: options.log };
    try {
      const ids = options.teardown ? await entry.teardown(context) : await entry.create(context);
      report.done.push({ type: entry.type, ids });
    } catch (error) {
      report.failed.push({ type: entry.type, error: describeError(error) });
      options.log.error(`${entry.type} in ${target.account}/${target.region}: ${describeError(error)}`);
    }
  }
  return report;
}
