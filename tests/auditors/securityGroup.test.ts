import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { securityGroupAuditor } from '../../auditors/securityGroup.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, awsError, collectAll, makeCheckContext, makeConfig, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const ec2 = mockClient(EC2Client);
const GROUP_ID = 'sg-0123456789abcdef0';
const OTHER_GROUP_ID = 'sg-0fedcba9876543210';

// ---------- fixtures shaped like DescribeSecurityGroups output ----------

function tcp(from: number, to: number, ipv4: string[] = [], ipv6: string[] = []): IpPermission {
  return {
    IpProtocol: 'tcp',
    FromPort: from,
    ToPort: to,
    IpRanges: ipv4.map((CidrIp) => ({ CidrIp })),
    Ipv6Ranges: ipv6.map((CidrIpv6) => ({ CidrIpv6 })),
    PrefixListIds: [],
    UserIdGroupPairs: [],
  };
}

const HTTPS_WORLD: IpPermission = tcp(443, 443, ['0.0.0.0/0'], ['::/0']);
const HTTP_WORLD: IpPermission = tcp(80, 80, ['0.0.0.0/0']);
const SSH_FROM_OFFICE: IpPermission = tcp(22, 22, ['203.0.113.0/24']);
const PING_WORLD: IpPermission = { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
const ALL_FROM_SELF: IpPermission = {
  IpProtocol: '-1',
  IpRanges: [],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [{ GroupId: GROUP_ID, UserId: ACCOUNT }],
};
const ALL_TRAFFIC_WORLD: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };

function group(permissions: IpPermission[], id = GROUP_ID, name = 'web-prod'): SecurityGroup {
  return {
    GroupId: id,
    GroupName: name,
    Description: `${name} security group`,
    OwnerId: ACCOUNT,
    VpcId: 'vpc-0a1b2c3d4e5f67890',
    SecurityGroupArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${id}`,
    IpPermissions: permissions,
    IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
    Tags: [{ Key: 'Name', Value: name }],
  };
}

function givenGroup(permissions: IpPermission[]): void {
  ec2.on(DescribeSecurityGroupsCommand, { GroupIds: [GROUP_ID] }).resolves({ SecurityGroups: [group(permissions)] });
}

async function failedChecks(overrides: Partial<ConfigInput> = {}): Promise<FailedCheck[]> {
  const config = makeConfig(overrides);
  return failedChecksOf(await securityGroupAuditor.audit(makeResourceContext(GROUP_ID, { config }), makeCheckContext(GROUP_ID, { config })));
}

describe('security_group auditor', () => {
  beforeEach(() => ec2.reset());

  describe('list', () => {
    it('follows NextToken and yields id, name and tags', async () => {
      // Prepare
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [group([HTTPS_WORLD])], NextToken: 'eyJ2IjoiMiIsImMiOiJzZy0xIn0=' });
      ec2.on(DescribeSecurityGroupsCommand, { NextToken: 'eyJ2IjoiMiIsImMiOiJzZy0xIn0=' }).resolves({
        SecurityGroups: [group([], OTHER_GROUP_ID, 'misconfiguration-maker-open-ssh')],
      });
      // Act
      const listed = await collectAll(securityGroupAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: GROUP_ID, name: 'web-prod', tags: { Name: 'web-prod' } },
        { id: OTHER_GROUP_ID, name: 'misconfiguration-maker-open-ssh', tags: { Name: 'misconfiguration-maker-open-ssh' } },
      ]);
      expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(2);
    });
  });

  describe('checks', () => {
    it('a group open only on 80/443, with SSH from an office range, ICMP and self-references, fails no check', async () => {
      givenGroup([HTTPS_WORLD, HTTP_WORLD, SSH_FROM_OFFICE, PING_WORLD, ALL_FROM_SELF]);
      expect(await failedChecks()).toEqual([]);
    });

    it.each([
      ['SSH from 0.0.0.0/0', [tcp(22, 22, ['0.0.0.0/0'])], 'tcp 22 from 0.0.0.0/0 opens 22 (SSH)'],
      ['RDP from ::/0', [tcp(3389, 3389, [], ['::/0'])], 'tcp 3389 from ::/0 opens 3389 (RDP)'],
      ['PostgreSQL from 0.0.0.0/0', [tcp(5432, 5432, ['0.0.0.0/0'])], '5432 (PostgreSQL)'],
      ['Redis from ::/0', [tcp(6379, 6379, [], ['::/0'])], '6379 (Redis)'],
      ['MongoDB from 0.0.0.0/0', [tcp(27017, 27017, ['0.0.0.0/0'])], '27017 (MongoDB)'],
      ['MySQL and SQL Server from 0.0.0.0/0', [tcp(3306, 3306, ['0.0.0.0/0']), tcp(1433, 1433, ['0.0.0.0/0'])], '3306 (MySQL)'],
    ])('open_admin_port: %s', async (_name, permissions, detail) => {
      givenGroup([HTTPS_WORLD, ...permissions]);
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['security_group.open_admin_port']);
      expect(failed[0]?.check.severity).toBe('critical');
      expect(failed[0]?.violation.detail).toContain(detail);
    });

    it.each([
      ['all traffic (-1) from 0.0.0.0/0', [ALL_TRAFFIC_WORLD], 'all traffic from 0.0.0.0/0'],
      ['every TCP port from ::/0', [tcp(0, 65535, [], ['::/0'])], 'tcp all ports from ::/0'],
      ['a range spanning SSH and other ports', [tcp(20, 25, ['0.0.0.0/0'])], 'tcp 20-25 from 0.0.0.0/0'],
    ])('open_admin_port and open_ingress: %s', async (_name, permissions, detail) => {
      givenGroup(permissions);
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['security_group.open_admin_port', 'security_group.open_ingress']);
      expect(failed[1]?.violation.detail).toContain(detail);
    });

    it.each([
      ['tcp 8080 from 0.0.0.0/0', [tcp(8080, 8080, ['0.0.0.0/0'])], {}, 'tcp 8080 from 0.0.0.0/0'],
      ['tcp 8443 from ::/0 (IPv6 only)', [tcp(8443, 8443, [], ['::/0'])], {}, 'tcp 8443 from ::/0'],
      ['udp 53 from 0.0.0.0/0', [{ ...tcp(53, 53, ['0.0.0.0/0']), IpProtocol: 'udp' }], {}, 'udp 53 from 0.0.0.0/0'],
      ['tcp 80-443 (beyond the two allowed ports)', [tcp(80, 443, ['0.0.0.0/0'])], {}, 'tcp 80-443 from 0.0.0.0/0'],
      ['GRE (protocol 47) from 0.0.0.0/0', [{ IpProtocol: '47', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], {}, 'protocol 47 from 0.0.0.0/0'],
      ['443 when no port is allowed', [HTTPS_WORLD], { allowedIngressPorts: [] }, 'tcp 443 from 0.0.0.0/0; tcp 443 from ::/0'],
    ])('open_ingress: %s', async (_name, permissions, overrides, detail) => {
      givenGroup(permissions);
      const failed = await failedChecks(overrides);
      expect(failed.map((f) => f.check.id)).toEqual(['security_group.open_ingress']);
      expect(failed[0]?.check.severity).toBe('high');
      expect(failed[0]?.violation.detail).toContain(detail);
    });

    it.each([
      ['8080 is allowed by configuration', [tcp(8080, 8080, ['0.0.0.0/0'])], { allowedIngressPorts: [80, 443, 8080] }],
      ['8080 open to a private range only', [tcp(8080, 8080, ['10.0.0.0/8'], ['2001:db8::/32'])], {}],
      ['a range of allowed ports only', [tcp(80, 81, ['0.0.0.0/0'])], { allowedIngressPorts: [80, 81] }],
    ])('compliant: %s', async (_name, permissions, overrides) => {
      givenGroup(permissions);
      expect(await failedChecks(overrides)).toEqual([]);
    });

    it('allowedIngressPorts never excuses an admin port', async () => {
      givenGroup([tcp(22, 22, ['0.0.0.0/0'])]);
      const failed = await failedChecks({ allowedIngressPorts: [22, 80, 443] });
      expect(failed.map((f) => f.check.id)).toEqual(['security_group.open_admin_port']);
    });

    it('a group that vanished (InvalidGroup.NotFound) is gone', async () => {
      ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('InvalidGroup.NotFound'));
      expect(await securityGroupAuditor.audit(makeResourceContext(GROUP_ID), makeCheckContext(GROUP_ID))).toBe(GONE);
    });

    it('an empty SecurityGroups list is gone', async () => {
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
      expect(await securityGroupAuditor.audit(makeResourceContext(GROUP_ID), makeCheckContext(GROUP_ID))).toBe(GONE);
    });

    it('UnauthorizedOperation propagates (it is an error, not a finding)', async () => {
      ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('UnauthorizedOperation', 403));
      await expect(securityGroupAuditor.audit(makeResourceContext(GROUP_ID), makeCheckContext(GROUP_ID))).rejects.toThrow('UnauthorizedOperation');
    });

    it('collect never returns NotReady', async () => {
      givenGroup([]);
      expect(await securityGroupAuditor.audit(makeResourceContext(GROUP_ID), makeCheckContext(GROUP_ID))).not.toBeInstanceOf(NotReady);
    });
  });

  describe('remediations', () => {
    const REVOKE = { revokeOpenIngress: true };

    async function remediate(checkId: string): Promise<string | undefined> {
      const failed = (await failedChecks(REVOKE)).find((f) => f.check.id === checkId);
      return failed?.remediate?.();
    }

    it('open_admin_port revokes only the world-open CIDRs of the SSH rule, keeping its office range, group pair and the HTTPS rule', async () => {
      // Prepare
      const ssh: IpPermission = {
        ...tcp(22, 22, ['203.0.113.0/24', '0.0.0.0/0'], ['::/0']),
        UserIdGroupPairs: [{ GroupId: OTHER_GROUP_ID, UserId: ACCOUNT }],
      };
      givenGroup([HTTPS_WORLD, ssh]);
      // Act
      const outcome = await remediate('security_group.open_admin_port');
      // Assess
      expect(outcome).toBe('applied');
      const revokes = ec2.commandCalls(RevokeSecurityGroupIngressCommand);
      expect(revokes).toHaveLength(1);
      expect(revokes[0]?.args[0].input).toEqual({
        GroupId: GROUP_ID,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      });
    });

    it('open_admin_port revokes an all-traffic rule without ports', async () => {
      givenGroup([ALL_TRAFFIC_WORLD, ALL_FROM_SELF]);
      expect(await remediate('security_group.open_admin_port')).toBe('applied');
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({
        GroupId: GROUP_ID,
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      });
    });

    it('open_ingress revokes only the rules beyond allowedIngressPorts, keeping 80/443 and the admin rule to open_admin_port', async () => {
      givenGroup([HTTPS_WORLD, HTTP_WORLD, tcp(8080, 8080, ['0.0.0.0/0', '10.0.0.0/8']), tcp(3306, 3306, ['0.0.0.0/0'])]);
      expect(await remediate('security_group.open_ingress')).toBe('applied');
      const revokes = ec2.commandCalls(RevokeSecurityGroupIngressCommand);
      expect(revokes).toHaveLength(1);
      expect(revokes[0]?.args[0].input).toEqual({
        GroupId: GROUP_ID,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      });
    });

    it.each(['security_group.open_admin_port', 'security_group.open_ingress'])('%s revokes ingress: disruptive, so it runs only when remediateChecks lists it', async (checkId) => {
      givenGroup([ALL_TRAFFIC_WORLD]);
      const failed = (await failedChecks()).find((f) => f.check.id === checkId);
      expect(failed?.remediate).toBeDefined();
      expect(failed?.risk).toBe('disruptive');
    });

    it.each([
      ['security_group.open_admin_port', [tcp(22, 22, ['0.0.0.0/0'])], [SSH_FROM_OFFICE]],
      ['security_group.open_ingress', [tcp(8080, 8080, ['0.0.0.0/0'])], [tcp(8080, 8080, ['10.0.0.0/8']), HTTPS_WORLD]],
    ])('%s: a second run against the fixed group makes no mutating call', async (checkId, open, fixed) => {
      // Prepare: the check failed on the first read, the group was fixed since
      givenGroup(open);
      const failed = (await failedChecks(REVOKE)).find((f) => f.check.id === checkId);
      ec2.reset();
      givenGroup(fixed);
      // Act
      const outcome = await failed?.remediate?.();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    });

    it('a group deleted before remediation is gone, with no mutating call', async () => {
      givenGroup([tcp(22, 22, ['0.0.0.0/0'])]);
      const failed = (await failedChecks(REVOKE)).find((f) => f.check.id === 'security_group.open_admin_port');
      ec2.reset();
      ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('InvalidGroup.NotFound'));
      expect(await failed?.remediate?.()).toBe('gone');
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    });
  });

  describe('managed prefix lists are judged by their entries, like CIDRs', () => {
    const OPEN_LIST = 'pl-0a1b2c3d4e5f60001';
    const OFFICE_LIST = 'pl-0a1b2c3d4e5f60002';
    const OPEN_V6_LIST = 'pl-0a1b2c3d4e5f60003';

    function fromList(permission: IpPermission, prefixListId: string, description?: string): IpPermission {
      return { ...permission, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [{ PrefixListId: prefixListId, ...(description ? { Description: description } : {}) }] };
    }

    /** GetManagedPrefixListEntries, two entries a page (NextToken), as EC2 pages it. */
    function givenPrefixList(prefixListId: string, cidrs: string[]): void {
      const entries = cidrs.map((Cidr, index) => ({ Cidr, Description: `entry ${index}` }));
      for (let start = 0; start < entries.length; start += 2) {
        const token = start === 0 ? undefined : `eyJ2IjoxLCJjIjoi${start}`;
        const next = start + 2 < entries.length ? `eyJ2IjoxLCJjIjoi${start + 2}` : undefined;
        ec2.on(GetManagedPrefixListEntriesCommand, { PrefixListId: prefixListId, ...(token ? { NextToken: token } : {}) }).resolves({ Entries: entries.slice(start, start + 2), ...(next ? { NextToken: next } : {}) });
      }
    }

    beforeEach(() => {
      givenPrefixList(OPEN_LIST, ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '0.0.0.0/0']);
      givenPrefixList(OFFICE_LIST, ['203.0.113.0/24', '198.51.100.0/24']);
      givenPrefixList(OPEN_V6_LIST, ['2001:db8::/32', '::/0']);
    });

    it.each([
      ['SSH from a list whose third page holds 0.0.0.0/0', [fromList(tcp(22, 22), OPEN_LIST)], ['security_group.open_admin_port']],
      ['SSH from a list of office ranges', [fromList(tcp(22, 22), OFFICE_LIST)], []],
      ['8080 from a list holding ::/0', [fromList(tcp(8080, 8080), OPEN_V6_LIST)], ['security_group.open_ingress']],
      ['443 from an open list (allowed from anywhere)', [fromList(tcp(443, 443), OPEN_LIST)], []],
    ])('%s', async (_name, permissions, expected) => {
      givenGroup(permissions);
      expect((await failedChecks()).map((f) => f.check.id)).toEqual(expected);
    });

    it('names the list and the world CIDR it holds', async () => {
      givenGroup([fromList(tcp(22, 22), OPEN_LIST)]);
      expect((await failedChecks())[0]?.violation.detail).toBe(`tcp 22 from prefix list ${OPEN_LIST} (holds 0.0.0.0/0) opens 22 (SSH)`);
    });

    it('reads each referenced list once, every page', async () => {
      givenGroup([fromList(tcp(22, 22), OPEN_LIST), fromList(tcp(3389, 3389), OPEN_LIST)]);
      await failedChecks();
      // two pages of one list (the paginator reuses its input object, so the recorded tokens are not compared)
      expect(ec2.commandCalls(GetManagedPrefixListEntriesCommand).map((c) => c.args[0].input.PrefixListId)).toEqual([OPEN_LIST, OPEN_LIST]);
    });

    it('remediation revokes the reference to the open list (the list itself, which others may use, is not changed)', async () => {
      givenGroup([{ ...fromList(tcp(22, 22), OPEN_LIST, 'vpn users'), IpRanges: [{ CidrIp: '203.0.113.0/24' }] }]);
      const failed = (await failedChecks({ revokeOpenIngress: true })).find((f) => f.check.id === 'security_group.open_admin_port');
      expect(await failed?.remediate?.()).toBe('applied');
      expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(0);
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([
        { GroupId: GROUP_ID, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{ PrefixListId: OPEN_LIST }] }] },
      ]);
    });
  });

  describe('revoking an open port range keeps the allowed ports inside it open (one idempotent change)', () => {
    const REVOKE = { revokeOpenIngress: true };
    const WIDE = { ...tcp(0, 1000), IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }] };
    // What the group looks like once fixed: the allowed ports, from the same source, with the same description.
    const KEPT_80 = { ...tcp(80, 80), IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }] };
    const KEPT_443 = { ...tcp(443, 443), IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }] };

    it.each<[string, string, IpPermission[], Partial<ConfigInput>, IpPermission[], IpPermission[]]>([
      [
        'tcp 0-1000 from 0.0.0.0/0 (SSH among them): 80 and 443 stay open',
        'security_group.open_admin_port',
        [WIDE],
        {},
        [
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }] },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }] },
        ],
        [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 1000, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      ],
      [
        'tcp 8000-8100 from ::/0 with 8080-8081 allowed: one span re-authorised',
        'security_group.open_ingress',
        [tcp(8000, 8100, [], ['::/0'])],
        { allowedIngressPorts: [80, 443, 8080, 8081] },
        [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8081, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
        [{ IpProtocol: 'tcp', FromPort: 8000, ToPort: 8100, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      ],
      [
        'all traffic from 0.0.0.0/0: 80 and 443 stay open on TCP and UDP',
        'security_group.open_admin_port',
        [ALL_TRAFFIC_WORLD],
        {},
        [
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          { IpProtocol: 'udp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          { IpProtocol: 'udp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
        [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      ],
      [
        'tcp 0-1000 where 443 is already its own rule: only 80 is authorised',
        'security_group.open_admin_port',
        [WIDE, KEPT_443],
        {},
        [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }] }],
        [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 1000, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      ],
      ['tcp 20-23 (no allowed port inside): only the revoke', 'security_group.open_admin_port', [tcp(20, 23, ['0.0.0.0/0'])], {}, [], [{ IpProtocol: 'tcp', FromPort: 20, ToPort: 23, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]],
    ])('%s', async (_name, checkId, permissions, overrides, authorised, revoked) => {
      givenGroup(permissions);
      const failed = (await failedChecks({ ...REVOKE, ...overrides })).find((f) => f.check.id === checkId);
      expect(await failed?.remediate?.()).toBe('applied');
      expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual(authorised.length > 0 ? [{ GroupId: GROUP_ID, IpPermissions: authorised }] : []);
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([{ GroupId: GROUP_ID, IpPermissions: revoked }]);
    });

    it('authorises before it revokes, so a failure in between leaves the allowed ports open', async () => {
      givenGroup([WIDE]);
      const failed = (await failedChecks(REVOKE)).find((f) => f.check.id === 'security_group.open_admin_port');
      await failed?.remediate?.();
      const order = ec2.calls().map((call) => call.args[0].constructor.name).filter((name) => name !== 'DescribeSecurityGroupsCommand');
      expect(order).toEqual(['AuthorizeSecurityGroupIngressCommand', 'RevokeSecurityGroupIngressCommand']);
    });

    it.each([
      ['security_group.open_admin_port', [KEPT_80, KEPT_443]],
      ['security_group.open_ingress', [KEPT_80, KEPT_443]],
    ])('%s: a second run against the fixed group (only the kept ports) makes no mutating call', async (checkId, fixed) => {
      givenGroup([WIDE]);
      const failed = (await failedChecks(REVOKE)).find((f) => f.check.id === checkId);
      ec2.reset();
      givenGroup(fixed);
      expect(await failed?.remediate?.()).toBe('already_compliant');
      expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(0);
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    });

    it('a revoke interrupted after the authorise is finished by the next run, which authorises nothing again', async () => {
      givenGroup([WIDE, KEPT_80, KEPT_443]);
      const failed = (await failedChecks(REVOKE)).find((f) => f.check.id === 'security_group.open_admin_port');
      expect(await failed?.remediate?.()).toBe('applied');
      expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(0);
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    });
  });

  describe('default_allows_traffic (EC2.2, CIS 5.4): a default group with any rule', () => {
    const DEFAULT_ID = 'sg-0d1e2f3a4b5c6d7e8';
    const EGRESS_ALL: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
    const EGRESS_ALL_V6: IpPermission = { IpProtocol: '-1', IpRanges: [], Ipv6Ranges: [{ CidrIpv6: '::/0' }], PrefixListIds: [], UserIdGroupPairs: [] };
    const FROM_MEMBERS: IpPermission = { IpProtocol: '-1', IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: DEFAULT_ID, UserId: ACCOUNT }] };
    const HTTPS_OUT: IpPermission = { ...tcp(443, 443, ['0.0.0.0/0']), IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'package mirrors' }] };

    /** DescribeSecurityGroups of a VPC's default group: named "default", as AWS creates it with the VPC. */
    function givenDefaultGroup(ingress: IpPermission[], egress: IpPermission[], name = 'default'): void {
      ec2.on(DescribeSecurityGroupsCommand, { GroupIds: [DEFAULT_ID] }).resolves({
        SecurityGroups: [{ ...group(ingress, DEFAULT_ID, name), Description: 'default VPC security group', IpPermissionsEgress: egress, Tags: [] }],
      });
    }

    async function defaultFindings(overrides: Partial<ConfigInput> = {}): Promise<FailedCheck[]> {
      const config = makeConfig(overrides);
      return failedChecksOf(await securityGroupAuditor.audit(makeResourceContext(DEFAULT_ID, { config }), makeCheckContext(DEFAULT_ID, { config })));
    }

    it.each<[string, IpPermission[], IpPermission[], string]>([
      ['as AWS creates it: all from its members, all out', [FROM_MEMBERS], [EGRESS_ALL], `inbound all traffic from ${DEFAULT_ID}; outbound all traffic to 0.0.0.0/0`],
      ['egress only (inbound rule removed)', [], [EGRESS_ALL, EGRESS_ALL_V6], 'outbound all traffic to 0.0.0.0/0; outbound all traffic to ::/0'],
      ['ingress only (outbound rule removed)', [FROM_MEMBERS], [], `inbound all traffic from ${DEFAULT_ID}`],
      ['a narrow outbound rule is still a rule', [], [HTTPS_OUT], 'outbound tcp 443 to 0.0.0.0/0'],
    ])('fails: %s', async (_name, ingress, egress, rules) => {
      givenDefaultGroup(ingress, egress);
      const failed = (await defaultFindings()).find((f) => f.check.id === 'security_group.default_allows_traffic');
      expect(failed?.violation.detail).toBe(`default security group rules: ${rules}`);
      expect(failed?.check).toMatchObject({ severity: 'high', controls: { fsbp: ['EC2.2'], cis: ['5.4'] } });
      expect(failed?.risk).toBe('disruptive');
    });

    it.each<[string, IpPermission[], IpPermission[], string]>([
      ['a default group without rules', [], [], 'default'],
      ['a group of another name with the default rules', [FROM_MEMBERS], [EGRESS_ALL], 'web-prod'],
    ])('compliant: %s', async (_name, ingress, egress, name) => {
      givenDefaultGroup(ingress, egress, name);
      expect((await defaultFindings()).map((f) => f.check.id)).toEqual([]);
    });

    it('a default group also open to the world fails the open-port checks besides', async () => {
      givenDefaultGroup([tcp(22, 22, ['0.0.0.0/0'])], [EGRESS_ALL]);
      expect((await defaultFindings()).map((f) => f.check.id)).toEqual(['security_group.open_admin_port', 'security_group.default_allows_traffic']);
    });

    it('remediation revokes every inbound and outbound rule exactly as described, without descriptions; a second run makes no call', async () => {
      // Prepare
      givenDefaultGroup([FROM_MEMBERS], [EGRESS_ALL, HTTPS_OUT]);
      const failed = (await defaultFindings()).find((f) => f.check.id === 'security_group.default_allows_traffic');
      // Act
      const outcome = await failed?.remediate?.();
      // Assess
      expect(outcome).toBe('applied');
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([
        { GroupId: DEFAULT_ID, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: DEFAULT_ID, UserId: ACCOUNT }] }] },
      ]);
      expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand).map((c) => c.args[0].input)).toEqual([
        { GroupId: DEFAULT_ID, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }, { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      ]);

      // Prepare: the group is empty now
      ec2.reset();
      givenDefaultGroup([], []);
      // Act, Assess
      expect(await failed?.remediate?.()).toBe('already_compliant');
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
      expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(0);
    });

    it('revokes only the direction that has rules', async () => {
      givenDefaultGroup([], [EGRESS_ALL]);
      const failed = (await defaultFindings()).find((f) => f.check.id === 'security_group.default_allows_traffic');
      expect(await failed?.remediate?.()).toBe('applied');
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
      expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(1);
    });

    it('a group deleted (its VPC with it) before remediation is gone, with no mutating call', async () => {
      givenDefaultGroup([FROM_MEMBERS], [EGRESS_ALL]);
      const failed = (await defaultFindings()).find((f) => f.check.id === 'security_group.default_allows_traffic');
      ec2.reset();
      ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('InvalidGroup.NotFound'));
      expect(await failed?.remediate?.()).toBe('gone');
      expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
      expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(0);
    });
  });

  describe('metadata', () => {
    it('declares its permissions and CloudTrail triggers', () => {
      expect(securityGroupAuditor.scope).toBe('regional');
      expect(securityGroupAuditor.permissions).toEqual({ list: ['ec2:DescribeSecurityGroups'], collect: ['ec2:DescribeSecurityGroups', 'ec2:GetManagedPrefixListEntries'] });
      for (const checkId of ['security_group.open_admin_port', 'security_group.open_ingress']) {
        expect(securityGroupAuditor.remediations[checkId]?.permissions).toEqual(['ec2:DescribeSecurityGroups', 'ec2:GetManagedPrefixListEntries', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress']);
      }
      expect(securityGroupAuditor.remediations['security_group.default_allows_traffic']?.permissions).toEqual(['ec2:DescribeSecurityGroups', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress']);
      expect(securityGroupAuditor.triggers.map((t) => [t.eventNames.join(), t.idPath])).toEqual([
        ['CreateSecurityGroup', 'responseElements.groupId'],
        ['AuthorizeSecurityGroupIngress', 'requestParameters.groupId'],
        ['AuthorizeSecurityGroupEgress', 'requestParameters.groupId'],
        ['AuthorizeSecurityGroupIngress', 'responseElements.securityGroupRuleSet.items[].groupId'],
        ['ModifySecurityGroupRules', 'requestParameters.ModifySecurityGroupRulesRequest.GroupId'],
      ]);
    });
  });
});
