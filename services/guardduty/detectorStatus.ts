/**
 * One account's GuardDuty state in one region, and the one-account fix.
 *
 * APIs: guardduty:ListDetectors, guardduty:GetDetector,
 * guardduty:GetAdministratorAccount (read, in the audited account);
 * guardduty:ListDetectors, guardduty:GetMembers, guardduty:CreateMembers,
 * guardduty:StartMonitoringMembers, guardduty:CreateDetector,
 * guardduty:GetDetector, guardduty:UpdateDetector (enrolOneAccount, in the
 * administrator account).
 *
 * The `region` auditor's check `region.guardduty_not_enrolled` reads with
 * readGuardDutyStatus, judges with guardDutyEnrolmentProblem (pure) and
 * remediates with enrolOneAccount; the organization-wide run uses the same
 * detector reads (enrolmentState.ts), membership rules (memberRelationship.ts)
 * and enableOwnDetector (for the management account).
 */
import {
  CreateDetectorCommand,
  CreateMembersCommand,
  GetAdministratorAccountCommand,
  GetMembersCommand,
  GuardDutyClient,
  StartMonitoringMembersCommand,
  UpdateDetectorCommand,
} from '@aws-sdk/client-guardduty';
import type { AwsClients } from '../core/clientFactory.ts';
import { findDetectorId, readDetector } from './enrolmentState.ts';
import { AdministratorDetectorMissingError, MemberNotEnrolledError } from './errors.ts';
import { memberAction, RELATIONSHIP } from './memberRelationship.ts';

export interface GuardDutyStatus {
  account: string;
  region: string;
  /** Absent when the account has no detector in the region. */
  detectorId?: string;
  /** GetDetector's Status: `ENABLED` or `DISABLED`. */
  detectorStatus?: string;
  /** GetAdministratorAccount: absent when the account has no administrator. */
  administrator?: { accountId: string; relationshipStatus: string };
}

/** Read-only: ListDetectors, GetDetector, GetAdministratorAccount in the clients' account and region. */
export async function readGuardDutyStatus(clients: AwsClients): Promise<GuardDutyStatus> {
  const base = { account: clients.account, region: clients.region };
  const { detectorId, status } = await readDetector(clients);
  if (!detectorId) return base;
  const { Administrator } = await clients.get(GuardDutyClient).send(new GetAdministratorAccountCommand({ DetectorId: detectorId }));
  return {
    ...base,
    detectorId,
    ...(status ? { detectorStatus: status } : {}),
    ...(Administrator?.AccountId
      ? { administrator: { accountId: Administrator.AccountId, relationshipStatus: Administrator.RelationshipStatus ?? 'Unknown' } }
      : {}),
  };
}

export interface EnrolmentExpectation {
  /** The audited account (12 digits). */
  account: string;
  /** The configured GuardDuty administrator; undefined checks only that the detector is enabled. */
  administratorAccount: string | undefined;
}

/**
 * Pure. Why the account is not enrolled in GuardDuty in this region, or
 * undefined when it is: a detector exists, is enabled, and (unless the
 * account is the administrator itself) is associated with the configured
 * administrator with RelationshipStatus Enabled.
 */
export function guardDutyEnrolmentProblem(status: GuardDutyStatus, expected: EnrolmentExpectation): string | undefined {
  const where = `${expected.account} ${status.region}`;
  if (!status.detectorId) return `GuardDuty has no detector in ${where}`;
  if (status.detectorStatus?.toUpperCase() !== 'ENABLED') {
    return `GuardDuty detector ${status.detectorId} in ${where} is ${status.detectorStatus ?? 'in an unknown state'}, not ENABLED`;
  }
  const { administratorAccount } = expected;
  if (administratorAccount === undefined || administratorAccount === expected.account) return undefined;
  const administrator = status.administrator;
  if (!administrator) return `GuardDuty in ${where} is not associated with the administrator account ${administratorAccount}`;
  if (administrator.accountId !== administratorAccount) {
    return `GuardDuty in ${where} is associated with ${administrator.accountId}, not the configured administrator account ${administratorAccount}`;
  }
  if (administrator.relationshipStatus.toLowerCase() !== RELATIONSHIP.enabled.toLowerCase()) {
    return `GuardDuty in ${where} is a member of ${administratorAccount} with relationship status ${administrator.relationshipStatus}, not Enabled`;
  }
  return undefined;
}

export interface EnrolOneResult {
  account: string;
  region: string;
  /** The administrator's detector in the region. */
  detectorId: string;
  /** applied: a mutating call was made; already_compliant: nothing to do, no mutating call. */
  outcome: 'applied' | 'already_compliant';
  /** What was done: CreateMembers, StartMonitoringMembers, the administrator's own detector enabled, or nothing. */
  action: 'create_member' | 'start_monitoring' | 'enable_detector' | 'none';
}

/**
 * The clients' account's own detector, created or enabled unless it is on
 * already: the administrator itself, or the management account before it
 * is added as a member.
 */
export async function enableOwnDetector(clients: AwsClients): Promise<EnrolOneResult> {
  const client = clients.get(GuardDutyClient);
  const base = { account: clients.account, region: clients.region, action: 'enable_detector' } as const;
  const { detectorId, status } = await readDetector(clients);
  if (!detectorId) {
    const created = await client.send(new CreateDetectorCommand({ Enable: true }));
    return { ...base, detectorId: created.DetectorId ?? '', outcome: 'applied' };
  }
  if (status === 'ENABLED') return { ...base, detectorId, outcome: 'already_compliant', action: 'none' };
  await client.send(new UpdateDetectorCommand({ DetectorId: detectorId, Enable: true }));
  return { ...base, detectorId, outcome: 'applied' };
}

function unprocessedResult(unprocessed: readonly { AccountId?: string; Result?: string }[] | undefined, account: string): string | undefined {
  return unprocessed?.find((entry) => entry.AccountId === account)?.Result;
}

/**
 * Idempotent: make `account` an Enabled member of the administrator's
 * detector in the administrator clients' region. Reads the membership first
 * (GetMembers) and calls CreateMembers only when the account is not a member
 * or was disassociated, StartMonitoringMembers only when monitoring was
 * stopped; an Enabled member makes no mutating call. When `account` is the
 * administrator itself, its own detector is created or enabled instead.
 * Throws AdministratorDetectorMissingError when the administrator has no
 * detector in the region, MemberNotEnrolledError when GuardDuty refuses.
 */
export async function enrolOneAccount(adminClients: AwsClients, account: string, email?: string): Promise<EnrolOneResult> {
  if (account === adminClients.account) return enableOwnDetector(adminClients);
  const { region } = adminClients;
  const detectorId = await findDetectorId(adminClients);
  if (!detectorId) throw new AdministratorDetectorMissingError(adminClients.account, region);
  const client = adminClients.get(GuardDutyClient);
  const { Members } = await client.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: [account] }));
  const member = Members?.find((candidate) => candidate.AccountId === account);
  const action = memberAction(member?.RelationshipStatus, { reassociate: true });
  const base = { account, region, detectorId };
  switch (action.kind) {
    case 'none':
      return { ...base, outcome: 'already_compliant', action: 'none' };
    case 'report':
      throw new MemberNotEnrolledError(account, region, action.reason);
    case 'start_monitoring': {
      const started = await client.send(new StartMonitoringMembersCommand({ DetectorId: detectorId, AccountIds: [account] }));
      const refused = unprocessedResult(started.UnprocessedAccounts, account);
      if (refused) throw new MemberNotEnrolledError(account, region, refused);
      return { ...base, outcome: 'applied', action: 'start_monitoring' };
    }
    case 'create_member': {
      const created = await client.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: account, Email: email }] }));
      const refused = unprocessedResult(created.UnprocessedAccounts, account);
      if (refused) throw new MemberNotEnrolledError(account, region, refused);
      return { ...base, outcome: 'applied', action: 'create_member' };
    }
  }
}
