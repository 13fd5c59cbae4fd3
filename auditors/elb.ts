/**
 * elb: Classic Load Balancers that are internet-facing in a dev account,
 * required tags, listeners without HTTPS or SSL (TLS) termination, and
 * access logs off. The id is the load balancer's name.
 *
 * APIs: DescribeLoadBalancers (Marker), DescribeTags,
 * DescribeLoadBalancerAttributes (AccessLog.Enabled,
 * https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_AccessLog.html);
 * remediation: DeregisterInstancesFromLoadBalancer (never DeleteLoadBalancer).
 * The listener and access-log checks are notify-only: changing a listener's
 * protocol changes what clients must speak (and needs a certificate), and
 * access logs need an S3 bucket whose policy lets ELB write to it.
 */
import {
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingClient,
  paginateDescribeLoadBalancers,
  type Listener,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Config } from '../services/core/config.ts';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { elbTriggers } from './triggers/elb.ts';
import { internetFacingInDevAccount, isIgnoredInstance } from './loadBalancerExposure.ts';
import { requiredTagsCheck } from './requiredTags.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';

/**
 * A vanished load balancer: the wire code `LoadBalancerNotFound` (what
 * awsErrorName reads from the SDK error's Code), the SDK's exception name,
 * and the name the API reference gives it.
 */
const LOAD_BALANCER_NOT_FOUND = ['LoadBalancerNotFound', 'AccessPointNotFoundException', 'AccessPointNotFound'] as const;

/** DescribeLoadBalancers page size (the API's maximum). */
const PAGE_SIZE = 400;

export interface ClassicLoadBalancerState {
  name: string;
  /** `internet-facing` or `internal`. */
  scheme?: string;
  /** Registered instances, in the order AWS lists them. */
  instanceIds: string[];
  /** The front-end (client to load balancer) side of each listener. */
  listeners: { protocol: string; port?: number }[];
  /** LoadBalancerAttributes.AccessLog.Enabled. */
  accessLogEnabled: boolean;
  tags: Record<string, string>;
}

/** Front-end protocols that terminate TLS at the load balancer (HTTPS, and SSL for TCP). */
const TLS_PROTOCOLS: ReadonlySet<string> = new Set(['HTTPS', 'SSL']);

// ---------- pure helpers (shared by checks and remediations) ----------

export function instanceIdsOf(description: LoadBalancerDescription): string[] {
  return (description.Instances ?? []).flatMap((instance) => (instance.InstanceId ? [instance.InstanceId] : []));
}

/** The registered instances to deregister: every one config.ignoredInstances does not exempt. */
export function exposedInstanceIds(instanceIds: readonly string[], config: Config): string[] {
  return instanceIds.filter((id) => !isIgnoredInstance(id, config));
}

/** Listeners whose front-end protocol is HTTP or TCP: clients talk to the load balancer in the clear. */
export function plainListeners(listeners: ClassicLoadBalancerState['listeners']): ClassicLoadBalancerState['listeners'] {
  return listeners.filter((listener) => !TLS_PROTOCOLS.has(listener.protocol.toUpperCase()));
}

function listenersOf(description: LoadBalancerDescription): ClassicLoadBalancerState['listeners'] {
  return (description.ListenerDescriptions ?? []).flatMap(({ Listener: listener }: { Listener?: Listener }) =>
    listener?.Protocol ? [{ protocol: listener.Protocol, ...(listener.LoadBalancerPort !== undefined ? { port: listener.LoadBalancerPort } : {}) }] : [],
  );
}

// ---------- reads (collect and the read half of remediations) ----------

function elb(context: ResourceContext): ElasticLoadBalancingClient {
  return context.clients.get(ElasticLoadBalancingClient);
}

async function readLoadBalancer(context: ResourceContext): Promise<LoadBalancerDescription | Gone> {
  try {
    const { LoadBalancerDescriptions } = await elb(context).send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [context.id] }));
    return LoadBalancerDescriptions?.[0] ?? GONE;
  } catch (error) {
    if (hasErrorName(error, ...LOAD_BALANCER_NOT_FOUND)) return GONE;
    throw error;
  }
}

async function readAccessLogEnabled(context: ResourceContext): Promise<boolean | Gone> {
  try {
    const { LoadBalancerAttributes } = await elb(context).send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: context.id }));
    return LoadBalancerAttributes?.AccessLog?.Enabled === true;
  } catch (error) {
    if (hasErrorName(error, ...LOAD_BALANCER_NOT_FOUND)) return GONE;
    throw error;
  }
}

async function readTags(context: ResourceContext): Promise<Record<string, string> | Gone> {
  try {
    const { TagDescriptions } = await elb(context).send(new DescribeTagsCommand({ LoadBalancerNames: [context.id] }));
    return tagsToRecord(TagDescriptions?.[0]?.Tags);
  } catch (error) {
    if (hasErrorName(error, ...LOAD_BALANCER_NOT_FOUND)) return GONE;
    throw error;
  }
}

// ---------- the auditor ----------

export const elbAuditor = defineAuditor<ClassicLoadBalancerState>({
  type: 'elb',
  scope: 'regional',
  description: 'Classic Load Balancers: internet-facing in a dev account, required tags, listeners without TLS, access logs off',
  permissions: {
    list: ['elasticloadbalancing:DescribeLoadBalancers'],
    collect: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeLoadBalancerAttributes'],
  },
  identity: (state) => ({ tags: state.tags }),
  triggers: elbTriggers,

  async *list({ clients }) {
    const client = clients.get(ElasticLoadBalancingClient);
    for await (const page of paginateDescribeLoadBalancers({ client, pageSize: PAGE_SIZE }, {})) {
      for (const description of page.LoadBalancerDescriptions ?? []) {
        if (description.LoadBalancerName) yield { id: description.LoadBalancerName, name: description.LoadBalancerName };
      }
    }
  },

  async collect(context) {
    const description = await readLoadBalancer(context);
    if (description === GONE) return GONE;
    const tags = await readTags(context);
    if (tags === GONE) return GONE;
    const accessLogEnabled = await readAccessLogEnabled(context);
    if (accessLogEnabled === GONE) return GONE;
    return { name: context.id, scheme: description.Scheme, instanceIds: instanceIdsOf(description), listeners: listenersOf(description), accessLogEnabled, tags };
  },

  checks: [
    {
      id: 'elb.internet_facing_in_dev_account',
      title: 'Classic Load Balancer is internet-facing in a dev account',
      severity: 'high',
      rationale: 'Dev accounts hold unreviewed code and data; an internet-facing load balancer exposes the instances behind it to anyone.',
      // No FSBP or CIS v3.0.0 control: Security Hub knows no dev accounts.
      controls: OWN_RULE.devAccounts,
      evaluate(state, context) {
        if (!internetFacingInDevAccount(state.scheme, context)) return undefined;
        const exposed = exposedInstanceIds(state.instanceIds, context.config);
        const behind = exposed.length > 0 ? `instances behind it: ${exposed.join(', ')}` : 'no instance behind it outside ignoredInstances';
        return { detail: `internet-facing in dev account ${context.account}; ${behind}` };
      },
    },
    {
      id: 'elb.listener_not_tls',
      title: 'Classic Load Balancer listener does not terminate HTTPS or TLS',
      severity: 'medium',
      rationale: 'An HTTP or TCP listener carries requests, cookies and credentials between clients and the load balancer in the clear.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-3 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['ELB.3'] },
      evaluate(state) {
        const plain = plainListeners(state.listeners);
        if (plain.length === 0) return undefined;
        return { detail: `listeners without HTTPS or SSL (TLS) termination: ${plain.map((l) => `${l.protocol} ${l.port ?? '?'}`).join(', ')}` };
      },
    },
    {
      id: 'elb.access_logging_off',
      title: 'Classic Load Balancer access logs are off',
      severity: 'medium',
      rationale: 'Without access logs there is no record of who sent which request through the load balancer, for an investigation or an audit.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-5 (Application and Classic Load Balancers; no CIS v3.0.0 requirement)
      controls: { fsbp: ['ELB.5'] },
      evaluate: (state) => (state.accessLogEnabled ? undefined : { detail: 'access logs are off (AccessLog.Enabled is false)' }),
    },
    requiredTagsCheck({
      id: 'elb.missing_required_tags',
      title: 'Classic Load Balancer lacks required tags',
      rationale: 'Required tags say who owns a resource and what it serves.',
    }),
  ],

  remediations: {
    'elb.internet_facing_in_dev_account': {
      description: 'Deregister the instances not listed in ignoredInstances; the load balancer itself is kept.',
      risk: 'disruptive',
      // The load balancer stays internet-facing: the finding stays, notify-only once nothing is behind it.
      mitigates: true,
      permissions: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DeregisterInstancesFromLoadBalancer'],
      /** With no instance behind it, there is nothing to deregister: the finding is notify-only. */
      applicable: (state, context) => exposedInstanceIds(state.instanceIds, context.config).length > 0,
      async apply(context, _state, checkContext) {
        const description = await readLoadBalancer(context);
        if (description === GONE) return 'gone';
        if (!internetFacingInDevAccount(description.Scheme, checkContext)) return 'already_compliant';
        const exposed = exposedInstanceIds(instanceIdsOf(description), checkContext.config);
        if (exposed.length === 0) return 'already_compliant';
        try {
          await elb(context).send(
            new DeregisterInstancesFromLoadBalancerCommand({
              LoadBalancerName: context.id,
              Instances: exposed.map((InstanceId) => ({ InstanceId })),
            }),
          );
        } catch (error) {
          if (hasErrorName(error, ...LOAD_BALANCER_NOT_FOUND)) return 'gone';
          throw error;
        }
        return 'applied';
      },
    },
  },
});
