/**
 * What the maker tests share: a maker context on a sandbox organization, an
 * audit of everything a type lists in one account x region (at NOW, as the
 * remediator runs it), and the remediation round.
 */
import { failedChecksOf } from '../helpers/failedChecksOf.ts';
import type { Auditor, FailedCheck, ListContext } from '../../auditors/contract.ts';
import type { MakerContext } from '../../misconfiguration-maker/makerContract.ts';
import type { ClientFactory } from '../../services/core/clientFactory.ts';
import type { Config } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { isTestResource } from '../../services/core/testResources.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION, collectAll, makeConfig } from '../helpers/context.ts';

export interface MakerTarget {
  account?: string;
  region?: string;
}

export type TestMakerContext = MakerContext & { log: ReturnType<typeof memoryLog> };

/** A maker context on the organization's factory: the test configuration, account and region unless told. */
export function makerContext(organization: { factory: ClientFactory }, config: Config = makeConfig(), target: MakerTarget = {}): TestMakerContext {
  const account = target.account ?? ACCOUNT;
  const region = target.region ?? REGION;
  return { account, region, clients: organization.factory.forAccount(account, region), config, log: memoryLog() };
}

/** What the auditor's list sees of the maker context (no log). */
function listContextOf(context: MakerContext): ListContext {
  return { account: context.account, region: context.region, clients: context.clients, config: context.config };
}

export interface AuditedResource {
  id: string;
  /** Made by the maker (name prefix or tag), as `poller --only-test-resources` tells. */
  maker: boolean;
  failed: FailedCheck[];
}

/** List the type in the context's account x region and audit each resource at NOW, as the remediator would. */
export async function auditListed(auditor: Auditor, context: MakerContext): Promise<AuditedResource[]> {
  const listContext = listContextOf(context);
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
    audited.push({ id: resource.id, maker: isTestResource(resource), failed: failedChecksOf(result, `${auditor.type} ${resource.id}`) });
  }
  return audited;
}

/** Every failed check id over the audited resources, sorted (a check failed twice appears twice). */
export function failedCheckIds(audited: readonly AuditedResource[]): string[] {
  return audited.flatMap((resource) => resource.failed.map((failed) => failed.check.id)).sort();
}

/** The failed check ids of one audited resource (none if there is no resource), sorted. */
export function failedIds(resource: AuditedResource | undefined): string[] {
  return failedCheckIds(resource ? [resource] : []);
}

/** The check ids that have no remediation under this audit (notify-only). */
export function notifyOnlyIds(audited: readonly AuditedResource[]): string[] {
  return audited.flatMap((resource) => resource.failed.filter((failed) => !failed.remediate).map((failed) => failed.check.id)).sort();
}

/** Run every remediation the failed checks offer, in order; the outcomes, sorted as `check.id=outcome`. */
export async function remediateAll(audited: readonly AuditedResource[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const resource of audited) {
    for (const failed of resource.failed) {
      if (failed.remediate) outcomes.push(`${failed.check.id}=${await failed.remediate()}`);
    }
  }
  return outcomes.sort();
}

/** The ids the type lists that the maker made (name prefix or tag), as `poller --only-test-resources` keeps them. */
export async function makerResourcesListed(auditor: Auditor, context: MakerContext): Promise<string[]> {
  const listed = await collectAll(auditor.list(listContextOf(context)));
  return listed.filter(isTestResource).map((resource) => resource.id);
}
