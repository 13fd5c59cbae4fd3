import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingClient,
  RegisterInstancesWithLoadBalancerCommand,
  paginateDescribeLoadBalancers,
  type CreateLoadBalancerCommandInput,
} from '@aws-sdk/client-elastic-load-balancing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ElbState } from '../../sandbox/services/elb.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, collectAll } from '../helpers/context.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const NAME = 'misconfiguration-maker-elb';
const LISTENER = { Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80 };
const SUBNET = 'subnet-0a1b2c3d4e5f67890';

function createInput(overrides: Partial<CreateLoadBalancerCommandInput> = {}): CreateLoadBalancerCommandInput {
  return { LoadBalancerName: NAME, Listeners: [LISTENER], Subnets: [SUBNET], Tags: [{ Key: 'created-by', Value: 'misconfiguration-maker' }], ...overrides };
}

describe('sandbox elb (Classic Load Balancers)', () => {
  let organization: SandboxOrganization;
  let elb: ElasticLoadBalancingClient;

  beforeEach(() => {
    organization = sandboxOrganization();
    elb = organization.clients().get(ElasticLoadBalancingClient);
  });

  /** Instances registered behind a load balancer (the maker registers none: the state is seeded). */
  function registerInstances(name: string, instanceIds: string[]): void {
    const state = organization.sandbox.state.accounts[ACCOUNT]?.regions[REGION]?.elb as ElbState;
    const record = state.loadBalancers[name];
    if (!record) throw new Error(`no load balancer ${name} to seed`);
    record.instanceIds.push(...instanceIds);
  }

  describe('CreateLoadBalancer and DescribeLoadBalancers', () => {
    it('answers the DNS name, then describes the load balancer with the shape of the SDK output', async () => {
      // Act
      const created = await elb.send(new CreateLoadBalancerCommand(createInput({ Scheme: 'internet-facing' })));
      const described = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [NAME] }));

      // Assess
      expect(created.DNSName).toMatch(/^misconfiguration-maker-elb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
      expect(created.$metadata.httpStatusCode).toBe(200);
      expect(described.NextMarker).toBeUndefined();
      expect(described.LoadBalancerDescriptions).toEqual([
        {
          LoadBalancerName: NAME,
          DNSName: created.DNSName,
          CanonicalHostedZoneName: created.DNSName,
          CanonicalHostedZoneNameID: 'Z35SXDOTRQ7X7K',
          ListenerDescriptions: [{ Listener: LISTENER, PolicyNames: [] }],
          Policies: { AppCookieStickinessPolicies: [], LBCookieStickinessPolicies: [], OtherPolicies: [] },
          BackendServerDescriptions: [],
          AvailabilityZones: ['us-east-1a'],
          Subnets: [SUBNET],
          VPCId: expect.stringMatching(/^vpc-[0-9a-f]{17}$/),
          Instances: [],
          HealthCheck: { Target: 'TCP:80', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 10 },
          SourceSecurityGroup: { OwnerAlias: ACCOUNT, GroupName: expect.stringMatching(/^default_elb_[0-9a-f-]{36}$/) },
          SecurityGroups: [expect.stringMatching(/^sg-[0-9a-f]{17}$/)],
          CreatedTime: expect.any(Date),
          Scheme: 'internet-facing',
        },
      ]);
    });

    it('defaults to internet-facing, prefixes internal DNS names, and places zones on their default subnets', async () => {
      // Act
      await elb.send(new CreateLoadBalancerCommand(createInput({ LoadBalancerName: 'public', Subnets: undefined, AvailabilityZones: ['us-east-1b'] })));
      const internal = await elb.send(new CreateLoadBalancerCommand(createInput({ LoadBalancerName: 'private', Scheme: 'internal' })));
      const { LoadBalancerDescriptions = [] } = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['public'] }));

      // Assess
      expect(internal.DNSName).toMatch(/^internal-private-\d{10}\./);
      expect(LoadBalancerDescriptions[0]).toMatchObject({ Scheme: 'internet-facing', AvailabilityZones: ['us-east-1b'], Subnets: [expect.stringMatching(/^subnet-[0-9a-f]{17}$/)] });
    });

    it.each([
      ['a name longer than 32 characters', 'ValidationError', createInput({ LoadBalancerName: 'misconfiguration-maker-elb-111111111111' })],
      ['a name ending with a hyphen', 'ValidationError', createInput({ LoadBalancerName: 'web-' })],
      ['no listener', 'ValidationError', createInput({ Listeners: [] })],
      ['neither subnets nor zones', 'ValidationError', createInput({ Subnets: undefined })],
      ['both subnets and zones', 'ValidationError', createInput({ AvailabilityZones: ['us-east-1a'] })],
      ['an unknown scheme', 'InvalidScheme', createInput({ Scheme: 'public' })],
      ['an unknown protocol', 'UnsupportedProtocol', createInput({ Listeners: [{ ...LISTENER, Protocol: 'UDP' }] })],
      ['a tag key given twice', 'DuplicateTagKeys', createInput({ Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })],
    ])('refuses %s with %s (400)', async (_case, code, input) => {
      // Act / Assess
      await expect(elb.send(new CreateLoadBalancerCommand(input))).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
    });

    it('refuses a name already taken with DuplicateLoadBalancerName (400)', async () => {
      // Prepare
      await elb.send(new CreateLoadBalancerCommand(createInput()));

      // Act / Assess
      await expect(elb.send(new CreateLoadBalancerCommand(createInput()))).rejects.toMatchObject({ name: 'DuplicateLoadBalancerName', $metadata: { httpStatusCode: 400 } });
    });

    it('answers LoadBalancerNotFound (400) for a name that does not exist', async () => {
      // Act / Assess
      await expect(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['nope'] }))).rejects.toMatchObject({
        name: 'LoadBalancerNotFound',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('pages with Marker / NextMarker, in name order', async () => {
      // Prepare
      for (const name of ['charlie', 'alpha', 'bravo']) await elb.send(new CreateLoadBalancerCommand(createInput({ LoadBalancerName: name })));

      // Act
      const first = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 2 }));
      const second = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 2, Marker: first.NextMarker }));
      // The SDK's paginator does not map pageSize for this API: PageSize goes in the input.
      const paginated = await collectAll(paginateDescribeLoadBalancers({ client: elb }, { PageSize: 1 }));

      // Assess
      expect(first.LoadBalancerDescriptions?.map((d) => d.LoadBalancerName)).toEqual(['alpha', 'bravo']);
      expect(first.NextMarker).toEqual(expect.any(String));
      expect(second.LoadBalancerDescriptions?.map((d) => d.LoadBalancerName)).toEqual(['charlie']);
      expect(second.NextMarker).toBeUndefined();
      expect(paginated).toHaveLength(3);
    });

    it('refuses a PageSize above 400 with ValidationError (400)', async () => {
      // Act / Assess
      await expect(elb.send(new DescribeLoadBalancersCommand({ PageSize: 401 }))).rejects.toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    });

    it('keeps each account and region apart', async () => {
      // Prepare
      await elb.send(new CreateLoadBalancerCommand(createInput()));

      // Act
      const otherAccount = await organization.clients(OTHER_ACCOUNT, REGION).get(ElasticLoadBalancingClient).send(new DescribeLoadBalancersCommand({}));
      const otherRegion = await organization.clients(ACCOUNT, OTHER_REGION).get(ElasticLoadBalancingClient).send(new DescribeLoadBalancersCommand({}));

      // Assess
      expect(otherAccount.LoadBalancerDescriptions).toEqual([]);
      expect(otherRegion.LoadBalancerDescriptions).toEqual([]);
    });
  });

  describe('DescribeLoadBalancerAttributes', () => {
    it('answers what a new load balancer has: access logs off', async () => {
      await elb.send(new CreateLoadBalancerCommand(createInput()));
      const { LoadBalancerAttributes } = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: NAME }));
      expect(LoadBalancerAttributes).toEqual({
        CrossZoneLoadBalancing: { Enabled: false },
        AccessLog: { Enabled: false },
        ConnectionDraining: { Enabled: false, Timeout: 300 },
        ConnectionSettings: { IdleTimeout: 60 },
        AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'defensive' }],
      });
    });

    it('refuses an unknown name with LoadBalancerNotFound (400)', async () => {
      await expect(elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: 'nope' }))).rejects.toMatchObject({ name: 'LoadBalancerNotFound', $metadata: { httpStatusCode: 400 } });
    });
  });

  describe('DescribeTags', () => {
    it('answers the tags of each named load balancer', async () => {
      // Prepare
      await elb.send(new CreateLoadBalancerCommand(createInput()));
      await elb.send(new CreateLoadBalancerCommand(createInput({ LoadBalancerName: 'untagged', Tags: undefined })));

      // Act
      const { TagDescriptions } = await elb.send(new DescribeTagsCommand({ LoadBalancerNames: [NAME, 'untagged'] }));

      // Assess
      expect(TagDescriptions).toEqual([
        { LoadBalancerName: NAME, Tags: [{ Key: 'created-by', Value: 'misconfiguration-maker' }] },
        { LoadBalancerName: 'untagged', Tags: [] },
      ]);
    });

    it.each([
      ['an unknown name', 'LoadBalancerNotFound', ['nope']],
      ['more than 20 names', 'ValidationError', Array.from({ length: 21 }, (_, i) => `lb-${i}`)],
    ])('refuses %s with %s (400)', async (_case, code, names) => {
      // Act / Assess
      await expect(elb.send(new DescribeTagsCommand({ LoadBalancerNames: names }))).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
    });
  });

  describe('RegisterInstancesWithLoadBalancer', () => {
    it('adds the instances, once each, and answers the updated list', async () => {
      // Prepare
      await elb.send(new CreateLoadBalancerCommand(createInput()));
      registerInstances(NAME, ['i-0aaaaaaaaaaaaaaaa']);

      // Act
      const { Instances } = await elb.send(
        new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: NAME, Instances: [{ InstanceId: 'i-0bbbbbbbbbbbbbbbb' }, { InstanceId: 'i-0aaaaaaaaaaaaaaaa' }] }),
      );
      const { LoadBalancerDescriptions = [] } = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [NAME] }));

      // Assess
      expect(Instances).toEqual([{ InstanceId: 'i-0aaaaaaaaaaaaaaaa' }, { InstanceId: 'i-0bbbbbbbbbbbbbbbb' }]);
      expect(LoadBalancerDescriptions[0]?.Instances).toEqual(Instances);
    });

    it('refuses a load balancer that does not exist with LoadBalancerNotFound (400)', async () => {
      // Act / Assess
      await expect(elb.send(new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: 'nope', Instances: [{ InstanceId: 'i-0cccccccccccccccc' }] }))).rejects.toMatchObject({
        name: 'LoadBalancerNotFound',
        $metadata: { httpStatusCode: 400 },
      });
    });
  });

  describe('DeregisterInstancesFromLoadBalancer', () => {
    it('removes exactly the named instances and answers those that remain', async () => {
      // Prepare
      await elb.send(new CreateLoadBalancerCommand(createInput()));
      registerInstances(NAME, ['i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb']);

      // Act
      const { Instances } = await elb.send(new DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: NAME, Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaaa' }] }));
      const { LoadBalancerDescriptions = [] } = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [NAME] }));

      // Assess
      expect(Instances).toEqual([{ InstanceId: 'i-0bbbbbbbbbbbbbbbb' }]);
      expect(LoadBalancerDescriptions[0]?.Instances).toEqual([{ InstanceId: 'i-0bbbbbbbbbbbbbbbb' }]);
    });

    it.each([
      ['an instance that is not registered', 'InvalidInstance', NAME],
      ['a load balancer that does not exist', 'LoadBalancerNotFound', 'nope'],
    ])('refuses %s with %s (400)', async (_case, code, name) => {
      // Prepare
      await elb.send(new CreateLoadBalancerCommand(createInput()));

      // Act / Assess
      await expect(elb.send(new DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: name, Instances: [{ InstanceId: 'i-0cccccccccccccccc' }] }))).rejects.toMatchObject({
        name: code,
        $metadata: { httpStatusCode: 400 },
      });
    });
  });

  describe('DeleteLoadBalancer', () => {
    it('deletes the load balancer, and succeeds again once it is gone (as AWS documents)', async () => {
      // Prepare
      await elb.send(new CreateLoadBalancerCommand(createInput()));

      // Act
      await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: NAME }));
      const again = await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: NAME }));
      const { LoadBalancerDescriptions } = await elb.send(new DescribeLoadBalancersCommand({}));

      // Assess
      expect(again.$metadata.httpStatusCode).toBe(200);
      expect(LoadBalancerDescriptions).toEqual([]);
    });

    it('answers ValidationError (400) without a name', async () => {
      // Act / Assess
      await expect(elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: undefined }))).rejects.toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    });
  });
});
