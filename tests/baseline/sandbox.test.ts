/** `baseline-report --sandbox FILE`: the report of a saved sandbox organization, read through the CLI's own factory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBaselineReport } from '../../services/baseline/cli.ts';
import { memoryLog } from '../../services/core/log.ts';
import { seedSecurityBaseline } from '../../sandbox/securityBaseline.ts';
import { createSandboxState, saveSandboxState } from '../../sandbox/sandboxState.ts';

const SEEDED = '111111111111';
const FRESH = '222222222222';
const REGIONS = ['us-east-1', 'eu-west-1'];

interface BaselineJson {
  compliant: boolean;
  requiredOffOrUnknown: number;
  accounts: Record<string, Record<string, { controls: Record<string, { status: string; required: boolean; detail: string }>; error?: string }>>;
}

let directory: string;
let file: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'baseline-sandbox-'));
  file = join(directory, 'organization.json');
});

afterEach(() => rmSync(directory, { recursive: true, force: true }));

function saveOrganization(seeded: readonly string[]): void {
  const state = createSandboxState({ accounts: [SEEDED, FRESH], regions: REGIONS });
  for (const account of seeded) for (const region of REGIONS) seedSecurityBaseline(state, account, region);
  saveSandboxState(file, state);
}

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runBaselineReport(argv, { write: (text) => void (out += text), isTty: false, log: memoryLog() });
  return { code, out };
}

function statusesOf(report: BaselineJson, account: string, region: string): Record<string, string> {
  return Object.fromEntries(Object.entries(report.accounts[account]?.[region]?.controls ?? {}).map(([key, control]) => [key, control.status]));
}

describe('baseline-report --sandbox', () => {
  it('--json: the seeded account all on, the fresh one at AWS defaults; exit 1', async () => {
    saveOrganization([SEEDED]);
    const { code, out } = await run(['--sandbox', file, '--accounts', `${SEEDED},${FRESH}`, '--regions', REGIONS.join(','), '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as BaselineJson;
    expect(report.compliant).toBe(false);
    // Fresh account: 6 regional controls in each region, 3 account-level ones at home.
    expect(report.requiredOffOrUnknown).toBe(15);
    expect(new Set(Object.values(statusesOf(report, SEEDED, 'us-east-1')))).toEqual(new Set(['enabled']));
    expect(statusesOf(report, SEEDED, 'eu-west-1')).toMatchObject({ cloudtrail: 'enabled', root_mfa: 'not_applicable' });
    expect(statusesOf(report, FRESH, 'us-east-1')).toEqual({
      guardduty: 'disabled',
      config: 'disabled',
      cloudtrail: 'disabled',
      vpc_flow_logs: 'disabled',
      ebs_default_encryption: 'disabled',
      securityhub: 'disabled',
      macie: 'disabled',
      inspector: 'disabled',
      auditmanager: 'disabled',
      root_mfa: 'disabled',
      root_access_keys: 'enabled',
      password_policy: 'disabled',
      s3_account_public_access_block: 'disabled',
    });
    expect(report.accounts[FRESH]?.['us-east-1']?.controls.password_policy?.detail).toBe('no password policy');
    expect(report.accounts[FRESH]?.['eu-west-1']?.error).toBeUndefined();
  });

  it('--accounts organization: the sandbox organization lists its accounts; every account seeded: exit 0', async () => {
    saveOrganization([SEEDED, FRESH]);
    const { code, out } = await run(['--sandbox', file, '--accounts', 'organization', '--regions', REGIONS.join(','), '--json']);
    const report = JSON.parse(out) as BaselineJson;
    expect(Object.keys(report.accounts)).toEqual([SEEDED, FRESH]);
    expect(report.compliant).toBe(true);
    expect(code).toBe(0);
  });

  it('the table, and no file: a configuration error that says how to make one', async () => {
    saveOrganization([SEEDED]);
    const { out } = await run(['--sandbox', file, '--accounts', FRESH, '--regions', 'us-east-1']);
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 account(s) x 1 region(s): 9 required control(s) off or unknown');
    await expect(run(['--sandbox', join(directory, 'missing.json'), '--accounts', FRESH])).rejects.toThrow(/no such file/);
  });
});
