import { provokedIn } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import {
  CreateLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeEach, describe, expect, it } from 'vitest';
import { elbv2Auditor } from '../../auditors/elbv2.ts';
import { MAKER_LOAD_BALANCER, MAKER_TARGET_GROUP, elbv2Maker } from '../../misconfiguration-maker/entries/elbv2.ts';
import { isTestResource } from '../../services/core/testResources.ts';
import type { Elbv2State } from '../../sandbox/services/elbv2State.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, collectAll, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, remediateAll } from './makerHarness.ts';

const DEV = makeConfig({ devAccounts: [ACCOUNT] });
const INSTANCE = 'i-0abcdef1234567890';
const MAKER_TAGS = [{ Key: 'created-by', Value: 'misconfiguration-maker' }];

/** provokes() as the demo reads it: dev-account checks only count in dev accounts. */
function expectedIn(account: string, config = DEV): string[] {
  return provokedIn(elbv2Maker, config, account).sort();
}

describe('elbv2 maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  function elbv2Of(account = ACCOUNT): ElasticLoadBalancingV2Client {
    return organization.clients(account).get(ElasticLoadBalancingV2Client);
  }

  it('creates an internet-facing ALB whose listener forwards to an empty instance target group, and it fails exactly what provokes() says in a dev account', async () => {
    // Prepare
    const context = makerContext(organization, DEV);

    // Act
    const [lbArn = '', tgArn = ''] = await elbv2Maker.create(context);
    const audited = await auditListed(elbv2Auditor, context);
    const listed = await collectAll(elbv2Auditor.list(context));
    const { TargetGroups = [] } = await elbv2Of().send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }));
    const { TagDescriptions } = await elbv2Of().send(new DescribeTagsCommand({ ResourceArns: [lbArn, tgArn] }));

    // Assess
    expect(lbArn).toMatch(new RegExp(`:loadbalancer/app/${MAKER_LOAD_BALANCER}/`));
    expect(tgArn).toMatch(new RegExp(`:targetgroup/${MAKER_TARGET_GROUP}/`));
    expect(TargetGroups.map((g) => [g.TargetGroupArn, g.TargetType])).toEqual([[tgArn, 'instance']]);
    expect(TagDescriptions?.map((d) => d.Tags)).toEqual([MAKER_TAGS, MAKER_TAGS]);
    expect(audited.map((resource) => resource.id)).toEqual([lbArn]);
    expect(failedCheckIds(audited)).toEqual(expectedIn(ACCOUNT));
    expect(failedCheckIds(audited)).toEqual(['elbv2.access_logging_off', 'elbv2.http_not_redirected_to_https', 'elbv2.internet_facing_in_dev_account']);
    expect(audited[0]?.failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; no instance target outside ignoredInstances`);
    expect(listed.every(isTestResource)).toBe(true);
  });

  it('places the ALB in two default subnets of the region (EC2 DescribeSubnets)', async () => {
    // Prepare
    const context = makerContext(organization, DEV);

    // Act
    await elbv2Maker.create(context);
    const { LoadBalancers = [] } = await elbv2Of().send(new DescribeLoadBalancersCommand({ Names: [MAKER_LOAD_BALANCER] }));

    // Assess
    expect(LoadBalancers[0]?.AvailabilityZones?.map((zone) => zone.SubnetId)).toEqual([expect.stringMatching(/^subnet-/), expect.stringMatching(/^subnet-/)]);
    expect(LoadBalancers[0]).toMatchObject({ Scheme: 'internet-facing', Type: 'application' });
  });

  it('fails only the listener and access-log checks in an account that is not a dev account', async () => {
    // Prepare
    const context = makerContext(organization, DEV, { account: OTHER_ACCOUNT });

    // Act
    await elbv2Maker.create(context);
    const audited = await auditListed(elbv2Auditor, context);

    // Assess
    expect(audited).toHaveLength(1);
    expect(failedCheckIds(audited)).toEqual(expectedIn(OTHER_ACCOUNT));
    expect(failedCheckIds(audited)).toEqual(['elbv2.access_logging_off', 'elbv2.http_not_redirected_to_https']);
  });

  it.each([
    ['a required tag the maker does not set', ['owner'], ['elbv2.access_logging_off', 'elbv2.http_not_redirected_to_https', 'elbv2.internet_facing_in_dev_account', 'elbv2.missing_required_tags']],
    ['only the tag the maker sets', ['created-by'], ['elbv2.access_logging_off', 'elbv2.http_not_redirected_to_https', 'elbv2.internet_facing_in_dev_account']],
  ])('with %s required, fails exactly what provokes() says', async (_case, requiredTags, expected) => {
    // Prepare
    const config = makeConfig({ devAccounts: [ACCOUNT], requiredTags });
    const context = makerContext(organization, config);

    // Act
    await elbv2Maker.create(context);
    const audited = await auditListed(elbv2Auditor, context);

    // Assess
    expect(failedCheckIds(audited)).toEqual(expectedIn(ACCOUNT, config));
    expect(failedCheckIds(audited)).toEqual(expected);
  });

  it('reuses the load balancer, target group and listener when run again', async () => {
    // Prepare
    const context = makerContext(organization, DEV);
    const first = await elbv2Maker.create(context);

    // Act
    const again = await elbv2Maker.create(context);
    const { LoadBalancers } = await elbv2Of().send(new DescribeLoadBalancersCommand({}));
    const { TargetGroups } = await elbv2Of().send(new DescribeTargetGroupsCommand({}));
    const { Listeners } = await elbv2Of().send(new DescribeListenersCommand({ LoadBalancerArn: first[0] }));

    // Assess
    expect(again).toEqual(first);
    expect(LoadBalancers).toHaveLength(1);
    expect(TargetGroups).toHaveLength(1);
    expect(Listeners).toHaveLength(1);
  });

  it('with nothing behind it the finding is notify-only: no remediation is offered, and the finding stays', async () => {
    // Prepare
    const context = makerContext(organization, DEV);
    await elbv2Maker.create(context);

    // Act
    const outcomes = await remediateAll(await auditListed(elbv2Auditor, context));
    const after = await auditListed(elbv2Auditor, context);

    // Assess
    expect(outcomes).toEqual([]);
    expect(failedCheckIds(after)).toEqual(expectedIn(ACCOUNT));
  });

  it('with an instance target behind it, the remediation deregisters it once (it drains); afterwards the finding is notify-only', async () => {
    // Prepare
    const context = makerContext(organization, DEV);
    const [, tgArn = ''] = await elbv2Maker.create(context);
    const state = organization.sandbox.state.accounts[ACCOUNT]?.regions[REGION]?.elbv2 as Elbv2State;
    state.targetGroups[tgArn]?.targets.push({ id: INSTANCE, port: 80 });

    // Act
    const before = await auditListed(elbv2Auditor, context);
    const first = await remediateAll(before);
    const after = await auditListed(elbv2Auditor, context);
    const second = await remediateAll(after);

    // Assess
    expect(before[0]?.failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; instances behind it: ${INSTANCE}`);
    expect(first).toEqual(['elbv2.internet_facing_in_dev_account=applied']);
    expect(after[0]?.failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; no instance target outside ignoredInstances`);
    expect(second).toEqual([]);
  });

  it('tears down exactly its load balancer, listener and target group, and a second teardown removes nothing', async () => {
    // Prepare
    const context = makerContext(organization, DEV);
    const made = await elbv2Maker.create(context);
    await elbv2Of().send(new CreateLoadBalancerCommand({ Name: 'someone-elses', Subnets: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1c2d3e4f5a67890'] }));

    // Act
    const removed = await elbv2Maker.teardown(context);
    const again = await elbv2Maker.teardown(context);
    const left = await collectAll(elbv2Auditor.list(context));
    const { TargetGroups } = await elbv2Of().send(new DescribeTargetGroupsCommand({}));

    // Assess
    expect(removed).toEqual(made);
    expect(again).toEqual([]);
    expect(left.map((resource) => resource.name)).toEqual(['someone-elses']);
    expect(TargetGroups).toEqual([]);
  });

  it('tears down a target group left alone by an interrupted create', async () => {
    // Prepare
    const context = makerContext(organization, DEV);
    const [lbArn = '', tgArn = ''] = await elbv2Maker.create(context);
    const state = organization.sandbox.state.accounts[ACCOUNT]?.regions[REGION]?.elbv2 as Elbv2State;
    delete state.loadBalancers[lbArn];
    state.listeners = {};

    // Act
    const removed = await elbv2Maker.teardown(context);

    // Assess
    expect(removed).toEqual([tgArn]);
  });

  it('plans one line naming the load balancer and the target group, within the 32 characters ELB allows', () => {
    // Act
    const plan = elbv2Maker.plan(ACCOUNT, REGION);

    // Assess
    expect(plan).toHaveLength(1);
    expect(plan[0]).toContain(MAKER_LOAD_BALANCER);
    expect(plan[0]).toContain(MAKER_TARGET_GROUP);
    expect(Math.max(MAKER_LOAD_BALANCER.length, MAKER_TARGET_GROUP.length)).toBeLessThanOrEqual(32);
  });
});
