/**
 * An in-memory organization behind aws-sdk-client-mock: GuardDuty state per
 * region (read from the calling client's region), Organizations accounts,
 * EC2 regions and the caller's identity. Mutating calls change the state, so
 * a second run sees what the first one did.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateDetectorCommand,
  CreateMembersCommand,
  DescribeOrganizationConfigurationCommand,
  EnableOrganizationAdminAccountCommand,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListMembersCommand,
  ListOrganizationAdminAccountsCommand,
  StartMonitoringMembersCommand,
  UpdateDetectorCommand,
  UpdateOrganizationConfigurationCommand,
  type CreateMembersCommandInput,
  type UpdateDetectorCommandInput,
  type UpdateOrganizationConfigurationCommandInput,
} from '@aws-sdk/client-guardduty';
import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from '../helpers/context.ts';

export const ADMIN = '999999999999';
export const MANAGEMENT = '888888888888';

export interface FakeRegion {
  admins: { AdminAccountId: string; AdminStatus: 'ENABLED' | 'DISABLE_IN_PROGRESS' }[];
  detector?: { id: string; status: 'ENABLED' | 'DISABLED'; features: Map<string, string> };
  members: Map<string, string>;
  autoEnableOrganizationMembers?: 'ALL' | 'NEW' | 'NONE';
  orgFeatures: Map<string, string>;
  /** Every GuardDuty call in the region fails with AccessDenied. */
  denied?: boolean;
}

export function fakeRegion(overrides: Partial<FakeRegion> = {}): FakeRegion {
  return { admins: [], members: new Map(), orgFeatures: new Map(), ...overrides };
}

export const guardDuty = mockClient(GuardDutyClient);
export const organizations = mockClient(OrganizationsClient);
export const ec2 = mockClient(EC2Client);
export const sts = mockClient(STSClient);

/** The organization's accounts as ListAccounts returns them (State and the deprecated Status). */
export function organizationAccount(id: string, state: 'ACTIVE' | 'SUSPENDED' = 'ACTIVE'): Account {
  return {
    Id: id,
    Arn: `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/${id}`,
    Email: `aws+${id}@example.com`,
    Name: `workload-${id}`,
    State: state,
    Status: state,
    JoinedMethod: 'CREATED',
    JoinedTimestamp: new Date('2023-05-17T10:20:30Z'),
  };
}

type Region = string;

async function regionOf(getClient: () => { config: { region: unknown } }): Promise<Region> {
  const region = getClient().config.region;
  return typeof region === 'function' ? String(await (region as () => Promise<string>)()) : String(region);
}

export function installFakeOrganization(state: Map<Region, FakeRegion>, accounts: Account[], enabledRegions: string[]): void {
  for (const mock of [guardDuty, organizations, ec2, sts]) mock.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ADMIN, Arn: `arn:aws:sts::${ADMIN}:assumed-role/guardduty-enrolment/fn`, UserId: 'AROAEXAMPLE:fn' });
  ec2.on(DescribeRegionsCommand).resolves({
    Regions: enabledRegions.map((name) => ({ RegionName: name, Endpoint: `ec2.${name}.amazonaws.com`, OptInStatus: 'opt-in-not-required' })),
  });
  organizations.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    const next = start + 20;
    return { Accounts: accounts.slice(start, next), ...(next < accounts.length ? { NextToken: String(next) } : {}) };
  });

  const inRegion =
    <I, O>(handler: (region: FakeRegion, input: I) => O) =>
    async (input: I, getClient: () => { config: { region: unknown } }): Promise<O> => {
      const name = await regionOf(getClient);
      const region = state.get(name);
      if (!region) throw awsError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
      if (region.denied) throw awsError('AccessDeniedException', 403, `User is not authorized to perform GuardDuty actions in ${name}`);
      return handler(region, input);
    };

  guardDuty.on(ListOrganizationAdminAccountsCommand).callsFake(inRegion((r) => ({ AdminAccounts: r.admins })));
  guardDuty.on(EnableOrganizationAdminAccountCommand).callsFake(
    inRegion((r, input: { AdminAccountId: string }) => {
      r.admins.push({ AdminAccountId: input.AdminAccountId, AdminStatus: 'ENABLED' });
      return {};
    }),
  );
  guardDuty.on(ListDetectorsCommand).callsFake(inRegion((r) => ({ DetectorIds: r.detector ? [r.detector.id] : [] })));
  guardDuty.on(GetDetectorCommand).callsFake(
    inRegion((r) => ({
      CreatedAt: '2024-03-01T09:12:44.118Z',
      ServiceRole: `arn:aws:iam::${ADMIN}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
      Status: r.detector?.status,
      Features: [...(r.detector?.features ?? new Map()).entries()].map(([Name, Status]) => ({ Name, Status, UpdatedAt: new Date('2026-01-01T00:00:00Z') })),
    })),
  );
  guardDuty.on(CreateDetectorCommand).callsFake(
    inRegion((r, input: { Features?: { Name?: string; Status?: string }[] }) => {
      r.detector = { id: 'f2c4e6a8b0d2f4a6c8e0b2d4f6a8c0e2', status: 'ENABLED', features: new Map((input.Features ?? []).map((f) => [f.Name ?? '', f.Status ?? ''])) };
      return { DetectorId: r.detector.id };
    }),
  );
  guardDuty.on(UpdateDetectorCommand).callsFake(
    inRegion((r, input: UpdateDetectorCommandInput) => {
      if (!r.detector) throw awsError('BadRequestException', 400, 'The request is rejected because the input detectorId is not owned by the current account.');
      if (input.Enable) r.detector.status = 'ENABLED';
      for (const feature of input.Features ?? []) r.detector.features.set(feature.Name ?? '', feature.Status ?? '');
      return {};
    }),
  );
  guardDuty.on(ListMembersCommand).callsFake(
    inRegion((r, input: { NextToken?: string; MaxResults?: number }) => {
      const all = [...r.members.entries()];
      const start = Number(input.NextToken ?? 0);
      const next = start + (input.MaxResults ?? 50);
      const Members = all.slice(start, next).map(([AccountId, RelationshipStatus]) => ({
        AccountId,
        DetectorId: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
        MasterId: ADMIN,
        AdministratorId: ADMIN,
        Email: `aws+${AccountId}@example.com`,
        RelationshipStatus,
        InvitedAt: '2024-03-01T09:13:02.000Z',
        UpdatedAt: '2026-11-19T02:00:00.000Z',
      }));
      return { Members, ...(next < all.length ? { NextToken: String(next) } : {}) };
    }),
  );
  guardDuty.on(CreateMembersCommand).callsFake(
    inRegion((r, input: CreateMembersCommandInput) => {
      const details = input.AccountDetails ?? [];
      if (details.length > 50) throw awsError('BadRequestException', 400, 'The request is rejected because the number of accounts exceeds 50.');
      const suspended = new Set(accounts.filter((a) => a.State === 'SUSPENDED').map((a) => a.Id));
      const UnprocessedAccounts: { AccountId: string; Result: string }[] = [];
      for (const detail of details) {
        const id = detail.AccountId ?? '';
        if (id === ADMIN) UnprocessedAccounts.push({ AccountId: id, Result: 'The request is rejected because the given account ID is the administrator account.' });
        else if (suspended.has(id)) UnprocessedAccounts.push({ AccountId: id, Result: 'The request is rejected because the account is suspended.' });
        else r.members.set(id, 'Enabled');
      }
      return { UnprocessedAccounts };
    }),
  );
  guardDuty.on(StartMonitoringMembersCommand).callsFake(
    inRegion((r, input: { AccountIds?: string[] }) => {
      for (const id of input.AccountIds ?? []) r.members.set(id, 'Enabled');
      return { UnprocessedAccounts: [] };
    }),
  );
  guardDuty.on(DescribeOrganizationConfigurationCommand).callsFake(
    inRegion((r) => {
      if (!r.admins.some((a) => a.AdminAccountId === ADMIN)) throw awsError('BadRequestException', 400, 'The request is rejected because the current account is not the delegated administrator.');
      return {
        MemberAccountLimitReached: false,
        AutoEnable: r.autoEnableOrganizationMembers === 'ALL' || r.autoEnableOrganizationMembers === 'NEW',
        ...(r.autoEnableOrganizationMembers ? { AutoEnableOrganizationMembers: r.autoEnableOrganizationMembers } : {}),
        Features: [...r.orgFeatures.entries()].map(([Name, AutoEnable]) => ({ Name, AutoEnable })),
      };
    }),
  );
  guardDuty.on(UpdateOrganizationConfigurationCommand).callsFake(
    inRegion((r, input: UpdateOrganizationConfigurationCommandInput) => {
      r.autoEnableOrganizationMembers = input.AutoEnableOrganizationMembers;
      for (const feature of input.Features ?? []) r.orgFeatures.set(feature.Name ?? '', feature.AutoEnable ?? '');
      return {};
    }),
  );
}

export const MUTATING_COMMANDS = [
  EnableOrganizationAdminAccountCommand,
  CreateDetectorCommand,
  UpdateDetectorCommand,
  CreateMembersCommand,
  StartMonitoringMembersCommand,
  UpdateOrganizationConfigurationCommand,
] as const;

/** Every mutating GuardDuty call made so far, by command name. */
export function mutatingCalls(): string[] {
  return guardDuty
    .calls()
    .map((call) => call.args[0].constructor.name)
    .filter((name) => MUTATING_COMMANDS.some((command) => command.name === name));
}
