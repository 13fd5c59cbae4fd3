/**
 * The export formats of `remediator --format` and `findings --format`: one
 * finding per record, the same fields in each. jsonl, asff and ocsf are JSON
 * lines (one object per line: the finding, its ASFF, its OCSF Compliance
 * Finding); csv has a header line first.
 */
import { ConfigError } from '../core/errors.ts';
import { toAsff, type AsffContext } from './asff.ts';
import { csvHeader, csvRow } from './csv.ts';
import type { ExportedFinding } from './exportedFinding.ts';
import { toOcsf } from './ocsf.ts';

export const EXPORT_FORMATS = ['jsonl', 'asff', 'ocsf', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportFormatOf(value: unknown): ExportFormat {
  if (value === undefined) return 'jsonl';
  const format = EXPORT_FORMATS.find((known) => known === value);
  if (format) return format;
  throw new ConfigError([`--format must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(value)})`]);
}

/** The text before the first record (the CSV header). */
export function exportPreamble(format: ExportFormat): string {
  return format === 'csv' ? csvHeader() : '';
}

/** One record, with its line end. */
export function exportRecord(format: ExportFormat, finding: ExportedFinding, context: AsffContext = {}): string {
  switch (format) {
    case 'jsonl':
      return `${JSON.stringify(finding)}\n`;
    case 'asff':
      return `${JSON.stringify(toAsff(finding, context))}\n`;
    case 'ocsf':
      return `${JSON.stringify(toOcsf(finding))}\n`;
    case 'csv':
      return csvRow(finding);
  }
}
