/**
 * What the rds, rds_snapshot and redshift maker tests share: a sandbox
 * organization behind a real client factory, a maker context on it, and an
 * audit of everything a type lists in one account x region.
 */
import type { Auditor, FailedCheck } from '../../auditors/contract.ts';
import type { MakerContext } from '../../misconfiguration-maker/makerContract.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import type { Config } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { Sandbox } from '../../services/sandbox/sandbox.ts';
import { createSandboxState } from '../../services/sandbox/sandboxState.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';

export interface SandboxOrganization {
  sandbox: Sandbox;
  factory: ClientFactory;
}

export function sandboxOrganization(): SandboxOrganization {
  const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT, OTHER_ACCOUNT], regions: [REGION, 'eu-west-1'] }));
  const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  return { sandbox, factory };
}

export function makerContext(organization: SandboxOrganization, config: Config, target: { account?: string; region?: string } = {}): MakerContext & { log: ReturnType<typeof memoryLog> } {
  const account = target.account ?? ACCOUNT;
  const region = target.region ?? REGION;
  return { account, region, clients: organization.factory.forAccount(account, region), config, log: memoryLog() };
}

export interface AuditedResource {
  id: string;
  failed: FailedCheck[];
}

/** List the type in the maker context's account x region and audit each resource, as the remediator would. */
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
    audited.push({ id: resource.id, failed: result });
  }
  return audited;
}

export function failedIds(resource: AuditedResource | undefined): string[] {
  return (resource?.failed ?? []).map((f) => f.check.id).sort();
}
