/**
 * ec2: instances that still answer IMDSv1, lack required tags, or are
 * reachable from the internet in a dev account.
 *
 * APIs: DescribeInstances; remediation: ModifyInstanceMetadataOptions
 * (HttpTokens=required), StopInstances (never TerminateInstances).
 */
import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand, EC2Client, ModifyInstanceMetadataOptionsCommand, StopInstancesCommand, paginateDescribeInstances, type Instance } from '@aws-sdk/client-ec2';
import { hasErrorName } from '../services/core/errors.ts';
import {
  GONE,
  NotReady,
  defineAuditor,
  tagsToRecord,
  type CheckContext,
  type Gone,
  type RemediationOutcome,
  type ResourceContext,
} from './contract.ts';
import { ec2Triggers } from './triggers/ec2Instance.ts';
import { missingRequiredTags, requiredTagsCheck } from './requiredTags.ts';

/** States `list` keeps; terminated and shutting-down instances are gone. */
export const LISTED_STATES = ['pending', 'running', 'stopping', 'stopped'] as const;
const GONE_STATES: ReadonlySet<string> = new Set(['shutting-down', 'terminated']);
/** Transitional states: judged once the instance settles. */
const SETTLING_STATES: ReadonlySet<string> = new Set(['pending', 'stopping']);
export const SETTLING_DELAY_SECONDS = 120;

/** IpOwnerId of an auto-assigned public IP; an Elastic IP carries the owner's account id. */
const AMAZON_OWNED = 'amazon';

export interface PublicAddress {
  ip: string;
  elastic: boolean;
}

export interface InstanceState {
  instanceId: string;
  /** running, stopped, ... */
  state: string;
  httpTokens?: string;
  httpEndpoint?: string;
  publicAddresses: PublicAddress[];
  tags: Record<string, string>;
}

// ---------- pure helpers (shared by checks and remediations) ----------

/** Public IPs of the instance: the primary one and every ENI/secondary-IP association (Elastic IPs included). */
export function publicAddressesOf(instance: Instance): PublicAddress[] {
  const found = new Map<string, boolean>();
  const add = (ip: string | undefined, owner: string | undefined): void => {
    if (ip) found.set(ip, (found.get(ip) ?? false) || (owner !== undefined && owner !== AMAZON_OWNED));
  };
  for (const eni of instance.NetworkInterfaces ?? []) {
    add(eni.Association?.PublicIp, eni.Association?.IpOwnerId);
    for (const address of eni.PrivateIpAddresses ?? []) add(address.Association?.PublicIp, address.Association?.IpOwnerId);
  }
  add(instance.PublicIpAddress, undefined);
  return [...found].map(([ip, elastic]) => ({ ip, elastic }));
}

export function stateOf(instance: Instance, instanceId: string): InstanceState {
  return {
    instanceId,
    state: instance.State?.Name ?? 'unknown',
    httpTokens: instance.MetadataOptions?.HttpTokens,
    httpEndpoint: instance.MetadataOptions?.HttpEndpoint,
    publicAddresses: publicAddressesOf(instance),
    tags: tagsToRecord(instance.Tags),
  };
}

/** A running instance whose metadata endpoint is on and does not require session tokens. */
export function allowsImdsV1(state: InstanceState): boolean {
  return state.state === 'running' && state.httpEndpoint !== 'disabled' && state.httpTokens !== 'required';
}

/** A running, public, not ignored instance in a dev account. */
export function isPublicInDevAccount(state: InstanceState, context: CheckContext): boolean {
  return (
    state.state === 'running' &&
    state.publicAddresses.length > 0 &&
    context.config.devAccounts.includes(context.account) &&
    !context.config.ignoredInstances.includes(state.instanceId)
  );
}

export function describeAddresses(addresses: readonly PublicAddress[]): string {
  return addresses.map((a) => (a.elastic ? `Elastic IP ${a.ip}` : `public IP ${a.ip}`)).join(', ');
}

// ---------- reads (collect and the read half of remediations) ----------

function ec2(context: ResourceContext): EC2Client {
  return context.clients.get(EC2Client);
}

async function readInstance(context: ResourceContext): Promise<InstanceState | Gone> {
  try {
    const { Reservations } = await ec2(context).send(new DescribeInstancesCommand({ InstanceIds: [context.id] }));
    const instance = Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === context.id);
    if (!instance || GONE_STATES.has(instance.State?.Name ?? '')) return GONE;
    return stateOf(instance, context.id);
  } catch (error) {
    if (hasErrorName(error, 'InvalidInstanceID.NotFound')) return GONE;
    throw error;
  }
}

/**
 * The instance a network interface is attached to (an Elastic IP associated
 * with the interface is the instance's public address), or GONE for an
 * interface that is gone or attached to no instance (a NAT gateway's, a
 * Lambda function's, a detached one): nothing this type audits.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
 */
async function instanceOfInterface(context: ResourceContext): Promise<string | Gone> {
  try {
    const { NetworkInterfaces } = await ec2(context).send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [context.id] }));
    return NetworkInterfaces?.find((networkInterface) => networkInterface.NetworkInterfaceId === context.id)?.Attachment?.InstanceId ?? GONE;
  } catch (error) {
    if (hasErrorName(error, 'InvalidNetworkInterfaceID.NotFound')) return GONE;
    throw error;
  }
}

/** Stop the instance if it is still running and `stillWrong` says so; never terminate. */
async function stopIf(context: ResourceContext, stillWrong: (state: InstanceState) => boolean): Promise<RemediationOutcome> {
  const state = await readInstance(context);
  if (state === GONE) return 'gone';
  if (state.state !== 'running' && state.state !== 'pending') return 'already_compliant';
  if (!stillWrong(state)) return 'already_compliant';
  await ec2(context).send(new StopInstancesCommand({ InstanceIds: [context.id] }));
  return 'applied';
}

// ---------- the auditor ----------

export const ec2Auditor = defineAuditor<InstanceState>({
  type: 'ec2',
  scope: 'regional',
  description: 'EC2 instances: IMDSv1, required tags, public instances in dev accounts',
  permissions: {
    list: ['ec2:DescribeInstances'],
    collect: ['ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces'],
  },
  identity: (state) => ({ tags: state.tags }),
  triggers: ec2Triggers,

  async *list({ clients }) {
    const client = clients.get(EC2Client);
    const filters = [{ Name: 'instance-state-name', Values: [...LISTED_STATES] }];
    for await (const page of paginateDescribeInstances({ client, pageSize: 1000 }, { Filters: filters })) {
      for (const instance of page.Reservations?.flatMap((r) => r.Instances ?? []) ?? []) {
        if (!instance.InstanceId || GONE_STATES.has(instance.State?.Name ?? '')) continue;
        const tags = tagsToRecord(instance.Tags);
        yield { id: instance.InstanceId, name: tags.Name, tags };
      }
    }
  },

  canonicalId: (context) => (context.id.startsWith('eni-') ? instanceOfInterface(context) : Promise.resolve(context.id)),

  async collect(context) {
    const state = await readInstance(context);
    if (state === GONE) return GONE;
    if (SETTLING_STATES.has(state.state)) return new NotReady(`instance is ${state.state}`, SETTLING_DELAY_SECONDS);
    return state;
  },

  checks: [
    {
      id: 'ec2.imdsv1_allowed',
      title: 'Instance metadata service accepts IMDSv1',
      severity: 'medium',
      rationale: 'IMDSv1 answers unauthenticated GETs, so a server-side request forgery in any application on the instance leaks its role credentials.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html
      controls: { fsbp: ['EC2.8'], cis: ['5.6'] },
      evaluate(state) {
        return allowsImdsV1(state) ? { detail: `HttpTokens is ${state.httpTokens ?? 'unset'}, not required` } : undefined;
      },
    },
    requiredTagsCheck({
      id: 'ec2.missing_required_tags',
      title: 'Instance lacks required tags',
      rationale: 'Required tags say who owns an instance and what it runs.',
    }),
    {
      id: 'ec2.public_in_dev_account',
      title: 'Instance in a dev account is reachable from the internet',
      severity: 'high',
      rationale: 'Dev accounts hold unhardened workloads; an instance there with a public or Elastic IP exposes them to the internet.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html (EC2.9 fails every instance with a public IPv4 address; this check, only those in dev accounts.)
      controls: { fsbp: ['EC2.9'] },
      evaluate(state, context) {
        return isPublicInDevAccount(state, context) ? { detail: `running with ${describeAddresses(state.publicAddresses)} in dev account ${context.account}` } : undefined;
      },
    },
  ],

  remediations: {
    'ec2.imdsv1_allowed': {
      description: 'Require IMDSv2 session tokens (HttpTokens=required, HttpEndpoint=enabled); a disabled endpoint is left off.',
      risk: 'disruptive',
      permissions: ['ec2:DescribeInstances', 'ec2:ModifyInstanceMetadataOptions'],
      async apply(context) {
        const state = await readInstance(context);
        if (state === GONE) return 'gone';
        if (!allowsImdsV1(state)) return 'already_compliant';
        await ec2(context).send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: context.id, HttpTokens: 'required', HttpEndpoint: 'enabled' }));
        return 'applied';
      },
    },
    'ec2.missing_required_tags': {
      description: 'Stop (never terminate) a running instance that still lacks required tags.',
      risk: 'disruptive',
      mitigates: true,
      permissions: ['ec2:DescribeInstances', 'ec2:StopInstances'],
      apply: (context, _state, { config }) => stopIf(context, (state) => missingRequiredTags(state.tags, config.requiredTags).length > 0),
    },
    'ec2.public_in_dev_account': {
      description: 'Stop (never terminate) a running public instance in a dev account; its addresses are left as they are.',
      risk: 'disruptive',
      permissions: ['ec2:DescribeInstances', 'ec2:StopInstances'],
      apply: (context, _state, checkContext) => stopIf(context, (state) => isPublicInDevAccount(state, checkContext)),
    },
  },
});
