import { describeError, AccountNotAllowedError, ComplianceError, InvalidMessageError } from '../core/errors.ts';
import type { AuditSummary } from '../../auditors/contract.ts';
import type { Finding } from '../core/findings.ts';
import { describeResource, parseResourceMessage, type ResourceMessage } from '../core/message.ts';
import { assertInScope, OutOfScopeError } from '../core/messageScope.ts';
import { publishFindings } from '../core/notifications.ts';
import { TopicPublisher } from '../core/topicPublisher.ts';
import type { AccountDirectory } from '../core/accountDirectory.ts';
import type { FindingsStore } from '../findings-store/findingsStore.ts';
import { REMEDIATION_STARTING, type NotifiedTransition } from '../findings-store/findingRecord.ts';
import { securityHubFindings, sendToSecurityHub, type SecurityHubReport, type SecurityHubSink } from '../securityhub/securityHubSink.ts';
import { auditResource, type AuditRun } from './auditResource.ts';
import { goneObservations, observationsOf, recordAndNotify, type RecordedChange } from './notifyChanges.ts';

/**
 * `changes` (with a findings store only): what changed, as published; an
 * unchanged open finding is in `findings` but not in `changes`.
 */
export type MessageOutcome =
  | { status: 'audited'; message: ResourceMessage; findings: Finding[]; summary?: AuditSummary; changes?: RecordedChange[]; securityHub?: SecurityHubReport }
  | { status: 'gone'; message: ResourceMessage; changes?: RecordedChange[]; securityHub?: SecurityHubReport }
  | { status: 'not_ready'; message: ResourceMessage; reason: string; delaySeconds: number }
  /** A bad message: retrying will not help; it belongs in the dead-letter queue. */
  | { status: 'rejected'; message?: ResourceMessage; error: string }
  /** The audit could not finish (AccessDenied, throttling past the retries...): retry. */
  | { status: 'error'; message: ResourceMessage; error: string };

export interface ProcessDependencies extends AuditRun {
  directory: AccountDirectory;
  /** The findings store: notify on change only. Unset: every finding is published on every audit. */
  findings?: FindingsStore;
  /** securityHub=true: what SNS receives is imported into Security Hub too (services/securityhub/). */
  securityHub?: SecurityHubSink;
  /** The run's publisher to config.notificationsTopicArn, shared by its records (startRun makes it). */
  publisher?: TopicPublisher;
}

/**
 * One message through the whole remediator: validate, refuse accounts,
 * regions and ids outside the configured scope (before any AWS call), audit (and remediate), notify. It never
 * throws: every outcome is a value, so one bad record cannot crash a batch;
 * the caller logs failures in its own way (JSON in Lambda, lines in a CLI).
 */
export async function processMessage(body: string, deps: ProcessDependencies): Promise<MessageOutcome> {
  let message: ResourceMessage;
  try {
    const parsed = parseResourceMessage(body);
    message = parsed.message;
    if (parsed.ignoredFields.length > 0) {
      deps.log.warn('message has fields that are not part of the schema; they are ignored', {
        ignoredFields: parsed.ignoredFields,
        resource: describeResource(message),
      });
    }
  } catch (error) {
    const text = error instanceof InvalidMessageError ? error.message : describeError(error);
    return { status: 'rejected', error: text };
  }

  try {
    assertInScope(message, { ...deps.config, endpointOf: (service) => deps.factory.endpointOf(service) });
    if (!(await deps.directory.isAllowed(message.account))) throw new AccountNotAllowedError(message);
  } catch (error) {
    const text = error instanceof ComplianceError ? error.message : describeError(error);
    return error instanceof AccountNotAllowedError || error instanceof OutOfScopeError
      ? { status: 'rejected', message, error: text }
      : { status: 'error', message, error: text };
  }

  const topicArn = deps.config.notificationsTopicArn;
  const publisher = deps.publisher ?? (topicArn ? new TopicPublisher(deps.factory.forSecurityAccount(deps.config.homeRegion), topicArn) : undefined);
  const publish = publisher ? async (findings: Finding[], transition?: NotifiedTransition) => void (await publishFindings(publisher, message, findings, transition)) : undefined;
  const store = deps.findings;
  try {
    // Findings about to be remediated are published before the first change (see AuditRun.beforeRemediation);
    // with a store, as the transition remediation_starting (sent only when a remediation is about to run).
    const outcome = await auditResource(message, publish ? { ...deps, beforeRemediation: (findings) => publish(findings, store ? REMEDIATION_STARTING : undefined) } : deps);
    if (outcome.status === 'gone') {
      deps.log.info('resource is gone; nothing to audit', { resource: describeResource(message) });
      if (!store) return { status: 'gone', message };
      const changes = await recordAndNotify(store, await goneObservations(store, message), deps.now, publish);
      return { status: 'gone', message, changes, ...(await sendToSecurityHub(deps.securityHub, securityHubFindings(changes, [], deps.now), deps.now)) };
    }
    if (outcome.status === 'not_ready') return { status: 'not_ready', message, reason: outcome.reason, delaySeconds: outcome.delaySeconds };
    const audited = { status: 'audited' as const, message, findings: outcome.findings, ...(outcome.summary ? { summary: outcome.summary } : {}) };
    // Security Hub receives what SNS does, after it: with a store, the changes; without, every finding.
    const changes = store ? await recordAndNotify(store, observationsOf(outcome.findings, outcome.passed), deps.now, publish) : undefined;
    if (!store && publish && outcome.findings.length > 0) await publish(outcome.findings);
    const imported = await sendToSecurityHub(deps.securityHub, securityHubFindings(changes, outcome.findings, deps.now), deps.now);
    return { ...audited, ...(changes ? { changes } : {}), ...imported };
  } catch (error) {
    const text = error instanceof ComplianceError ? error.message : describeError(error);
    return { status: 'error', message, error: `${describeResource(message)}: ${text}` };
  }
}
