/**
 * Reads of GuardDuty state in one region (paginated), for the organization's
 * enrolment and the one-account check (detectorStatus.ts) alike.
 * APIs: guardduty:ListOrganizationAdminAccounts (management account);
 * guardduty:ListDetectors, guardduty:GetDetector (any account);
 * guardduty:ListMembers, guardduty:DescribeOrganizationConfiguration
 * (administrator account).
 */
import {
  GetDetectorCommand,
  GuardDutyClient,
  paginateDescribeOrganizationConfiguration,
  paginateListDetectors,
  paginateListMembers,
  paginateListOrganizationAdminAccounts,
} from '@aws-sdk/client-guardduty';
import type { AwsClients } from '../core/clientFactory.ts';
import type { DelegatedAdministrator, DetectorState, OrganizationConfigurationState } from './enrolmentPlan.ts';

export async function readDelegatedAdministrators(management: AwsClients): Promise<DelegatedAdministrator[]> {
  const client = management.get(GuardDutyClient);
  const admins: DelegatedAdministrator[] = [];
  for await (const page of paginateListOrganizationAdminAccounts({ client }, {})) {
    for (const admin of page.AdminAccounts ?? []) {
      if (admin.AdminAccountId) admins.push({ accountId: admin.AdminAccountId, status: admin.AdminStatus ?? 'UNKNOWN' });
    }
  }
  return admins;
}

/** The first (and only: GuardDuty allows one per region) detector of the clients' account and region. */
export async function findDetectorId(clients: AwsClients): Promise<string | undefined> {
  const client = clients.get(GuardDutyClient);
  for await (const page of paginateListDetectors({ client }, {})) {
    const id = page.DetectorIds?.find((detectorId) => detectorId.length > 0);
    if (id) return id;
  }
  return undefined;
}

/** The clients' detector (ListDetectors, GetDetector): its id, status and features; no id when there is none. */
export async function readDetector(clients: AwsClients): Promise<DetectorState> {
  const detectorId = await findDetectorId(clients);
  if (!detectorId) return { features: new Map() };
  const detector = await clients.get(GuardDutyClient).send(new GetDetectorCommand({ DetectorId: detectorId }));
  const features = new Map<string, string>();
  for (const feature of detector.Features ?? []) {
    if (feature.Name && feature.Status) features.set(feature.Name, feature.Status);
  }
  return { detectorId, ...(detector.Status ? { status: detector.Status } : {}), features };
}

/** Account id -> RelationshipStatus of every member, associated or not. */
export async function readMembers(administrator: AwsClients, detectorId: string): Promise<Map<string, string>> {
  const client = administrator.get(GuardDutyClient);
  const members = new Map<string, string>();
  for await (const page of paginateListMembers({ client }, { DetectorId: detectorId, OnlyAssociated: 'false' })) {
    for (const member of page.Members ?? []) {
      if (member.AccountId) members.set(member.AccountId, member.RelationshipStatus ?? '');
    }
  }
  return members;
}

export async function readOrganizationConfiguration(administrator: AwsClients, detectorId: string): Promise<OrganizationConfigurationState> {
  const client = administrator.get(GuardDutyClient);
  const features = new Map<string, string>();
  let autoEnableOrganizationMembers: string | undefined;
  for await (const page of paginateDescribeOrganizationConfiguration({ client }, { DetectorId: detectorId })) {
    autoEnableOrganizationMembers ??= page.AutoEnableOrganizationMembers;
    for (const feature of page.Features ?? []) {
      if (feature.Name && feature.AutoEnable) features.set(feature.Name, feature.AutoEnable);
    }
  }
  return { ...(autoEnableOrganizationMembers ? { autoEnableOrganizationMembers } : {}), features };
}
