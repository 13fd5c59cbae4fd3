import { provokedIn } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { CreateLoadBalancerCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { beforeEach, describe, expect, it } from 'vitest';
import { elbAuditor } from '../../auditors/elb.ts';
import { MAKER_CLASSIC_LOAD_BALANCER, elbMaker } from '../../misconfiguration-maker/entries/elb.ts';
import { isTestResource } from '../../services/core/testResources.ts';
import { operation } from '../../sandbox/serviceModel.ts';
import { elbService, type ElbState } from '../../sandbox/services/elb.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, collectAll, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, remediateAll } from './makerHarness.ts';

const DEV = makeConfig({ devAccounts: [ACCOUNT] });
const INSTANCE = 'i-0abcdef1234567890';

/** provokes() as the demo reads it: dev-account checks only count in dev accounts. */
function expectedIn(account: string, config = DEV): string[] {
  return provokedIn(elbMaker, config, account).sort();
}

describe('elb maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  function seedInstances(instanceIds: string[]): void {
    const state = organization.sandbox.state.accounts[ACCOUNT]?.regions[REGION]?.elb as ElbState;
    state.loadBalancers[MAKER_CLASSIC_LOAD_BALANCER]?.instanceIds.push(...instanceIds);
  }

  it('creates one internet-facing classic load balancer, tagged, that fails exactly what provokes() says in a dev account', async () => {
    // Prepare
    const context = makerContext(organization, DEV);

    // Act
    const ids = await elbMaker.create(context);
    const audited = await auditListed(elbAuditor, context);
    const listed = await collectAll(elbAuditor.list(context));

    // Assess
    expect(ids).toEqual([MAKER_CLASSIC_LOAD_BALANCER]);
    expect(audited.map((resource) => resource.id)).toEqual([MAKER_CLASSIC_LOAD_BALANCER]);
    expect(failedCheckIds(audited)).toEqual(expectedIn(ACCOUNT));
    expect(failedCheckIds(audited)).toEqual(['elb.access_logging_off', 'elb.internet_facing_in_dev_account', 'elb.listener_not_tls']);
    expect(audited[0]?.failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; no instance behind it outside ignoredInstances`);
    expect(listed.every(isTestResource)).toBe(true);
  });

  it('fails only the listener and access-log checks in an account that is not a dev account', async () => {
    // Prepare
    const context = makerContext(organization, DEV, { account: OTHER_ACCOUNT });

    // Act
    await elbMaker.create(context);
    const audited = await auditListed(elbAuditor, context);

    // Assess
    expect(audited).toHaveLength(1);
    expect(failedCheckIds(audited)).toEqual(expectedIn(OTHER_ACCOUNT));
    expect(failedCheckIds(audited)).toEqual(['elb.access_logging_off', 'elb.listener_not_tls']);
  });

  it.each([
    ['a required tag the maker does not set', ['owner'], ['elb.access_logging_off', 'elb.internet_facing_in_dev_account', 'elb.listener_not_tls', 'elb.missing_required_tags']],
    ['only the tag the maker sets', ['created-by'], ['elb.access_logging_off', 'elb.internet_facing_in_dev_account', 'elb.listener_not_tls']],
  ])('with %s required, fails exactly what provokes() says', async (_case, requiredTags, expected) => {
    // Prepare
    const config = makeConfig({ devAccounts: [ACCOUNT], requiredTags });
    const context = makerContext(organization, config);

    // Act
    await elbMaker.create(context);
    const audited = await auditListed(elbAuditor, context);

    // Assess
    expect(failedCheckIds(audited)).toEqual(expectedIn(ACCOUNT, config));
    expect(failedCheckIds(audited)).toEqual(expected);
  });

  it('reuses the load balancer when run again', async () => {
    // Prepare
    const context = makerContext(organization, DEV);
    await elbMaker.create(context);

    // Act
    const again = await elbMaker.create(context);
    const { LoadBalancerDescriptions } = await context.clients.get(ElasticLoadBalancingClient).send(new DescribeLoadBalancersCommand({}));

    // Assess
    expect(again).toEqual([MAKER_CLASSIC_LOAD_BALANCER]);
    expect(LoadBalancerDescriptions).toHaveLength(1);
  });

  it('with nothing behind it the finding is notify-only: no remediation is offered, and the finding stays', async () => {
    // Prepare
    const context = makerContext(organization, DEV);
    await elbMaker.create(context);

    // Act
    const outcomes = await remediateAll(await auditListed(elbAuditor, context));
    const after = await auditListed(elbAuditor, context);

    // Assess
    expect(outcomes).toEqual([]);
    expect(failedCheckIds(after)).toEqual(expectedIn(ACCOUNT));
  });

  it('with an instance behind it, the remediation deregisters it once; afterwards the finding is notify-only', async () => {
    // Prepare
    const context = makerContext(organization, DEV);
    await elbMaker.create(context);
    seedInstances([INSTANCE]);

    // Act
    const before = await auditListed(elbAuditor, context);
    const first = await remediateAll(before);
    const after = await auditListed(elbAuditor, context);
    const second = await remediateAll(after);

    // Assess
    expect(before[0]?.failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; instances behind it: ${INSTANCE}`);
    expect(first).toEqual(['elb.internet_facing_in_dev_account=applied']);
    expect(after[0]?.failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; no instance behind it outside ignoredInstances`);
    expect(second).toEqual([]);
  });

  it('tears down exactly its load balancer, and a second teardown removes nothing', async () => {
    // Prepare
    const context = makerContext(organization, DEV);
    await elbMaker.create(context);
    const elb = context.clients.get(ElasticLoadBalancingClient);
    await elb.send(new CreateLoadBalancerCommand({ LoadBalancerName: 'someone-elses', Listeners: [{ Protocol: 'TCP', LoadBalancerPort: 22, InstancePort: 22 }], Subnets: ['subnet-0a1b2c3d4e5f67890'] }));

    // Act
    const removed = await elbMaker.teardown(context);
    const again = await elbMaker.teardown(context);
    const left = await collectAll(elbAuditor.list(context));

    // Assess
    expect(removed).toEqual([MAKER_CLASSIC_LOAD_BALANCER]);
    expect(again).toEqual([]);
    expect(left.map((resource) => resource.id)).toEqual(['someone-elses']);
  });

  it('plans one load balancer, named within the 32 characters ELB allows', () => {
    // Act
    const plan = elbMaker.plan(ACCOUNT, REGION);

    // Assess
    expect(plan).toHaveLength(1);
    expect(plan[0]).toContain(MAKER_CLASSIC_LOAD_BALANCER);
    expect(MAKER_CLASSIC_LOAD_BALANCER.length).toBeLessThanOrEqual(32);
  });

  it('fails with a clear message, creating nothing, in a region without a default VPC', async () => {
    // Prepare
    const noDefaultVpc = { serviceId: 'EC2', operations: { DescribeSubnets: operation(() => ({ Subnets: [] })) } };
    const context = makerContext(sandboxOrganization({ services: [elbService, noDefaultVpc] }), DEV);

    // Act / Assess
    await expect(elbMaker.create(context)).rejects.toThrow(/aws ec2 create-default-vpc --region us-east-1/);
    expect(await collectAll(elbAuditor.list(context))).toEqual([]);
  });
});
