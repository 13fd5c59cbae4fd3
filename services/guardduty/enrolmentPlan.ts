/**
 * Pure planning for GuardDuty enrolment: desired state vs the state read
 * from AWS -> the actions to take. No AWS call here; enrolRegion.ts reads,
 * calls these, then executes (or, in a dry run, only reports) the result.
 */
import type { OrganizationAccount } from '../core/organizationAccounts.ts';
import type { Config } from '../core/config.ts';
import { memberAction, type MemberPolicy } from './memberRelationship.ts';

/** CreateMembers and StartMonitoringMembers take at most 50 accounts per call. */
export const MAX_ACCOUNTS_PER_CALL = 50;

export type ProtectionPlan = Config['guardDutyProtectionPlans'][number];
export type AutoEnableMode = Config['guardDutyAutoEnable'];

/** An account as AWS Organizations ListAccounts returns it. */
export type { OrganizationAccount };

export function inBatches<T>(items: readonly T[], size = MAX_ACCOUNTS_PER_CALL): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

// --- the delegated administrator (management account) ---

export interface DelegatedAdministrator {
  accountId: string;
  /** ENABLED or DISABLE_IN_PROGRESS. */
  status: string;
}

export type AdministratorPlan = { kind: 'none' } | { kind: 'enable' } | { kind: 'conflict'; current: string };

/** Enable the configured administrator only when no administrator is enabled; never replace another one. */
export function planDelegatedAdministrator(current: readonly DelegatedAdministrator[], administratorAccount: string): AdministratorPlan {
  const enabled = current.filter((admin) => admin.status === 'ENABLED');
  if (enabled.some((admin) => admin.accountId === administratorAccount)) return { kind: 'none' };
  const other = enabled[0];
  return other ? { kind: 'conflict', current: other.accountId } : { kind: 'enable' };
}

// --- the administrator's detector ---

export interface DetectorState {
  detectorId?: string;
  /** ENABLED or DISABLED. */
  status?: string;
  /** Feature name -> ENABLED / DISABLED, as GetDetector reports them. */
  features: ReadonlyMap<string, string>;
}

export type DetectorPlan =
  | { kind: 'none'; detectorId: string }
  | { kind: 'create'; features: ProtectionPlan[] }
  | { kind: 'update'; detectorId: string; enable: boolean; features: ProtectionPlan[] };

/** A detector that exists, is enabled and has every configured plan on; plans not configured are left as they are. */
export function planDetector(current: DetectorState, plans: readonly ProtectionPlan[]): DetectorPlan {
  if (!current.detectorId) return { kind: 'create', features: [...plans] };
  const enable = current.status !== 'ENABLED';
  const features = plans.filter((plan) => current.features.get(plan) !== 'ENABLED');
  if (!enable && features.length === 0) return { kind: 'none', detectorId: current.detectorId };
  return { kind: 'update', detectorId: current.detectorId, enable, features };
}

// --- members ---

export interface MemberPlan {
  /** CreateMembers calls, at most 50 accounts each. */
  create: OrganizationAccount[][];
  /** StartMonitoringMembers calls, at most 50 accounts each. */
  startMonitoring: string[][];
  /** Already Enabled members. */
  already: string[];
  /** Accounts left as they are, with why (suspended, relationship not Enabled). */
  reported: { account: string; reason: string }[];
}

/**
 * Every ACTIVE organization account except the administrator must be an
 * Enabled member. `members` maps account id -> RelationshipStatus (ListMembers).
 */
export function planMembers(
  accounts: readonly OrganizationAccount[],
  members: ReadonlyMap<string, string>,
  administratorAccount: string,
  policy: MemberPolicy,
): MemberPlan {
  const create: OrganizationAccount[] = [];
  const restart: string[] = [];
  const plan: MemberPlan = { create: [], startMonitoring: [], already: [], reported: [] };
  for (const account of accounts) {
    if (account.id === administratorAccount) continue;
    if (account.status !== 'ACTIVE') {
      plan.reported.push({ account: account.id, reason: `organization status ${account.status}: not enrolled` });
      continue;
    }
    const action = memberAction(members.get(account.id), policy);
    if (action.kind === 'none') plan.already.push(account.id);
    else if (action.kind === 'create_member') create.push(account);
    else if (action.kind === 'start_monitoring') restart.push(account.id);
    else plan.reported.push({ account: account.id, reason: action.reason });
  }
  return { ...plan, create: inBatches(create), startMonitoring: inBatches(restart) };
}

// --- organization configuration (auto-enable) ---

export interface OrganizationConfigurationState {
  autoEnableOrganizationMembers?: string;
  /** Feature name -> AutoEnable (ALL / NEW / NONE). */
  features: ReadonlyMap<string, string>;
}

export interface OrganizationConfigurationUpdate {
  autoEnableOrganizationMembers: AutoEnableMode;
  features: { name: ProtectionPlan; autoEnable: AutoEnableMode }[];
}

/** undefined when accounts already enrol themselves as configured (and with the configured plans). */
export function planOrganizationConfiguration(
  current: OrganizationConfigurationState | undefined,
  mode: AutoEnableMode,
  plans: readonly ProtectionPlan[],
): OrganizationConfigurationUpdate | undefined {
  const update: OrganizationConfigurationUpdate = {
    autoEnableOrganizationMembers: mode,
    features: plans.map((name) => ({ name, autoEnable: mode })),
  };
  if (!current) return update;
  const membersMatch = current.autoEnableOrganizationMembers === mode;
  const featuresMatch = plans.every((plan) => current.features.get(plan) === mode);
  return membersMatch && featuresMatch ? undefined : update;
}
