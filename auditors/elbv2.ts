/**
 * elbv2: Application, Network and Gateway Load Balancers that are
 * internet-facing in a dev account, and required tags; Application Load
 * Balancers whose HTTP listeners do not redirect to HTTPS (FSBP ELB.1) or
 * whose access logs are off (ELB.5). Both are notify-only: a redirect changes
 * what clients get (and needs an HTTPS listener with a certificate), and
 * access logs need an S3 bucket whose policy lets ELB write to it.
 *
 * The id is a load balancer ARN (what `list` yields) or a target group ARN
 * (RegisterTargets names only the target group). A target group ARN audits
 * the load balancer(s) the group is attached to: the same checks, the same
 * remediation as for the load balancer itself; a group attached to none has
 * nothing to audit. Exceptions are matched by the remediator against the
 * message id, so the remediation also honours, itself, an exception on the
 * load balancer ARN (when reached through a target group ARN) and one on a
 * target group ARN (when reached through the load balancer ARN).
 *
 * APIs: DescribeLoadBalancers (Marker), DescribeTargetGroups (Marker),
 * DescribeTargetHealth, DescribeTags; for Application Load Balancers
 * DescribeListeners (Marker) and DescribeLoadBalancerAttributes
 * (access_logs.s3.enabled,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html);
 * remediation: DeregisterTargets (never DeleteLoadBalancer, never
 * DeleteTargetGroup).
 */
import {
  DeregisterTargetsCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type Action,
  type LoadBalancer,
  type TargetDescription,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Config } from '../services/core/config.ts';
import { ComplianceError, hasErrorName } from '../services/core/errors.ts';
import { matchingException } from '../services/core/exceptions.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { elbv2Triggers } from './triggers/elbv2.ts';
import { internetFacingInDevAccount, isIgnoredInstance } from './loadBalancerExposure.ts';
import { missingRequiredTags } from './requiredTags.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';

/** Wire codes (what awsErrorName reads from the SDK error's Code) and the SDK's exception names. */
const LOAD_BALANCER_NOT_FOUND = ['LoadBalancerNotFound', 'LoadBalancerNotFoundException'] as const;
const TARGET_GROUP_NOT_FOUND = ['TargetGroupNotFound', 'TargetGroupNotFoundException'] as const;

/** DescribeLoadBalancers / DescribeTargetGroups page size (the API's maximum). */
const PAGE_SIZE = 400;
/** DescribeTags takes at most 20 ARNs. */
const TAGS_PER_CALL = 20;
/** A target being deregistered already: deregistering it again changes nothing. */
const DRAINING = 'draining';
const INSTANCE_TARGET_TYPE = 'instance';
/** ELB.1 and ELB.5 judge Application Load Balancers only (LoadBalancer.Type). */
const APPLICATION = 'application';
const ACCESS_LOGS_ATTRIBUTE = 'access_logs.s3.enabled';
export const INTERNET_FACING_CHECK_ID = 'elbv2.internet_facing_in_dev_account';

/** What an elbv2 id names. */
export type ArnKind = 'loadbalancer' | 'targetgroup';

export interface InstanceTarget {
  id: string;
  port?: number;
  /** TargetHealth.State: healthy, unhealthy, initial, unused, draining, ... */
  state?: string;
}

export interface TargetGroupState {
  arn: string;
  name?: string;
  /** instance, ip, lambda, alb: only instance targets are deregistered. */
  targetType?: string;
  instanceTargets: InstanceTarget[];
}

/** What the remediation re-reads: the load balancer's scheme and its targets. */
export interface LoadBalancerExposure {
  arn: string;
  name: string;
  /** `internet-facing` or `internal`. */
  scheme?: string;
  /** `application`, `network` or `gateway`. */
  type?: string;
  targetGroups: TargetGroupState[];
}

/** One listener of an Application Load Balancer: its protocol, port and whether its default action redirects to HTTPS. */
export interface ListenerState {
  protocol?: string;
  port?: number;
  /** The default actions' types, in order: forward, redirect, fixed-response, authenticate-oidc, ... */
  defaultActionTypes: string[];
  redirectsToHttps: boolean;
}

/** What ELB.1 and ELB.5 read of an Application Load Balancer. */
export interface ApplicationPosture {
  listeners: ListenerState[];
  accessLogsEnabled: boolean;
}

export interface LoadBalancerState extends LoadBalancerExposure {
  tags: Record<string, string>;
  /** Present for Application Load Balancers only. */
  posture?: ApplicationPosture;
}

export interface Elbv2State {
  subject: ArnKind;
  /** The load balancer itself, or those the target group is attached to (possibly none). */
  loadBalancers: LoadBalancerState[];
}

/** One DeregisterTargets call: the instance targets of one group, as registered (id and port). */
export interface Deregistration {
  targetGroupArn: string;
  targets: TargetDescription[];
}

// ---------- pure helpers (shared by checks and remediations) ----------

/** `arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188` -> loadbalancer. */
export function arnKindOf(arn: string): ArnKind | undefined {
  const kind = /^arn:[^:]+:elasticloadbalancing:[^:]*:\d{12}:(loadbalancer|targetgroup)\/./.exec(arn)?.[1];
  return kind === 'loadbalancer' || kind === 'targetgroup' ? kind : undefined;
}

/** Per target group, the instance targets to deregister: not draining already, not in ignoredInstances. */
export function deregistrationsFor(loadBalancer: LoadBalancerExposure, config: Config): Deregistration[] {
  return loadBalancer.targetGroups.flatMap((group) => {
    const targets = group.instanceTargets
      .filter((target) => target.state !== DRAINING && !isIgnoredInstance(target.id, config))
      .map((target): TargetDescription => (target.port === undefined ? { Id: target.id } : { Id: target.id, Port: target.port }));
    return targets.length === 0 ? [] : [{ targetGroupArn: group.arn, targets }];
  });
}

/** The instances behind the load balancer that the remediation would deregister, each once. */
export function exposedInstanceIds(loadBalancer: LoadBalancerExposure, config: Config): string[] {
  const ids = deregistrationsFor(loadBalancer, config).flatMap((d) => d.targets.flatMap((t) => (t.Id ? [t.Id] : [])));
  return [...new Set(ids)];
}

/** A default action that sends HTTP clients to HTTPS: a redirect whose RedirectConfig.Protocol is HTTPS (not `#{protocol}`). */
export function redirectsToHttps(actions: readonly Action[]): boolean {
  return actions.some((action) => action.Type === 'redirect' && action.RedirectConfig?.Protocol === 'HTTPS');
}

/** HTTP listeners that serve requests in the clear instead of redirecting them to HTTPS. */
export function unredirectedHttpListeners(posture: ApplicationPosture): ListenerState[] {
  return posture.listeners.filter((listener) => listener.protocol === 'HTTP' && !listener.redirectsToHttps);
}

/** Audited through a target group, a finding names the load balancer it is about. */
function about(state: Elbv2State, loadBalancer: LoadBalancerState, text: string): string {
  return state.subject === 'loadbalancer' ? text : `load balancer ${loadBalancer.name}: ${text}`;
}

/** An exception on this ARN (a load balancer's or a target group's) for the internet-facing check. */
function isExcepted(arn: string, context: ResourceContext): boolean {
  const subject = { checkId: INTERNET_FACING_CHECK_ID, account: context.account, type: 'elbv2', id: arn };
  return matchingException(subject, context.config.exceptions) !== undefined;
}

// ---------- reads (collect and the read half of remediations) ----------

function elbv2(context: ResourceContext): ElasticLoadBalancingV2Client {
  return context.clients.get(ElasticLoadBalancingV2Client);
}

async function readLoadBalancer(client: ElasticLoadBalancingV2Client, arn: string): Promise<LoadBalancer | Gone> {
  try {
    const { LoadBalancers } = await client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }));
    return LoadBalancers?.[0] ?? GONE;
  } catch (error) {
    if (hasErrorName(error, ...LOAD_BALANCER_NOT_FOUND)) return GONE;
    throw error;
  }
}

async function readTargetGroupsOf(client: ElasticLoadBalancingV2Client, loadBalancerArn: string): Promise<TargetGroup[] | Gone> {
  const groups: TargetGroup[] = [];
  try {
    for await (const page of paginateDescribeTargetGroups({ client, pageSize: PAGE_SIZE }, { LoadBalancerArn: loadBalancerArn })) {
      groups.push(...(page.TargetGroups ?? []));
    }
  } catch (error) {
    if (hasErrorName(error, ...LOAD_BALANCER_NOT_FOUND)) return GONE;
    throw error;
  }
  return groups;
}

/** Instance targets of an instance-type group; none for other types or a group deleted meanwhile. */
async function readInstanceTargets(client: ElasticLoadBalancingV2Client, group: TargetGroup & { TargetGroupArn: string }): Promise<InstanceTarget[]> {
  if (group.TargetType !== INSTANCE_TARGET_TYPE) return [];
  try {
    const { TargetHealthDescriptions } = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }));
    return (TargetHealthDescriptions ?? []).flatMap((description) => {
      const id = description.Target?.Id;
      return id ? [{ id, port: description.Target?.Port, state: description.TargetHealth?.State }] : [];
    });
  } catch (error) {
    if (hasErrorName(error, ...TARGET_GROUP_NOT_FOUND)) return [];
    throw error;
  }
}

async function readExposure(client: ElasticLoadBalancingV2Client, arn: string): Promise<LoadBalancerExposure | Gone> {
  const loadBalancer = await readLoadBalancer(client, arn);
  if (loadBalancer === GONE) return GONE;
  const groups = await readTargetGroupsOf(client, arn);
  if (groups === GONE) return GONE;
  const targetGroups: TargetGroupState[] = [];
  for (const group of groups) {
    const groupArn = group.TargetGroupArn;
    if (!groupArn) continue;
    const instanceTargets = await readInstanceTargets(client, { ...group, TargetGroupArn: groupArn });
    targetGroups.push({ arn: groupArn, name: group.TargetGroupName, targetType: group.TargetType, instanceTargets });
  }
  return { arn: loadBalancer.LoadBalancerArn ?? arn, name: loadBalancer.LoadBalancerName ?? arn, scheme: loadBalancer.Scheme, type: loadBalancer.Type, targetGroups };
}

/** An Application Load Balancer's listeners (every page) and access-log attribute; GONE when it vanished meanwhile. */
async function readApplicationPosture(client: ElasticLoadBalancingV2Client, arn: string): Promise<ApplicationPosture | Gone> {
  const listeners: ListenerState[] = [];
  try {
    for await (const page of paginateDescribeListeners({ client, pageSize: PAGE_SIZE }, { LoadBalancerArn: arn })) {
      for (const listener of page.Listeners ?? []) {
        const actions = listener.DefaultActions ?? [];
        listeners.push({
          ...(listener.Protocol ? { protocol: listener.Protocol } : {}),
          ...(listener.Port !== undefined ? { port: listener.Port } : {}),
          defaultActionTypes: actions.flatMap((action) => (action.Type ? [action.Type] : [])),
          redirectsToHttps: redirectsToHttps(actions),
        });
      }
    }
    const { Attributes } = await client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
    return { listeners, accessLogsEnabled: Attributes?.find((attribute) => attribute.Key === ACCESS_LOGS_ATTRIBUTE)?.Value === 'true' };
  } catch (error) {
    if (hasErrorName(error, ...LOAD_BALANCER_NOT_FOUND)) return GONE;
    throw error;
  }
}

/** The load balancers a target group is attached to; GONE when the group is gone. */
async function readAttachedLoadBalancerArns(client: ElasticLoadBalancingV2Client, targetGroupArn: string): Promise<string[] | Gone> {
  try {
    const { TargetGroups } = await client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] }));
    const group = TargetGroups?.[0];
    return group ? (group.LoadBalancerArns ?? []) : GONE;
  } catch (error) {
    if (hasErrorName(error, ...TARGET_GROUP_NOT_FOUND)) return GONE;
    throw error;
  }
}

/** What the id names, read now: the load balancer, or the ones its target group is attached to. */
async function readSubject(context: ResourceContext): Promise<{ subject: ArnKind; loadBalancers: LoadBalancerExposure[] } | Gone> {
  const client = elbv2(context);
  const subject = arnKindOf(context.id);
  if (subject === 'loadbalancer') {
    const exposure = await readExposure(client, context.id);
    return exposure === GONE ? GONE : { subject, loadBalancers: [exposure] };
  }
  if (subject === 'targetgroup') {
    const arns = await readAttachedLoadBalancerArns(client, context.id);
    if (arns === GONE) return GONE;
    const loadBalancers: LoadBalancerExposure[] = [];
    for (const arn of arns) {
      const exposure = await readExposure(client, arn);
      if (exposure !== GONE) loadBalancers.push(exposure);
    }
    return { subject, loadBalancers };
  }
  throw new ComplianceError(
    `an elbv2 id must be a load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/...) or a target group ARN (...:targetgroup/...), got "${context.id}"`,
    { account: context.account, region: context.region, type: 'elbv2', id: context.id },
  );
}

async function readTags(client: ElasticLoadBalancingV2Client, arns: readonly string[]): Promise<Map<string, Record<string, string>> | Gone> {
  const tags = new Map<string, Record<string, string>>();
  for (let start = 0; start < arns.length; start += TAGS_PER_CALL) {
    try {
      const { TagDescriptions } = await client.send(new DescribeTagsCommand({ ResourceArns: arns.slice(start, start + TAGS_PER_CALL) }));
      for (const description of TagDescriptions ?? []) {
        if (description.ResourceArn) tags.set(description.ResourceArn, tagsToRecord(description.Tags));
      }
    } catch (error) {
      if (hasErrorName(error, ...LOAD_BALANCER_NOT_FOUND)) return GONE;
      throw error;
    }
  }
  return tags;
}

// ---------- the auditor ----------

export const elbv2Auditor = defineAuditor<Elbv2State>({
  type: 'elbv2',
  scope: 'regional',
  description: 'Application, Network and Gateway Load Balancers: internet-facing in a dev account, required tags; ALB HTTP listeners without a redirect to HTTPS, ALB access logs off',
  permissions: {
    list: ['elasticloadbalancing:DescribeLoadBalancers'],
    collect: [
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeLoadBalancerAttributes',
    ],
  },
  triggers: elbv2Triggers,

  /** Load balancers only: a target group is audited through the load balancer it is attached to. */
  async *list({ clients }) {
    const client = clients.get(ElasticLoadBalancingV2Client);
    for await (const page of paginateDescribeLoadBalancers({ client, pageSize: PAGE_SIZE }, {})) {
      for (const loadBalancer of page.LoadBalancers ?? []) {
        if (loadBalancer.LoadBalancerArn) yield { id: loadBalancer.LoadBalancerArn, name: loadBalancer.LoadBalancerName };
      }
    }
  },

  async collect(context) {
    const read = await readSubject(context);
    if (read === GONE) return GONE;
    if (read.loadBalancers.length === 0) return { subject: read.subject, loadBalancers: [] };
    const tags = await readTags(elbv2(context), read.loadBalancers.map((lb) => lb.arn));
    if (tags === GONE) return GONE;
    const loadBalancers: LoadBalancerState[] = [];
    for (const lb of read.loadBalancers) {
      const posture = lb.type === APPLICATION ? await readApplicationPosture(elbv2(context), lb.arn) : undefined;
      if (posture === GONE) return GONE;
      loadBalancers.push({ ...lb, tags: tags.get(lb.arn) ?? {}, ...(posture ? { posture } : {}) });
    }
    return { subject: read.subject, loadBalancers };
  },

  checks: [
    {
      id: INTERNET_FACING_CHECK_ID,
      title: 'Load balancer is internet-facing in a dev account',
      severity: 'high',
      rationale: 'Dev accounts hold unreviewed code and data; an internet-facing load balancer exposes the instances behind it to anyone.',
      // No FSBP or CIS v3.0.0 control: Security Hub knows no dev accounts.
      controls: OWN_RULE.devAccounts,
      evaluate(state, context) {
        const exposed = state.loadBalancers.filter((lb) => internetFacingInDevAccount(lb.scheme, context));
        if (exposed.length === 0) return undefined;
        const parts = exposed.map((lb) => {
          const ids = exposedInstanceIds(lb, context.config);
          return about(state, lb, ids.length > 0 ? `instances behind it: ${ids.join(', ')}` : 'no instance target outside ignoredInstances');
        });
        return { detail: `internet-facing in dev account ${context.account}; ${parts.join('; ')}` };
      },
    },
    {
      id: 'elbv2.http_not_redirected_to_https',
      title: 'Application Load Balancer HTTP listener does not redirect to HTTPS',
      severity: 'medium',
      rationale: 'An HTTP listener that forwards instead of redirecting serves requests, cookies and credentials in the clear.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['ELB.1'] },
      evaluate(state) {
        const parts = state.loadBalancers.flatMap((lb) => {
          const plain = lb.posture ? unredirectedHttpListeners(lb.posture) : [];
          if (plain.length === 0) return [];
          const listeners = plain.map((l) => `port ${l.port ?? '?'} (default action: ${l.defaultActionTypes.join(', ') || 'none'})`);
          return [about(state, lb, `HTTP listeners that do not redirect to HTTPS: ${listeners.join(', ')}`)];
        });
        return parts.length === 0 ? undefined : { detail: parts.join('; ') };
      },
    },
    {
      id: 'elbv2.access_logging_off',
      title: 'Application Load Balancer access logs are off',
      severity: 'medium',
      rationale: 'Without access logs there is no record of who sent which request through the load balancer, for an investigation or an audit.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-5 (Application and Classic Load Balancers; no CIS v3.0.0 requirement)
      controls: { fsbp: ['ELB.5'] },
      evaluate(state) {
        const parts = state.loadBalancers.flatMap((lb) =>
          lb.posture && !lb.posture.accessLogsEnabled ? [about(state, lb, `access logs are off (${ACCESS_LOGS_ATTRIBUTE} is not true)`)] : [],
        );
        return parts.length === 0 ? undefined : { detail: parts.join('; ') };
      },
    },
    {
      id: 'elbv2.missing_required_tags',
      title: 'Load balancer lacks required tags',
      severity: 'low',
      rationale: 'Required tags say who owns a resource and what it serves.',
      controls: OWN_RULE.requiredTags,
      evaluate(state, { config }) {
        const parts = state.loadBalancers.flatMap((lb) => {
          const missing = missingRequiredTags(lb.tags, config.requiredTags);
          return missing.length === 0 ? [] : [about(state, lb, `missing tags: ${missing.join(', ')}`)];
        });
        return parts.length === 0 ? undefined : { detail: parts.join('; ') };
      },
    },
  ],

  remediations: {
    [INTERNET_FACING_CHECK_ID]: {
      risk: 'disruptive',
      // The load balancer stays internet-facing: the finding stays, notify-only once nothing is behind it.
      mitigates: true,
      description:
        'Deregister the instance targets not listed in ignoredInstances from every target group of the load balancer; the load balancer, its target groups and every other target are kept.',
      permissions: [
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DeregisterTargets',
      ],
      /** With no instance target behind it, there is nothing to deregister: the finding is notify-only. */
      applicable: (state, context) =>
        state.loadBalancers.some((lb) => internetFacingInDevAccount(lb.scheme, context) && deregistrationsFor(lb, context.config).length > 0),
      async apply(context, _state, checkContext) {
        const read = await readSubject(context);
        if (read === GONE) return 'gone';
        let applied = false;
        for (const loadBalancer of read.loadBalancers) {
          if (!internetFacingInDevAccount(loadBalancer.scheme, checkContext) || isExcepted(loadBalancer.arn, context)) continue;
          for (const { targetGroupArn, targets } of deregistrationsFor(loadBalancer, checkContext.config)) {
            if (isExcepted(targetGroupArn, context)) continue;
            try {
              await elbv2(context).send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: targets }));
              applied = true;
            } catch (error) {
              if (!hasErrorName(error, ...TARGET_GROUP_NOT_FOUND)) throw error;
            }
          }
        }
        return applied ? 'applied' : 'already_compliant';
      },
    },
  },
});
