import type { ControlReport } from '../../auditors/region/readControl.ts';
import { attentionCount, type BaselineReport } from './baselineReport.ts';
import { truncate } from '../core/text.ts';

const ANSI = { green: '\u001b[32m', red: '\u001b[31m', yellow: '\u001b[33m', magenta: '\u001b[35m', dim: '\u001b[2m', reset: '\u001b[0m' } as const;
const DETAIL_WIDTH = 100;

export function statusText(control: ControlReport): string {
  return control.status === 'not_applicable' ? 'not applicable' : control.status;
}

export function controlName(control: ControlReport): string {
  return control.required ? control.label : `${control.label} (optional)`;
}

function colourOf(control: ControlReport): string {
  if (control.status === 'enabled') return ANSI.green;
  if (control.status === 'not_applicable') return ANSI.dim;
  if (!control.required) return ANSI.yellow;
  return control.status === 'unknown' ? ANSI.magenta : ANSI.red;
}

/** One summary line: what needs attention, over how many units. */
export function baselineSummary(report: BaselineReport): string {
  const attention = attentionCount(report);
  const scope = `${report.accounts.length} account(s) x ${report.regions.length} region(s)`;
  const failed = report.units.filter((u) => u.error).length;
  const unread = failed > 0 ? `; ${failed} unit(s) could not be read` : '';
  return attention === 0 ? `${scope}: every required control is on${unread}` : `${scope}: ${attention} required control(s) off or unknown${unread}`;
}

/** A table for a terminal: one line per account, region and control, the status coloured when asked. */
export function formatBaselineTable(report: BaselineReport, options: { colour?: boolean } = {}): string {
  const header = ['ACCOUNT', 'REGION', 'CONTROL', 'STATUS', 'DETAIL'];
  const lines = report.units.flatMap((unit) => unit.controls.map((control) => ({ control, cells: [unit.account, unit.region, controlName(control), statusText(control), truncate(control.detail, DETAIL_WIDTH)] })));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => (line.cells[i] ?? '').length)));
  const render = (cells: string[], control?: ControlReport) =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
        return control && i === 3 && options.colour ? `${colourOf(control)}${padded}${ANSI.reset}` : padded;
      })
      .join('  ')
      .trimEnd();
  const body = lines.map((line) => render(line.cells, line.control));
  return [render(header), ...body, '', baselineSummary(report)].join('\n');
}
