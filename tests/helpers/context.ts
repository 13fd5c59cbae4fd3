import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig, type Config, type ConfigInput } from '../../services/core/config.ts';
import type { CheckContext, ListContext, ResourceContext } from '../../auditors/contract.ts';

export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const UNKNOWN_ACCOUNT = '999999999999';
/** Trusted where a test configures it (trustedAccounts); unknown otherwise. */
export const PARTNER_ACCOUNT = '333333333333';
/** One digit away from the trusted OTHER_ACCOUNT: only an exact match counts. */
export const NEAR_MISS_ACCOUNT = '222222222223';
export const REGION = 'us-east-1';
/** The audited organization of the tests (OrganizationArn arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5). */
export const ORGANIZATION_ID = 'o-a1b2c3d4e5';
export const NOW = new Date('2026-11-20T12:00:00.000Z');

/** A validated configuration with the test account, dry run, overridable. */
export function makeConfig(overrides: Partial<ConfigInput> = {}): Config {
  return loadConfig({ flags: { accounts: [ACCOUNT, OTHER_ACCOUNT], regions: [REGION, 'eu-west-1'], ...overrides } });
}

/** Clients with ambient (test) credentials: aws-sdk-client-mock intercepts them. */
export function makeFactory(): ClientFactory {
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIAIOSFODNN7EXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  return new ClientFactory({ memberRoleName: 'ComplianceAuditorMemberRole', assumeRole: false, env: {} });
}

export function makeListContext(options: { account?: string; region?: string; config?: Config } = {}): ListContext {
  const account = options.account ?? ACCOUNT;
  const region = options.region ?? REGION;
  return { account, region, clients: makeFactory().forAccount(account, region), config: options.config ?? makeConfig() };
}

export function makeResourceContext(id: string, options: { account?: string; region?: string; config?: Config } = {}): ResourceContext {
  return { ...makeListContext(options), id };
}

export function makeCheckContext(
  id: string,
  options: { account?: string; region?: string; config?: Config; trustedAccounts?: string[]; now?: Date; organizationId?: string | null } = {},
): CheckContext {
  // null: the organization is unknown (accounts configured as a list).
  const organizationId = options.organizationId === undefined ? ORGANIZATION_ID : options.organizationId;
  return {
    account: options.account ?? ACCOUNT,
    region: options.region ?? REGION,
    id,
    config: options.config ?? makeConfig(),
    trustedAccounts: new Set(options.trustedAccounts ?? [ACCOUNT, OTHER_ACCOUNT]),
    ...(organizationId === null ? {} : { organizationId }),
    now: options.now ?? NOW,
  };
}

export async function collectAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** An SDK-shaped service error, as the SDK raises it (name, $metadata.httpStatusCode). */
export function awsError(name: string, httpStatusCode = 400, message = `${name} error`): Error {
  return Object.assign(new Error(message), { name, Code: name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}
