import {
  DeleteLoadBalancerCommand,
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingClient,
  type ListenerDescription,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { elbAuditor } from '../../auditors/elb.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, OTHER_ACCOUNT, awsError, collectAll, makeCheckContext, makeConfig, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const elb = mockClient(ElasticLoadBalancingClient);

const NAME = 'misconfiguration-maker-clb';
const WEB_1 = 'i-0abcdef1234567890';
const WEB_2 = 'i-0fedcba9876543210';
const BASTION = 'i-0123456789abcdef0';

const CERTIFICATE = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789`;
const HTTPS_443: ListenerDescription = {
  Listener: { Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 80, SSLCertificateId: CERTIFICATE },
  PolicyNames: ['ELBSecurityPolicy-TLS-1-2-2017-01'],
};
const SSL_8443: ListenerDescription = {
  Listener: { Protocol: 'SSL', LoadBalancerPort: 8443, InstanceProtocol: 'TCP', InstancePort: 8443, SSLCertificateId: CERTIFICATE },
  PolicyNames: ['ELBSecurityPolicy-TLS-1-2-2017-01'],
};
const HTTP_80: ListenerDescription = { Listener: { Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80 }, PolicyNames: [] };
const TCP_25: ListenerDescription = { Listener: { Protocol: 'TCP', LoadBalancerPort: 25, InstanceProtocol: 'TCP', InstancePort: 25 }, PolicyNames: [] };

/** What DescribeLoadBalancers returns for a VPC Classic Load Balancer (an HTTPS listener: TLS-terminated). */
function description(overrides: Partial<LoadBalancerDescription> = {}): LoadBalancerDescription {
  const name = overrides.LoadBalancerName ?? NAME;
  return {
    LoadBalancerName: name,
    DNSName: `${name}-1234567890.us-east-1.elb.amazonaws.com`,
    CanonicalHostedZoneName: `${name}-1234567890.us-east-1.elb.amazonaws.com`,
    CanonicalHostedZoneNameID: 'Z35SXDOTRQ7X7K',
    ListenerDescriptions: [HTTPS_443],
    Policies: { AppCookieStickinessPolicies: [], LBCookieStickinessPolicies: [], OtherPolicies: [] },
    BackendServerDescriptions: [],
    AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    Subnets: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1c2d3e4f5a67890'],
    VPCId: 'vpc-0a1b2c3d4e5f67890',
    Instances: [{ InstanceId: WEB_1 }, { InstanceId: WEB_2 }],
    HealthCheck: { Target: 'HTTP:80/health', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 10 },
    SourceSecurityGroup: { OwnerAlias: ACCOUNT, GroupName: 'misconfiguration-maker-clb-sg' },
    SecurityGroups: ['sg-0a1b2c3d4e5f67890'],
    CreatedTime: new Date('2026-11-19T08:30:00.000Z'),
    Scheme: 'internet-facing',
    ...overrides,
  };
}

function givenLoadBalancer(overrides: Partial<LoadBalancerDescription> = {}, tags: { Key: string; Value: string }[] = [], accessLog = true): void {
  elb.on(DescribeLoadBalancersCommand, { LoadBalancerNames: [NAME] }).resolves({ LoadBalancerDescriptions: [description(overrides)] });
  elb.on(DescribeTagsCommand, { LoadBalancerNames: [NAME] }).resolves({ TagDescriptions: [{ LoadBalancerName: NAME, Tags: tags }] });
  // DescribeLoadBalancerAttributes, as AWS answers it: https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_DescribeLoadBalancerAttributes.html
  elb.on(DescribeLoadBalancerAttributesCommand, { LoadBalancerName: NAME }).resolves({
    LoadBalancerAttributes: {
      CrossZoneLoadBalancing: { Enabled: true },
      AccessLog: accessLog ? { Enabled: true, S3BucketName: 'elb-access-logs-123456789012', EmitInterval: 60, S3BucketPrefix: NAME } : { Enabled: false },
      ConnectionDraining: { Enabled: true, Timeout: 300 },
      ConnectionSettings: { IdleTimeout: 60 },
      AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'defensive' }],
    },
  });
}

const DEV = { devAccounts: [ACCOUNT] } as const satisfies Partial<ConfigInput>;

async function audit(overrides: Partial<ConfigInput> = {}, account = ACCOUNT): Promise<ReturnType<typeof elbAuditor.audit>> {
  const config = makeConfig(overrides);
  return elbAuditor.audit(makeResourceContext(NAME, { config, account }), makeCheckContext(NAME, { config, account }));
}

async function failedChecks(overrides: Partial<ConfigInput> = {}, account = ACCOUNT): Promise<FailedCheck[]> {
  return failedChecksOf(await audit(overrides, account));
}

describe('elb auditor', () => {
  beforeEach(() => elb.reset());

  describe('list', () => {
    it('follows NextMarker over two pages and yields load balancer names', async () => {
      // Prepare
      elb.on(DescribeLoadBalancersCommand, { Marker: undefined }).resolves({
        LoadBalancerDescriptions: [description({ LoadBalancerName: 'misconfiguration-maker-clb' }), description({ LoadBalancerName: 'prod-web' })],
        NextMarker: 'ZW5jcnlwdGVkLW1hcmtlci0x',
      });
      elb.on(DescribeLoadBalancersCommand, { Marker: 'ZW5jcnlwdGVkLW1hcmtlci0x' }).resolves({
        LoadBalancerDescriptions: [description({ LoadBalancerName: 'internal-api', Scheme: 'internal' })],
      });
      // Act
      const listed = await collectAll(elbAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: 'misconfiguration-maker-clb', name: 'misconfiguration-maker-clb' },
        { id: 'prod-web', name: 'prod-web' },
        { id: 'internal-api', name: 'internal-api' },
      ]);
      expect(elb.commandCalls(DescribeLoadBalancersCommand)).toHaveLength(2);
    });
  });

  describe('checks', () => {
    it.each([
      ['internal, in a dev account', { Scheme: 'internal' }, DEV, ACCOUNT],
      ['internet-facing, in an account that is not a dev account', {}, { devAccounts: [OTHER_ACCOUNT] }, ACCOUNT],
      ['internet-facing, no dev accounts configured', {}, {}, ACCOUNT],
    ])('compliant: %s', async (_name, overrides, config, account) => {
      givenLoadBalancer(overrides);
      expect(await failedChecks(config, account)).toEqual([]);
    });

    it.each([
      ['two instances behind it', {}, [], `internet-facing in dev account ${ACCOUNT}; instances behind it: ${WEB_1}, ${WEB_2}`],
      ['one of them ignored', {}, [WEB_2], `internet-facing in dev account ${ACCOUNT}; instances behind it: ${WEB_1}`],
      ['every instance ignored', {}, [WEB_1, WEB_2], `internet-facing in dev account ${ACCOUNT}; no instance behind it outside ignoredInstances`],
      ['no instance registered', { Instances: [] }, [], `internet-facing in dev account ${ACCOUNT}; no instance behind it outside ignoredInstances`],
    ])('internet_facing_in_dev_account: %s', async (_name, overrides, ignoredInstances, detail) => {
      givenLoadBalancer(overrides);
      const failed = await failedChecks({ ...DEV, ignoredInstances });
      expect(failed.map((f) => [f.check.id, f.check.severity])).toEqual([['elb.internet_facing_in_dev_account', 'high']]);
      expect(failed[0]?.violation.detail).toBe(detail);
    });

    it.each([
      ['no required tags configured checks nothing', [], [], undefined],
      ['all present', ['owner', 'cost-center'], [{ Key: 'owner', Value: 'team-web' }, { Key: 'cost-center', Value: 'cc-1234' }], undefined],
      ['one missing', ['owner', 'cost-center'], [{ Key: 'owner', Value: 'team-web' }], 'missing tags: cost-center'],
      ['one empty', ['owner'], [{ Key: 'owner', Value: '' }], 'missing tags: owner'],
      ['no tags at all', ['owner', 'cost-center'], [], 'missing tags: owner, cost-center'],
    ])('missing_required_tags: %s', async (_name, requiredTags, tags, detail) => {
      givenLoadBalancer({ Scheme: 'internal' }, tags);
      const failed = await failedChecks({ requiredTags });
      expect(failed.map((f) => f.violation.detail)).toEqual(detail ? [detail] : []);
      if (detail) expect(failed[0]?.check).toMatchObject({ id: 'elb.missing_required_tags', severity: 'low' });
    });

    it.each<[string, ListenerDescription[]]>([
      ['HTTPS only', [HTTPS_443]],
      ['HTTPS and SSL', [HTTPS_443, SSL_8443]],
    ])('listener_not_tls compliant: %s', async (_name, listeners) => {
      givenLoadBalancer({ Scheme: 'internal', ListenerDescriptions: listeners });
      expect(await failedChecks()).toEqual([]);
    });

    it.each<[string, ListenerDescription[], string]>([
      ['HTTP only', [HTTP_80], 'HTTP 80'],
      ['HTTP next to HTTPS (no redirect on a Classic Load Balancer)', [HTTP_80, HTTPS_443], 'HTTP 80'],
      ['TCP and HTTP next to SSL', [TCP_25, SSL_8443, HTTP_80], 'TCP 25, HTTP 80'],
    ])('listener_not_tls (ELB.3), notify-only: %s', async (_name, listeners, plain) => {
      givenLoadBalancer({ Scheme: 'internal', ListenerDescriptions: listeners });
      const failed = await failedChecks();
      expect(failed.map((f) => [f.check.id, f.check.severity, f.violation.detail])).toEqual([
        ['elb.listener_not_tls', 'medium', `listeners without HTTPS or SSL (TLS) termination: ${plain}`],
      ]);
      expect(failed[0]?.check.controls).toEqual({ fsbp: ['ELB.3'] });
      expect(failed[0]?.remediate).toBeUndefined();
    });

    it('access_logging_off (ELB.5), notify-only: AccessLog.Enabled false', async () => {
      givenLoadBalancer({ Scheme: 'internal' }, [], false);
      const failed = await failedChecks();
      expect(failed.map((f) => [f.check.id, f.check.severity, f.violation.detail])).toEqual([
        ['elb.access_logging_off', 'medium', 'access logs are off (AccessLog.Enabled is false)'],
      ]);
      expect(failed[0]?.check.controls).toEqual({ fsbp: ['ELB.5'] });
      expect(failed[0]?.remediate).toBeUndefined();
    });

    it('a load balancer deleted between the describe and its attributes is gone', async () => {
      givenLoadBalancer();
      elb.on(DescribeLoadBalancerAttributesCommand).rejects(awsError('LoadBalancerNotFound'));
      expect(await audit(DEV)).toBe(GONE);
    });

    it.each(['LoadBalancerNotFound', 'AccessPointNotFoundException'])('a load balancer that vanished (%s) is gone', async (name) => {
      elb.on(DescribeLoadBalancersCommand).rejects(awsError(name));
      expect(await audit(DEV)).toBe(GONE);
    });

    it('a load balancer deleted between the describe and the tags is gone', async () => {
      givenLoadBalancer();
      elb.on(DescribeTagsCommand).rejects(awsError('LoadBalancerNotFound'));
      expect(await audit(DEV)).toBe(GONE);
    });

    it('an empty LoadBalancerDescriptions is gone', async () => {
      elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancerDescriptions: [] });
      expect(await audit(DEV)).toBe(GONE);
    });

    it('AccessDenied propagates (it is an error, not a finding)', async () => {
      elb.on(DescribeLoadBalancersCommand).rejects(awsError('AccessDenied', 403));
      await expect(audit(DEV)).rejects.toThrow('AccessDenied');
    });
  });

  describe('remediations', () => {
    async function internetFacingFinding(config: Partial<ConfigInput>): Promise<FailedCheck | undefined> {
      return (await failedChecks(config)).find((f) => f.check.id === 'elb.internet_facing_in_dev_account');
    }

    it('deregisters exactly the instances not ignored and keeps the load balancer', async () => {
      // Prepare
      givenLoadBalancer({ Instances: [{ InstanceId: WEB_1 }, { InstanceId: BASTION }, { InstanceId: WEB_2 }] });
      elb.on(DeregisterInstancesFromLoadBalancerCommand).resolves({ Instances: [{ InstanceId: BASTION }] });
      const finding = await internetFacingFinding({ ...DEV, ignoredInstances: [BASTION] });
      // Act
      const outcome = await finding?.remediate?.();
      // Assess
      expect(outcome).toBe('applied');
      const calls = elb.commandCalls(DeregisterInstancesFromLoadBalancerCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual({ LoadBalancerName: NAME, Instances: [{ InstanceId: WEB_1 }, { InstanceId: WEB_2 }] });
      expect(elb.commandCalls(DeleteLoadBalancerCommand)).toHaveLength(0);
    });

    it.each([
      ['only the ignored instance is left', { Instances: [{ InstanceId: BASTION }] }],
      ['no instance is left', { Instances: [] }],
      ['the load balancer is internal now (recreated)', { Scheme: 'internal' }],
    ])('a second run against the fixed state makes no mutating call: %s', async (_name, fixed) => {
      // Prepare: the check failed on the first read, the load balancer was fixed since
      givenLoadBalancer({ Instances: [{ InstanceId: WEB_1 }, { InstanceId: BASTION }] });
      const finding = await internetFacingFinding({ ...DEV, ignoredInstances: [BASTION] });
      elb.reset();
      givenLoadBalancer(fixed);
      // Act
      const outcome = await finding?.remediate?.();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(elb.commandCalls(DeregisterInstancesFromLoadBalancerCommand)).toHaveLength(0);
      expect(elb.commandCalls(DeleteLoadBalancerCommand)).toHaveLength(0);
    });

    it('a load balancer deleted before remediation is gone, with no mutating call', async () => {
      givenLoadBalancer();
      const finding = await internetFacingFinding(DEV);
      elb.reset();
      elb.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFound'));
      expect(await finding?.remediate?.()).toBe('gone');
      expect(elb.commandCalls(DeregisterInstancesFromLoadBalancerCommand)).toHaveLength(0);
    });

    it('missing_required_tags is notify-only', async () => {
      givenLoadBalancer({ Scheme: 'internal' });
      const failed = await failedChecks({ requiredTags: ['owner'] });
      expect(failed.map((f) => f.check.id)).toEqual(['elb.missing_required_tags']);
      expect(failed[0]?.remediate).toBeUndefined();
    });
  });

  describe('metadata', () => {
    it('is triggered by Classic CreateLoadBalancer, RegisterInstancesWithLoadBalancer, CreateLoadBalancerListeners and ModifyLoadBalancerAttributes, keyed by the load balancer name', () => {
      expect(elbAuditor.triggers.map(({ eventSource, eventNames, idPath }) => ({ eventSource, eventNames, idPath }))).toEqual([
        { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['RegisterInstancesWithLoadBalancer'], idPath: 'requestParameters.loadBalancerName' },
        { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['CreateLoadBalancer'], idPath: 'requestParameters.loadBalancerName' },
        { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['CreateLoadBalancerListeners', 'ModifyLoadBalancerAttributes'], idPath: 'requestParameters.loadBalancerName' },
      ]);
    });

    it('declares the IAM actions its calls need', () => {
      expect(elbAuditor.permissions).toEqual({
        list: ['elasticloadbalancing:DescribeLoadBalancers'],
        collect: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeLoadBalancerAttributes'],
      });
      expect(elbAuditor.remediations['elb.internet_facing_in_dev_account']?.permissions).toEqual([
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
      ]);
    });
  });
});
