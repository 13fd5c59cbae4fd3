import { pollUnit, type PollOptions, type PollUnit, type UnitReport } from './pollUnit.ts';
import type { ResourceSink } from './sinks.ts';

export interface PollSummary {
  units: number;
  listed: number;
  failedUnits: UnitReport[];
  /** The units' wall times added up: divided by the run's wall time, the units in flight on average. */
  unitMs: number;
}

export function unitsOf(accounts: readonly string[], regions: readonly string[]): PollUnit[] {
  return accounts.flatMap((account) => regions.map((region) => ({ account, region })));
}

/** Units handed out one at a time, undefined when there are no more (a poll thread asks the main thread for accounts as it goes). */
export type UnitSource = () => Promise<PollUnit | undefined>;

/**
 * Poll many units with bounded concurrency (config.concurrency). A unit that
 * fails is reported and the rest continue; a failing sink stops the run.
 */
export async function pollUnits(units: readonly PollUnit[], options: PollOptions, sink: ResourceSink): Promise<PollSummary> {
  let next = 0;
  return pollUnitsFrom(async () => units[next++], options, sink, { total: units.length });
}

export interface UnitProgress {
  /** How many units there are, when known: shown in the progress lines. */
  total?: number;
  /** Called when a unit is polled. */
  polled?: (unit: PollUnit) => void;
  /** Tells of each polled unit in place of this poll's own progress line (poll threads: the main thread counts for the whole run). */
  announce?: (report: UnitReport) => void;
}

/** A progress line: `polled <account>/<region>: <n> resources [<done>/<total>]`. */
export function polledLine(report: UnitReport, done: number, total?: number): string {
  const failed = report.failures.length > 0 ? `, ${report.failures.length} type(s) failed` : '';
  return `polled ${report.account}/${report.region}: ${report.listed} resources${failed} [${done}${total === undefined ? '' : `/${total}`}]`;
}

/** pollUnits over units that arrive as the poll goes. */
export async function pollUnitsFrom(source: UnitSource, options: PollOptions, sink: ResourceSink, progress: UnitProgress = {}): Promise<PollSummary> {
  const { total } = progress;
  const reports: UnitReport[] = [];
  let unitMs = 0;
  const poller = async (): Promise<void> => {
    for (let unit = await source(); unit; unit = await source()) {
      // pollUnit isolates failing types itself; what it throws is the sink failing, which must stop the run.
      const started = performance.now();
      const report = await pollUnit(unit, options, sink);
      unitMs += performance.now() - started;
      reports.push(report);
      progress.polled?.(unit);
      if (progress.announce) progress.announce(report);
      else options.log.info(polledLine(report, reports.length, total));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.config.concurrency, total ?? Number.POSITIVE_INFINITY)) }, poller));
  return {
    units: reports.length,
    listed: reports.reduce((sum, r) => sum + r.listed, 0),
    failedUnits: reports.filter((r) => r.failures.length > 0),
    unitMs,
  };
}
