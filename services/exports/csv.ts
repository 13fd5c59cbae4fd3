/**
 * Findings as CSV (RFC 4180: https://www.rfc-editor.org/rfc/rfc4180):
 * CRLF line ends, a fixed header, and a field quoted when it holds a comma,
 * a double quote, CR or LF, its double quotes doubled. The columns are the
 * JSON lines' fields; controls as labels ("FSBP S3.2; CIS 2.1.4").
 */
import { controlLabels } from '../core/frameworks.ts';
import type { ExportedFinding } from './exportedFinding.ts';

export const CSV_COLUMNS = [
  'findingId',
  'checkId',
  'title',
  'severity',
  'account',
  'region',
  'type',
  'id',
  'detail',
  'remediation',
  'remediationDetail',
  'controls',
  'status',
  'firstSeen',
  'lastSeen',
] as const satisfies readonly (keyof ExportedFinding)[];

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function cellOf(finding: ExportedFinding, column: (typeof CSV_COLUMNS)[number]): string {
  if (column === 'controls') return controlLabels(finding.controls).join('; ');
  return finding[column] ?? '';
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(finding: ExportedFinding): string {
  return `${CSV_COLUMNS.map((column) => csvField(cellOf(finding, column))).join(',')}\r\n`;
}

/** The header, then one row per finding. */
export function toCsv(findings: readonly ExportedFinding[]): string {
  return csvHeader() + findings.map(csvRow).join('');
}
