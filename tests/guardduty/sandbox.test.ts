/**
 * `guardduty-enrol --sandbox FILE`: the management account is the sandbox
 * organization's (its first account), the administrator the security
 * account (which the sandbox answers as the management account) unless
 * --administrator-account names another; a dry run plans and changes
 * nothing, a run enrols every account and is saved, a second run has
 * nothing to do.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLog } from '../../services/core/log.ts';
import { runGuardDutyEnrol } from '../../services/guardduty/cli.ts';
import type { EnrolmentSummary } from '../../services/guardduty/enrolmentSummary.ts';
import { createSandboxState, loadSandboxState, saveSandboxState } from '../../sandbox/sandboxState.ts';
import type { GuardDutyRegionState } from '../../sandbox/services/guardDutyState.ts';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const REGIONS = ['us-east-1', 'eu-west-1'];

let directory: string;
let file: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'guardduty-sandbox-'));
  file = join(directory, 'organization.json');
  saveSandboxState(file, createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }));
});

afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function enrol(argv: string[]): Promise<{ code: number; summary: EnrolmentSummary }> {
  let out = '';
  const code = await runGuardDutyEnrol(['--sandbox', file, '--json', ...argv], { write: (text) => (out += text), log: memoryLog(), env: {} });
  return { code, summary: JSON.parse(out) as EnrolmentSummary };
}

function guardDutyOf(account: string, region: string): GuardDutyRegionState | undefined {
  return loadSandboxState(file).accounts[account]?.regions[region]?.guardduty as GuardDutyRegionState | undefined;
}

describe('guardduty-enrol --sandbox', () => {
  it('--dry-run: plans the administrator, its detector and every member in every sandbox region; changes nothing', async () => {
    const before = readFileSync(file, 'utf8');
    const { code, summary } = await enrol(['--dry-run']);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ dryRun: true, administratorAccount: ACCOUNTS[0], accounts: 3 });
    expect(summary.regions.map((r) => r.region).sort()).toEqual([...REGIONS].sort());
    for (const region of summary.regions) {
      expect(region.administrator.status).toBe('planned');
      expect(region.detector).toMatchObject({ status: 'planned', detail: 'CreateDetector' });
      expect(region.members.added).toEqual(ACCOUNTS.slice(1));
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a run enrols every account in every region and is saved; a second run has nothing to do', async () => {
    expect((await enrol([])).code).toBe(0);
    for (const region of REGIONS) {
      expect(guardDutyOf(ACCOUNTS[0] ?? '', region)?.delegatedAdministrator).toEqual({ accountId: ACCOUNTS[0], status: 'ENABLED' });
      for (const member of ACCOUNTS.slice(1)) {
        const state = guardDutyOf(member, region);
        expect(state?.detector?.status).toBe('ENABLED');
        expect(state?.administrator).toMatchObject({ accountId: ACCOUNTS[0], relationshipStatus: 'Enabled' });
      }
    }
    const again = await enrol(['--dry-run']);
    expect(again.code).toBe(0);
    expect(again.summary.regions.every((r) => r.changes === 0 && r.members.already === 2)).toBe(true);
  });

  it('--administrator-account: a dedicated security account administers the others; the management account gets its own detector first', async () => {
    const [management = '', administrator = '', workload = ''] = ACCOUNTS;
    const args = ['--administrator-account', administrator, '--guardduty-regions', 'us-east-1'];
    const first = await enrol(args);
    expect(first.code).toBe(0);
    expect(first.summary.regions[0]?.members).toMatchObject({ added: [management, workload].sort(), failed: [] });
    expect(guardDutyOf(management, 'us-east-1')?.detector?.status).toBe('ENABLED');
    expect(guardDutyOf(management, 'us-east-1')?.administrator).toMatchObject({ accountId: administrator, relationshipStatus: 'Enabled' });
    expect(Object.keys(guardDutyOf(administrator, 'us-east-1')?.members ?? {}).sort()).toEqual([management, workload].sort());
    expect(guardDutyOf(workload, 'eu-west-1')).toBeUndefined();
    const again = await enrol([...args, '--dry-run']);
    expect(again.code).toBe(0);
    expect(again.summary.regions.every((r) => r.changes === 0)).toBe(true);
  });
});
