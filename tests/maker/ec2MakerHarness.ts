/**
 * What the ec2, security_group, ami and ebs_snapshot maker tests share: a
 * sandbox organization behind a real client factory, a maker context on it,
 * an audit of everything a type lists (as the remediator runs it), and the
 * remediation round.
 */
import type { Auditor, FailedCheck, RemediationOutcome } from '../../auditors/contract.ts';
import type { MakerContext } from '../../misconfiguration-maker/makerContract.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import type { Config, ConfigInput } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { isTestResource } from '../../services/core/testResources.ts';
import { Sandbox } from '../../services/sandbox/sandbox.ts';
import { createSandboxState } from '../../services/sandbox/sandboxState.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';

export interface Ec2Organization {
  sandbox: Sandbox;
  factory: ClientFactory;
  context(overrides?: Partial<ConfigInput>, target?: { account?: string; region?: string }): MakerContext;
}

export function ec2Organization(): Ec2Organization {
  const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT, OTHER_ACCOUNT], regions: [REGION, 'eu-west-1'] }), { now: () => NOW });
  const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  return {
    sandbox,
    factory,
    context: (overrides = {}, target = {}) => {
      const account = target.account ?? ACCOUNT;
      const region = target.region ?? REGION;
      const config: Config = makeConfig(overrides);
      return { account, region, clients: factory.forAccount(account, region), config, log: memoryLog() };
    },
  };
}

export interface AuditedResource {
  id: string;
  maker: boolean;
  failed: FailedCheck[];
}

/** List the type in the context's account x region and audit each resource, as the remediator would. */
export async function auditListed(auditor: Auditor, context: MakerContext): Promise<AuditedResource[]> {
  const listContext = { account: context.account, region: context.region, clients: context.clients, config: context.config };
  const audited: AuditedResource[] = [];
  for await (const resource of auditor.list(listContext)) {
    const result = await auditor.audit(
      { ...listContext, id: resource.id },
      {
        account: context.account,
        region: context.region,
        id: resource.id,
        config: context.config,
        trustedAccounts: new Set([ACCOUNT, OTHER_ACCOUNT, ...context.config.trustedAccounts]),
        now: NOW,
      },
    );
    if (!Array.isArray(result)) throw new Error(`${auditor.type} ${resource.id}: expected an audit result, got ${String(result)}`);
    audited.push({ id: resource.id, maker: isTestResource(resource), failed: result });
  }
  return audited;
}

/** Every failed check id over the audited resources, sorted. */
export function failedCheckIds(audited: readonly AuditedResource[]): string[] {
  return audited.flatMap((resource) => resource.failed.map((failed) => failed.check.id)).sort();
}

/** Run every remediation the failed checks offer; the outcomes, sorted as `check.id=outcome`. */
export async function remediateAll(audited: readonly AuditedResource[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const resource of audited) {
    for (const failed of resource.failed) {
      if (!failed.remediate) continue;
      const outcome: RemediationOutcome = await failed.remediate();
      outcomes.push(`${failed.check.id}=${outcome}`);
    }
  }
  return outcomes.sort();
}

/** The check ids that have no remediation under this audit (notify-only). */
export function notifyOnlyIds(audited: readonly AuditedResource[]): string[] {
  return audited.flatMap((resource) => resource.failed.filter((failed) => !failed.remediate).map((failed) => failed.check.id)).sort();
}
