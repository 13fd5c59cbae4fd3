import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
  type TargetGroup,
  type TargetHealthDescription,
  type TargetHealthStateEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { arnKindOf, elbv2Auditor } from '../../auditors/elbv2.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, OTHER_ACCOUNT, awsError, collectAll, makeCheckContext, makeConfig, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const elbv2 = mockClient(ElasticLoadBalancingV2Client);

const PREFIX = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}`;
const LB_NAME = 'misconfiguration-maker-alb';
const LB_ARN = `${PREFIX}:loadbalancer/app/${LB_NAME}/50dc6c495c0c9188`;
const WEB_TG = `${PREFIX}:targetgroup/misconfiguration-maker-web/73e2d6bc24d8a067`;
const API_TG = `${PREFIX}:targetgroup/misconfiguration-maker-api/2453ed029918f21f`;
const IP_TG = `${PREFIX}:targetgroup/misconfiguration-maker-ip/5d1d8cb2a3a3b5e6`;
const LONELY_TG = `${PREFIX}:targetgroup/misconfiguration-maker-spare/09e9a1b2c3d4e5f6`;

const WEB_1 = 'i-0abcdef1234567890';
const WEB_2 = 'i-0fedcba9876543210';
const BASTION = 'i-0123456789abcdef0';
const OLD = 'i-0aaaabbbbccccdddd';

const DEV = { devAccounts: [ACCOUNT] } as const satisfies Partial<ConfigInput>;

/** What DescribeLoadBalancers returns for an Application Load Balancer. */
function loadBalancer(overrides: Partial<LoadBalancer> = {}): LoadBalancer {
  const name = overrides.LoadBalancerName ?? LB_NAME;
  return {
    LoadBalancerArn: LB_ARN,
    DNSName: `${name}-1234567890.us-east-1.elb.amazonaws.com`,
    CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
    CreatedTime: new Date('2026-11-19T08:30:00.000Z'),
    LoadBalancerName: name,
    Scheme: 'internet-facing',
    VpcId: 'vpc-0a1b2c3d4e5f67890',
    State: { Code: 'active' },
    Type: 'application',
    AvailabilityZones: [
      { ZoneName: 'us-east-1a', SubnetId: 'subnet-0a1b2c3d4e5f67890' },
      { ZoneName: 'us-east-1b', SubnetId: 'subnet-0b1c2d3e4f5a67890' },
    ],
    SecurityGroups: ['sg-0a1b2c3d4e5f67890'],
    IpAddressType: 'ipv4',
    ...overrides,
  };
}

/** What DescribeTargetGroups returns. */
function targetGroup(arn: string, overrides: Partial<TargetGroup> = {}): TargetGroup {
  return {
    TargetGroupArn: arn,
    TargetGroupName: arn.split('/')[1],
    Protocol: 'HTTP',
    Port: 80,
    VpcId: 'vpc-0a1b2c3d4e5f67890',
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 5,
    UnhealthyThresholdCount: 2,
    HealthCheckPath: '/',
    Matcher: { HttpCode: '200' },
    LoadBalancerArns: [LB_ARN],
    TargetType: 'instance',
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
    ...overrides,
  };
}

/** One DescribeTargetHealth entry. */
function target(id: string, port: number, state: TargetHealthStateEnum = 'healthy'): TargetHealthDescription {
  return { Target: { Id: id, Port: port }, HealthCheckPort: String(port), TargetHealth: { State: state } };
}

const CERTIFICATE = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789`;

/** What DescribeListeners returns: a listener of the load balancer with these default actions. */
function listener(protocol: 'HTTP' | 'HTTPS', port: number, DefaultActions: Listener['DefaultActions']): Listener {
  const https = protocol === 'HTTPS' ? { Certificates: [{ CertificateArn: CERTIFICATE }], SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } : {};
  return { ListenerArn: `${PREFIX}:listener/app/${LB_NAME}/50dc6c495c0c9188/${port}f2c8a6b3c1d0e9`, LoadBalancerArn: LB_ARN, Port: port, Protocol: protocol, DefaultActions, ...https };
}
const FORWARD_WEB = [{ Type: 'forward' as const, TargetGroupArn: WEB_TG, ForwardConfig: { TargetGroups: [{ TargetGroupArn: WEB_TG, Weight: 1 }] } }];
const TO_HTTPS = [{ Type: 'redirect' as const, RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' as const } }];
const HTTPS_FORWARD = listener('HTTPS', 443, FORWARD_WEB);
const HTTP_REDIRECT = listener('HTTP', 80, TO_HTTPS);

/** DescribeLoadBalancerAttributes of an ALB, as AWS answers it (every attribute, string values). */
function attributes(accessLogs: boolean): { Key: string; Value: string }[] {
  return [
    { Key: 'access_logs.s3.enabled', Value: String(accessLogs) },
    { Key: 'access_logs.s3.bucket', Value: accessLogs ? 'alb-access-logs-123456789012' : '' },
    { Key: 'access_logs.s3.prefix', Value: '' },
    { Key: 'deletion_protection.enabled', Value: 'false' },
    { Key: 'idle_timeout.timeout_seconds', Value: '60' },
    { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'false' },
    { Key: 'routing.http.desync_mitigation_mode', Value: 'defensive' },
  ];
}

interface Fixture {
  lb?: Partial<LoadBalancer>;
  /** The ALB's listeners (default: HTTPS forwarding, HTTP redirecting to HTTPS) and its access logs (default: on). */
  listeners?: Listener[];
  accessLogs?: boolean;
  /** Target health per instance target group. */
  web?: TargetHealthDescription[];
  api?: TargetHealthDescription[];
  tags?: { Key: string; Value: string }[];
}

/** An internet-facing ALB with two instance target groups and one ip target group. */
function givenLoadBalancer(fixture: Fixture = {}): void {
  elbv2.on(DescribeLoadBalancersCommand, { LoadBalancerArns: [LB_ARN] }).resolves({ LoadBalancers: [loadBalancer(fixture.lb)] });
  elbv2.on(DescribeTargetGroupsCommand, { LoadBalancerArn: LB_ARN }).resolves({
    TargetGroups: [targetGroup(WEB_TG), targetGroup(API_TG, { Port: 8080 }), targetGroup(IP_TG, { TargetType: 'ip' })],
  });
  elbv2.on(DescribeTargetGroupsCommand, { TargetGroupArns: [WEB_TG] }).resolves({ TargetGroups: [targetGroup(WEB_TG)] });
  elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: WEB_TG }).resolves({
    TargetHealthDescriptions: fixture.web ?? [target(WEB_1, 80), target(WEB_2, 80, 'unhealthy')],
  });
  elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: API_TG }).resolves({
    TargetHealthDescriptions: fixture.api ?? [target(WEB_1, 8080), target(WEB_1, 8081)],
  });
  elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: IP_TG }).resolves({ TargetHealthDescriptions: [target('10.0.1.15', 80)] });
  elbv2.on(DescribeTagsCommand, { ResourceArns: [LB_ARN] }).resolves({ TagDescriptions: [{ ResourceArn: LB_ARN, Tags: fixture.tags ?? [] }] });
  elbv2.on(DescribeListenersCommand, { LoadBalancerArn: LB_ARN }).resolves({ Listeners: fixture.listeners ?? [HTTPS_FORWARD, HTTP_REDIRECT] });
  elbv2.on(DescribeLoadBalancerAttributesCommand, { LoadBalancerArn: LB_ARN }).resolves({ Attributes: attributes(fixture.accessLogs ?? true) });
}

type AuditResult = Awaited<ReturnType<typeof elbv2Auditor.audit>>;

async function audit(id: string, overrides: Partial<ConfigInput> = {}, account = ACCOUNT): Promise<AuditResult> {
  const config = makeConfig(overrides);
  return elbv2Auditor.audit(makeResourceContext(id, { config, account }), makeCheckContext(id, { config, account }));
}

async function failedChecks(id: string, overrides: Partial<ConfigInput> = {}, account = ACCOUNT): Promise<FailedCheck[]> {
  return failedChecksOf(await audit(id, overrides, account));
}

function mutatingCalls(): number {
  return (
    elbv2.commandCalls(DeregisterTargetsCommand).length +
    elbv2.commandCalls(DeleteLoadBalancerCommand).length +
    elbv2.commandCalls(DeleteTargetGroupCommand).length
  );
}

describe('elbv2 auditor', () => {
  beforeEach(() => elbv2.reset());

  describe('list', () => {
    it('follows NextMarker over two pages and yields load balancer ARNs only', async () => {
      // Prepare
      const NLB_ARN = `${PREFIX}:loadbalancer/net/prod-nlb/a1b2c3d4e5f60718`;
      const INTERNAL_ARN = `${PREFIX}:loadbalancer/app/internal-api/0f1e2d3c4b5a6978`;
      elbv2.on(DescribeLoadBalancersCommand, { Marker: undefined }).resolves({
        LoadBalancers: [loadBalancer(), loadBalancer({ LoadBalancerArn: NLB_ARN, LoadBalancerName: 'prod-nlb', Type: 'network' })],
        NextMarker: 'ZW5jcnlwdGVkLW1hcmtlci0x',
      });
      elbv2.on(DescribeLoadBalancersCommand, { Marker: 'ZW5jcnlwdGVkLW1hcmtlci0x' }).resolves({
        LoadBalancers: [loadBalancer({ LoadBalancerArn: INTERNAL_ARN, LoadBalancerName: 'internal-api', Scheme: 'internal' })],
      });
      // Act
      const listed = await collectAll(elbv2Auditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: LB_ARN, name: LB_NAME },
        { id: NLB_ARN, name: 'prod-nlb' },
        { id: INTERNAL_ARN, name: 'internal-api' },
      ]);
      expect(elbv2.commandCalls(DescribeLoadBalancersCommand)).toHaveLength(2);
      expect(elbv2.commandCalls(DescribeTargetGroupsCommand)).toHaveLength(0);
    });
  });

  describe('ids', () => {
    it.each([
      [LB_ARN, 'loadbalancer'],
      [`${PREFIX}:loadbalancer/net/prod-nlb/a1b2c3d4e5f60718`, 'loadbalancer'],
      ['arn:aws-cn:elasticloadbalancing:cn-north-1:111111111111:loadbalancer/gwy/inspect/a1b2c3d4e5f60718', 'loadbalancer'],
      [WEB_TG, 'targetgroup'],
      [`${PREFIX}:listener/app/${LB_NAME}/50dc6c495c0c9188/f2f7dc8efc522ab2`, undefined],
      [LB_NAME, undefined],
    ])('%s is a %s ARN', (arn, kind) => {
      expect(arnKindOf(arn)).toBe(kind);
    });

    it('an id that is neither a load balancer nor a target group ARN is a clear error', async () => {
      await expect(audit(`${PREFIX}:listener/app/${LB_NAME}/50dc6c495c0c9188/f2f7dc8efc522ab2`, DEV)).rejects.toThrow(
        /an elbv2 id must be a load balancer ARN .* or a target group ARN/,
      );
    });
  });

  describe('checks', () => {
    describe('Application Load Balancer listeners and access logs (ELB.1, ELB.5), notify-only', () => {
      const INTERNAL = { Scheme: 'internal' as const };

      it.each<[string, Listener[]]>([
        ['HTTPS only', [HTTPS_FORWARD]],
        ['HTTP redirecting to HTTPS next to HTTPS', [HTTPS_FORWARD, HTTP_REDIRECT]],
        ['no listener yet', []],
      ])('compliant: %s', async (_name, listeners) => {
        givenLoadBalancer({ lb: INTERNAL, listeners });
        expect(await failedChecks(LB_ARN, DEV)).toEqual([]);
      });

      it.each<[string, Listener[], string]>([
        ['HTTP forwarding', [listener('HTTP', 80, FORWARD_WEB)], 'port 80 (default action: forward)'],
        [
          'HTTP redirecting to HTTP on another port (#{protocol} kept)',
          [HTTPS_FORWARD, listener('HTTP', 8080, [{ Type: 'redirect', RedirectConfig: { Protocol: '#{protocol}', Port: '80', StatusCode: 'HTTP_302' } }])],
          'port 8080 (default action: redirect)',
        ],
        [
          'two HTTP listeners, one a fixed response',
          [listener('HTTP', 80, FORWARD_WEB), listener('HTTP', 81, [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }])],
          'port 80 (default action: forward), port 81 (default action: fixed-response)',
        ],
      ])('http_not_redirected_to_https: %s', async (_name, listeners, detail) => {
        givenLoadBalancer({ lb: INTERNAL, listeners });
        const failed = await failedChecks(LB_ARN, DEV);
        expect(failed.map((f) => [f.check.id, f.check.severity, f.violation.detail])).toEqual([
          ['elbv2.http_not_redirected_to_https', 'medium', `HTTP listeners that do not redirect to HTTPS: ${detail}`],
        ]);
        expect(failed[0]?.check.controls).toEqual({ fsbp: ['ELB.1'] });
        expect(failed[0]?.remediate).toBeUndefined();
      });

      it('access_logging_off: access_logs.s3.enabled false', async () => {
        givenLoadBalancer({ lb: INTERNAL, accessLogs: false });
        const failed = await failedChecks(LB_ARN, DEV);
        expect(failed.map((f) => [f.check.id, f.violation.detail])).toEqual([['elbv2.access_logging_off', 'access logs are off (access_logs.s3.enabled is not true)']]);
        expect(failed[0]?.check.controls).toEqual({ fsbp: ['ELB.5'] });
        expect(failed[0]?.remediate).toBeUndefined();
      });

      it('a Network Load Balancer is not judged by either (neither control covers it), nor are its listeners read', async () => {
        givenLoadBalancer({ lb: { ...INTERNAL, Type: 'network' }, listeners: [listener('HTTP', 80, FORWARD_WEB)], accessLogs: false });
        expect(await failedChecks(LB_ARN, DEV)).toEqual([]);
        expect(elbv2.commandCalls(DescribeListenersCommand)).toHaveLength(0);
        expect(elbv2.commandCalls(DescribeLoadBalancerAttributesCommand)).toHaveLength(0);
      });

      it('through a target group, the finding names the load balancer', async () => {
        givenLoadBalancer({ lb: INTERNAL, accessLogs: false });
        const failed = await failedChecks(WEB_TG, DEV);
        expect(failed.map((f) => f.violation.detail)).toEqual([`load balancer ${LB_NAME}: access logs are off (access_logs.s3.enabled is not true)`]);
      });

      it('follows NextMarker over the listeners', async () => {
        givenLoadBalancer({ lb: INTERNAL });
        elbv2.on(DescribeListenersCommand, { LoadBalancerArn: LB_ARN }).resolves({ Listeners: [HTTPS_FORWARD], NextMarker: 'bGlzdGVuZXItMg==' });
        elbv2.on(DescribeListenersCommand, { LoadBalancerArn: LB_ARN, Marker: 'bGlzdGVuZXItMg==' }).resolves({ Listeners: [listener('HTTP', 80, FORWARD_WEB)] });
        expect((await failedChecks(LB_ARN, DEV)).map((f) => f.check.id)).toEqual(['elbv2.http_not_redirected_to_https']);
      });

      it('a load balancer deleted before its attributes are read is gone', async () => {
        givenLoadBalancer({ lb: INTERNAL });
        elbv2.on(DescribeLoadBalancerAttributesCommand).rejects(awsError('LoadBalancerNotFound'));
        expect(await audit(LB_ARN, DEV)).toBe(GONE);
      });
    });

    it.each([
      ['internal, in a dev account', { lb: { Scheme: 'internal' as const } }, DEV],
      ['internet-facing, in an account that is not a dev account', {}, { devAccounts: [OTHER_ACCOUNT] }],
      ['internet-facing, no dev accounts configured', {}, {}],
    ])('compliant: %s', async (_name, fixture, config) => {
      givenLoadBalancer(fixture);
      expect(await failedChecks(LB_ARN, config)).toEqual([]);
    });

    it.each([
      ['instance targets of both groups, each instance once', {}, [], `instances behind it: ${WEB_1}, ${WEB_2}`],
      ['ignored instances left out', {}, [WEB_1], `instances behind it: ${WEB_2}`],
      [
        'draining targets left out (being deregistered already)',
        { web: [target(WEB_2, 80, 'draining'), target(OLD, 80, 'unused')], api: [] },
        [],
        `instances behind it: ${OLD}`,
      ],
      ['every instance ignored', {}, [WEB_1, WEB_2], 'no instance target outside ignoredInstances'],
      ['no instance target (the ip group does not count)', { web: [], api: [] }, [], 'no instance target outside ignoredInstances'],
    ])('internet_facing_in_dev_account: %s', async (_name, fixture, ignoredInstances, detail) => {
      givenLoadBalancer(fixture);
      const failed = await failedChecks(LB_ARN, { ...DEV, ignoredInstances });
      expect(failed.map((f) => [f.check.id, f.check.severity])).toEqual([['elbv2.internet_facing_in_dev_account', 'high']]);
      expect(failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; ${detail}`);
      expect(elbv2.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input.TargetGroupArn)).toEqual([WEB_TG, API_TG]);
    });

    it('internet_facing_in_dev_account: a target group ARN audits the load balancer it is attached to', async () => {
      givenLoadBalancer();
      const failed = await failedChecks(WEB_TG, DEV);
      expect(failed.map((f) => f.check.id)).toEqual(['elbv2.internet_facing_in_dev_account']);
      expect(failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; load balancer ${LB_NAME}: instances behind it: ${WEB_1}, ${WEB_2}`);
    });

    it('a target group attached to no load balancer has nothing to audit', async () => {
      elbv2.on(DescribeTargetGroupsCommand, { TargetGroupArns: [LONELY_TG] }).resolves({ TargetGroups: [targetGroup(LONELY_TG, { LoadBalancerArns: [] })] });
      expect(await failedChecks(LONELY_TG, { ...DEV, requiredTags: ['owner'] })).toEqual([]);
      expect(elbv2.commandCalls(DescribeLoadBalancersCommand)).toHaveLength(0);
      expect(elbv2.commandCalls(DescribeTagsCommand)).toHaveLength(0);
    });

    it('follows NextMarker through the target groups of a load balancer', async () => {
      givenLoadBalancer();
      elbv2.on(DescribeTargetGroupsCommand, { LoadBalancerArn: LB_ARN, Marker: undefined }).resolves({
        TargetGroups: [targetGroup(WEB_TG)],
        NextMarker: 'ZW5jcnlwdGVkLW1hcmtlci0y',
      });
      elbv2.on(DescribeTargetGroupsCommand, { LoadBalancerArn: LB_ARN, Marker: 'ZW5jcnlwdGVkLW1hcmtlci0y' }).resolves({
        TargetGroups: [targetGroup(API_TG, { Port: 8080 })],
      });
      const failed = await failedChecks(LB_ARN, { ...DEV, ignoredInstances: [WEB_2] });
      expect(failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; instances behind it: ${WEB_1}`);
      expect(elbv2.commandCalls(DescribeTargetGroupsCommand)).toHaveLength(2);
    });

    it.each([
      ['no required tags configured checks nothing', LB_ARN, [], [], undefined],
      ['all present', LB_ARN, ['owner', 'cost-center'], [{ Key: 'owner', Value: 'team-web' }, { Key: 'cost-center', Value: 'cc-1234' }], undefined],
      ['one missing', LB_ARN, ['owner', 'cost-center'], [{ Key: 'owner', Value: 'team-web' }], 'missing tags: cost-center'],
      ['no tags at all', LB_ARN, ['owner', 'cost-center'], [], 'missing tags: owner, cost-center'],
      ['through a target group ARN', WEB_TG, ['owner'], [], `load balancer ${LB_NAME}: missing tags: owner`],
    ])('missing_required_tags: %s', async (_name, id, requiredTags, tags, detail) => {
      givenLoadBalancer({ lb: { Scheme: 'internal' }, tags });
      const failed = await failedChecks(id, { ...DEV, requiredTags });
      expect(failed.map((f) => f.violation.detail)).toEqual(detail ? [detail] : []);
      if (detail) expect(failed[0]?.check).toMatchObject({ id: 'elbv2.missing_required_tags', severity: 'low' });
    });

    it.each([
      ['the load balancer (LoadBalancerNotFound)', LB_ARN, () => elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFound'))],
      ['the load balancer (LoadBalancerNotFoundException)', LB_ARN, () => elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFoundException'))],
      ['the load balancer (empty LoadBalancers)', LB_ARN, () => elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] })],
      ['the load balancer, between describe and target groups', LB_ARN, () => {
        givenLoadBalancer();
        elbv2.on(DescribeTargetGroupsCommand, { LoadBalancerArn: LB_ARN }).rejects(awsError('LoadBalancerNotFound'));
      }],
      ['the load balancer, between describe and tags', LB_ARN, () => {
        givenLoadBalancer();
        elbv2.on(DescribeTagsCommand).rejects(awsError('LoadBalancerNotFound'));
      }],
      ['the target group (TargetGroupNotFound)', WEB_TG, () => elbv2.on(DescribeTargetGroupsCommand).rejects(awsError('TargetGroupNotFound'))],
      ['the target group (empty TargetGroups)', WEB_TG, () => elbv2.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [] })],
    ])('%s vanished: gone', async (_name, id, given) => {
      given();
      expect(await audit(id, DEV)).toBe(GONE);
    });

    it('a target group deleted while its targets are read has no targets', async () => {
      givenLoadBalancer();
      elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: WEB_TG }).rejects(awsError('TargetGroupNotFound'));
      const failed = await failedChecks(LB_ARN, DEV);
      expect(failed[0]?.violation.detail).toBe(`internet-facing in dev account ${ACCOUNT}; instances behind it: ${WEB_1}`);
    });

    it('AccessDenied propagates (it is an error, not a finding)', async () => {
      elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('AccessDenied', 403));
      await expect(audit(LB_ARN, DEV)).rejects.toThrow('AccessDenied');
    });
  });

  describe('remediations', () => {
    async function internetFacingFinding(id: string, config: Partial<ConfigInput>): Promise<FailedCheck | undefined> {
      return (await failedChecks(id, config)).find((f) => f.check.id === 'elbv2.internet_facing_in_dev_account');
    }

    it.each([
      ['the load balancer ARN', LB_ARN],
      ['a target group ARN (all target groups of its load balancer)', WEB_TG],
    ])('deregisters exactly the instance targets not ignored, through %s', async (_name, id) => {
      // Prepare
      givenLoadBalancer({
        web: [target(WEB_1, 80), target(BASTION, 80), target(WEB_2, 80, 'draining')],
        api: [target(WEB_1, 8080), target(WEB_1, 8081, 'initial'), target(BASTION, 8080)],
      });
      elbv2.on(DeregisterTargetsCommand).resolves({});
      const finding = await internetFacingFinding(id, { ...DEV, ignoredInstances: [BASTION] });
      // Act
      const outcome = await finding?.remediate?.();
      // Assess
      expect(outcome).toBe('applied');
      expect(elbv2.commandCalls(DeregisterTargetsCommand).map((c) => c.args[0].input)).toEqual([
        { TargetGroupArn: WEB_TG, Targets: [{ Id: WEB_1, Port: 80 }] },
        { TargetGroupArn: API_TG, Targets: [{ Id: WEB_1, Port: 8080 }, { Id: WEB_1, Port: 8081 }] },
      ]);
      expect(elbv2.commandCalls(DeleteLoadBalancerCommand)).toHaveLength(0);
      expect(elbv2.commandCalls(DeleteTargetGroupCommand)).toHaveLength(0);
    });

    it.each([
      ['only ignored instances are left', { web: [target(BASTION, 80)], api: [target(BASTION, 8080)] }],
      ['the removed targets are still draining', { web: [target(WEB_1, 80, 'draining'), target(BASTION, 80)], api: [target(WEB_1, 8080, 'draining')] }],
      ['no target is left', { web: [], api: [] }],
      ['the load balancer is internal now (recreated)', { lb: { Scheme: 'internal' as const } }],
    ])('a second run against the fixed state makes no mutating call: %s', async (_name, fixed) => {
      // Prepare: the check failed on the first read, the targets were deregistered since
      givenLoadBalancer();
      const finding = await internetFacingFinding(LB_ARN, { ...DEV, ignoredInstances: [BASTION] });
      elbv2.reset();
      givenLoadBalancer(fixed);
      // Act
      const outcome = await finding?.remediate?.();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(mutatingCalls()).toBe(0);
    });

    it('through a target group ARN, an exception on the load balancer ARN stops the remediation', async () => {
      givenLoadBalancer();
      const exceptions = [{ type: 'elbv2' as const, id: LB_ARN, reason: 'public demo' }];
      const finding = await internetFacingFinding(WEB_TG, { ...DEV, exceptions });
      expect(await finding?.remediate?.()).toBe('already_compliant');
      expect(mutatingCalls()).toBe(0);
    });

    it('through the load balancer ARN, an exception on a target group ARN keeps that group\'s targets', async () => {
      givenLoadBalancer();
      elbv2.on(DeregisterTargetsCommand).resolves({});
      const exceptions = [{ checkId: 'elbv2.internet_facing_in_dev_account', id: WEB_TG }];
      const finding = await internetFacingFinding(LB_ARN, { ...DEV, exceptions });
      expect(await finding?.remediate?.()).toBe('applied');
      expect(elbv2.commandCalls(DeregisterTargetsCommand).map((c) => c.args[0].input.TargetGroupArn)).toEqual([API_TG]);
    });

    it('a target group deleted before its deregistration is skipped', async () => {
      givenLoadBalancer();
      elbv2.on(DeregisterTargetsCommand, { TargetGroupArn: WEB_TG }).rejects(awsError('TargetGroupNotFound'));
      elbv2.on(DeregisterTargetsCommand, { TargetGroupArn: API_TG }).resolves({});
      const finding = await internetFacingFinding(LB_ARN, DEV);
      expect(await finding?.remediate?.()).toBe('applied');
      expect(elbv2.commandCalls(DeregisterTargetsCommand)).toHaveLength(2);
    });

    it('a load balancer deleted before remediation is gone, with no mutating call', async () => {
      givenLoadBalancer();
      const finding = await internetFacingFinding(LB_ARN, DEV);
      elbv2.reset();
      elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFound'));
      expect(await finding?.remediate?.()).toBe('gone');
      expect(mutatingCalls()).toBe(0);
    });

    it('missing_required_tags is notify-only', async () => {
      givenLoadBalancer({ lb: { Scheme: 'internal' } });
      const failed = await failedChecks(LB_ARN, { requiredTags: ['owner'] });
      expect(failed.map((f) => f.check.id)).toEqual(['elbv2.missing_required_tags']);
      expect(failed[0]?.remediate).toBeUndefined();
    });
  });

  describe('metadata', () => {
    it('is triggered by RegisterTargets, CreateListener, ModifyListener and ModifyLoadBalancerAttributes', () => {
      expect(elbv2Auditor.triggers).toEqual([
        { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['RegisterTargets'], idPath: 'requestParameters.targetGroupArn' },
        { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['CreateListener'], idPath: 'requestParameters.loadBalancerArn' },
        { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['ModifyListener'], idPath: 'responseElements.listeners[].loadBalancerArn' },
        { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['ModifyLoadBalancerAttributes'], idPath: 'requestParameters.loadBalancerArn' },
      ]);
    });

    it('declares the IAM actions its calls need', () => {
      expect(elbv2Auditor.permissions).toEqual({
        list: ['elasticloadbalancing:DescribeLoadBalancers'],
        collect: [
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetHealth',
          'elasticloadbalancing:DescribeTags',
          'elasticloadbalancing:DescribeListeners',
          'elasticloadbalancing:DescribeLoadBalancerAttributes',
        ],
      });
      expect(elbv2Auditor.remediations['elbv2.internet_facing_in_dev_account']?.permissions).toEqual([
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DeregisterTargets',
      ]);
    });
  });
});
