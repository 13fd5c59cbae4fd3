import { SEVERITY_RANK, type Finding } from '../core/findings.ts';
import { truncate } from '../core/text.ts';
import type { FindingChange } from './notifyChanges.ts';

const COLOURS: Record<string, string> = { critical: '\u001b[1;31m', high: '\u001b[31m', medium: '\u001b[33m', low: '\u001b[36m', info: '\u001b[2m' };
const RESET = '\u001b[0m';

/** A findings table for a terminal, worst first, grouped by account. */
export function formatFindingsTable(findings: readonly Finding[], options: { colour?: boolean } = {}): string {
  if (findings.length === 0) return 'No findings.';
  const rows = [...findings].sort(
    (a, b) => a.account.localeCompare(b.account) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.checkId.localeCompare(b.checkId) || a.id.localeCompare(b.id),
  );
  const header = ['SEVERITY', 'ACCOUNT', 'REGION', 'RESOURCE', 'CHECK', 'REMEDIATION', 'DETAIL'];
  const cells = rows.map((f) => [f.severity, f.account, f.region, truncate(`${f.type} ${f.id}`, 48), f.checkId, f.remediation, truncate(f.detail, 80)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const body = cells.map((row, index) => {
    const text = line(row);
    const severity = rows[index]?.severity ?? 'info';
    return options.colour ? `${COLOURS[severity] ?? ''}${text}${RESET}` : text;
  });
  return [line(header), ...body].join('\n');
}

export function summarise(findings: readonly Finding[]): string {
  const bySeverity = new Map<string, number>();
  const byRemediation = new Map<string, number>();
  for (const f of findings) {
    bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
    byRemediation.set(f.remediation, (byRemediation.get(f.remediation) ?? 0) + 1);
  }
  const severities = Object.keys(SEVERITY_RANK).filter((s) => bySeverity.has(s)).map((s) => `${bySeverity.get(s)} ${s}`);
  const remediations = [...byRemediation.entries()].map(([status, count]) => `${count} ${status}`);
  return `${findings.length} finding(s)${severities.length ? `: ${severities.join(', ')}` : ''}${remediations.length ? `; remediation: ${remediations.join(', ')}` : ''}`;
}

/** With a findings store: what changed this run, transition first; "No change." when nothing did. */
export function formatChangesTable(changes: readonly FindingChange[], options: { colour?: boolean } = {}): string {
  if (changes.length === 0) return 'No change.';
  const byTransition = [...changes].sort((a, b) => a.transition.localeCompare(b.transition));
  return [...new Set(byTransition.map((c) => c.transition))]
    .map((transition) => `${transition.toUpperCase()}:\n${formatFindingsTable(byTransition.filter((c) => c.transition === transition).map((c) => c.finding), options)}`)
    .join('\n\n');
}

export function summariseChanges(changes: readonly FindingChange[]): string {
  if (changes.length === 0) return 'no change';
  const counts = new Map<string, number>();
  for (const { transition } of changes) counts.set(transition, (counts.get(transition) ?? 0) + 1);
  return `changes: ${[...counts.entries()].map(([transition, count]) => `${count} ${transition}`).join(', ')}`;
}
