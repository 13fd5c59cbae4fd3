import { GONE, NotReady, type AuditSummary, type FailedCheck } from '../../auditors/contract.ts';
import { auditorFor } from '../../auditors/registry.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { awsErrorName, describeError, isResourceGone } from '../core/errors.ts';
import { matchingException } from '../core/exceptions.ts';
import { findingIdOf, type Finding } from '../core/findings.ts';
import { declaredControls, declaresFramework } from '../core/frameworks.ts';
import type { Log } from '../core/log.ts';
import type { ResourceMessage } from '../core/message.ts';
import { MutationGuard } from './mutationGuard.ts';
import type { OrganizationBrake } from './organizationBrake.ts';
import type { RemediationBudget } from './remediationBudget.ts';

/** What one run of the remediator shares between the resources it audits. */
export interface AuditRun {
  config: Config;
  factory: ClientFactory;
  trustedAccounts: ReadonlySet<string>;
  /** The organization's id (o-…), for grants to an organization or OU; undefined when unknown. */
  organizationId?: string;
  budget: RemediationBudget;
  /** The organization-wide cap per hour, shared by every remediator instance. */
  brake: OrganizationBrake;
  log: Log;
  now: Date;
  /**
   * Called with the findings about to be remediated, before the first
   * mutating call: the notification is sent first, so a fix that succeeds
   * while the later publish fails cannot lose its finding (the retry finds
   * the resource compliant). Throwing stops the audit before any change.
   */
  beforeRemediation?: (findings: Finding[]) => Promise<void>;
}

/** A check that passed on the audited resource, with the finding id it would have had (the findings store resolves it). */
export interface PassedCheck {
  checkId: string;
  findingId: string;
}

export type AuditOutcome =
  | { status: 'audited'; findings: Finding[]; passed: PassedCheck[]; summary?: AuditSummary }
  | { status: 'gone' }
  | { status: 'not_ready'; reason: string; delaySeconds: number };

/**
 * Describe the resource now, run its checks, and remediate what may be
 * remediated: remediation on, a remediation exists (and is enabled), no
 * exception matches, neither the run's cap nor the organization-wide cap
 * per hour reached (both taken at the first mutating call: see
 * MutationGuard). Every finding is returned,
 * excepted ones included. Decisions are per finding: nothing carries over
 * to the next resource.
 */
export async function auditResource(received: ResourceMessage, run: AuditRun): Promise<AuditOutcome> {
  const auditor = auditorFor(received.type);
  if (!auditor) throw new Error(`no auditor is registered for type ${received.type}`);
  const clients = run.factory.forAccount(received.account, received.region);
  const clientsFor = (account: string, region: string) => run.factory.forAccount(account, region);
  const canonical = await auditor.canonicalId({ account: received.account, region: received.region, id: received.id, clients, clientsFor, config: run.config, log: run.log });
  if (canonical === GONE) return { status: 'gone' };
  if (canonical !== received.id) run.log.info('audited under the id it names', { type: received.type, received: received.id, id: canonical });
  const message: ResourceMessage = { ...received, id: canonical };
  const guard = new MutationGuard(() => remediationAllowance(run));
  const context = {
    account: message.account,
    region: message.region,
    id: message.id,
    clients: guard.clients(clients),
    clientsFor: (account: string, region: string) => guard.clients(clientsFor(account, region)),
    // A remediation's apply acts through the remediation role, assumed on its first call only; the guard
    // takes the budgets before its first mutating call.
    remediationClients: guard.clients(run.factory.forAccount(message.account, message.region, 'remediation')),
    remediationClientsFor: (account: string, region: string) => guard.clients(run.factory.forAccount(account, region, 'remediation')),
    config: run.config,
    log: run.log,
  };
  let summary: AuditSummary | undefined;
  const result = await auditor.audit(context, {
    account: message.account,
    region: message.region,
    id: message.id,
    config: run.config,
    trustedAccounts: run.trustedAccounts,
    ...(run.organizationId ? { organizationId: run.organizationId } : {}),
    now: run.now,
  }, (made) => {
    summary = made;
  });
  if (result === GONE) return { status: 'gone' };
  if (result instanceof NotReady) return { status: 'not_ready', reason: result.reason, delaySeconds: result.delaySeconds };

  // framework (--framework): the auditor evaluated every check; only the failed checks that declare a
  // control of the framework go on, so a filtered-out check is neither reported nor remediated.
  const { framework } = run.config;
  const failedChecks = framework ? result.filter((failed) => declaresFramework(failed.check.controls, framework)) : result;
  // Decided once per finding: the announcement and settle() read the same decision.
  const decided = failedChecks.map((failed): { failed: FailedCheck; decision: Finding | typeof RUN } => ({ failed, decision: decisionFor(message, failed, run) }));
  const toRemediate = decided.filter(({ decision }) => decision === RUN).map(({ failed }) => failed).slice(0, run.budget.remaining);
  if (toRemediate.length > 0 && run.beforeRemediation) {
    await run.beforeRemediation(toRemediate.map((failed) => ({ ...findingOf(message, failed), remediation: 'planned', remediationDetail: 'remediation starting' })));
  }
  const findings: Finding[] = [];
  for (const { failed, decision } of decided) findings.push(decision === RUN ? await settle(message, failed, run, guard) : decision);
  // Every check that did not fail passed (a check filtered out by --framework is neither).
  const failedIds = new Set(result.map((failed) => failed.check.id));
  const passed = auditor.checks
    .filter((check) => !failedIds.has(check.id) && (!framework || declaresFramework(check.controls, framework)))
    .map((check) => ({ checkId: check.id, findingId: findingIdOf(check.id, message.account, message.region, message.id) }));
  return { status: 'audited', findings, passed, ...(summary ? { summary } : {}) };
}

/** The finding of a failed check, before any remediation decision. */
function findingOf(message: ResourceMessage, failed: FailedCheck): Omit<Finding, 'remediation'> {
  const { check, violation } = failed;
  const controls = declaredControls(check.controls);
  return {
    findingId: findingIdOf(check.id, message.account, message.region, message.id),
    checkId: check.id,
    title: check.title,
    severity: check.severity,
    account: message.account,
    region: message.region,
    type: message.type,
    id: message.id,
    detail: violation.detail,
    ...(controls ? { controls } : {}),
  };
}

function exceptionFor(message: ResourceMessage, failed: FailedCheck, run: AuditRun): ReturnType<typeof matchingException> {
  const subject = { checkId: failed.check.id, account: message.account, type: message.type, id: message.id, ...(failed.tags ? { tags: failed.tags } : {}) };
  return matchingException(subject, run.config.exceptions, { now: run.now, ...(run.config.exceptionTagKey ? { tagKey: run.config.exceptionTagKey } : {}) });
}

const RUN: unique symbol = Symbol('run');

/**
 * Whether a failed check's remediation may run, or the finding that says why
 * not (notify-only, protected, excepted, dry run, skipped, disruptive and not
 * opted in). The run's caps are decided later, in settle().
 */
function decisionFor(message: ResourceMessage, failed: FailedCheck, run: AuditRun): Finding | typeof RUN {
  const { check } = failed;
  const base = findingOf(message, failed);
  if (!failed.remediate) return { ...base, remediation: 'none' };
  if (failed.protectedBecause) return { ...base, remediation: 'protected', remediationDetail: failed.protectedBecause };
  const exception = exceptionFor(message, failed, run);
  if (exception) {
    return { ...base, remediation: 'excepted', remediationDetail: exception.reason ?? 'matches a configured exception' };
  }
  if (!run.config.remediate) return { ...base, remediation: 'planned', remediationDetail: 'dry run' };
  if (run.config.skipChecks.includes(check.id)) return { ...base, remediation: 'planned', remediationDetail: 'skipChecks lists this check' };
  if (failed.risk !== 'safe' && !run.config.remediateChecks.includes(check.id)) {
    return { ...base, remediation: 'planned', remediationDetail: `disruptive: runs only when remediateChecks lists ${check.id}` };
  }
  return RUN;
}

/**
 * Both caps, taken together just before a remediation's first mutating
 * call: the run's, then the organization's (the run's is given back when
 * the organization's refuses). Undefined when taken, else why not.
 */
async function remediationAllowance(run: AuditRun): Promise<string | undefined> {
  if (!run.budget.take()) return `cap of ${run.budget.limit} remediations per run reached`;
  const refused = await run.brake.take(run.now);
  if (refused !== undefined) run.budget.giveBack();
  return refused;
}

/** Runs a remediation decisionFor() allowed, within the run's brakes. */
async function settle(message: ResourceMessage, failed: FailedCheck, run: AuditRun, guard: MutationGuard): Promise<Finding> {
  const { check } = failed;
  const base = findingOf(message, failed);
  const remediate = failed.remediate;
  if (!remediate) throw new Error(`${check.id} has no remediation`);
  try {
    const guarded = await guard.run(remediate);
    if (guarded.status === 'held') {
      run.log.info('remediation held before its first change', { checkId: check.id, account: message.account, region: message.region, id: message.id, reason: guarded.reason });
      return { ...base, remediation: 'planned', remediationDetail: guarded.reason };
    }
    const outcome = guarded.result;
    run.log.info('remediation', { checkId: check.id, account: message.account, region: message.region, type: message.type, id: message.id, outcome });
    if (outcome === 'gone') return { ...base, remediation: 'gone', remediationDetail: 'deleted before the remediation ran' };
    if (outcome === 'applied') return { ...base, remediation: 'applied', remediationDetail: 'fixed' };
    return { ...base, remediation: 'already_compliant', remediationDetail: 'already compliant' };
  } catch (error) {
    if (isResourceGone(message.type, error)) {
      run.log.info('resource deleted before its remediation ran', { checkId: check.id, account: message.account, region: message.region, id: message.id });
      return { ...base, remediation: 'gone', remediationDetail: `deleted before the remediation ran (${awsErrorName(error)})` };
    }
    run.log.error('remediation failed', { checkId: check.id, account: message.account, region: message.region, id: message.id, error: describeError(error) });
    return { ...base, remediation: 'failed', remediationDetail: describeError(error) };
  }
}
