import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  RegisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type CreateLoadBalancerCommandInput,
  type CreateTargetGroupCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Elbv2State } from '../../sandbox/services/elbv2State.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const SUBNETS = ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1c2d3e4f5a67890'];
const VPC = 'vpc-0a1b2c3d4e5f67890';
const TAGS = [{ Key: 'created-by', Value: 'misconfiguration-maker' }];
const WEB_1 = 'i-0abcdef1234567890';
const WEB_2 = 'i-0fedcba9876543210';

function loadBalancerInput(overrides: Partial<CreateLoadBalancerCommandInput> = {}): CreateLoadBalancerCommandInput {
  return { Name: 'misconfiguration-maker-alb', Subnets: SUBNETS, Tags: TAGS, ...overrides };
}

function targetGroupInput(overrides: Partial<CreateTargetGroupCommandInput> = {}): CreateTargetGroupCommandInput {
  return { Name: 'misconfiguration-maker-tg', Protocol: 'HTTP', Port: 80, VpcId: VPC, TargetType: 'instance', Tags: TAGS, ...overrides };
}

describe('sandbox elbv2 (Application, Network and Gateway Load Balancers)', () => {
  let organization: SandboxOrganization;
  let elbv2: ElasticLoadBalancingV2Client;

  beforeEach(() => {
    organization = sandboxOrganization({ start: NOW });
    elbv2 = organization.clients().get(ElasticLoadBalancingV2Client);
  });

  async function createLoadBalancer(overrides: Partial<CreateLoadBalancerCommandInput> = {}): Promise<string> {
    const { LoadBalancers = [] } = await elbv2.send(new CreateLoadBalancerCommand(loadBalancerInput(overrides)));
    return LoadBalancers[0]?.LoadBalancerArn ?? '';
  }

  async function createTargetGroup(overrides: Partial<CreateTargetGroupCommandInput> = {}): Promise<string> {
    const { TargetGroups = [] } = await elbv2.send(new CreateTargetGroupCommand(targetGroupInput(overrides)));
    return TargetGroups[0]?.TargetGroupArn ?? '';
  }

  async function forward(loadBalancerArn: string, targetGroupArn: string, port = 80): Promise<string> {
    const { Listeners = [] } = await elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }),
    );
    return Listeners[0]?.ListenerArn ?? '';
  }

  /** Targets behind a group (the maker registers none: the state is seeded). */
  function registerTargets(targetGroupArn: string, targets: { id: string; port: number }[]): void {
    const state = organization.sandbox.state.accounts[ACCOUNT]?.regions[REGION]?.elbv2 as Elbv2State;
    const group = state.targetGroups[targetGroupArn];
    if (!group) throw new Error(`no target group ${targetGroupArn} to seed`);
    group.targets.push(...targets);
  }

  describe('load balancers', () => {
    it('creates an active ALB and describes it with the shape of the SDK output', async () => {
      // Act
      const created = await elbv2.send(new CreateLoadBalancerCommand(loadBalancerInput()));
      const arn = created.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
      const described = await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }));

      // Assess
      expect(arn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/misconfiguration-maker-alb/[0-9a-f]{16}$`));
      expect(described.LoadBalancers).toEqual([
        {
          LoadBalancerArn: arn,
          DNSName: expect.stringMatching(/^misconfiguration-maker-alb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/),
          CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
          CreatedTime: NOW,
          LoadBalancerName: 'misconfiguration-maker-alb',
          Scheme: 'internet-facing',
          VpcId: expect.stringMatching(/^vpc-[0-9a-f]{17}$/),
          State: { Code: 'active' },
          Type: 'application',
          AvailabilityZones: [
            { ZoneName: 'us-east-1a', SubnetId: SUBNETS[0], LoadBalancerAddresses: [] },
            { ZoneName: 'us-east-1b', SubnetId: SUBNETS[1], LoadBalancerAddresses: [] },
          ],
          SecurityGroups: [expect.stringMatching(/^sg-[0-9a-f]{17}$/)],
          IpAddressType: 'ipv4',
        },
      ]);
      expect(created.LoadBalancers).toEqual(described.LoadBalancers);
    });

    it('answers the same load balancer to a second identical create (AWS is idempotent here)', async () => {
      // Act
      const first = await createLoadBalancer();
      const second = await createLoadBalancer();
      const { LoadBalancers } = await elbv2.send(new DescribeLoadBalancersCommand({}));

      // Assess
      expect(second).toBe(first);
      expect(LoadBalancers).toHaveLength(1);
    });

    it('gives a network load balancer a net/ ARN, its own DNS form and no security group', async () => {
      // Act
      const { LoadBalancers = [] } = await elbv2.send(new CreateLoadBalancerCommand(loadBalancerInput({ Name: 'nlb', Type: 'network', Subnets: [SUBNETS[0] ?? ''] })));

      // Assess
      expect(LoadBalancers[0]?.LoadBalancerArn).toContain(':loadbalancer/net/nlb/');
      expect(LoadBalancers[0]?.DNSName).toMatch(/^nlb-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
      expect(LoadBalancers[0]?.SecurityGroups).toBeUndefined();
    });

    it.each([
      ['a name taken with other settings', 'DuplicateLoadBalancerName', loadBalancerInput({ Scheme: 'internal' })],
      ['an ALB in one subnet', 'ValidationError', loadBalancerInput({ Name: 'one-subnet', Subnets: [SUBNETS[0] ?? ''] })],
      ['no subnet', 'ValidationError', loadBalancerInput({ Name: 'no-subnet', Subnets: [] })],
      ['a name longer than 32 characters', 'ValidationError', loadBalancerInput({ Name: 'misconfiguration-maker-alb-111111111111' })],
      ['a name starting with internal-', 'ValidationError', loadBalancerInput({ Name: 'internal-web' })],
      ['no name', 'ValidationError', loadBalancerInput({ Name: undefined })],
    ])('refuses %s with %s (400)', async (_case, code, input) => {
      // Prepare
      await createLoadBalancer();

      // Act / Assess
      await expect(elbv2.send(new CreateLoadBalancerCommand(input))).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
    });

    it('finds by name or ARN, pages with Marker / NextMarker, and refuses names with ARNs', async () => {
      // Prepare
      for (const name of ['charlie', 'alpha', 'bravo']) await createLoadBalancer({ Name: name });

      // Act
      const first = await elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 2 }));
      const second = await elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 2, Marker: first.NextMarker }));
      const byName = await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['bravo'] }));
      const both = elbv2.send(new DescribeLoadBalancersCommand({ Names: ['bravo'], LoadBalancerArns: [byName.LoadBalancers?.[0]?.LoadBalancerArn ?? ''] }));

      // Assess
      expect(first.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(['alpha', 'bravo']);
      expect(first.NextMarker).toEqual(expect.any(String));
      expect(second.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(['charlie']);
      expect(second.NextMarker).toBeUndefined();
      expect(byName.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(['bravo']);
      await expect(both).rejects.toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    });

    it.each([
      ['name', { Names: ['nope'] }],
      ['ARN', { LoadBalancerArns: [`arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/nope/0123456789abcdef`] }],
    ])('answers LoadBalancerNotFound (400) for an unknown %s', async (_case, input) => {
      // Act / Assess
      await expect(elbv2.send(new DescribeLoadBalancersCommand(input))).rejects.toMatchObject({ name: 'LoadBalancerNotFound', $metadata: { httpStatusCode: 400 } });
    });

    it('keeps each account apart', async () => {
      // Prepare
      await createLoadBalancer();

      // Act
      const { LoadBalancers } = await organization.clients(OTHER_ACCOUNT, REGION).get(ElasticLoadBalancingV2Client).send(new DescribeLoadBalancersCommand({}));

      // Assess
      expect(LoadBalancers).toEqual([]);
    });

    it('deletes a load balancer with its listeners, and succeeds again once it is gone (as AWS documents)', async () => {
      // Prepare
      const lb = await createLoadBalancer();
      const listener = await forward(lb, await createTargetGroup());

      // Act
      await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb }));
      const again = await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb }));

      // Assess
      expect(again.$metadata.httpStatusCode).toBe(200);
      await expect(elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener] }))).rejects.toMatchObject({ name: 'ListenerNotFound', $metadata: { httpStatusCode: 400 } });
    });
  });

  describe('target groups and listeners', () => {
    it('creates an instance target group with AWS defaults, and attaches it to a load balancer through a listener', async () => {
      // Prepare
      const lb = await createLoadBalancer();

      // Act
      const tg = await createTargetGroup();
      const unattached = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg] }));
      const listener = await forward(lb, tg);
      const ofLoadBalancer = await elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb }));

      // Assess
      expect(tg).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/misconfiguration-maker-tg/[0-9a-f]{16}$`));
      expect(unattached.TargetGroups?.[0]?.LoadBalancerArns).toEqual([]);
      expect(ofLoadBalancer.TargetGroups).toEqual([
        {
          TargetGroupArn: tg,
          TargetGroupName: 'misconfiguration-maker-tg',
          Protocol: 'HTTP',
          Port: 80,
          VpcId: VPC,
          HealthCheckProtocol: 'HTTP',
          HealthCheckPort: 'traffic-port',
          HealthCheckEnabled: true,
          HealthCheckIntervalSeconds: 30,
          HealthCheckTimeoutSeconds: 5,
          HealthyThresholdCount: 5,
          UnhealthyThresholdCount: 2,
          HealthCheckPath: '/',
          Matcher: { HttpCode: '200' },
          TargetType: 'instance',
          ProtocolVersion: 'HTTP1',
          IpAddressType: 'ipv4',
          LoadBalancerArns: [lb],
        },
      ]);
      expect(listener).toMatch(new RegExp(`:listener/app/misconfiguration-maker-alb/[0-9a-f]{16}/[0-9a-f]{16}$`));
    });

    it('answers the same group and listener to identical creates, and refuses conflicting ones', async () => {
      // Prepare
      const lb = await createLoadBalancer();
      const tg = await createTargetGroup();
      const listener = await forward(lb, tg);
      const other = await createTargetGroup({ Name: 'other' });

      // Act / Assess
      expect(await createTargetGroup()).toBe(tg);
      expect(await forward(lb, tg)).toBe(listener);
      await expect(createTargetGroup({ Port: 8080 })).rejects.toMatchObject({ name: 'DuplicateTargetGroupName', $metadata: { httpStatusCode: 400 } });
      await expect(forward(lb, other)).rejects.toMatchObject({ name: 'DuplicateListener', $metadata: { httpStatusCode: 400 } });
      await expect(forward(await createLoadBalancer({ Name: 'second' }), tg)).rejects.toMatchObject({ name: 'TargetGroupAssociationLimit', $metadata: { httpStatusCode: 400 } });
    });

    it.each([
      ['no VPC', 'ValidationError', targetGroupInput({ VpcId: undefined })],
      ['no port', 'ValidationError', targetGroupInput({ Port: undefined })],
      ['a name longer than 32 characters', 'ValidationError', targetGroupInput({ Name: 'misconfiguration-maker-tg-111111111111' })],
    ])('refuses a target group with %s: %s (400)', async (_case, code, input) => {
      // Act / Assess
      await expect(elbv2.send(new CreateTargetGroupCommand(input))).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
    });

    it('pages target groups with Marker / NextMarker and answers TargetGroupNotFound (400) for an unknown name', async () => {
      // Prepare
      for (const name of ['tg-c', 'tg-a', 'tg-b']) await createTargetGroup({ Name: name });

      // Act
      const first = await elbv2.send(new DescribeTargetGroupsCommand({ PageSize: 2 }));
      const second = await elbv2.send(new DescribeTargetGroupsCommand({ PageSize: 2, Marker: first.NextMarker }));

      // Assess
      expect(first.TargetGroups?.map((g) => g.TargetGroupName)).toEqual(['tg-a', 'tg-b']);
      expect(second.TargetGroups?.map((g) => g.TargetGroupName)).toEqual(['tg-c']);
      expect(second.NextMarker).toBeUndefined();
      await expect(elbv2.send(new DescribeTargetGroupsCommand({ Names: ['nope'] }))).rejects.toMatchObject({ name: 'TargetGroupNotFound', $metadata: { httpStatusCode: 400 } });
      await expect(elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/nope/0123456789abcdef` }))).rejects.toMatchObject({
        name: 'LoadBalancerNotFound',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('lists listeners by load balancer, deletes one, and answers ListenerNotFound (400) for it afterwards', async () => {
      // Prepare
      const lb = await createLoadBalancer();
      const listener = await forward(lb, await createTargetGroup());

      // Act
      const listed = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb }));
      await elbv2.send(new DeleteListenerCommand({ ListenerArn: listener }));

      // Assess
      expect(listed.Listeners).toEqual([
        {
          ListenerArn: listener,
          LoadBalancerArn: lb,
          Port: 80,
          Protocol: 'HTTP',
          DefaultActions: [
            {
              Type: 'forward',
              TargetGroupArn: expect.any(String),
              ForwardConfig: { TargetGroups: [{ TargetGroupArn: expect.any(String), Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
            },
          ],
        },
      ]);
      await expect(elbv2.send(new DeleteListenerCommand({ ListenerArn: listener }))).rejects.toMatchObject({ name: 'ListenerNotFound', $metadata: { httpStatusCode: 400 } });
      await expect(elbv2.send(new DescribeListenersCommand({}))).rejects.toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    });

    it('refuses to delete a target group in use (ResourceInUse), deletes it once free, then answers TargetGroupNotFound', async () => {
      // Prepare
      const lb = await createLoadBalancer();
      const tg = await createTargetGroup();
      await forward(lb, tg);

      // Act / Assess
      await expect(elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg }))).rejects.toMatchObject({ name: 'ResourceInUse', $metadata: { httpStatusCode: 400 } });
      await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb }));
      await elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg }));
      await expect(elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg }))).rejects.toMatchObject({ name: 'TargetGroupNotFound', $metadata: { httpStatusCode: 400 } });
    });
  });

  describe('targets', () => {
    it('reports targets unused while the group serves no load balancer, healthy once it does', async () => {
      // Prepare
      const tg = await createTargetGroup();
      registerTargets(tg, [{ id: WEB_1, port: 80 }]);

      // Act
      const before = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
      await forward(await createLoadBalancer(), tg);
      const after = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));

      // Assess
      expect(before.TargetHealthDescriptions).toEqual([
        {
          Target: { Id: WEB_1, Port: 80 },
          HealthCheckPort: '80',
          TargetHealth: { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' },
        },
      ]);
      expect(after.TargetHealthDescriptions).toEqual([{ Target: { Id: WEB_1, Port: 80 }, HealthCheckPort: '80', TargetHealth: { State: 'healthy' } }]);
    });

    it('drains deregistered targets for the deregistration delay (300 s), then forgets them', async () => {
      // Prepare
      const tg = await createTargetGroup();
      await forward(await createLoadBalancer(), tg);
      registerTargets(tg, [
        { id: WEB_1, port: 80 },
        { id: WEB_2, port: 8080 },
      ]);

      // Act
      await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: WEB_1 }, { Id: WEB_2, Port: 8080 }] }));
      const draining = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
      await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: WEB_1 }] }));
      organization.clock.advanceSeconds(300);
      const drained = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));

      // Assess
      expect(draining.TargetHealthDescriptions?.map((d) => d.TargetHealth)).toEqual([
        { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' },
        { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' },
      ]);
      expect(drained.TargetHealthDescriptions).toEqual([]);
    });

    it("registers targets on the group's port unless given, once each, and puts a draining one back in service", async () => {
      // Prepare
      const tg = await createTargetGroup();
      await forward(await createLoadBalancer(), tg);
      registerTargets(tg, [{ id: WEB_1, port: 80 }]);
      await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: WEB_1 }] }));

      // Act
      await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: WEB_1 }, { Id: WEB_2, Port: 8080 }, { Id: WEB_2, Port: 8080 }] }));
      const { TargetHealthDescriptions } = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));

      // Assess
      expect(TargetHealthDescriptions).toEqual([
        { Target: { Id: WEB_1, Port: 80 }, HealthCheckPort: '80', TargetHealth: { State: 'healthy' } },
        { Target: { Id: WEB_2, Port: 8080 }, HealthCheckPort: '8080', TargetHealth: { State: 'healthy' } },
      ]);
    });

    it('refuses to register targets in an unknown target group with TargetGroupNotFound (400)', async () => {
      // Prepare
      const tg = await createTargetGroup();

      // Act / Assess
      await expect(elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: `${tg}0`, Targets: [{ Id: WEB_1 }] }))).rejects.toMatchObject({
        name: 'TargetGroupNotFound',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('answers unused / Target.NotRegistered for a named target that is not registered', async () => {
      // Prepare
      const tg = await createTargetGroup();

      // Act
      const { TargetHealthDescriptions } = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg, Targets: [{ Id: WEB_1 }] }));

      // Assess
      expect(TargetHealthDescriptions).toEqual([
        { Target: { Id: WEB_1, Port: 80 }, HealthCheckPort: '80', TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' } },
      ]);
    });

    it.each([
      ['a target that is not registered', 'InvalidTarget', (tg: string) => ({ TargetGroupArn: tg, Targets: [{ Id: WEB_2 }] })],
      ['a target registered on another port', 'InvalidTarget', (tg: string) => ({ TargetGroupArn: tg, Targets: [{ Id: WEB_1, Port: 8080 }] })],
      ['an unknown target group', 'TargetGroupNotFound', (tg: string) => ({ TargetGroupArn: `${tg}0`, Targets: [{ Id: WEB_1 }] })],
    ])('refuses to deregister %s with %s (400)', async (_case, code, input) => {
      // Prepare
      const tg = await createTargetGroup();
      registerTargets(tg, [{ id: WEB_1, port: 80 }]);

      // Act / Assess
      await expect(elbv2.send(new DeregisterTargetsCommand(input(tg)))).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
    });
  });

  describe('DescribeTags', () => {
    it('answers the tags of load balancers, target groups and listeners', async () => {
      // Prepare
      const lb = await createLoadBalancer();
      const tg = await createTargetGroup({ Tags: undefined });
      const listener = await forward(lb, tg);

      // Act
      const { TagDescriptions } = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [lb, tg, listener] }));

      // Assess
      expect(TagDescriptions).toEqual([
        { ResourceArn: lb, Tags: TAGS },
        { ResourceArn: tg, Tags: [] },
        { ResourceArn: listener, Tags: [] },
      ]);
    });

    it.each([
      ['an unknown load balancer', 'LoadBalancerNotFound', [`arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/nope/0123456789abcdef`]],
      ['an unknown target group', 'TargetGroupNotFound', [`arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/nope/0123456789abcdef`]],
      ['something that is not an ELB ARN', 'ValidationError', ['nope']],
      ['more than 20 ARNs', 'ValidationError', Array.from({ length: 21 }, (_, i) => `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/tg-${i}/0123456789abcdef`)],
    ])('refuses %s with %s (400)', async (_case, code, arns) => {
      // Act / Assess
      await expect(elbv2.send(new DescribeTagsCommand({ ResourceArns: arns }))).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
    });
  });
  describe('DescribeLoadBalancerAttributes', () => {
    it.each([
      ['application', { Subnets: SUBNETS }, ['access_logs.s3.enabled', 'access_logs.s3.bucket', 'access_logs.s3.prefix', 'deletion_protection.enabled', 'idle_timeout.timeout_seconds', 'routing.http2.enabled', 'routing.http.drop_invalid_header_fields.enabled', 'routing.http.desync_mitigation_mode']],
      ['network', { Type: 'network' as const, Subnets: SUBNETS.slice(0, 1) }, ['access_logs.s3.enabled', 'access_logs.s3.bucket', 'access_logs.s3.prefix', 'deletion_protection.enabled', 'load_balancing.cross_zone.enabled']],
    ])('answers the defaults of a new %s load balancer, access logs off, as strings', async (_type, overrides, keys) => {
      const arn = await createLoadBalancer(overrides);
      const { Attributes = [] } = await elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
      expect(Attributes.map((a) => a.Key)).toEqual(keys);
      expect(Attributes.find((a) => a.Key === 'access_logs.s3.enabled')?.Value).toBe('false');
    });

    it('refuses an unknown load balancer with LoadBalancerNotFound', async () => {
      const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/nope/50dc6c495c0c9188`;
      await expect(elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }))).rejects.toMatchObject({ name: 'LoadBalancerNotFound' });
    });
  });
});
