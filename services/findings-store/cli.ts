/**
 * `findings`: a findings store exported, one finding per record, in JSON
 * lines, ASFF, OCSF or CSV: the file `remediator --findings-store FILE`
 * writes, or the deployed DynamoDB table (`--table NAME`, else the
 * findingsTableName config). Reads only; never writes the store.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT } from '../core/cliRuntime.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ClientFactory } from '../core/clientFactory.ts';
import { loadConfig, type RawConfig } from '../core/config.ts';
import { ConfigError, describeError } from '../core/errors.ts';
import { EXPORT_FORMATS, exportFormatOf, exportPreamble, exportRecord } from '../exports/exportFormat.ts';
import { exportOfRecord } from '../exports/exportedFinding.ts';
import { DynamoFindingsStore } from './dynamoFindingsStore.ts';
import { FileFindingsStore } from './fileFindingsStore.ts';
import { FINDING_STATUSES, type FindingRecord, type FindingStatus } from './findingRecord.ts';

export const FINDINGS_HELP = `Usage: findings (--findings-store FILE | --table NAME) [--status open|resolved|excepted|all] [--format ${EXPORT_FORMATS.join('|')}]

Prints the findings kept in a findings store, one finding per record: the
file remediator --findings-store FILE writes, or the deployed DynamoDB table.

  --findings-store FILE   the store file to read (it is not changed)
  --table NAME            the DynamoDB findings table (name or ARN) to read, in the home region,
                          with your own credentials (dynamodb:Scan); default: the findingsTableName
                          config (FINDINGS_TABLE_NAME, or --config FILE)
  --region R              the table's region (default: the config's home region, else us-east-1)
  --config FILE           JSON configuration file (also CONFIG_FILE)
  --status S              open (default), resolved, excepted or all
  --format F              jsonl (default): the finding with status, firstSeen, lastSeen;
                          asff: AWS Security Finding Format, one JSON object per line;
                          ocsf: OCSF 1.1.0 Compliance Finding (class 2003), one per line;
                          csv: RFC 4180, a header line then one row per finding
  -h, --help              this help

Exit code: 0 no finding printed, 1 findings printed, 2 errors (missing or bad store, bad flag).`;

const STATUS_CHOICES = [...FINDING_STATUSES, 'all'] as const;

function statusFilterOf(value: string | undefined): FindingStatus | 'all' {
  if (value === undefined) return 'open';
  const status = STATUS_CHOICES.find((known) => known === value);
  if (!status) throw new ConfigError([`--status must be one of ${STATUS_CHOICES.join(', ')} (got ${JSON.stringify(value)})`]);
  return status;
}

export interface FindingsIo {
  write?: (text: string) => void;
  /** Where the config and the SDK's endpoint variables are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export function runFindings(argv: string[], io: FindingsIo = {}): Promise<number> {
  const write = io.write ?? ((text: string) => void process.stdout.write(text));
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'findings-store': { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
        config: { type: 'string' },
        status: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
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
  const format = exportFormatOf(values.format);
  const status = statusFilterOf(values.status);
  const path = values['findings-store'];
  if (path !== undefined && (values.table !== undefined || values.region !== undefined)) throw new ConfigError(['--findings-store FILE reads a file: --table and --region name a DynamoDB table instead; give one or the other']);
  const records = path !== undefined ? Promise.resolve(fileRecords(path, status)) : tableRecords(values, status, io.env ?? process.env);
  return records.then((found) => {
    write(exportPreamble(format));
    for (const record of found) write(exportRecord(format, exportOfRecord(record)));
    return found.length > 0 ? EXIT.findings : EXIT.ok;
  });
}

function fileRecords(path: string, status: FindingStatus | 'all'): FindingRecord[] {
  if (!existsSync(path)) throw new ConfigError([`--findings-store ${path} does not exist; run remediator --findings-store ${path} first`]);
  return new FileFindingsStore(path).all().filter((record) => status === 'all' || record.status === status);
}

/** The DynamoDB table: --table, else the findingsTableName config (flag > environment > file), read with the caller's own credentials. */
async function tableRecords(values: { table?: string; region?: string; config?: string }, status: FindingStatus | 'all', env: NodeJS.ProcessEnv): Promise<FindingRecord[]> {
  const flags: RawConfig = { ...(values.table !== undefined ? { findingsTableName: values.table } : {}), ...(values.region !== undefined ? { regions: [values.region] } : {}) };
  const config = loadConfig({ flags, env, ...(values.config !== undefined ? { file: values.config } : {}) });
  const table = config.findingsTableName;
  if (!table) throw new ConfigError(['--findings-store FILE or --table NAME is required (or the findingsTableName config, FINDINGS_TABLE_NAME); see --help']);
  const factory = new ClientFactory({ memberRoleName: config.memberRoleName, assumeRole: false, env });
  const store = new DynamoFindingsStore(factory.forSecurityAccount(config.homeRegion).get(DynamoDBClient), table);
  try {
    return await store.all(status === 'all' ? undefined : status);
  } catch (error) {
    throw new ConfigError([`--table ${table} in ${config.homeRegion}: ${describeError(error)} (reading needs dynamodb:Scan on the table)`]);
  }
}
