import { controlName, statusText, baselineSummary } from './baselineTable.ts';
import { needsAttention, type BaselineReport } from './baselineReport.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * `--markdown`, for pasting into a ticket: a matrix (control x account/region)
 * and the list of what needs attention with the detail that decided it.
 */
export function formatBaselineMarkdown(report: BaselineReport): string {
  const units = report.units;
  const header = `| control | ${units.map((u) => `${u.account} ${u.region}`).join(' | ')} |`;
  const rule = `|---|${units.map(() => '---|').join('')}`;
  const first = units[0]?.controls ?? [];
  const rows = first.map((control, index) => {
    const statuses = units.map((unit) => {
      const c = unit.controls[index];
      if (!c) return '';
      return needsAttention(c) ? `**${statusText(c)}**` : statusText(c);
    });
    return `| ${cell(controlName(control))} | ${statuses.join(' | ')} |`;
  });
  const attention = units.flatMap((unit) =>
    unit.controls.filter(needsAttention).map((c) => `- ${unit.account} ${unit.region}, ${c.label} (\`${c.checkId}\`): **${statusText(c)}**: ${cell(c.detail)}`),
  );
  return [
    '## Security baseline',
    '',
    `${report.generatedAt}: ${baselineSummary(report)}.`,
    '',
    header,
    rule,
    ...rows,
    ...(attention.length > 0 ? ['', '### Needs attention', '', ...attention] : []),
  ].join('\n');
}
