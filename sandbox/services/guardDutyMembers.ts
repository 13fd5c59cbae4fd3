/**
 * GuardDuty members, as the administrator manages them. The delegated
 * administrator adding an organization account enrols it at once: the
 * member gets an enabled detector (created when it has none) and the
 * administrator with relationship Enabled, as GuardDuty does for
 * organization accounts. Any other administrator only records the member
 * (Created): an invitation would be needed, which the sandbox does not model.
 */
import type {
  CreateMembersCommandInput,
  CreateMembersCommandOutput,
  GetMembersCommandInput,
  GetMembersCommandOutput,
  ListMembersCommandInput,
  ListMembersCommandOutput,
  Member,
  StartMonitoringMembersCommandInput,
  StartMonitoringMembersCommandOutput,
  UnprocessedAccount,
} from '@aws-sdk/client-guardduty';
import { page } from '../pagination.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { badRequest, delegatedAdministratorOf, guardDutyPageSize, guardDutyStateIn, guardDutyStateOf, newDetector, ownDetector, type MemberRecord } from './guardDutyState.ts';

/** CreateMembers, GetMembers and StartMonitoringMembers take 1 to 50 accounts. */
function accountIdsOf(ids: readonly string[] | undefined): string[] {
  const list = ids ?? [];
  if (list.length < 1 || list.length > 50) throw badRequest(`the number of accountIds (${list.length}) is not between 1 and 50`);
  for (const id of list) if (!/^\d{12}$/.test(id)) throw badRequest(`the input account ID ${id} is not a 12-digit AWS account ID`);
  return [...list];
}

function memberOutput(context: OperationContext, accountId: string, member: MemberRecord): Member {
  const detectorId = guardDutyStateIn(context, accountId)?.detector?.detectorId;
  return {
    AccountId: accountId,
    ...(detectorId && member.relationshipStatus === 'Enabled' ? { DetectorId: detectorId } : {}),
    MasterId: context.account,
    AdministratorId: context.account,
    Email: member.email ?? `${context.state.accounts[accountId]?.name ?? accountId}@example.com`,
    RelationshipStatus: member.relationshipStatus,
    ...(member.invitedAt ? { InvitedAt: member.invitedAt } : {}),
    UpdatedAt: member.updatedAt,
  };
}

/** Members that accepted (or were enrolled through the organization), monitored or not: ListMembers' OnlyAssociated. */
const ASSOCIATED = new Set(['Enabled', 'Disabled']);

/** Why CreateMembers leaves an account out, or undefined. */
function refusalOf(context: OperationContext, accountId: string, viaOrganization: boolean): string | undefined {
  if (accountId === context.account) return 'The request is rejected because the current account cannot be its own member.';
  if (!context.state.accounts[accountId]) return 'The request is rejected because the input account ID is not an account of the organization.';
  // GuardDuty does not switch itself on in the management account: it must have done so first.
  if (viaOrganization && accountId === context.state.managementAccount && guardDutyStateIn(context, accountId)?.detector?.status !== 'ENABLED') {
    return 'Operation failed because your organization master must first enable GuardDuty to be added as a member';
  }
  const current = guardDutyStateIn(context, accountId)?.administrator;
  if (current && current.accountId !== context.account && current.relationshipStatus === 'Enabled') {
    return `The request is rejected because the account is already a member of the administrator account ${current.accountId}.`;
  }
  return undefined;
}

/** The delegated administrator enrols an organization account: an enabled detector, and the relationship on both sides. */
function enrol(context: OperationContext, accountId: string, member: MemberRecord): void {
  const memberState = guardDutyStateIn(context, accountId);
  if (!memberState) {
    member.relationshipStatus = 'RegionDisabled';
    return;
  }
  const now = context.now().toISOString();
  if (!memberState.detector) memberState.detector = newDetector(context, true);
  else if (memberState.detector.status !== 'ENABLED') memberState.detector = { ...memberState.detector, status: 'ENABLED', updatedAt: now };
  memberState.administrator = { accountId: context.account, relationshipStatus: 'Enabled', invitationId: context.nextId(), invitedAt: now };
  member.relationshipStatus = 'Enabled';
  member.invitedAt = now;
}

export const memberOperations: Readonly<Record<string, OperationHandler>> = {
  ListMembers: operation((context, input: ListMembersCommandInput): Output<ListMembersCommandOutput> => {
    ownDetector(context, input.DetectorId);
    const onlyAssociated = (input.OnlyAssociated ?? 'true') !== 'false';
    const all = Object.entries(guardDutyStateOf(context).members)
      .filter(([, member]) => !onlyAssociated || ASSOCIATED.has(member.relationshipStatus))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([accountId, member]) => memberOutput(context, accountId, member));
    const { items, next } = page(all, input.NextToken, guardDutyPageSize(input.MaxResults));
    return { Members: items, ...(next ? { NextToken: next } : {}) };
  }),

  GetMembers: operation((context, input: GetMembersCommandInput): Output<GetMembersCommandOutput> => {
    ownDetector(context, input.DetectorId);
    const members = guardDutyStateOf(context).members;
    const found: Member[] = [];
    const unprocessed: UnprocessedAccount[] = [];
    for (const accountId of accountIdsOf(input.AccountIds)) {
      const member = members[accountId];
      if (member) found.push(memberOutput(context, accountId, member));
      else unprocessed.push({ AccountId: accountId, Result: 'The request is rejected because the input account ID is not associated with this administrator account as a member.' });
    }
    return { Members: found, UnprocessedAccounts: unprocessed };
  }),

  CreateMembers: operation((context, input: CreateMembersCommandInput): Output<CreateMembersCommandOutput> => {
    ownDetector(context, input.DetectorId);
    const details = input.AccountDetails ?? [];
    accountIdsOf(details.map((detail) => detail.AccountId ?? ''));
    const members = guardDutyStateOf(context).members;
    const viaOrganization = delegatedAdministratorOf(context) === context.account;
    const unprocessed: UnprocessedAccount[] = [];
    for (const detail of details) {
      const accountId = detail.AccountId ?? '';
      const refusal = refusalOf(context, accountId, viaOrganization);
      if (refusal) {
        unprocessed.push({ AccountId: accountId, Result: refusal });
        continue;
      }
      const existing = members[accountId];
      if (existing?.relationshipStatus === 'Enabled') continue;
      const member: MemberRecord = { ...(detail.Email ? { email: detail.Email } : {}), relationshipStatus: 'Created', updatedAt: context.now().toISOString() };
      if (viaOrganization) enrol(context, accountId, member);
      members[accountId] = member;
    }
    return { UnprocessedAccounts: unprocessed };
  }),

  StartMonitoringMembers: operation((context, input: StartMonitoringMembersCommandInput): Output<StartMonitoringMembersCommandOutput> => {
    ownDetector(context, input.DetectorId);
    const members = guardDutyStateOf(context).members;
    const unprocessed: UnprocessedAccount[] = [];
    for (const accountId of accountIdsOf(input.AccountIds)) {
      const member = members[accountId];
      if (!member || !ASSOCIATED.has(member.relationshipStatus)) {
        unprocessed.push({ AccountId: accountId, Result: 'The request is rejected because the input account ID is not an associated member of this administrator account.' });
        continue;
      }
      member.relationshipStatus = 'Enabled';
      member.updatedAt = context.now().toISOString();
      const side = guardDutyStateIn(context, accountId)?.administrator;
      if (side?.accountId === context.account) side.relationshipStatus = 'Enabled';
    }
    return { UnprocessedAccounts: unprocessed };
  }),
};
