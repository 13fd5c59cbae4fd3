/**
 * The demo's baseline: the security baseline seeded into the sandbox
 * organization before the audit, and the report printed after the findings
 * (a matrix of control x account/region, with the baseline report's own
 * wording and summary line).
 */
import type { BaselineReport } from '../services/baseline/baselineReport.ts';
import { needsAttention } from '../services/baseline/baselineReport.ts';
import { baselineSummary, controlName, statusText } from '../services/baseline/baselineTable.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { seedSecurityBaseline } from '../sandbox/securityBaseline.ts';

/**
 * Every account but the development one gets the full baseline; the
 * development account keeps AWS's defaults, with GuardDuty switched on:
 * the report then shows what a fresh account lacks.
 */
export function seedDemoBaseline(sandbox: Sandbox, accounts: readonly string[], regions: readonly string[], devAccount: string): string {
  for (const account of accounts) {
    for (const region of regions) seedSecurityBaseline(sandbox.state, account, region, account === devAccount ? { only: ['guardduty'] } : {});
  }
  const seeded = accounts.filter((account) => account !== devAccount);
  const dev = accounts.includes(devAccount) ? `; ${devAccount} left at AWS's defaults, GuardDuty on` : '';
  return `security baseline seeded in ${seeded.join(', ') || 'no account'}${dev}`;
}

const MARK = ' *';

/** Control x (account, region), each cell the control's status; `*` marks a required control off or unknown. */
export function formatBaselineMatrix(report: BaselineReport): string {
  const units = report.units;
  const rows = (units[0]?.controls ?? []).map((control, index) => ({
    name: controlName(control),
    cells: units.map((unit) => {
      const c = unit.controls[index];
      return c ? `${statusText(c)}${needsAttention(c) ? MARK : ''}` : '';
    }),
  }));
  const nameWidth = Math.max('CONTROL'.length, ...rows.map((row) => row.name.length));
  const cellWidth = Math.max(...units.map((u) => u.account.length), ...rows.flatMap((row) => row.cells.map((cell) => cell.length)));
  const line = (first: string, cells: readonly string[]) => `  ${first.padEnd(nameWidth)}  ${cells.map((cell) => cell.padEnd(cellWidth)).join('  ')}`.trimEnd();
  return [
    line('CONTROL', units.map((u) => u.account)),
    line('', units.map((u) => u.region)),
    ...rows.map((row) => line(row.name, row.cells)),
    '',
    `  ${baselineSummary(report)}${rows.some((row) => row.cells.some((cell) => cell.endsWith(MARK))) ? ` (marked${MARK})` : ''}`,
  ].join('\n');
}
