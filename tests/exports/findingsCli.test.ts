/**
 * `findings --findings-store FILE`: reads the store the remediator writes and
 * prints its findings in each export format, filtered by status; clear errors
 * for a missing or bad file and bad flags. bin/findings.js runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingIdOf, type Finding } from '../../services/core/findings.ts';
import { ConfigError } from '../../services/core/errors.ts';
import { CSV_COLUMNS } from '../../services/exports/csv.ts';
import { FileFindingsStore } from '../../services/findings-store/fileFindingsStore.ts';
import { FINDINGS_HELP, runFindings } from '../../services/findings-store/cli.ts';

const ACCOUNT = '214000000002';
const DIR = mkdtempSync(join(tmpdir(), 'findings-cli-'));
const STORE = join(DIR, 'findings.json');

function finding(checkId: string, id: string, remediation: Finding['remediation'] = 'planned'): Finding {
  return { findingId: findingIdOf(checkId, ACCOUNT, 'us-east-1', id), checkId, title: `${checkId} on ${id}`, severity: 'high', account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id, detail: 'statement "Public", allows *', remediation };
}
const open = finding('s3_bucket.public_policy', 'public-site');
const excepted = finding('s3_bucket.tls_not_enforced', 'public-site', 'excepted');
const resolved = finding('s3_bucket.public_access_block_off', 'old-site');

beforeAll(async () => {
  const store = new FileFindingsStore(STORE);
  await store.record({ outcome: 'failing', finding: open }, new Date('2026-12-01T10:00:00Z'));
  await store.record({ outcome: 'failing', finding: excepted }, new Date('2026-12-01T10:00:00Z'));
  await store.record({ outcome: 'failing', finding: resolved }, new Date('2026-12-01T10:00:00Z'));
  await store.record({ outcome: 'passing', findingId: resolved.findingId, because: 'the check passes now' }, new Date('2026-12-02T10:00:00Z'));
  store.save();
});

async function run(args: string[]) {
  const output: string[] = [];
  const code = await runFindings(args, { write: (text) => output.push(text), env: {} });
  const text = output.join('');
  return { code, text, lines: text.split('\n').filter((line) => line !== '') };
}

describe('findings CLI', () => {
  it.each([
    [[], [open.findingId]],
    [['--status', 'open'], [open.findingId]],
    [['--status', 'excepted'], [excepted.findingId]],
    [['--status', 'resolved'], [resolved.findingId]],
    [['--status', 'all'], [open.findingId, excepted.findingId, resolved.findingId].sort()],
  ])('%j: JSON lines of those findings, with status and times', async (args, ids) => {
    const { code, lines } = await run(['--findings-store', STORE, ...args]);
    expect(code).toBe(1);
    const printed = lines.map((line) => JSON.parse(line) as { findingId: string; status: string; firstSeen: string; controls?: unknown });
    expect(printed.map((p) => p.findingId)).toEqual(ids);
    expect(printed.every((p) => p.firstSeen === '2026-12-01T10:00:00.000Z')).toBe(true);
  });

  it('jsonl: the record with its check\'s controls (the store does not keep them)', async () => {
    const { lines } = await run(['--findings-store', STORE]);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ checkId: 's3_bucket.public_policy', status: 'open', remediation: 'planned', controls: { fsbp: expect.arrayContaining(['S3.2']) } });
  });

  it.each([
    ['asff', (record: Record<string, unknown>) => [record.Id, (record.Workflow as { Status: string }).Status]],
    ['ocsf', (record: Record<string, unknown>) => [(record.finding_info as { uid: string }).uid, record.status]],
  ] as const)('--format %s: one JSON object per finding', async (format, pick) => {
    const { code, lines } = await run(['--findings-store', STORE, '--status', 'all', '--format', format]);
    expect(code).toBe(1);
    const byId = new Map(lines.map((line) => pick(JSON.parse(line) as Record<string, unknown>)).map(([id, status]) => [id, status]));
    const expected = format === 'asff' ? ['NEW', 'SUPPRESSED', 'RESOLVED'] : ['New', 'Suppressed', 'Resolved'];
    expect([byId.get(open.findingId), byId.get(excepted.findingId), byId.get(resolved.findingId)]).toEqual(expected);
  });

  it('--format csv: the header, then one row per finding', async () => {
    const { text } = await run(['--findings-store', STORE, '--status', 'all', '--format', 'csv']);
    const records = text.split('\r\n').filter((line) => line !== '');
    expect(records[0]).toBe(CSV_COLUMNS.join(','));
    expect(records).toHaveLength(4);
    expect(text).toContain('"statement ""Public"", allows *"');
  });

  it('no finding of that status: exit 0, nothing (csv: the header)', async () => {
    const empty = join(DIR, 'empty.json');
    writeFileSync(empty, JSON.stringify({ kind: 'findings-store', records: [] }));
    expect(await run(['--findings-store', empty])).toMatchObject({ code: 0, text: '' });
    expect(await run(['--findings-store', empty, '--format', 'csv'])).toMatchObject({ code: 0, text: `${CSV_COLUMNS.join(',')}\r\n` });
  });

  it('--help', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, text: `${FINDINGS_HELP}\n` });
  });

  const notJson = join(DIR, 'not-json.json');
  const notStore = join(DIR, 'not-store.json');
  writeFileSync(notJson, '{"kind": "findings-store", ');
  writeFileSync(notStore, JSON.stringify({ kind: 'something-else', records: [] }));
  it.each([
    [[], /--findings-store FILE or --table NAME is required \(or the findingsTableName config, FINDINGS_TABLE_NAME\)/],
    [['--findings-store', STORE, '--table', 'compliance-findings'], /--findings-store FILE reads a file: --table and --region name a DynamoDB table instead/],
    [['--findings-store', join(DIR, 'missing.json')], /missing\.json does not exist/],
    [['--findings-store', notJson], /not-json\.json is not JSON/],
    [['--findings-store', notStore], /not-store\.json is not a findings store written by this CLI: kind/],
    [['--findings-store', STORE, '--format', 'xml'], /--format must be one of jsonl, asff, ocsf, csv \(got "xml"\)/],
    [['--findings-store', STORE, '--status', 'closed'], /--status must be one of open, resolved, excepted, all \(got "closed"\)/],
    [['--findings-store', STORE, '--bogus'], /Unknown option '--bogus'/],
  ])('%j: a clear error', async (args, message) => {
    const failure = run(args);
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(message);
  });

  it('bin/findings.js: exit 2 and the message on stderr for a missing file; exit 1 and the findings on stdout', () => {
    const missing = spawnSync('node', ['bin/findings.js', '--findings-store', join(DIR, 'missing.json')], { encoding: 'utf8' });
    expect([missing.status, missing.stdout, missing.stderr.trim()]).toEqual([2, '', expect.stringContaining('missing.json does not exist')]);
    const excepteds = spawnSync('node', ['bin/findings.js', '--findings-store', STORE, '--status', 'excepted'], { encoding: 'utf8' });
    expect(excepteds.status).toBe(1);
    expect(excepteds.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { findingId: string }).findingId)).toEqual([excepted.findingId]);
  });
});
