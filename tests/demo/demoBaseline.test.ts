/**
 * The demo's baseline: seeded in the first two accounts, AWS's defaults
 * with GuardDuty on in the development account; the report says so, and
 * the findings pass is unchanged (the region auditor's unit is not a test
 * resource, so `nothing else is found` still holds: see demo.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { BaselineReport } from '../../services/baseline/baselineReport.ts';
import { memoryLog } from '../../services/core/log.ts';
import { formatBaselineMatrix } from '../../demo/demoBaseline.ts';
import { DEMO_ACCOUNTS, DEMO_DEV_ACCOUNT, DEMO_REGIONS, runDemo } from '../../demo/runDemo.ts';

function statuses(report: BaselineReport, account: string, region: string): Record<string, string> {
  const unit = report.units.find((u) => u.account === account && u.region === region);
  return Object.fromEntries((unit?.controls ?? []).map((c) => [c.key, c.status]));
}

describe('npm run demo: the security baseline', () => {
  it('the first two accounts all enabled (account-level controls not applicable outside the home region); the dev account shows its gaps', async () => {
    const log = memoryLog();
    const result = await runDemo({ progress: () => undefined, log });
    const baseline = result.baseline;
    if (!baseline) throw new Error('a sandbox demo reports the baseline');
    expect(log.lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    expect(baseline.accounts).toEqual([...DEMO_ACCOUNTS]);
    expect(baseline.units).toHaveLength(DEMO_ACCOUNTS.length * DEMO_REGIONS.length);
    expect(baseline.units.every((u) => u.error === undefined)).toBe(true);
    const [home, other] = DEMO_REGIONS;

    for (const account of DEMO_ACCOUNTS.filter((a) => a !== DEMO_DEV_ACCOUNT)) {
      expect(new Set(Object.values(statuses(baseline, account, home)))).toEqual(new Set(['enabled']));
      expect(statuses(baseline, account, other)).toEqual({
        guardduty: 'enabled',
        config: 'enabled',
        cloudtrail: 'enabled',
        vpc_flow_logs: 'enabled',
        ebs_default_encryption: 'enabled',
        securityhub: 'enabled',
        macie: 'enabled',
        inspector: 'enabled',
        auditmanager: 'enabled',
        root_mfa: 'not_applicable',
        root_access_keys: 'not_applicable',
        password_policy: 'not_applicable',
        s3_account_public_access_block: 'not_applicable',
      });
    }

    const gaps = ['config', 'cloudtrail', 'vpc_flow_logs', 'ebs_default_encryption', 'securityhub', 'macie', 'inspector', 'auditmanager'];
    expect(statuses(baseline, DEMO_DEV_ACCOUNT, home)).toEqual({
      guardduty: 'enabled',
      ...Object.fromEntries(gaps.map((key) => [key, 'disabled'])),
      root_mfa: 'disabled',
      root_access_keys: 'enabled',
      password_policy: 'disabled',
      s3_account_public_access_block: 'disabled',
    });
    expect(statuses(baseline, DEMO_DEV_ACCOUNT, other)).toMatchObject({ guardduty: 'enabled', config: 'disabled', root_mfa: 'not_applicable' });

    // The printed matrix: one row per control, a column per account x region, required gaps marked.
    const lines = formatBaselineMatrix(baseline).split('\n');
    expect(lines[0]).toMatch(/^ {2}CONTROL\s+111111111111\s+111111111111\s+222222222222\s+222222222222\s+333333333333\s+333333333333$/);
    expect(lines.find((line) => line.includes('AWS Config'))).toMatch(/^ {2}AWS Config\s+(enabled\s+){4}disabled \*\s+disabled \*$/);
    expect(lines.find((line) => line.includes('Macie'))).toMatch(/^ {2}Macie \(optional\)\s+(enabled\s+){4}disabled\s+disabled$/);
    expect(lines.at(-1)).toBe('  3 account(s) x 2 region(s): 13 required control(s) off or unknown (marked *)');
  }, 60_000);
});
