/**
 * `findings`: the findings store file (`remediator --findings-store FILE`)
 * exported, one finding per record, in JSON lines, ASFF, OCSF or CSV.
 * Reads only; never writes the file.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT } from '../core/cliRuntime.ts';
import { ConfigError } from '../core/errors.ts';
import { EXPORT_FORMATS, exportFormatOf, exportPreamble, exportRecord } from '../exports/exportFormat.ts';
import { exportOfRecord } from '../exports/exportedFinding.ts';
import { FileFindingsStore } from './fileFindingsStore.ts';
import { FINDING_STATUSES, type FindingStatus } from './findingRecord.ts';

export const FINDINGS_HELP = `Usage: findings --findings-store FILE [--status open|resolved|excepted|all] [--format ${EXPORT_FORMATS.join('|')}]

Prints the findings kept in a findings store file (written by
remediator --findings-store FILE), one finding per record.

  --findings-store FILE   the store to read (required; it is not changed)
  --status S              open (default), resolved, excepted or all
  --format F              jsonl (default): the finding with status, firstSeen, lastSeen;
                          asff: AWS Security Finding Format, one JSON object per line;
                          ocsf: OCSF 1.1.0 Compliance Finding (class 2003), one per line;
                          csv: RFC 4180, a header line then one row per finding
  -h, --help              this help

Exit code: 0 no finding printed, 1 findings printed, 2 errors (missing or bad file, bad flag).`;

const STATUS_CHOICES = [...FINDING_STATUSES, 'all'] as const;

function statusFilterOf(value: string | undefined): FindingStatus | 'all' {
  if (value === undefined) return 'open';
  const status = STATUS_CHOICES.find((known) => known === value);
  if (!status) throw new ConfigError([`--status must be one of ${STATUS_CHOICES.join(', ')} (got ${JSON.stringify(value)})`]);
  return status;
}

export interface FindingsIo {
  write?: (text: string) => void;
}

export function runFindings(argv: string[], io: FindingsIo = {}): Promise<number> {
  const write = io.write ?? ((text: string) => void process.stdout.write(text));
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'findings-store': { type: 'string' }, status: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError([`${error instanceof Error ? error.message : String(error)} (see --help)`]);
  }
  if (values.help) {
    write(`${FINDINGS_HELP}\n`);
    return Promise.resolve(EXIT.ok);
  }
  const path = values['findings-store'];
  if (path === undefined) throw new ConfigError(['--findings-store FILE is required (the file remediator --findings-store FILE wrote); see --help']);
  const format = exportFormatOf(values.format);
  const status = statusFilterOf(values.status);
  if (!existsSync(path)) throw new ConfigError([`--findings-store ${path} does not exist; run remediator --findings-store ${path} first`]);
  const records = new FileFindingsStore(path).all().filter((record) => status === 'all' || record.status === status);
  write(exportPreamble(format));
  for (const record of records) write(exportRecord(format, exportOfRecord(record)));
  return Promise.resolve(records.length > 0 ? EXIT.findings : EXIT.ok);
}
