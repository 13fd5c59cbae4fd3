/**
 * How the EC2 maker entries name, tag and find what they make: a Name tag
 * (the console's name) next to created-by=misconfiguration-maker, and
 * Describe filters on both, so a lookup never picks up something else.
 */
import type { Filter, ResourceType, Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { tagsToRecord } from '../../auditors/contract.ts';
import type { Config } from '../../services/core/config.ts';
import { TEST_RESOURCE_TAG } from '../../services/core/testResources.ts';
import { MAKER_TAGS } from '../makerContract.ts';

export function makerTags(name: string): Tag[] {
  return [{ Key: 'Name', Value: name }, ...MAKER_TAGS];
}

export function makerTagSpecification(resourceType: ResourceType, name: string): TagSpecification {
  return { ResourceType: resourceType, Tags: makerTags(name) };
}

/** Describe filters that match only what the maker tagged with this name. */
export function makerFilters(name: string): Filter[] {
  return [
    { Name: 'tag:Name', Values: [name] },
    { Name: `tag:${TEST_RESOURCE_TAG.key}`, Values: [TEST_RESOURCE_TAG.value] },
  ];
}

/** The maker's tags as a record, to predict `missing_required_tags`. */
export function makerTagRecord(name: string): Record<string, string> {
  return tagsToRecord(makerTags(name));
}

/**
 * Whether the sharing checks will call this account unknown: not one of the
 * configured accounts (the organization's, as the remediator sees them) and
 * not trusted.
 */
export function isUnknownAccountFor(config: Config, account: string): boolean {
  const audited = Array.isArray(config.accounts) ? config.accounts : [];
  return !audited.includes(account) && !config.trustedAccounts.includes(account);
}
