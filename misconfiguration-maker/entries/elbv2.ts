/**
 * One internet-facing Application Load Balancer, `misconfiguration-maker-alb`,
 * in two default subnets, whose HTTP 80 listener forwards to an empty
 * instance target group, `misconfiguration-maker-tg`: it fails
 * `elbv2.internet_facing_in_dev_account` in a dev account (and nowhere
 * else), `elbv2.http_not_redirected_to_https` (the HTTP listener forwards)
 * and `elbv2.access_logging_off` (access logs are off on a new ALB)
 * everywhere, and `elbv2.missing_required_tags` when a required tag is not
 * one of the maker's. The listener attaches the group to the load balancer, so the
 * auditor sees (and would deregister) the group's instance targets.
 *
 * Harmless: no target is registered (the maker creates no instance, and on
 * AWS a target must be a real one), and without SecurityGroups the ALB gets
 * the VPC's default security group, which admits only its own members, so
 * nothing from the internet reaches even the listener. Its violation reads
 * "internet-facing in dev account A; no instance target outside
 * ignoredInstances"; the remediation has nothing to deregister and answers
 * `already_compliant`, and the finding stays (the scheme is unchanged).
 *
 * Names: at most 32 characters, so they carry neither account nor region.
 *
 * Real AWS: needs the region's default VPC with at least two default subnets
 * (EC2 DescribeSubnets, default-for-az). Cost about $0.0225 per hour
 * (~$0.54/day) for the ALB, plus $0.005 per hour for each of its (at least
 * two) public IPv4 addresses, plus LCUs (none without traffic), while it
 * exists; the target group and listener are free.
 */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  type LoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { TEST_RESOURCE_PREFIX } from '../../services/core/testResources.ts';
import { MAKER_TAGS, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';
import { defaultSubnets } from './defaultSubnets.ts';
import { requiredTagsMissingFromMaker } from './missingMakerTags.ts';

export const MAKER_LOAD_BALANCER = `${TEST_RESOURCE_PREFIX}alb`;
export const MAKER_TARGET_GROUP = `${TEST_RESOURCE_PREFIX}tg`;
const LISTENER_PORT = 80;

function elbv2(context: MakerContext): ElasticLoadBalancingV2Client {
  return context.clients.get(ElasticLoadBalancingV2Client);
}

async function findLoadBalancer(context: MakerContext): Promise<LoadBalancer | undefined> {
  const found = await unlessGone(() => elbv2(context).send(new DescribeLoadBalancersCommand({ Names: [MAKER_LOAD_BALANCER] })), ['LoadBalancerNotFound', 'LoadBalancerNotFoundException'], undefined);
  return found?.LoadBalancers?.[0];
}

async function findTargetGroup(context: MakerContext): Promise<TargetGroup | undefined> {
  const found = await unlessGone(() => elbv2(context).send(new DescribeTargetGroupsCommand({ Names: [MAKER_TARGET_GROUP] })), ['TargetGroupNotFound', 'TargetGroupNotFoundException'], undefined);
  return found?.TargetGroups?.[0];
}

async function ensureLoadBalancer(context: MakerContext): Promise<LoadBalancer> {
  const existing = await findLoadBalancer(context);
  if (existing) return existing;
  const subnets = await defaultSubnets(context, 2);
  const { LoadBalancers } = await elbv2(context).send(
    new CreateLoadBalancerCommand({
      Name: MAKER_LOAD_BALANCER,
      Type: 'application',
      Scheme: 'internet-facing',
      Subnets: subnets.map((subnet) => subnet.subnetId),
      Tags: [...MAKER_TAGS],
    }),
  );
  const created = LoadBalancers?.[0];
  if (!created?.LoadBalancerArn) throw new Error(`CreateLoadBalancer ${MAKER_LOAD_BALANCER} answered no load balancer`);
  return created;
}

async function ensureTargetGroup(context: MakerContext, vpcId: string | undefined): Promise<TargetGroup> {
  const existing = await findTargetGroup(context);
  if (existing) return existing;
  const { TargetGroups } = await elbv2(context).send(
    new CreateTargetGroupCommand({ Name: MAKER_TARGET_GROUP, TargetType: 'instance', Protocol: 'HTTP', Port: 80, VpcId: vpcId, Tags: [...MAKER_TAGS] }),
  );
  const created = TargetGroups?.[0];
  if (!created?.TargetGroupArn) throw new Error(`CreateTargetGroup ${MAKER_TARGET_GROUP} answered no target group`);
  return created;
}

async function ensureListener(context: MakerContext, loadBalancerArn: string, targetGroupArn: string): Promise<void> {
  const { Listeners } = await elbv2(context).send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
  if ((Listeners ?? []).some((listener) => listener.Port === LISTENER_PORT)) return;
  await elbv2(context).send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: LISTENER_PORT,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
      Tags: [...MAKER_TAGS],
    }),
  );
}

export const elbv2Maker: MisconfigurationEntry = {
  type: 'elbv2',
  scope: 'regional',
  devAccountChecks: ['elbv2.internet_facing_in_dev_account'],
  provokes: (config) => [
    'elbv2.internet_facing_in_dev_account',
    'elbv2.http_not_redirected_to_https',
    'elbv2.access_logging_off',
    ...(requiredTagsMissingFromMaker(config).length > 0 ? ['elbv2.missing_required_tags'] : []),
  ],
  plan: () => [
    `Application Load Balancer ${MAKER_LOAD_BALANCER}: internet-facing, two default subnets, HTTP 80 listener forwarding to the empty instance target group ${MAKER_TARGET_GROUP} (~$0.03/h on AWS)`,
  ],
  async create(context) {
    const loadBalancer = await ensureLoadBalancer(context);
    const targetGroup = await ensureTargetGroup(context, loadBalancer.VpcId);
    const loadBalancerArn = loadBalancer.LoadBalancerArn ?? '';
    const targetGroupArn = targetGroup.TargetGroupArn ?? '';
    await ensureListener(context, loadBalancerArn, targetGroupArn);
    return [loadBalancerArn, targetGroupArn];
  },
  /** Listeners first, then the load balancer, then the group (which a listener would keep in use). */
  async teardown(context) {
    const removed: string[] = [];
    const loadBalancer = await findLoadBalancer(context);
    if (loadBalancer?.LoadBalancerArn) {
      const { Listeners } = await elbv2(context).send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancer.LoadBalancerArn }));
      for (const listener of Listeners ?? []) {
        if (listener.ListenerArn) await elbv2(context).send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
      }
      await elbv2(context).send(new DeleteLoadBalancerCommand({ LoadBalancerArn: loadBalancer.LoadBalancerArn }));
      removed.push(loadBalancer.LoadBalancerArn);
    }
    const targetGroup = await findTargetGroup(context);
    if (targetGroup?.TargetGroupArn) {
      await elbv2(context).send(new DeleteTargetGroupCommand({ TargetGroupArn: targetGroup.TargetGroupArn }));
      removed.push(targetGroup.TargetGroupArn);
    }
    return removed;
  },
};
