/**
 * `npm run demo -- --endpoint URL` against the suite's moto: everything
 * (member resources, the security account's queues and topic) on moto, in
 * the caller's account from GetCallerIdentity (moto's 123456789012: this
 * file is the only one that uses moto's default account).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mitigatingCheckIds } from '../../auditors/registry.ts';
import { compareWithProvoked } from '../../demo/demoReport.ts';
import { runDemo } from '../../demo/runDemo.ts';
import { memoryLog } from '../../services/core/log.ts';
import { motoEndpoint } from './moto.ts';

const MOTO_DEFAULT_ACCOUNT = '123456789012';

describe('npm run demo -- --endpoint <moto> (integration)', () => {
  it('--remediate: finds exactly what the maker provoked in the caller\'s account, then leaves only notify-only findings', async () => {
    const log = memoryLog();
    const result = await runDemo({ endpoint: motoEndpoint(), remediate: true, progress: () => undefined, log });
    expect(log.lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    expect(result.config.accounts).toEqual([MOTO_DEFAULT_ACCOUNT]);
    expect(result.before.pollFailures).toEqual([]);
    expect(result.before.failedRecords).toBe(0);
    // The resources live once each, in their own region (no queue listed in both regions).
    expect(compareWithProvoked(result.provoked, result.before.findings)).toEqual({ missed: [], unexpected: [] });
    const after = result.after?.findings ?? [];
    expect(after.length).toBeGreaterThan(0);
    // A stop only mitigates: its finding stays.
    const mitigating = new Set(mitigatingCheckIds());
    expect(after.filter((f) => f.remediation !== 'none' && f.remediation !== 'excepted' && !mitigating.has(f.checkId))).toEqual([]);
  }, 120_000);

  it('the CLI exits 0 with nothing on stderr', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'demo/main.ts', '--endpoint', motoEndpoint(), '--remediate'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
    });
    expect(run.stderr).toBe('');
    expect({ status: run.status, tail: run.status === 0 ? '' : run.stdout.slice(-1500) }).toEqual({ status: 0, tail: '' });
    expect(run.stdout).toContain('Every check the maker provoked was found');
    expect(run.stdout).not.toContain('MISSED');
  }, 120_000);
});
