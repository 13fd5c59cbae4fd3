/**
 * `findings --table NAME` on moto's DynamoDB: the deployed findings table
 * (schema as serverless.yml declares it, a table of this file's own) read
 * with the caller's own credentials (the SDK's default chain), filtered by status, in every format; the
 * table named by FINDINGS_TABLE_NAME when --table is not given; a clear
 * error for a table that does not exist.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../services/core/errors.ts';
import { findingIdOf, type Finding } from '../../services/core/findings.ts';
import { DynamoFindingsStore } from '../../services/findings-store/dynamoFindingsStore.ts';
import { FINDINGS_HELP, runFindings } from '../../services/findings-store/cli.ts';
import { createFindingsTable } from './motoFindingsTable.ts';
import { motoEndpoint, motoEnvironment } from './moto.ts';

const TABLE = 'findings-cli-on-moto';
const ACCOUNT = '260000000006';

function finding(checkId: string, id: string, remediation: Finding['remediation'] = 'planned'): Finding {
  return { findingId: findingIdOf(checkId, ACCOUNT, 'us-east-1', id), checkId, title: `${checkId} on ${id}`, severity: 'high', account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id, detail: 'statement "Public" allows s3:GetObject to *', remediation };
}
const open = finding('s3_bucket.public_policy', 'public-site');
const excepted = finding('s3_bucket.tls_not_enforced', 'public-site', 'excepted');
const resolved = finding('s3_bucket.public_access_block_off', 'old-site');

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const output: string[] = [];
  // The SDK's credential chain reads process.env (stubbed below); the config and endpoints read `env`.
  const code = await runFindings(args, { write: (text) => output.push(text), env: { ...motoEnvironment(), ...env } });
  const text = output.join('');
  return { code, text, lines: text.split('\n').filter((line) => line !== '') };
}

const idsOf = (lines: readonly string[]) => lines.map((line) => (JSON.parse(line) as { findingId: string }).findingId);

describe('findings --table on moto (integration)', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await createFindingsTable(client, TABLE);
    const store = new DynamoFindingsStore(client, TABLE);
    for (const f of [open, excepted, resolved]) await store.record({ outcome: 'failing', finding: f }, new Date('2026-12-01T10:00:00Z'));
    await store.record({ outcome: 'passing', findingId: resolved.findingId, because: 'the check passes now' }, new Date('2026-12-02T10:00:00Z'));
  });

  it.each([
    [[], [open.findingId]],
    [['--status', 'excepted'], [excepted.findingId]],
    [['--status', 'resolved'], [resolved.findingId]],
    [['--status', 'all'], [open.findingId, excepted.findingId, resolved.findingId].sort()],
  ])('--table %j: those findings, as the file store prints them', async (args, ids) => {
    const { code, lines } = await run(['--table', TABLE, ...args]);
    expect(code).toBe(1);
    expect(idsOf(lines)).toEqual(ids);
    const [first] = lines.map((line) => JSON.parse(line) as { status: string; firstSeen: string; controls?: unknown });
    expect(first?.firstSeen).toBe('2026-12-01T10:00:00.000Z');
  });

  it('--format asff: the resolved one archived', async () => {
    const { lines } = await run(['--table', TABLE, '--status', 'resolved', '--format', 'asff']);
    expect(lines.map((line) => JSON.parse(line) as { Id: string; RecordState: string; Compliance: { Status: string } }).map((f) => [f.Id, f.RecordState, f.Compliance.Status])).toEqual([[resolved.findingId, 'ARCHIVED', 'PASSED']]);
  });

  it('without --table: the findingsTableName config (FINDINGS_TABLE_NAME)', async () => {
    const { code, lines } = await run(['--status', 'all'], { FINDINGS_TABLE_NAME: TABLE });
    expect(code).toBe(1);
    expect(idsOf(lines)).toHaveLength(3);
  });

  it('a table that does not exist: a clear error naming it', async () => {
    const failure = run(['--table', 'no-such-findings-table']);
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(/--table no-such-findings-table in us-east-1: ResourceNotFoundException.*dynamodb:Scan/);
  });

  it('--help says so', () => {
    expect(FINDINGS_HELP).toMatch(/--table NAME\s+the DynamoDB findings table/);
    expect(FINDINGS_HELP).toContain('findingsTableName');
  });
});
