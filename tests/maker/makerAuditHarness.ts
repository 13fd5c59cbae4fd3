/**
 * What the iam_user, iam_role, lambda_function and sqs maker tests share: a
 * sandbox organization with a clock (what the maker creates is dated
 * CREATED_AT, audits run at NOW, a minute later), a maker context on it, an
 * audit of everything a type lists, and a remediation round.
 */
import type { Auditor, FailedCheck, RemediationOutcome } from '../../auditors/contract.ts';
import type { MakerContext } from '../../misconfiguration-maker/makerContract.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import type { Config } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { isTestResource } from '../../services/core/testResources.ts';
import { Sandbox } from '../../services/sandbox/sandbox.ts';
import { createSandboxState } from '../../services/sandbox/sandboxState.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION, collectAll } from '../helpers/context.ts';

export const CREATED_AT = new Date(NOW.getTime() - 60_000);

export interface SandboxOrganization {
  sandbox: Sandbox;
  factory: ClientFactory;
}

export function sandboxOrganization(): SandboxOrganization {
  const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT, OTHER_ACCOUNT], regions: [REGION, 'eu-west-1'] }), { now: () => CREATED_AT });
  return { sandbox, factory: new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} }) };
}

export function makerContext(organization: SandboxOrganization, config: Config, target: { account?: string; region?: string } = {}): MakerContext {
  const account = target.account ?? ACCOUNT;
  const region = target.region ?? REGION;
  return { account, region, clients: organization.factory.forAccount(account, region), config, log: memoryLog() };
}

export interface Audited {
  id: string;
  failed: FailedCheck[];
}

/** List the type where the maker context points and audit each resource at NOW, as the remediator would. */
export async function auditListed(auditor: Auditor, context: MakerContext): Promise<Audited[]> {
  const listContext = { account: context.account, region: context.region, clients: context.clients, config: context.config };
  const audited: Audited[] = [];
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
    audited.push({ id: resource.id, failed: result });
  }
  return audited;
}

/** Every failed check id over the audited resources, sorted (a check failed twice appears twice). */
export function failedCheckIds(audited: readonly Audited[]): string[] {
  return audited.flatMap((resource) => resource.failed.map((failed) => failed.check.id)).sort();
}

/** Run every remediation the audit offers, in order; their outcomes by check id. */
export async function remediateAll(audited: readonly Audited[]): Promise<Record<string, RemediationOutcome>> {
  const outcomes: Record<string, RemediationOutcome> = {};
  for (const resource of audited) {
    for (const failed of resource.failed) {
      if (failed.remediate) outcomes[failed.check.id] = await failed.remediate();
    }
  }
  return outcomes;
}

/** The ids the type lists that the maker made (name prefix or tag), as `poller --only-test-resources` keeps them. */
export async function makerResourcesListed(auditor: Auditor, context: MakerContext): Promise<string[]> {
  const listed = await collectAll(auditor.list({ account: context.account, region: context.region, clients: context.clients, config: context.config }));
  return listed.filter(isTestResource).map((resource) => resource.id);
}
