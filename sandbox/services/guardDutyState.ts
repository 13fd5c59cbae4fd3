/**
 * GuardDuty's state in the sandbox, per (account, region): the account's
 * detector (one per region, as in AWS), its administrator when it is a
 * member, the members it administers, and, in the management account, the
 * organization's delegated administrator for the region. Ids and errors as
 * GuardDuty answers them.
 */
import type { DetectorFeatureResult, FeatureStatus } from '@aws-sdk/client-guardduty';
import { serviceError, type SandboxServiceError } from '../sandboxErrors.ts';
import type { OperationContext } from '../serviceModel.ts';

export interface DetectorRecord {
  detectorId: string;
  status: 'ENABLED' | 'DISABLED';
  createdAt: string;
  updatedAt: string;
  findingPublishingFrequency: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';
  features: Partial<Record<DetectorFeatureResult, { status: FeatureStatus; updatedAt: string }>>;
  tags: Record<string, string>;
}

/** A member as its administrator sees it. */
export interface MemberRecord {
  email?: string;
  /** Enabled, Disabled (monitoring stopped), Created (invitation needed), Removed, Resigned, RegionDisabled, ... */
  relationshipStatus: string;
  invitedAt?: string;
  updatedAt: string;
}

export interface GuardDutyRegionState {
  detector?: DetectorRecord;
  /** When this account is a member: its administrator. */
  administrator?: { accountId: string; relationshipStatus: string; invitationId: string; invitedAt: string };
  /** When this account is an administrator: its members, by account id. */
  members: Record<string, MemberRecord>;
  /** In the management account only: the delegated administrator of the region. */
  delegatedAdministrator?: { accountId: string; status: 'ENABLED' | 'DISABLE_IN_PROGRESS' };
  /** When this account is the delegated administrator: how organization accounts enrol themselves. */
  organizationConfiguration: { autoEnableOrganizationMembers: 'ALL' | 'NEW' | 'NONE'; features: Record<string, 'ALL' | 'NEW' | 'NONE'> };
}

export function emptyGuardDutyState(): GuardDutyRegionState {
  return { members: {}, organizationConfiguration: { autoEnableOrganizationMembers: 'NONE', features: {} } };
}

export function guardDutyStateOf(context: OperationContext): GuardDutyRegionState {
  return context.regional<GuardDutyRegionState>('guardduty', emptyGuardDutyState);
}

/** Another account's GuardDuty state in this region; undefined when that account does not have the region. */
export function guardDutyStateIn(context: OperationContext, account: string): GuardDutyRegionState | undefined {
  if (account === context.account) return guardDutyStateOf(context);
  const region = context.state.accounts[account]?.regions[context.region];
  if (!region) return undefined;
  region.guardduty ??= emptyGuardDutyState();
  return region.guardduty as GuardDutyRegionState;
}

/** GuardDuty's detector ids: 32 lower-case hex characters. */
export function newDetectorId(context: OperationContext): string {
  return `${context.nextId()}${context.nextId()}`.slice(-32);
}

/** Features a new detector has on (the protection plans GuardDuty turns on by default), and the foundational sources. */
export const DEFAULT_DETECTOR_FEATURES: Readonly<Partial<Record<DetectorFeatureResult, FeatureStatus>>> = {
  CLOUD_TRAIL: 'ENABLED',
  DNS_LOGS: 'ENABLED',
  FLOW_LOGS: 'ENABLED',
  S3_DATA_EVENTS: 'ENABLED',
  EKS_AUDIT_LOGS: 'ENABLED',
  EBS_MALWARE_PROTECTION: 'ENABLED',
  RDS_LOGIN_EVENTS: 'ENABLED',
  LAMBDA_NETWORK_LOGS: 'ENABLED',
  EKS_RUNTIME_MONITORING: 'DISABLED',
  RUNTIME_MONITORING: 'DISABLED',
};

/** A detector created (enabled) now, with GuardDuty's default features. */
export function newDetector(context: OperationContext, enable: boolean): DetectorRecord {
  const now = context.now().toISOString();
  const features: DetectorRecord['features'] = {};
  for (const [name, status] of Object.entries(DEFAULT_DETECTOR_FEATURES) as [DetectorFeatureResult, FeatureStatus][]) features[name] = { status, updatedAt: now };
  return { detectorId: newDetectorId(context), status: enable ? 'ENABLED' : 'DISABLED', createdAt: now, updatedAt: now, findingPublishingFrequency: 'SIX_HOURS', features, tags: {} };
}

/** GuardDuty's one client error: BadRequestException, 400. */
export function badRequest(message: string): SandboxServiceError {
  return serviceError('BadRequestException', 400, `The request is rejected because ${message}.`);
}

/** The caller's detector named by DetectorId, or BadRequestException as GuardDuty answers another account's (or no) detector. */
export function ownDetector(context: OperationContext, detectorId: string | undefined): DetectorRecord {
  const detector = guardDutyStateOf(context).detector;
  if (!detectorId || detector?.detectorId !== detectorId) throw badRequest('the input detectorId is not owned by the current account');
  return detector;
}

/** The organization's delegated GuardDuty administrator in this region, as the management account records it. */
export function delegatedAdministratorOf(context: OperationContext): string | undefined {
  const management = guardDutyStateIn(context, context.state.managementAccount);
  return management?.delegatedAdministrator?.status === 'ENABLED' ? management.delegatedAdministrator.accountId : undefined;
}

/** Calls only the delegated administrator may make. */
export function assertDelegatedAdministrator(context: OperationContext): void {
  if (delegatedAdministratorOf(context) !== context.account) {
    throw badRequest('the current account is not the delegated administrator of the organization in this Region');
  }
}

/** Calls only the organization's management account may make. */
export function assertManagementAccount(context: OperationContext): void {
  if (context.account !== context.state.managementAccount) {
    throw badRequest('the current account is not the management account of the organization');
  }
}

/** GuardDuty's list limits: MaxResults 1..50, default 50. */
export function guardDutyPageSize(maxResults: number | undefined): number {
  if (maxResults === undefined) return 50;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) throw badRequest(`the parameter maxResults is out-of-bounds (${maxResults}; 1 to 50)`);
  return maxResults;
}
