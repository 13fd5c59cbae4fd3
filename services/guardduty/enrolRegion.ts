/**
 * One region: read, plan (enrolmentPlan.ts), execute, in four steps:
 * delegated administrator (management account) -> the administrator's
 * detector -> members -> auto-enable. A failing step is recorded and the
 * steps that depend on it are skipped; the region never throws.
 *
 * Mutating APIs: guardduty:EnableOrganizationAdminAccount (management);
 * guardduty:CreateDetector, guardduty:UpdateDetector, guardduty:CreateMembers,
 * guardduty:StartMonitoringMembers, guardduty:UpdateOrganizationConfiguration
 * (administrator).
 */
import {
  CreateDetectorCommand,
  CreateMembersCommand,
  EnableOrganizationAdminAccountCommand,
  GuardDutyClient,
  StartMonitoringMembersCommand,
  UpdateDetectorCommand,
  UpdateOrganizationConfigurationCommand,
} from '@aws-sdk/client-guardduty';
import type { AwsClients } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import {
  planDelegatedAdministrator,
  planDetector,
  planMembers,
  planOrganizationConfiguration,
  type OrganizationAccount,
  type ProtectionPlan,
} from './enrolmentPlan.ts';
import { enableOwnDetector } from './detectorStatus.ts';
import { readDelegatedAdministrators, readDetector, readMembers, readOrganizationConfiguration } from './enrolmentState.ts';
import { emptyRegionSummary, type RegionSummary } from './enrolmentSummary.ts';

export type EnrolmentSettings = Pick<Config, 'guardDutyAutoEnable' | 'guardDutyProtectionPlans' | 'guardDutyReassociateMembers'>;

export interface RegionEnrolment {
  region: string;
  /** Clients in the organization's management account (assumed role). */
  management: AwsClients;
  /** Clients in the GuardDuty administrator account. */
  administrator: AwsClients;
  administratorAccount: string;
  /** The organization's management account: GuardDuty adds it as a member only once it runs a detector itself. */
  managementAccount?: string;
  accounts: readonly OrganizationAccount[];
  settings: EnrolmentSettings;
  dryRun: boolean;
  log: Log;
}

function featuresOf(plans: readonly ProtectionPlan[]) {
  return plans.map((name) => ({ Name: name, Status: 'ENABLED' as const }));
}

/** Returns false when the region cannot go on (no administrator, or another one). */
async function ensureAdministrator(run: RegionEnrolment, summary: RegionSummary): Promise<boolean> {
  const plan = planDelegatedAdministrator(await readDelegatedAdministrators(run.management), run.administratorAccount);
  if (plan.kind === 'none') {
    summary.administrator = { status: 'ok' };
    return true;
  }
  if (plan.kind === 'conflict') {
    summary.administrator = {
      status: 'failed',
      detail: `the delegated administrator is ${plan.current}, not ${run.administratorAccount}; GuardDuty allows one per organization: change it in the management account or set guardDutyAdministratorAccount`,
    };
    return false;
  }
  const detail = `EnableOrganizationAdminAccount ${run.administratorAccount}`;
  if (run.dryRun) {
    summary.administrator = { status: 'planned', detail };
    return true;
  }
  await run.management.get(GuardDutyClient).send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: run.administratorAccount }));
  summary.changes += 1;
  summary.administrator = { status: 'changed', detail };
  return true;
}

/** The administrator's detector id, or undefined in a dry run that would create it. */
async function ensureDetector(run: RegionEnrolment, summary: RegionSummary): Promise<string | undefined> {
  const plans = run.settings.guardDutyProtectionPlans;
  const plan = planDetector(await readDetector(run.administrator), plans);
  const client = run.administrator.get(GuardDutyClient);
  switch (plan.kind) {
    case 'none':
      summary.detector = { status: 'ok' };
      return plan.detectorId;
    case 'create': {
      const detail = `CreateDetector${plan.features.length > 0 ? ` with ${plan.features.join(', ')}` : ''}`;
      if (run.dryRun) {
        summary.detector = { status: 'planned', detail };
        return undefined;
      }
      const created = await client.send(new CreateDetectorCommand({ Enable: true, ...(plan.features.length > 0 ? { Features: featuresOf(plan.features) } : {}) }));
      summary.changes += 1;
      summary.detector = { status: 'changed', detail };
      return created.DetectorId;
    }
    case 'update': {
      const what = [plan.enable ? 'enable' : '', plan.features.length > 0 ? `turn on ${plan.features.join(', ')}` : ''].filter((part) => part.length > 0);
      const detail = `UpdateDetector ${plan.detectorId}: ${what.join(', ')}`;
      if (run.dryRun) {
        summary.detector = { status: 'planned', detail };
        return plan.detectorId;
      }
      await client.send(
        new UpdateDetectorCommand({
          DetectorId: plan.detectorId,
          ...(plan.enable ? { Enable: true } : {}),
          ...(plan.features.length > 0 ? { Features: featuresOf(plan.features) } : {}),
        }),
      );
      summary.changes += 1;
      summary.detector = { status: 'changed', detail };
      return plan.detectorId;
    }
  }
}

/**
 * GuardDuty refuses to add the management account as a member until it has
 * switched GuardDuty on itself: do that first, through the management
 * account's own clients (a no-op when its detector is enabled already).
 */
async function ensureManagementDetector(run: RegionEnrolment, summary: RegionSummary): Promise<void> {
  if ((await enableOwnDetector(run.management)).outcome !== 'applied') return;
  summary.changes += 1;
  run.log.info('enabled GuardDuty in the management account before adding it as a member', { region: run.region, account: run.managementAccount });
}

type Unprocessed = readonly { AccountId?: string; Result?: string }[] | undefined;

/** Accounts of a CreateMembers / StartMonitoringMembers call that GuardDuty did not process, with its reason. */
function refusals(unprocessed: Unprocessed): Map<string, string> {
  return new Map((unprocessed ?? []).filter((u) => u.AccountId).map((u) => [u.AccountId ?? '', u.Result ?? 'unprocessed']));
}

interface BatchCalls<T> {
  operation: 'CreateMembers' | 'StartMonitoringMembers';
  /** At most 50 accounts each (planMembers). */
  batches: readonly T[][];
  accountOf: (item: T) => string;
  send: (batch: T[]) => Promise<{ UnprocessedAccounts?: Unprocessed }>;
  /** Where the accounts GuardDuty processed go. */
  done: string[];
}

/**
 * One call per batch: each account ends up in `done`, or in the region's
 * failed members with GuardDuty's reason (or the call's error); a failing
 * batch does not stop the next.
 */
async function callPerBatch<T>(calls: BatchCalls<T>, summary: RegionSummary): Promise<void> {
  const { failed } = summary.members;
  for (const batch of calls.batches) {
    const accounts = batch.map(calls.accountOf);
    try {
      const refused = refusals((await calls.send(batch)).UnprocessedAccounts);
      summary.changes += 1;
      for (const account of accounts) {
        const reason = refused.get(account);
        if (reason) failed.push({ account, reason });
        else calls.done.push(account);
      }
    } catch (error) {
      for (const account of accounts) failed.push({ account, reason: `${calls.operation}: ${describeError(error)}` });
    }
  }
}

async function ensureMembers(run: RegionEnrolment, summary: RegionSummary, detectorId: string | undefined): Promise<void> {
  const members = detectorId ? await readMembers(run.administrator, detectorId) : new Map<string, string>();
  const plan = planMembers(run.accounts, members, run.administratorAccount, { reassociate: run.settings.guardDutyReassociateMembers });
  const result = summary.members;
  result.already = plan.already.length;
  result.reported = plan.reported;
  if (run.dryRun || !detectorId) {
    result.added = plan.create.flat().map((account) => account.id);
    result.restarted = plan.startMonitoring.flat();
    result.status = result.added.length + result.restarted.length > 0 ? 'planned' : 'ok';
    return;
  }
  const client = run.administrator.get(GuardDutyClient);
  const addsManagement = run.managementAccount !== undefined && plan.create.flat().some((account) => account.id === run.managementAccount);
  if (addsManagement) {
    try {
      await ensureManagementDetector(run, summary);
    } catch (error) {
      run.log.warn('could not enable GuardDuty in the management account; adding it will fail', { region: run.region, error: describeError(error) });
    }
  }
  const addMembers = (batch: OrganizationAccount[]) =>
    client.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: batch.map((account) => ({ AccountId: account.id, Email: account.email })) }));
  const restartMonitoring = (batch: string[]) => client.send(new StartMonitoringMembersCommand({ DetectorId: detectorId, AccountIds: batch }));
  await callPerBatch({ operation: 'CreateMembers', batches: plan.create, accountOf: (account) => account.id, send: addMembers, done: result.added }, summary);
  await callPerBatch({ operation: 'StartMonitoringMembers', batches: plan.startMonitoring, accountOf: (account) => account, send: restartMonitoring, done: result.restarted }, summary);
  result.status = result.failed.length > 0 ? 'failed' : result.added.length + result.restarted.length > 0 ? 'changed' : 'ok';
}

async function ensureAutoEnable(run: RegionEnrolment, summary: RegionSummary, detectorId: string | undefined): Promise<void> {
  const { guardDutyAutoEnable: mode, guardDutyProtectionPlans: plans } = run.settings;
  // Without a detector, or while the administrator is not delegated yet (dry run), there is nothing to read.
  const readable = detectorId !== undefined && summary.administrator.status === 'ok';
  const current = readable ? await readOrganizationConfiguration(run.administrator, detectorId) : undefined;
  const update = planOrganizationConfiguration(current, mode, plans);
  if (!update) {
    summary.autoEnable = { status: 'ok', detail: mode };
    return;
  }
  const detail = `AutoEnableOrganizationMembers=${mode}${plans.length > 0 ? `, ${plans.join(', ')}=${mode}` : ''}`;
  if (run.dryRun || !detectorId) {
    summary.autoEnable = { status: 'planned', detail };
    return;
  }
  await run.administrator.get(GuardDutyClient).send(
    new UpdateOrganizationConfigurationCommand({
      DetectorId: detectorId,
      AutoEnableOrganizationMembers: update.autoEnableOrganizationMembers,
      ...(update.features.length > 0 ? { Features: update.features.map((f) => ({ Name: f.name, AutoEnable: f.autoEnable })) } : {}),
    }),
  );
  summary.changes += 1;
  summary.autoEnable = { status: 'changed', detail };
}

/** Never throws: every failure ends up in the region's summary. */
export async function enrolRegion(run: RegionEnrolment): Promise<RegionSummary> {
  const summary = emptyRegionSummary(run.region);
  const fail = (error: unknown) => ({ status: 'failed' as const, detail: describeError(error) });
  try {
    if (!(await ensureAdministrator(run, summary))) return summary;
  } catch (error) {
    summary.administrator = fail(error);
    return summary;
  }
  let detectorId: string | undefined;
  try {
    detectorId = await ensureDetector(run, summary);
  } catch (error) {
    summary.detector = fail(error);
    return summary;
  }
  try {
    await ensureMembers(run, summary, detectorId);
  } catch (error) {
    summary.members = { ...summary.members, ...fail(error) };
  }
  try {
    await ensureAutoEnable(run, summary, detectorId);
  } catch (error) {
    summary.autoEnable = fail(error);
  }
  run.log.info('guardduty region done', { region: run.region, changes: summary.changes });
  return summary;
}
