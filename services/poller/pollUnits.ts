import { mapWithConcurrency } from '../core/concurrency.ts';
import { pollUnit, type PollOptions, type PollUnit, type UnitReport } from './pollUnit.ts';
import type { ResourceSink } from './sinks.ts';

export interface PollSummary {
  units: number;
  listed: number;
  failedUnits: UnitReport[];
}

export function unitsOf(accounts: readonly string[], regions: readonly string[]): PollUnit[] {
  return accounts.flatMap((account) => regions.map((region) => ({ account, region })));
}

/**
 * Poll many units with bounded concurrency (config.concurrency). A unit that
 * fails is reported and the rest continue; a failing sink stops the run.
 */
export async function pollUnits(units: readonly PollUnit[], options: PollOptions, sink: ResourceSink): Promise<PollSummary> {
  let done = 0;
  const reports = await mapWithConcurrency(units, options.config.concurrency, async (unit) => {
    // pollUnit isolates failing types itself; what it throws is the sink failing, which must stop the run.
    const report = await pollUnit(unit, options, sink);
    done += 1;
    options.log.info(`polled ${unit.account}/${unit.region}: ${report.listed} resources${report.failures.length > 0 ? `, ${report.failures.length} type(s) failed` : ''} [${done}/${units.length}]`);
    return report;
  });
  return {
    units: units.length,
    listed: reports.reduce((sum, r) => sum + r.listed, 0),
    failedUnits: reports.filter((r) => r.failures.length > 0),
  };
}
