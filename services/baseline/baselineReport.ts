/**
 * The security baseline report: every posture control's status per account
 * and region, read with the region auditor's own collect and judged with
 * its own pure checks, so the report and the findings never disagree.
 */
import { collectRegionState, regionPosture, uniformRegionState, type RegionState } from '../../auditors/region/index.ts';
import type { ControlReport } from '../../auditors/region/readControl.ts';
import type { CheckContext, ResourceContext } from '../../auditors/contract.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import { mapWithConcurrency } from '../core/concurrency.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';

export interface UnitPosture {
  account: string;
  region: string;
  controls: ControlReport[];
  /** The unit could not be read at all (AssumeRole refused, ...): every control is unknown. */
  error?: string;
}

export interface BaselineReport {
  generatedAt: string;
  accounts: string[];
  regions: string[];
  units: UnitPosture[];
}

export interface BaselineOptions {
  config: Config;
  factory: ClientFactory;
  log: Log;
  now?: Date;
}

/** A required control that is off or that nobody could read. */
export function needsAttention(control: ControlReport): boolean {
  return control.required && (control.status === 'disabled' || control.status === 'unknown');
}

export function attentionCount(report: BaselineReport): number {
  return report.units.reduce((sum, unit) => sum + unit.controls.filter(needsAttention).length, 0);
}

/** Every reading unknown, for a unit that could not be read at all. */
function unreadable(detail: string): RegionState {
  return uniformRegionState({ outcome: 'unknown', detail });
}

export async function readUnitPosture(account: string, region: string, options: BaselineOptions, now: Date): Promise<UnitPosture> {
  const { config, factory } = options;
  const checkContext: CheckContext = { account, region, id: '', config, trustedAccounts: new Set(), now };
  try {
    const context: ResourceContext = {
      account,
      region,
      id: '',
      clients: factory.forAccount(account, region),
      clientsFor: (otherAccount, otherRegion) => factory.forAccount(otherAccount, otherRegion),
      config,
    };
    return { account, region, controls: regionPosture(await collectRegionState(context), checkContext) };
  } catch (error) {
    const detail = describeError(error);
    options.log.warn('cannot read the posture of a unit', { account, region, error: detail });
    return { account, region, controls: regionPosture(unreadable(detail), checkContext), error: detail };
  }
}

/** Read every (account, region), config.concurrency at a time, in account then region order. */
export async function collectBaseline(accounts: readonly string[], options: BaselineOptions): Promise<BaselineReport> {
  const now = options.now ?? new Date();
  const { regions } = options.config;
  const units = accounts.flatMap((account) => regions.map((region) => ({ account, region })));
  const postures = await mapWithConcurrency(units, options.config.concurrency, (unit) => readUnitPosture(unit.account, unit.region, options, now));
  return { generatedAt: now.toISOString(), accounts: [...accounts], regions: [...regions], units: postures };
}
