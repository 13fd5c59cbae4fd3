/**
 * The bench's sandbox organization: N accounts x R regions, each unit holding
 * the misconfiguration maker's resources (one non-compliant resource of each
 * type it makes) plus plain resources of a few cheap types, so that each of
 * those types has K per unit. One template account is built through the
 * sandbox's own API, then copied to every account (its id replaced), so a
 * 500-account organization takes seconds and every account is the same.
 */
import { makeMisconfigurations } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState, type SandboxState } from '../../sandbox/sandboxState.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig } from '../../services/core/config.ts';
import { silentLog } from './silentLog.ts';

export interface OrganizationShape {
  accounts: number;
  regions: readonly string[];
  /** Resources of each bulk type per unit (at least 1: the maker's). */
  resources: number;
  /** Build only these of the organization's accounts (a poll thread's share); default all. */
  only?: readonly string[];
}

const TEMPLATE_ACCOUNT = '999999999999';

/** N twelve-digit account ids, 300000000000 upwards. */
const FIRST_ACCOUNT = 300_000_000_000;

export function accountIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => String(FIRST_ACCOUNT + index));
}

/** The plain resources added to reach K of a type: the call that makes the k-th one (k >= 2). */
const BULK_TYPES: readonly { type: string; global?: boolean; make: (k: number, region: string) => { service: string; operation: string; input: object } }[] = [
  { type: 's3_bucket', make: (k, region) => ({ service: 'S3', operation: 'CreateBucket', input: { Bucket: `bench-${k}-${TEMPLATE_ACCOUNT}-${region}`, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region } }) } }) },
  { type: 'sqs', make: (k) => ({ service: 'SQS', operation: 'CreateQueue', input: { QueueName: `bench-${k}` } }) },
  { type: 'security_group', make: (k) => ({ service: 'EC2', operation: 'CreateSecurityGroup', input: { GroupName: `bench-${k}`, Description: 'bench' } }) },
  { type: 'ebs_volume', make: (_k, region) => ({ service: 'EC2', operation: 'CreateVolume', input: { AvailabilityZone: `${region}a`, Size: 8 } }) },
  { type: 'iam_user', global: true, make: (k) => ({ service: 'IAM', operation: 'CreateUser', input: { UserName: `bench-${k}` } }) },
];

export const BULK_RESOURCE_TYPES = BULK_TYPES.map((bulk) => bulk.type);

/** One account of the organization, as JSON with the template's id in it: what every account is a copy of. */
export interface AccountTemplate {
  regions: string[];
  accountJson: string;
  sequence: number;
}

export async function buildTemplate(shape: Omit<OrganizationShape, 'accounts' | 'only'>): Promise<AccountTemplate> {
  if (shape.regions.length < 1 || shape.resources < 1) throw new RangeError('an organization needs at least 1 account, 1 region and 1 resource per type');
  const template = createSandboxState({ accounts: [TEMPLATE_ACCOUNT], regions: shape.regions });
  const sandbox = new Sandbox(template);
  const factory = new ClientFactory({ memberRoleName: 'BenchRole', assumeRole: true, interceptor: sandbox, env: {} });
  const config = loadConfig({ flags: { accounts: [TEMPLATE_ACCOUNT], regions: [...shape.regions] } });
  for (const region of shape.regions) {
    const report = await makeMisconfigurations({ account: TEMPLATE_ACCOUNT, region }, { config, factory, log: silentLog() });
    if (report.failed.length > 0) throw new Error(`the maker failed in ${region}: ${report.failed.map((f) => `${f.type}: ${f.error}`).join('; ')}`);
    for (const bulk of BULK_TYPES) {
      if (bulk.global && region !== config.homeRegion) continue;
      for (let k = 2; k <= shape.resources; k += 1) {
        const { service, operation, input } = bulk.make(k, region);
        await sandbox.call(service, operation, input, TEMPLATE_ACCOUNT, region);
      }
    }
  }
  return { regions: [...shape.regions], accountJson: JSON.stringify(template.accounts[TEMPLATE_ACCOUNT]), sequence: template.sequence };
}

/** The organization of these accounts (none: add them with addAccount), each a copy of the template under its own id. */
export function copyTemplate(template: AccountTemplate, ids: readonly string[]): SandboxState {
  const organization = createSandboxState({ accounts: [...ids], regions: template.regions });
  for (const id of ids) addAccount(organization, template, id);
  organization.sequence = template.sequence;
  return organization;
}

/** One more account in the organization, a copy of the template. */
export function addAccount(organization: SandboxState, template: AccountTemplate, id: string): void {
  organization.accounts[id] = { ...(JSON.parse(template.accountJson.replaceAll(TEMPLATE_ACCOUNT, id)) as SandboxState['accounts'][string]), name: `bench-account-${Number(id) - FIRST_ACCOUNT + 1}` };
}

export async function buildOrganization(shape: OrganizationShape): Promise<SandboxState> {
  if (shape.accounts < 1) throw new RangeError('an organization needs at least 1 account, 1 region and 1 resource per type');
  return copyTemplate(await buildTemplate(shape), shape.only ?? accountIds(shape.accounts));
}
