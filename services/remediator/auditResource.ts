import { GONE, NotReady, type AuditSummary, type FailedCheck } from '../../auditors/contract.ts';
import { auditorFor } from '../../auditors/registry.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import { matchingException } from '../core/exceptions.ts';
import { findingIdOf, type Finding } from '../core/findings.ts';
import type { Log } from '../core/log.ts';
import type { ResourceMessage } from '../core/message.ts';
import type { RemediationBudget } from './remediationBudget.ts';

/** What one run of the remediator shares between the resources it audits. */
export interface AuditRun {
  config: Config;
  factory: ClientFactory;
  trustedAccounts: ReadonlySet<string>;
  budget: RemediationBudget;
  log: Log;
  now: Date;
}

export type AuditOutcome =
  | { status: 'audited'; findings: Finding[]; summary?: AuditSummary }
  | { status: 'gone' }
  | { status: 'not_ready'; reason: string; delaySeconds: number };

/**
 * Describe the resource now, run its checks, and remediate what may be
 * remediated: remediation on, a remediation exists (and is enabled), no
 * exception matches, the run's cap not reached. Every finding is returned,
 * excepted ones included. Decisions are per finding: nothing carries over
 * to the next resource.
 */
export async function auditResource(message: ResourceMessage, run: AuditRun): Promise<AuditOutcome> {
  const auditor = auditorFor(message.type);
  if (!auditor) throw new Error(`no auditor is registered for type ${message.type}`);
  const context = {
    account: message.account,
    region: message.region,
    id: message.id,
    clients: run.factory.forAccount(message.account, message.region),
    clientsFor: (account: string, region: string) => run.factory.forAccount(account, region),
    config: run.config,
  };
  let summary: AuditSummary | undefined;
  const result = await auditor.audit(context, {
    account: message.account,
    region: message.region,
    id: message.id,
    config: run.config,
    trustedAccounts: run.trustedAccounts,
    now: run.now,
  }, (made) => {
    summary = made;
  });
  if (result === GONE) return { status: 'gone' };
  if (result instanceof NotReady) return { status: 'not_ready', reason: result.reason, delaySeconds: result.delaySeconds };

  const findings: Finding[] = [];
  for (const failed of result) findings.push(await settle(message, failed, run));
  return { status: 'audited', findings, ...(summary ? { summary } : {}) };
}

async function settle(message: ResourceMessage, failed: FailedCheck, run: AuditRun): Promise<Finding> {
  const { check, violation } = failed;
  const base = {
    findingId: findingIdOf(check.id, message.account, message.region, message.id),
    checkId: check.id,
    title: check.title,
    severity: check.severity,
    account: message.account,
    region: message.region,
    type: message.type,
    id: message.id,
    detail: violation.detail,
  };
  if (!failed.remediate) return { ...base, remediation: 'none' };
  if (failed.protectedBecause) return { ...base, remediation: 'protected', remediationDetail: failed.protectedBecause };
  const exception = matchingException({ checkId: check.id, account: message.account, type: message.type, id: message.id }, run.config.exceptions);
  if (exception) {
    return { ...base, remediation: 'excepted', remediationDetail: exception.reason ?? 'matches a configured exception' };
  }
  if (!run.config.remediate) return { ...base, remediation: 'planned', remediationDetail: 'dry run' };
  if (run.config.skipChecks.includes(check.id)) return { ...base, remediation: 'planned', remediationDetail: 'skipChecks lists this check' };
  if (failed.risk !== 'safe' && !run.config.remediateChecks.includes(check.id)) {
    return { ...base, remediation: 'planned', remediationDetail: `disruptive: runs only when remediateChecks lists ${check.id}` };
  }
  if (!run.budget.take()) {
    return { ...base, remediation: 'planned', remediationDetail: `cap of ${run.budget.limit} remediations per run reached` };
  }
  try {
    const outcome = await failed.remediate();
    run.log.info('remediation', { checkId: check.id, account: message.account, region: message.region, type: message.type, id: message.id, outcome });
    if (outcome === 'applied') return { ...base, remediation: 'applied', remediationDetail: 'fixed' };
    return { ...base, remediation: 'already_compliant', remediationDetail: outcome === 'gone' ? 'resource gone' : 'already compliant' };
  } catch (error) {
    run.log.error('remediation failed', { checkId: check.id, account: message.account, region: message.region, id: message.id, error: describeError(error) });
    return { ...base, remediation: 'failed', remediationDetail: describeError(error) };
  }
}
