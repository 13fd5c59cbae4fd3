import { CreateMembersCommand, EnableOrganizationAdminAccountCommand, StartMonitoringMembersCommand, UpdateOrganizationConfigurationCommand } from '@aws-sdk/client-guardduty';
import type { Account } from '@aws-sdk/client-organizations';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import type { Config } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { enrolOrganization } from '../../services/guardduty/enrolOrganization.ts';
import { failedRegions, formatSummary, totalChanges } from '../../services/guardduty/enrolmentSummary.ts';
import { enrolmentTargets } from '../../services/guardduty/enrolmentTargets.ts';
import { makeConfig, makeFactory } from '../helpers/context.ts';
import { ADMIN, MANAGEMENT, fakeRegion, guardDuty, installFakeOrganization, mutatingCalls, organizationAccount, type FakeRegion } from './fakeGuardDutyOrganization.ts';

const SUSPENDED = '100000000007';
const REMOVED = '100000000003';
/** 120 accounts: the administrator, the management account, 118 workloads (one SUSPENDED). */
const WORKLOADS = Array.from({ length: 118 }, (_, i) => String(100000000000 + i));
const ACCOUNTS: Account[] = [
  organizationAccount(MANAGEMENT),
  organizationAccount(ADMIN),
  ...WORKLOADS.map((id) => organizationAccount(id, id === SUSPENDED ? 'SUSPENDED' : 'ACTIVE')),
];
const REGIONS = ['ap-southeast-2', 'eu-west-1', 'us-east-1'];
/** Accounts that must be members: ACTIVE, not the administrator. */
const EXPECTED_MEMBERS = ACCOUNTS.filter((a) => a.State === 'ACTIVE' && a.Id !== ADMIN).map((a) => a.Id ?? '');

function organizationState(): Map<string, FakeRegion> {
  // us-east-1: delegated, detector on, the first 100 accounts already members (one Removed), auto-enable NEW.
  const enrolled = new Map(ACCOUNTS.slice(0, 100).filter((a) => a.Id !== ADMIN && a.Id !== SUSPENDED).map((a) => [a.Id ?? '', a.Id === REMOVED ? 'Removed' : 'Enabled']));
  return new Map([
    [
      'us-east-1',
      fakeRegion({
        admins: [{ AdminAccountId: ADMIN, AdminStatus: 'ENABLED' }],
        detector: { id: 'c6b7a8d9e0f1a2b3c4d5e6f7a8b9c0d1', status: 'ENABLED', features: new Map([['S3_DATA_EVENTS', 'ENABLED']]) },
        members: enrolled,
        autoEnableOrganizationMembers: 'NEW',
      }),
    ],
    // eu-west-1: no delegated administrator, no detector, no members.
    ['eu-west-1', fakeRegion()],
    // ap-southeast-2: the management role may not call GuardDuty there.
    ['ap-southeast-2', fakeRegion({ denied: true })],
  ]);
}

function config(overrides: Partial<Parameters<typeof makeConfig>[0]> = {}): Config {
  return makeConfig({ guardDutyManagementAccount: MANAGEMENT, ...overrides });
}

async function run(cfg: Config, dryRun = false) {
  const factory = makeFactory();
  const management = new ClientFactory({ memberRoleName: cfg.guardDutyManagementRoleName, assumeRole: false, env: {} });
  const targets = await enrolmentTargets(cfg, factory, management);
  return enrolOrganization({ config: cfg, targets, dryRun, log: memoryLog() });
}

function createMembersBatches(): { region: Promise<string>; accounts: string[] }[] {
  return guardDuty.commandCalls(CreateMembersCommand).map((call) => ({
    region: (call.thisValue as unknown as { config: { region: () => Promise<string> } }).config.region(),
    accounts: (call.args[0].input.AccountDetails ?? []).map((d) => d.AccountId ?? ''),
  }));
}

describe('GuardDuty enrolment of an organization of 120 accounts in 3 regions', () => {
  let state: Map<string, FakeRegion>;
  beforeEach(() => {
    state = organizationState();
    installFakeOrganization(state, ACCOUNTS, REGIONS);
  });

  it('enrols every ACTIVE account but the administrator, in batches of at most 50, isolating the denied region', async () => {
    // Act
    const summary = await run(config());

    // Assess: calls
    const batches = createMembersBatches();
    const regions = await Promise.all(batches.map((b) => b.region));
    const byRegion = (name: string) => batches.filter((_, i) => regions[i] === name).map((b) => b.accounts);
    expect(byRegion('eu-west-1').map((b) => b.length)).toEqual([50, 50, 18]);
    expect(byRegion('eu-west-1').flat().sort()).toEqual([...EXPECTED_MEMBERS].sort());
    expect(byRegion('us-east-1').flat().sort()).toEqual(ACCOUNTS.slice(100).map((a) => a.Id));
    for (const batch of batches) {
      expect(batch.accounts.length).toBeLessThanOrEqual(50);
      expect(batch.accounts).not.toContain(ADMIN);
      expect(batch.accounts).not.toContain(SUSPENDED);
    }
    const details = guardDuty.commandCalls(CreateMembersCommand).flatMap((c) => c.args[0].input.AccountDetails ?? []);
    expect(details.find((d) => d.AccountId === MANAGEMENT)).toEqual({ AccountId: MANAGEMENT, Email: `aws+${MANAGEMENT}@example.com` });
    expect(guardDuty.commandCalls(EnableOrganizationAdminAccountCommand).map((c) => c.args[0].input)).toEqual([{ AdminAccountId: ADMIN }]);
    const updates = guardDuty.commandCalls(UpdateOrganizationConfigurationCommand).map((c) => c.args[0].input);
    expect(updates.sort((a, b) => String(a.DetectorId).localeCompare(String(b.DetectorId)))).toEqual([
      { DetectorId: 'c6b7a8d9e0f1a2b3c4d5e6f7a8b9c0d1', AutoEnableOrganizationMembers: 'ALL' },
      { DetectorId: 'f2c4e6a8b0d2f4a6c8e0b2d4f6a8c0e2', AutoEnableOrganizationMembers: 'ALL' },
    ]);
    expect(guardDuty.commandCalls(StartMonitoringMembersCommand)).toHaveLength(0);

    // Assess: the summary
    const [apac, eu, us] = summary.regions;
    expect(summary).toMatchObject({ dryRun: false, administratorAccount: ADMIN, accounts: 120 });
    expect(summary.regions.map((r) => r.region)).toEqual(REGIONS);
    expect(apac).toMatchObject({ administrator: { status: 'failed' }, detector: { status: 'skipped' }, members: { status: 'skipped' }, autoEnable: { status: 'skipped' }, changes: 0 });
    expect(apac?.administrator.detail).toMatch(/^AccessDeniedException: User is not authorized/);
    expect(eu).toMatchObject({
      administrator: { status: 'changed', detail: `EnableOrganizationAdminAccount ${ADMIN}` },
      detector: { status: 'changed', detail: 'CreateDetector' },
      members: { status: 'changed', already: 0, failed: [], reported: [{ account: SUSPENDED, reason: 'organization status SUSPENDED: not enrolled' }] },
      autoEnable: { status: 'changed', detail: 'AutoEnableOrganizationMembers=ALL' },
      changes: 1 + 1 + 3 + 1,
    });
    expect(eu?.members.added).toHaveLength(118);
    expect(us).toMatchObject({
      administrator: { status: 'ok' },
      detector: { status: 'ok' },
      members: { status: 'changed', added: ACCOUNTS.slice(100).map((a) => a.Id), already: 97, failed: [] },
      autoEnable: { status: 'changed' },
      changes: 2,
    });
    expect(us?.members.reported).toEqual([
      { account: REMOVED, reason: 'relationship Removed (re-association is off)' },
      { account: SUSPENDED, reason: 'organization status SUSPENDED: not enrolled' },
    ]);
    expect(failedRegions(summary)).toEqual(['ap-southeast-2']);
    expect(totalChanges(summary)).toBe(8);
    const text = formatSummary(summary);
    expect(text.split('\n').slice(0, 4)).toEqual([
      `GuardDuty enrolment: administrator ${ADMIN}, 120 organization account(s), 3 region(s)`,
      'ap-southeast-2: admin failed (AccessDeniedException: User is not authorized to perform GuardDuty actions in ap-southeast-2); detector skipped; members skipped: 0 added, 0 already, 0 failed; auto-enable skipped',
      `eu-west-1: admin changed (EnableOrganizationAdminAccount ${ADMIN}); detector changed (CreateDetector); members changed: 118 added, 0 already, 0 failed, 1 reported; auto-enable changed (AutoEnableOrganizationMembers=ALL)`,
      'us-east-1: admin ok; detector ok; members changed: 20 added, 97 already, 0 failed, 2 reported; auto-enable changed (AutoEnableOrganizationMembers=ALL)',
    ]);
    expect(text).toContain(`reported ${REMOVED} in us-east-1: relationship Removed (re-association is off)`);
    expect(text).toContain('8 change(s) made');
    expect(text).toContain('FAILED in 1 region(s): ap-southeast-2');
  });

  it('makes no mutating call on a second run, and says so', async () => {
    // Prepare
    await run(config());
    guardDuty.resetHistory();
    // Act
    const second = await run(config());
    // Assess
    expect(mutatingCalls()).toEqual([]);
    expect(totalChanges(second)).toBe(0);
    expect(second.regions.find((r) => r.region === 'eu-west-1')).toMatchObject({ administrator: { status: 'ok' }, detector: { status: 'ok' }, members: { status: 'ok', already: 118 }, autoEnable: { status: 'ok' } });
    expect(formatSummary(second)).toContain('no changes: GuardDuty already matches the configuration');
    expect(failedRegions(second)).toEqual(['ap-southeast-2']);
  });

  it('dry run: plans everything, changes nothing', async () => {
    const summary = await run(config(), true);
    expect(mutatingCalls()).toEqual([]);
    expect(summary.regions.find((r) => r.region === 'eu-west-1')).toMatchObject({
      administrator: { status: 'planned' },
      detector: { status: 'planned', detail: 'CreateDetector' },
      members: { status: 'planned' },
      autoEnable: { status: 'planned' },
      changes: 0,
    });
    expect(summary.regions.find((r) => r.region === 'eu-west-1')?.members.added).toHaveLength(118);
    expect(formatSummary(summary)).toContain('dry run: 142 change(s) planned, nothing changed');
  });

  it('re-associates a removed member and turns on protection plans when configured', async () => {
    const summary = await run(config({ guardDutyRegions: ['us-east-1'], guardDutyReassociateMembers: true, guardDutyProtectionPlans: ['S3_DATA_EVENTS', 'EBS_MALWARE_PROTECTION'] }));
    const us = summary.regions[0];
    expect(summary.regions.map((r) => r.region)).toEqual(['us-east-1']);
    expect(us?.detector).toEqual({ status: 'changed', detail: 'UpdateDetector c6b7a8d9e0f1a2b3c4d5e6f7a8b9c0d1: turn on EBS_MALWARE_PROTECTION' });
    expect(us?.members.added).toContain(REMOVED);
    expect(guardDuty.commandCalls(UpdateOrganizationConfigurationCommand)[0]?.args[0].input).toEqual({
      DetectorId: 'c6b7a8d9e0f1a2b3c4d5e6f7a8b9c0d1',
      AutoEnableOrganizationMembers: 'ALL',
      Features: [
        { Name: 'S3_DATA_EVENTS', AutoEnable: 'ALL' },
        { Name: 'EBS_MALWARE_PROTECTION', AutoEnable: 'ALL' },
      ],
    });
    expect(state.get('us-east-1')?.detector?.features.get('EBS_MALWARE_PROTECTION')).toBe('ENABLED');
  });

  it('refuses to replace another delegated administrator', async () => {
    state.get('us-east-1')?.admins.splice(0, 1, { AdminAccountId: '777777777777', AdminStatus: 'ENABLED' });
    const summary = await run(config({ guardDutyRegions: ['us-east-1'] }));
    expect(summary.regions[0]?.administrator.status).toBe('failed');
    expect(summary.regions[0]?.administrator.detail).toMatch(/delegated administrator is 777777777777, not 999999999999/);
    expect(mutatingCalls()).toEqual([]);
  });
});
