/**
 * The demo flow as a test: every check the maker provokes is found exactly
 * once per account-region where it applies, nothing else is; a second dry
 * run publishes no change; after --remediate only notify-only and excepted
 * findings remain and each fixed one is published resolved once; the
 * excepted resource is untouched; teardown leaves nothing of the maker's.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { mitigatingCheckIds } from '../../auditors/registry.ts';
import { makeMisconfigurations } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { makerBucketName } from '../../misconfiguration-maker/entries/s3Bucket.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import { DEMO_ACCOUNTS, DEMO_REGIONS, runDemo } from '../../demo/runDemo.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';

function keyOf(f: { account: string; region: string; checkId: string }): string {
  return `${f.account} ${f.region} ${f.checkId}`;
}

function sortedKeys(findings: readonly { account: string; region: string; checkId: string }[]): string[] {
  return findings.map(keyOf).sort();
}

const EXCEPTED_BUCKET = makerBucketName(DEMO_ACCOUNTS[1], DEMO_REGIONS[0]);

describe('npm run demo', () => {
  it('dry run: finds exactly what the maker provoked, once each, and changes nothing', async () => {
    const started = Date.now();
    const log = memoryLog();
    const result = await runDemo({ progress: () => undefined, log });
    expect((Date.now() - started) / 1000).toBeLessThan(30);
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(result.before.failedRecords).toBe(0);
    expect(result.before.pollFailures).toEqual([]);
    expect(result.provoked.length).toBeGreaterThan(0);
    expect(sortedKeys(result.before.findings)).toEqual(sortedKeys(result.provoked));
    expect(result.before.findings.every((f) => f.remediation !== 'applied')).toBe(true);
    const excepted = result.before.findings.filter((f) => f.id === EXCEPTED_BUCKET);
    expect(excepted.length).toBeGreaterThan(0);
    expect(excepted.every((f) => f.remediation === 'excepted')).toBe(true);
    // Every finding was published once, as new; the second dry run found them all again and published nothing.
    expect(result.before.changes.map((c) => c.finding.findingId).sort()).toEqual(result.before.findings.map((f) => f.findingId).sort());
    expect(new Set(result.before.changes.map((c) => c.transition))).toEqual(new Set(['new']));
    expect(result.again?.changes).toEqual([]);
    expect(sortedKeys(result.again?.findings ?? [])).toEqual(sortedKeys(result.before.findings));
  }, 60_000);

  it('--remediate: afterwards only notify-only and excepted findings remain; the excepted bucket is untouched', async () => {
    const log = memoryLog();
    const result = await runDemo({ remediate: true, progress: () => undefined, log });
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    const before = result.before.findings;
    const after = result.after?.findings ?? [];
    const remediable = before.filter((f) => f.remediation === 'applied');
    expect(remediable.length).toBeGreaterThan(0);
    expect(before.some((f) => f.remediation === 'failed' || f.remediation === 'planned')).toBe(false);

    // Nothing that was fixed is found again (a stop only mitigates: its finding stays).
    const mitigating = new Set(mitigatingCheckIds());
    const remains = (f: Finding) => f.remediation === 'none' || f.remediation === 'excepted' || mitigating.has(f.checkId);
    const fixed = new Set(remediable.filter((f) => !mitigating.has(f.checkId)).map((f: Finding) => `${keyOf(f)} ${f.id}`));
    expect(after.filter((f) => fixed.has(`${keyOf(f)} ${f.id}`))).toEqual([]);
    // What remains: notify-only checks, mitigated resources and the excepted resource, exactly as before.
    expect(after.filter((f) => !remains(f))).toEqual([]);
    expect(sortedKeys(after)).toEqual(sortedKeys(before.filter(remains)));
    // The re-audit published exactly one resolved per fixed finding.
    const resolved = result.after?.changes.filter((c) => c.transition === 'resolved').map((c) => `${keyOf(c.finding)} ${c.finding.id}`) ?? [];
    expect(resolved.sort()).toEqual([...fixed].sort());
    expect(after.filter((f) => f.id === EXCEPTED_BUCKET).map((f) => f.checkId).sort()).toEqual(
      before.filter((f) => f.id === EXCEPTED_BUCKET).map((f) => f.checkId).sort(),
    );
  }, 60_000);

  it('teardown leaves the sandbox organization empty of maker resources', async () => {
    const log = memoryLog();
    const { sandbox, config } = await runDemo({ progress: () => undefined, log });
    if (!sandbox) throw new Error('the demo runs on a sandbox by default');
    const factory = new ClientFactory({ ...config, env: {}, interceptor: sandbox });
    for (const account of DEMO_ACCOUNTS) {
      for (const region of DEMO_REGIONS) {
        const report = await makeMisconfigurations({ account, region }, { config, factory, log, teardown: true });
        expect(report.failed).toEqual([]);
        const again = await makeMisconfigurations({ account, region }, { config, factory, log, teardown: true });
        expect(again.failed).toEqual([]);
        expect(again.done.every((d) => d.ids.length === 0)).toBe(true);
      }
    }
    const left: unknown[] = [];
    const summary = await pollUnits(unitsOf([...DEMO_ACCOUNTS], [...DEMO_REGIONS]), { config, factory, log, onlyTestResources: true }, async (messages) => {
      left.push(...messages);
    });
    expect(summary.failedUnits).toEqual([]);
    expect(left).toEqual([]);
  }, 60_000);
});

describe('npm run demo -- --endpoint', () => {
  it('fails fast and clearly when the endpoint does not answer', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const started = Date.now();
    await expect(runDemo({ endpoint: `http://127.0.0.1:${port}`, progress: () => undefined, log: memoryLog() })).rejects.toThrow(
      `--endpoint http://127.0.0.1:${port} does not answer`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
