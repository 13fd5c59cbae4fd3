/**
 * remediator --format: the same findings as JSON lines, ASFF, OCSF or CSV,
 * one record per finding, even on a terminal; jsonl is today's output.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { ConfigError } from '../../services/core/errors.ts';
import { memoryLog } from '../../services/core/log.ts';
import { CSV_COLUMNS } from '../../services/exports/csv.ts';
import { runRemediator } from '../../services/remediator/cli.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';

const ACCOUNT = '111111111111';
const LINE = JSON.stringify({ account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id: 'public-site' });
const CHECKS = ['s3_bucket.public_access_block_off', 's3_bucket.public_policy', 's3_bucket.tls_not_enforced'];

describe('remediator --format', () => {
  let factory: ClientFactory;
  beforeAll(async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT], regions: ['us-east-1'] }));
    factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
    const s3 = factory.forAccount(ACCOUNT, 'us-east-1').get(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'public-site' }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'public-site', PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'public-site',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-site/*' }] }),
      }),
    );
  });

  async function run(args: string[], isTty = true) {
    const output: string[] = [];
    const code = await runRemediator(['--accounts', ACCOUNT, ...args], { input: Readable.from([`${LINE}\n`]), write: (t) => output.push(t), isTty, log: memoryLog(), factory });
    return { code, text: output.join('') };
  }
  const jsonLines = (text: string) => text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

  it.each<[string, (record: Record<string, unknown>) => unknown]>([
    ['jsonl', (record) => record.checkId],
    ['asff', (record) => record.GeneratorId],
    ['ocsf', (record) => (record.finding_info as { types: string[] }).types[0]],
  ])('--format %s on a terminal: one JSON object per finding', async (format, checkIdOf) => {
    const { code, text } = await run(['--format', format]);
    expect(code).toBe(1);
    expect(jsonLines(text).map(checkIdOf).sort()).toEqual(CHECKS);
  });

  it('--format jsonl is the default output, unchanged', async () => {
    const [withFlag, without] = [await run(['--format', 'jsonl']), await run([], false)];
    expect(jsonLines(withFlag.text).map((f) => f.checkId)).toEqual(jsonLines(without.text).map((f) => f.checkId));
    expect(jsonLines(without.text).every((f) => !('status' in f))).toBe(true);
  });

  it('--format asff: open findings, planned remediation', async () => {
    const records = jsonLines((await run(['--format', 'asff'])).text);
    const fields = (r: Record<string, unknown>) => r.ProductFields as Record<string, string>;
    expect(records.map((r) => [fields(r).checkId, r.RecordState, (r.Workflow as { Status: string }).Status, fields(r).status, fields(r).remediation, fields(r).remediationDetail]).sort()).toEqual(
      CHECKS.map((checkId) => [checkId, 'ACTIVE', 'NEW', 'open', 'planned', 'dry run']),
    );
  });

  it('--format csv: the header, then one row per finding', async () => {
    const { text } = await run(['--format', 'csv']);
    const rows = text.split('\r\n').filter((line) => line !== '');
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows).toHaveLength(1 + CHECKS.length);
  });

  it('--format ocsf with --findings-store: the store\'s transitions as activities', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'remediator-format-')), 'findings.json');
    const records = jsonLines((await run(['--format', 'ocsf', '--findings-store', store])).text);
    expect(records.map((r) => [r.activity_name, r.status])).toEqual(CHECKS.map(() => ['Create', 'New']));
  });

  it('a bad --format: a clear error', async () => {
    await expect(run(['--format', 'yaml'])).rejects.toThrow(new ConfigError(['--format must be one of jsonl, asff, ocsf, csv (got "yaml")']));
  });
});
