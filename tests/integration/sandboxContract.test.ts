/**
 * The sandbox answers like moto: the same maker scenario run against the
 * project's sandbox and against moto gives the same poll output and the same
 * findings (generated ids aside: snapshot, image, instance and group ids and
 * ARNs are random in both). Accounts 240000000001-2 are this file's own.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../services/core/findings.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import { motoEnvironment } from './moto.ts';
import { findingsOf, motoPipeline } from './motoPipeline.ts';

const ACCOUNTS = ['240000000001', '240000000002'] as const;
const REGIONS = ['us-east-1', 'eu-west-1'] as const;

interface Observed {
  polled: string[];
  findings: string[];
  remediated: string[];
  remaining: string[];
}

/** Findings with the generated ids left out. */
function withoutIds(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.account} ${f.region} ${f.type} ${f.checkId} ${f.severity} ${f.remediation}`).sort();
}

/** The maker's scenario, polled, audited, remediated and audited again. */
async function observe(sandbox?: Sandbox): Promise<Observed> {
  const pipeline = motoPipeline({ byRole: ACCOUNTS, regions: REGIONS, sandbox });
  const made = await pipeline.make();
  expect(made.flatMap((r) => r.failed)).toEqual([]);
  const { messages } = await pipeline.poll();
  return {
    polled: messages.map((m) => `${m.account} ${m.region} ${m.type}`).sort(),
    findings: withoutIds(findingsOf(await pipeline.audit(messages, false))),
    remediated: withoutIds(findingsOf(await pipeline.audit(messages, true))),
    remaining: withoutIds(findingsOf(await pipeline.audit(messages, false))),
  };
}

describe('the sandbox answers like moto (integration)', () => {
  let moto: Observed;
  let sandbox: Observed;

  beforeAll(async () => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
    moto = await observe();
    vi.unstubAllEnvs();
    sandbox = await observe(new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS })));
  }, 120_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('the poller lists the same resources, type by type', () => {
    expect(moto.polled.length).toBeGreaterThan(0);
    expect(sandbox.polled).toEqual(moto.polled);
  });

  it('the remediator reports the same findings', () => {
    expect(moto.findings.length).toBeGreaterThan(0);
    expect(sandbox.findings).toEqual(moto.findings);
  });

  it('--remediate applies the same remediations and leaves the same findings', () => {
    expect(moto.remediated.some((f) => f.endsWith(' applied'))).toBe(true);
    expect(sandbox.remediated).toEqual(moto.remediated);
    expect(sandbox.remaining).toEqual(moto.remaining);
  });
});
