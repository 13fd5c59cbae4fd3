/**
 * remediator --findings-store FILE: the CLI keeps each finding's lifecycle
 * in a file and prints only what changed; a resource that is gone resolves
 * its findings. Without the flag it prints every finding (remediatorCli.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, DeleteBucketCommand, DeleteBucketPolicyCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { memoryLog } from '../../services/core/log.ts';
import { runRemediator } from '../../services/remediator/cli.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';

const ACCOUNT = '111111111111';
const BUCKET = 'public-site';
const LINE = JSON.stringify({ account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id: BUCKET });
const STORE = join(mkdtempSync(join(tmpdir(), 'findings-store-cli-')), 'findings.json');

interface Printed {
  checkId: string;
  transition: string;
  remediation: string;
  detail: string;
}

describe('remediator --findings-store', () => {
  let factory: ClientFactory;
  let s3: S3Client;

  beforeAll(async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT], regions: ['us-east-1'] }));
    factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
    s3 = factory.forAccount(ACCOUNT, 'us-east-1').get(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: BUCKET,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }] }),
      }),
    );
  });

  async function run(args: string[], isTty = false) {
    const output: string[] = [];
    const code = await runRemediator(['--accounts', ACCOUNT, '--findings-store', STORE, ...args], { input: Readable.from([`${LINE}\n`]), write: (t) => output.push(t), isTty, log: memoryLog(), factory });
    const text = output.join('');
    return { code, text, printed: isTty || text === '' ? [] : text.trim().split('\n').map((l) => JSON.parse(l) as Printed) };
  }
  const transitions = (printed: Printed[]) => printed.map((p) => `${p.checkId} ${p.transition}`).sort();

  it('first run: every finding, as new', async () => {
    const { code, printed } = await run([]);
    expect(code).toBe(1);
    expect(transitions(printed)).toEqual(['s3_bucket.public_access_block_off new', 's3_bucket.public_policy new', 's3_bucket.tls_not_enforced new']);
  });

  it('second run, no change: nothing printed (JSON), "No change." on a terminal; the exit code still says findings are open', async () => {
    const quiet = await run([]);
    expect(quiet).toMatchObject({ code: 1, text: '' });
    const table = await run([], true);
    expect(table.text).toBe('No change.\n');
  });

  it('--remediate: the changed remediation outcomes; the next run: resolved for each fixed finding', async () => {
    const fixing = await run(['--remediate']);
    const applied = fixing.printed.filter((p) => p.remediation === 'applied').map((p) => p.checkId).sort();
    expect(applied.length).toBeGreaterThan(0);
    expect(fixing.printed.every((p) => p.transition === 'remediation_changed')).toBe(true);
    const after = await run([]);
    expect(transitions(after.printed)).toEqual(applied.map((checkId) => `${checkId} resolved`));
    expect(after.printed.every((p) => p.detail.startsWith('resolved: the check passes now (was: '))).toBe(true);
  });

  it('the bucket deleted: its remaining findings are resolved, as gone', async () => {
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    await s3.send(new DeleteBucketCommand({ Bucket: BUCKET }));
    const { code, printed } = await run([]);
    expect(code).toBe(0);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.every((p) => p.transition === 'resolved' && p.detail.startsWith('resolved: the resource is gone'))).toBe(true);
    expect((await run([])).text).toBe('');
  });
});
