/**
 * Sandbox fidelity for GuardDuty: detectors (none in a new account, one per
 * region), members as the delegated administrator enrols them, the
 * organization's delegated administrator and configuration; outputs as the
 * SDK types them, BadRequestException (400) as GuardDuty answers, pages.
 */
import {
  CreateDetectorCommand,
  CreateMembersCommand,
  DescribeOrganizationConfigurationCommand,
  EnableOrganizationAdminAccountCommand,
  GetAdministratorAccountCommand,
  GetDetectorCommand,
  GetMembersCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListMembersCommand,
  ListOrganizationAdminAccountsCommand,
  StartMonitoringMembersCommand,
  UpdateDetectorCommand,
  UpdateOrganizationConfigurationCommand,
  paginateListMembers,
} from '@aws-sdk/client-guardduty';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import type { GuardDutyRegionState } from '../../sandbox/services/guardDutyState.ts';
import { REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';

const MANAGEMENT = '111111111111';
const SECURITY = '222222222222';
const WORKLOAD = '333333333333';
const DEV = '444444444444';
const OTHER_REGION = 'eu-west-1';

let sandbox: Sandbox;
let factory: ClientFactory;

beforeEach(() => {
  sandbox = new Sandbox(createSandboxState({ accounts: [MANAGEMENT, SECURITY, WORKLOAD, DEV], regions: [REGION, OTHER_REGION] }));
  factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
});

const guardDuty = (account: string, region = REGION) => factory.forAccount(account, region).get(GuardDutyClient);

async function detectorOf(account: string, region = REGION): Promise<string> {
  const { DetectorId } = await guardDuty(account, region).send(new CreateDetectorCommand({ Enable: true }));
  return DetectorId ?? '';
}

describe('GuardDuty detectors', () => {
  it('none in a new account; one per region; GetDetector as the SDK types it', async () => {
    expect((await guardDuty(WORKLOAD).send(new ListDetectorsCommand({}))).DetectorIds).toEqual([]);
    const id = await detectorOf(WORKLOAD);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await guardDuty(WORKLOAD).send(new ListDetectorsCommand({}))).DetectorIds).toEqual([id]);
    expect((await guardDuty(WORKLOAD, OTHER_REGION).send(new ListDetectorsCommand({}))).DetectorIds).toEqual([]);
    const detector = await guardDuty(WORKLOAD).send(new GetDetectorCommand({ DetectorId: id }));
    expect(detector).toMatchObject({
      Status: 'ENABLED',
      FindingPublishingFrequency: 'SIX_HOURS',
      ServiceRole: `arn:aws:iam::${WORKLOAD}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
    });
    expect(typeof detector.CreatedAt).toBe('string');
    expect(detector.Features?.find((f) => f.Name === 'S3_DATA_EVENTS')).toMatchObject({ Status: 'ENABLED' });
    expect(detector.Features?.find((f) => f.Name === 'RUNTIME_MONITORING')?.UpdatedAt).toBeInstanceOf(Date);
    await expectAwsError(guardDuty(WORKLOAD).send(new CreateDetectorCommand({ Enable: true })), {
      name: 'BadRequestException',
      status: 400,
      message: /a detector already exists for the current account/,
    });
  });

  it('UpdateDetector disables and turns on features; another account’s detector id is refused', async () => {
    const id = await detectorOf(WORKLOAD);
    await guardDuty(WORKLOAD).send(new UpdateDetectorCommand({ DetectorId: id, Enable: false, Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }] }));
    const detector = await guardDuty(WORKLOAD).send(new GetDetectorCommand({ DetectorId: id }));
    expect(detector.Status).toBe('DISABLED');
    expect(detector.Features?.find((f) => f.Name === 'RUNTIME_MONITORING')?.Status).toBe('ENABLED');
    await expectAwsError(guardDuty(DEV).send(new GetDetectorCommand({ DetectorId: id })), {
      name: 'BadRequestException',
      status: 400,
      message: /the input detectorId is not owned by the current account/,
    });
    await expectAwsError(guardDuty(WORKLOAD).send(new ListDetectorsCommand({ MaxResults: 51 })), { name: 'BadRequestException', status: 400 });
  });

  it('GetAdministratorAccount: empty for a standalone account', async () => {
    const id = await detectorOf(WORKLOAD);
    expect((await guardDuty(WORKLOAD).send(new GetAdministratorAccountCommand({ DetectorId: id }))).Administrator).toBeUndefined();
  });
});

describe('GuardDuty in the organization', () => {
  async function delegate(): Promise<string> {
    await guardDuty(MANAGEMENT).send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: SECURITY }));
    return detectorOf(SECURITY);
  }

  it('the delegated administrator is set and listed by the management account only, one per organization', async () => {
    await expectAwsError(guardDuty(SECURITY).send(new ListOrganizationAdminAccountsCommand({})), { name: 'BadRequestException', status: 400, message: /not the management account/ });
    expect((await guardDuty(MANAGEMENT).send(new ListOrganizationAdminAccountsCommand({}))).AdminAccounts).toEqual([]);
    await delegate();
    expect((await guardDuty(MANAGEMENT).send(new ListOrganizationAdminAccountsCommand({}))).AdminAccounts).toEqual([{ AdminAccountId: SECURITY, AdminStatus: 'ENABLED' }]);
    expect((await guardDuty(MANAGEMENT, OTHER_REGION).send(new ListOrganizationAdminAccountsCommand({}))).AdminAccounts).toEqual([]);
    await expectAwsError(guardDuty(MANAGEMENT).send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: DEV })), { name: 'BadRequestException', status: 400 });
    await expectAwsError(guardDuty(MANAGEMENT).send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: '999999999999' })), { name: 'BadRequestException', status: 400 });
  });

  it('CreateMembers by the delegated administrator enrols organization accounts: a detector on, the relationship Enabled on both sides', async () => {
    const adminDetector = await delegate();
    const answer = await guardDuty(SECURITY).send(
      new CreateMembersCommand({ DetectorId: adminDetector, AccountDetails: [WORKLOAD, SECURITY, '999999999999', MANAGEMENT].map((AccountId) => ({ AccountId, Email: `${AccountId}@example.com` })) }),
    );
    expect(answer.UnprocessedAccounts?.map((u) => u.AccountId)).toEqual([SECURITY, '999999999999', MANAGEMENT]);
    // The management account must switch GuardDuty on itself first, as AWS requires.
    expect(answer.UnprocessedAccounts?.[2]?.Result).toBe('Operation failed because your organization master must first enable GuardDuty to be added as a member');
    const [memberDetector] = (await guardDuty(WORKLOAD).send(new ListDetectorsCommand({}))).DetectorIds ?? [];
    expect((await guardDuty(WORKLOAD).send(new GetDetectorCommand({ DetectorId: memberDetector }))).Status).toBe('ENABLED');
    expect((await guardDuty(WORKLOAD).send(new GetAdministratorAccountCommand({ DetectorId: memberDetector }))).Administrator).toMatchObject({
      AccountId: SECURITY,
      RelationshipStatus: 'Enabled',
    });
    const members = await guardDuty(SECURITY).send(new GetMembersCommand({ DetectorId: adminDetector, AccountIds: [WORKLOAD, DEV] }));
    expect(members.Members).toMatchObject([{ AccountId: WORKLOAD, DetectorId: memberDetector, AdministratorId: SECURITY, MasterId: SECURITY, RelationshipStatus: 'Enabled' }]);
    expect(typeof members.Members?.[0]?.UpdatedAt).toBe('string');
    expect(members.UnprocessedAccounts?.map((u) => u.AccountId)).toEqual([DEV]);
  });

  it('CreateMembers by an administrator that is not delegated only records the member (an invitation would be needed)', async () => {
    const standalone = await detectorOf(DEV);
    await guardDuty(DEV).send(new CreateMembersCommand({ DetectorId: standalone, AccountDetails: [{ AccountId: WORKLOAD, Email: 'w@example.com' }] }));
    const members = await guardDuty(DEV).send(new GetMembersCommand({ DetectorId: standalone, AccountIds: [WORKLOAD] }));
    expect(members.Members).toMatchObject([{ AccountId: WORKLOAD, Email: 'w@example.com', RelationshipStatus: 'Created' }]);
    expect((await guardDuty(WORKLOAD).send(new ListDetectorsCommand({}))).DetectorIds).toEqual([]);
    // ListMembers shows associated members unless OnlyAssociated is "false".
    expect((await guardDuty(DEV).send(new ListMembersCommand({ DetectorId: standalone }))).Members).toEqual([]);
    expect((await guardDuty(DEV).send(new ListMembersCommand({ DetectorId: standalone, OnlyAssociated: 'false' }))).Members?.map((m) => m.AccountId)).toEqual([WORKLOAD]);
  });

  it('StartMonitoringMembers restarts a stopped member; ListMembers pages', async () => {
    const adminDetector = await delegate();
    await detectorOf(MANAGEMENT);
    await guardDuty(SECURITY).send(new CreateMembersCommand({ DetectorId: adminDetector, AccountDetails: [WORKLOAD, DEV, MANAGEMENT].map((AccountId) => ({ AccountId, Email: `${AccountId}@example.com` })) }));
    const state = sandbox.state.accounts[SECURITY]?.regions[REGION]?.guardduty as GuardDutyRegionState;
    const member = state.members[DEV];
    if (member) member.relationshipStatus = 'Disabled';
    const restarted = await guardDuty(SECURITY).send(new StartMonitoringMembersCommand({ DetectorId: adminDetector, AccountIds: [DEV, '999999999999'] }));
    expect(restarted.UnprocessedAccounts?.map((u) => u.AccountId)).toEqual(['999999999999']);
    const first = await guardDuty(SECURITY).send(new ListMembersCommand({ DetectorId: adminDetector, MaxResults: 2 }));
    expect(first.Members).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const all = [];
    for await (const page of paginateListMembers({ client: guardDuty(SECURITY), pageSize: 2 }, { DetectorId: adminDetector })) all.push(...(page.Members ?? []));
    expect(all.map((m) => [m.AccountId, m.RelationshipStatus])).toEqual([
      [MANAGEMENT, 'Enabled'],
      [WORKLOAD, 'Enabled'],
      [DEV, 'Enabled'],
    ]);
  });

  it('the organization configuration: read and set by the delegated administrator only', async () => {
    const adminDetector = await delegate();
    expect(await guardDuty(SECURITY).send(new DescribeOrganizationConfigurationCommand({ DetectorId: adminDetector }))).toMatchObject({
      AutoEnableOrganizationMembers: 'NONE',
      AutoEnable: false,
      MemberAccountLimitReached: false,
      Features: [],
    });
    await guardDuty(SECURITY).send(
      new UpdateOrganizationConfigurationCommand({ DetectorId: adminDetector, AutoEnableOrganizationMembers: 'ALL', Features: [{ Name: 'RUNTIME_MONITORING', AutoEnable: 'ALL' }] }),
    );
    expect(await guardDuty(SECURITY).send(new DescribeOrganizationConfigurationCommand({ DetectorId: adminDetector }))).toMatchObject({
      AutoEnableOrganizationMembers: 'ALL',
      Features: [{ Name: 'RUNTIME_MONITORING', AutoEnable: 'ALL' }],
    });
    const other = await detectorOf(DEV);
    await expectAwsError(guardDuty(DEV).send(new UpdateOrganizationConfigurationCommand({ DetectorId: other, AutoEnableOrganizationMembers: 'ALL' })), {
      name: 'BadRequestException',
      status: 400,
      message: /not the delegated administrator/,
    });
  });
});
