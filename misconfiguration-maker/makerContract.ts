import { tagsToRecord } from '../auditors/contract.ts';
import type { AwsClients } from '../services/core/clientFactory.ts';
import type { Config } from '../services/core/config.ts';
import type { Log } from '../services/core/log.ts';
import type { ResourceType } from '../services/core/resourceTypes.ts';
import { TEST_RESOURCE_PREFIX, TEST_RESOURCE_TAG } from '../services/core/testResources.ts';

export interface MakerContext {
  account: string;
  region: string;
  clients: AwsClients;
  config: Config;
  log: Log;
}

/**
 * One type's deliberately non-compliant, harmless resource: what it
 * provokes, how to make it (reusing what exists) and how to remove exactly
 * what it made.
 */
export interface MisconfigurationEntry {
  type: ResourceType;
  /** IAM (global) entries run once per account, in the home region. */
  scope: 'regional' | 'global';
  /** The check ids this entry's resources fail, under this configuration. */
  provokes(config: Config): readonly string[];
  /** Those of them that apply only in config.devAccounts (public exposure in a dev account). */
  devAccountChecks?: readonly string[];
  /** What it will create, for the plan printed before anything changes. */
  plan(account: string, region: string): readonly string[];
  /** Create (or reuse) the resources; returns their ids. Idempotent. */
  create(context: MakerContext): Promise<string[]>;
  /** Remove exactly what create made; returns the ids removed. Idempotent. */
  teardown(context: MakerContext): Promise<string[]>;
}

/** `misconfiguration-maker-<what>-<account>-<region>`: unique, and kept by `poller --only-test-resources`. */
export function makerName(what: string, account: string, region?: string): string {
  return [TEST_RESOURCE_PREFIX + what, account, region].filter(Boolean).join('-');
}

export const MAKER_TAGS = [{ Key: TEST_RESOURCE_TAG.key, Value: TEST_RESOURCE_TAG.value }] as const;

/** MAKER_TAGS as a record: the shape of Lambda's and SQS's tags, and of the auditors' tag checks. */
export const MAKER_TAG_RECORD: Readonly<Record<string, string>> = tagsToRecord(MAKER_TAGS);

/** An account id that does not exist: resources are shared with it, not with the public, where the check allows. */
export const NONEXISTENT_ACCOUNT = '000000000000';
