/**
 * What the elb and elbv2 maker tests share: a maker context on the load
 * balancer sandbox, and an audit of everything a type lists in one account x
 * region, as the remediator would run it.
 */
import type { Auditor, FailedCheck, RemediationOutcome } from '../../auditors/contract.ts';
import type { MakerContext } from '../../misconfiguration-maker/makerContract.ts';
import type { Config } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import type { LoadBalancerSandbox } from '../helpers/loadBalancerSandbox.ts';

export function makerContext(organization: LoadBalancerSandbox, config: Config, account = ACCOUNT, region = REGION): MakerContext {
  return { account, region, clients: organization.factory.forAccount(account, region), config, log: memoryLog() };
}

export interface AuditedResource {
  id: string;
  failed: FailedCheck[];
}

export async function auditListed(auditor: Auditor, context: MakerContext): Promise<AuditedResource[]> {
  const listContext = { account: context.account, region: context.region, clients: context.clients, config: context.config };
  const audited: AuditedResource[] = [];
  for await (const resource of auditor.list(listContext)) {
    const checkContext = { account: context.account, region: context.region, id: resource.id, config: context.config, trustedAccounts: new Set([ACCOUNT, OTHER_ACCOUNT]), now: NOW };
    const result = await auditor.audit({ ...listContext, id: resource.id }, checkContext);
    if (!Array.isArray(result)) throw new Error(`${auditor.type} ${resource.id}: expected an audit result, got ${String(result)}`);
    audited.push({ id: resource.id, failed: result });
  }
  return audited;
}

/** Every failed check id, over every listed resource, sorted. */
export function failedCheckIds(audited: readonly AuditedResource[]): string[] {
  return audited.flatMap((resource) => resource.failed.map((failed) => failed.check.id)).sort();
}

/** Run every remediation the failed checks offer; the outcomes, by check id. */
export async function remediateAll(audited: readonly AuditedResource[]): Promise<Record<string, RemediationOutcome>> {
  const outcomes: Record<string, RemediationOutcome> = {};
  for (const resource of audited) {
    for (const failed of resource.failed) {
      if (failed.remediate) outcomes[failed.check.id] = await failed.remediate();
    }
  }
  return outcomes;
}
