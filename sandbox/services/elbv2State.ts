/**
 * The state of the `elbv2` sandbox service (plain JSON, per account and
 * region): load balancers, target groups and listeners keyed by ARN, and
 * the lookups and errors every operation shares.
 */
import type { Action, Listener, LoadBalancer, Tag, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { partitionOf } from '../../services/core/regions.ts';
import { serviceError } from '../sandboxErrors.ts';
import type { OperationContext } from '../serviceModel.ts';

export interface LoadBalancerRecord {
  /** What DescribeLoadBalancers answers, but CreatedTime (a Date: the state keeps createdAt). */
  description: Omit<LoadBalancer, 'CreatedTime'> & { LoadBalancerArn: string; LoadBalancerName: string };
  createdAt: string;
  tags: Tag[];
}

export interface TargetRecord {
  id: string;
  port: number | undefined;
  /** Set by DeregisterTargets: the target drains for DEREGISTRATION_DELAY_SECONDS, then is gone. */
  drainingSince?: string;
}

export interface TargetGroupRecord {
  /** What DescribeTargetGroups answers, but LoadBalancerArns (derived from the listeners). */
  description: Omit<TargetGroup, 'LoadBalancerArns'> & { TargetGroupArn: string; TargetGroupName: string };
  targets: TargetRecord[];
  tags: Tag[];
}

export interface ListenerRecord {
  description: Listener & { ListenerArn: string; LoadBalancerArn: string };
  tags: Tag[];
}

export interface Elbv2State {
  loadBalancers: Record<string, LoadBalancerRecord>;
  targetGroups: Record<string, TargetGroupRecord>;
  listeners: Record<string, ListenerRecord>;
}

/** A target group's default `deregistration_delay.timeout_seconds`. */
export const DEREGISTRATION_DELAY_SECONDS = 300;

export function elbv2State(context: OperationContext): Elbv2State {
  return context.regional<Elbv2State>('elbv2', () => ({ loadBalancers: {}, targetGroups: {}, listeners: {} }));
}

/** `arn:aws:elasticloadbalancing:us-east-1:111111111111:` */
export function arnPrefix(context: OperationContext): string {
  return `arn:${partitionOf(context.region)}:elasticloadbalancing:${context.region}:${context.account}:`;
}

/** The 16 hex digits that end an ELB ARN. */
export function arnSuffix(context: OperationContext): string {
  return context.nextId().slice(-16);
}

// ---------- lookups, with the errors AWS answers ----------

export function loadBalancerNotFound(): Error {
  return serviceError('LoadBalancerNotFound', 400, 'One or more load balancers not found');
}

export function targetGroupNotFound(): Error {
  return serviceError('TargetGroupNotFound', 400, 'One or more target groups not found');
}

export function listenerNotFound(): Error {
  return serviceError('ListenerNotFound', 400, 'One or more listeners not found');
}

export function loadBalancerAt(context: OperationContext, arn: string): LoadBalancerRecord {
  const record = elbv2State(context).loadBalancers[arn];
  if (!record) throw loadBalancerNotFound();
  return record;
}

export function targetGroupAt(context: OperationContext, arn: string): TargetGroupRecord {
  const record = elbv2State(context).targetGroups[arn];
  if (!record) throw targetGroupNotFound();
  return record;
}

export function listenerAt(context: OperationContext, arn: string): ListenerRecord {
  const record = elbv2State(context).listeners[arn];
  if (!record) throw listenerNotFound();
  return record;
}

/** At most one of these selectors, as AWS's Describe* calls require. */
export function atMostOne(selectors: Readonly<Record<string, unknown>>): void {
  const given = Object.entries(selectors).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0));
  if (given.length > 1) throw serviceError('ValidationError', 400, `${given.map(([name]) => name).join(' and ')} cannot be specified at the same time`);
}

// ---------- derived facts ----------

/** The target groups an action forwards to (TargetGroupArn, or ForwardConfig's groups). */
export function forwardedTargetGroupArns(actions: readonly Action[] | undefined): string[] {
  const arns = (actions ?? []).flatMap((action) => [
    ...(action.TargetGroupArn ? [action.TargetGroupArn] : []),
    ...(action.ForwardConfig?.TargetGroups ?? []).flatMap((tuple) => (tuple.TargetGroupArn ? [tuple.TargetGroupArn] : [])),
  ]);
  return [...new Set(arns)];
}

/** The load balancers whose listeners forward to this target group. */
export function loadBalancerArnsOf(context: OperationContext, targetGroupArn: string): string[] {
  const arns = Object.values(elbv2State(context).listeners)
    .filter((listener) => forwardedTargetGroupArns(listener.description.DefaultActions).includes(targetGroupArn))
    .map((listener) => listener.description.LoadBalancerArn);
  return [...new Set(arns)];
}

/** Forget targets whose deregistration delay is over, as AWS does. */
export function dropDrainedTargets(context: OperationContext, group: TargetGroupRecord): void {
  const now = context.now().getTime();
  group.targets = group.targets.filter((target) => !target.drainingSince || now - Date.parse(target.drainingSince) < DEREGISTRATION_DELAY_SECONDS * 1000);
}
