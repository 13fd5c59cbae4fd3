import { SEVERITIES, SEVERITY_RANK, type Finding } from '../services/core/findings.ts';
import type { FindingChange } from '../services/remediator/notifyChanges.ts';

/** Findings grouped by account, then by check: how many resources, and what remediation did. */
export function formatFindingsByAccount(findings: readonly Finding[]): string {
  if (findings.length === 0) return '  (no findings)';
  const lines: string[] = [];
  const accounts = [...new Set(findings.map((f) => f.account))].sort();
  for (const account of accounts) {
    lines.push(`  account ${account}`);
    const mine = findings.filter((f) => f.account === account);
    const checks = [...new Set(mine.map((f) => f.checkId))].sort((a, b) => {
      const severity = (id: string) => SEVERITY_RANK[mine.find((f) => f.checkId === id)?.severity ?? 'info'];
      return severity(b) - severity(a) || a.localeCompare(b);
    });
    for (const checkId of checks) {
      const group = mine.filter((f) => f.checkId === checkId);
      const first = group[0];
      const regions = [...new Set(group.map((f) => f.region))].sort().join(',');
      const statuses = [...new Set(group.map((f) => f.remediation))].sort().join('/');
      lines.push(`    ${(first?.severity ?? '').padEnd(8)} ${checkId.padEnd(42)} ${String(group.length).padStart(2)} in ${regions.padEnd(20)} ${statuses}`);
    }
  }
  return lines.join('\n');
}

export function severityCounts(findings: readonly Finding[]): string {
  return SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ') || 'none';
}

export function remediationCounts(findings: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.remediation, (counts.get(f.remediation) ?? 0) + 1);
  return [...counts.entries()].sort().map(([status, n]) => `${n} ${status}`).join(', ') || 'none';
}

type CheckAt = { account: string; region: string; checkId: string };

/** What the maker provoked but the pipeline did not find, and what it found that the maker did not provoke (per account, region and check). */
export function compareWithProvoked(provoked: readonly CheckAt[], found: readonly CheckAt[]): { missed: string[]; unexpected: string[] } {
  const key = (f: CheckAt) => `${f.account} ${f.region} ${f.checkId}`;
  const foundKeys = new Set(found.map(key));
  const provokedKeys = new Set(provoked.map(key));
  return {
    missed: [...provokedKeys].filter((k) => !foundKeys.has(k)).sort(),
    unexpected: [...foundKeys].filter((k) => !provokedKeys.has(k)).sort(),
  };
}

/** What a pass published, per transition: "12 resolved, 3 remediation_changed"; "no change". */
export function changeCounts(changes: readonly FindingChange[]): string {
  const counts = new Map<string, number>();
  for (const { transition } of changes) counts.set(transition, (counts.get(transition) ?? 0) + 1);
  return [...counts.entries()].sort().map(([transition, n]) => `${n} ${transition}`).join(', ') || 'no change';
}

export function resolvedFindings(changes: readonly FindingChange[]): Finding[] {
  return changes.filter((c) => c.transition === 'resolved').map((c) => c.finding);
}
