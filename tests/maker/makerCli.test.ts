import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runMaker } from '../../misconfiguration-maker/cli.ts';
import { MAKER_ENTRIES } from '../../misconfiguration-maker/registry.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { ConfigError } from '../../services/core/errors.ts';
import { createSandboxState, loadSandboxState, saveSandboxState } from '../../sandbox/sandboxState.ts';

const AUDITED_BY_MAKER = MAKER_ENTRIES.map((e) => e.type);

describe('misconfiguration-maker CLI', () => {
  let stderr: string[];
  const saved = process.env.AWS_ENDPOINT_URL;
  beforeEach(() => {
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    delete process.env.AWS_ENDPOINT_URL;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    if (saved !== undefined) process.env.AWS_ENDPOINT_URL = saved;
  });

  it('against real AWS without --yes: prints the plan, changes nothing, exits 2', async () => {
    const s3 = mockClient(S3Client);
    const code = await runMaker(['--account', '111111111111', '--region', 'us-east-1']);
    expect(code).toBe(2);
    expect(s3.calls()).toHaveLength(0);
    const text = stderr.join('');
    expect(text).toContain('S3 bucket misconfiguration-maker-s3-111111111111-us-east-1');
    expect(text).toContain('this targets real AWS: nothing was changed. Re-run with --yes to proceed.');
    s3.restore();
  });

  it('needs --account and --region', async () => {
    await expect(runMaker(['--region', 'us-east-1'])).rejects.toThrow(ConfigError);
  });

  it('with --sandbox FILE: creates, is idempotent, and --teardown removes exactly what it made', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'maker-')), 'org.json');
    saveSandboxState(file, createSandboxState({ accounts: ['111111111111'], regions: ['us-east-1'] }));
    const args = ['--sandbox', file, '--account', '111111111111', '--region', 'us-east-1'];
    expect(await runMaker(args)).toBe(0);
    const made = JSON.stringify(loadSandboxState(file).accounts['111111111111']);
    expect(made).toContain('misconfiguration-maker-s3-111111111111-us-east-1');
    expect(await runMaker(args)).toBe(0);
    expect(JSON.stringify(loadSandboxState(file).accounts['111111111111']).match(/"misconfiguration-maker-s3-111111111111-us-east-1"/g)).toHaveLength(1);
    expect(await runMaker([...args, '--teardown'])).toBe(0);
    // What the poller can still list of the maker's: nothing (terminated instances and deleted queue names linger, as in AWS).
    const config = loadConfig({ flags: { accounts: ['111111111111'], regions: ['us-east-1'] }, env: {} });
    const factory = new ClientFactory({ ...config, env: {}, interceptor: new Sandbox(loadSandboxState(file)) });
    const left: unknown[] = [];
    const summary = await pollUnits(unitsOf(['111111111111'], ['us-east-1']), { config, factory, log: memoryLog(), onlyTestResources: true, types: AUDITED_BY_MAKER }, async (m) => {
      left.push(...m);
    });
    expect(summary.failedUnits).toEqual([]);
    expect(left).toEqual([]);
  });
});
