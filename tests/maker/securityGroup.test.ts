import { DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { securityGroupAuditor } from '../../auditors/securityGroup.ts';
import { makerGroupName, securityGroupMaker } from '../../misconfiguration-maker/entries/securityGroup.ts';
import { makerVpcName } from '../../misconfiguration-maker/entries/defaultSecurityGroup.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, notifyOnlyIds, remediateAll } from './makerHarness.ts';

const REVOKE = { revokeOpenIngress: true } satisfies Partial<ConfigInput>;

describe('security_group maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  it('names the group misconfiguration-maker-sg-<account>-<region>, the VPC misconfiguration-maker-vpc-<account>-<region>, and says what they are', () => {
    expect(makerGroupName(ACCOUNT, REGION)).toBe(`misconfiguration-maker-sg-${ACCOUNT}-${REGION}`);
    expect(makerVpcName(ACCOUNT, REGION)).toBe(`misconfiguration-maker-vpc-${ACCOUNT}-${REGION}`);
    expect(securityGroupMaker.plan(ACCOUNT, REGION)).toEqual([
      expect.stringMatching(/misconfiguration-maker-sg-.*22 from 0\.0\.0\.0\/0.*8080 from ::\/0/),
      expect.stringMatching(/misconfiguration-maker-vpc-.*no subnets.*default security group/),
    ]);
  });

  it.each<[string, Partial<ConfigInput>]>([
    ['default allowed ports', {}],
    ['8080 allowed', { allowedIngressPorts: [80, 443, 8080] }],
    ['no allowed ports', { allowedIngressPorts: [] }],
  ])('with %s, the maker groups fail exactly what provokes() says; the account default group keeps its own (untouched) finding', async (_case, overrides) => {
    // Prepare
    const context = makerContext(organization, makeConfig(overrides));

    // Act
    const ids = await securityGroupMaker.create(context);
    const audited = await auditListed(securityGroupAuditor, context);

    // Assess
    const made = audited.filter((r) => r.maker);
    expect(made.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(failedCheckIds(made)).toEqual([...securityGroupMaker.provokes(context.config)].sort());
    // The default VPC's default group has AWS's default rules too: a finding of its own, which the maker neither made nor changed.
    expect(failedCheckIds(audited.filter((r) => !r.maker))).toEqual(['security_group.default_allows_traffic']);
  });

  it("makes a VPC of its own, without subnets, whose default group keeps AWS's default rules, gets HTTPS out and the maker tag", async () => {
    const context = makerContext(organization);

    const [, defaultId = ''] = await securityGroupMaker.create(context);
    const { SecurityGroups } = await context.clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({ GroupIds: [defaultId] }));
    const { Vpcs } = await context.clients.get(EC2Client).send(new DescribeVpcsCommand({ VpcIds: [SecurityGroups?.[0]?.VpcId ?? ''] }));

    expect(SecurityGroups?.[0]).toMatchObject({
      GroupName: 'default',
      IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: defaultId, UserId: ACCOUNT }] }],
      IpPermissionsEgress: [
        { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'misconfiguration-maker: HTTPS out' }] },
      ],
      Tags: expect.arrayContaining([{ Key: 'created-by', Value: 'misconfiguration-maker' }]),
    });
    expect(Vpcs?.[0]).toMatchObject({ IsDefault: false, Tags: expect.arrayContaining([{ Key: 'Name', Value: makerVpcName(ACCOUNT, REGION) }]) });
  });

  it('makes the group in the default VPC with exactly the two world-open rules and the maker tag', async () => {
    const context = makerContext(organization);

    const [id = ''] = await securityGroupMaker.create(context);
    const { SecurityGroups } = await context.clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }));
    const [defaultGroup] = (await context.clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))).SecurityGroups ?? [];

    expect(SecurityGroups?.[0]).toMatchObject({
      GroupName: makerGroupName(ACCOUNT, REGION),
      VpcId: defaultGroup?.VpcId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [] },
        { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      ],
      Tags: expect.arrayContaining([{ Key: 'created-by', Value: 'misconfiguration-maker' }]),
    });
  });

  it('is idempotent: a second create reuses the group and adds no rule twice', async () => {
    const context = makerContext(organization);

    const first = await securityGroupMaker.create(context);
    const again = await securityGroupMaker.create(context);
    const made = (await auditListed(securityGroupAuditor, context)).filter((r) => r.maker);
    const { SecurityGroups } = await context.clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({ GroupIds: [first[0] ?? ''] }));
    const { Vpcs } = await context.clients.get(EC2Client).send(new DescribeVpcsCommand({}));

    expect(again).toEqual(first);
    expect(made).toHaveLength(2);
    expect(Vpcs).toHaveLength(2);
    expect(SecurityGroups?.[0]?.IpPermissions).toHaveLength(2);
  });

  it('with revokeOpenIngress, remediation revokes the open rules and empties the default group; a second remediation changes nothing; create opens them again', async () => {
    // Prepare
    const context = makerContext(organization, makeConfig(REVOKE));
    await securityGroupMaker.create(context);
    const before = (await auditListed(securityGroupAuditor, context)).filter((r) => r.maker);

    // Act
    const first = await remediateAll(before);
    const after = (await auditListed(securityGroupAuditor, context)).filter((r) => r.maker);
    const second = await remediateAll(after);
    await securityGroupMaker.create(context);
    const reopened = (await auditListed(securityGroupAuditor, context)).filter((r) => r.maker);

    // Assess
    expect(first.sort()).toEqual(['security_group.default_allows_traffic=applied', 'security_group.open_admin_port=applied', 'security_group.open_ingress=applied']);
    expect(failedCheckIds(after)).toEqual([]);
    expect(second).toEqual([]);
    // create re-opens its own group's ports and the default group's HTTPS out (AWS's own default rules come only with a new VPC)
    expect(failedCheckIds(reopened)).toEqual(['security_group.default_allows_traffic', 'security_group.open_admin_port', 'security_group.open_ingress']);
  });

  it('every remediation is disruptive: none is notify-only, each runs only when remediateChecks lists it', async () => {
    const context = makerContext(organization);
    await securityGroupMaker.create(context);

    const audited = (await auditListed(securityGroupAuditor, context)).filter((r) => r.maker);

    expect(notifyOnlyIds(audited)).toEqual([]);
    expect(audited.flatMap((r) => r.failed.map((f) => `${f.check.id}=${f.risk ?? 'none'}`)).sort()).toEqual([
      'security_group.default_allows_traffic=disruptive',
      'security_group.open_admin_port=disruptive',
      'security_group.open_ingress=disruptive',
    ]);
  });

  it("teardown deletes exactly the maker group and the maker's VPC with its default group (the account's default group stays); a second teardown removes nothing", async () => {
    // Prepare
    const context = makerContext(organization);
    const made = await securityGroupMaker.create(context);

    // Act
    const removed = await securityGroupMaker.teardown(context);
    const again = await securityGroupMaker.teardown(context);
    const left = await auditListed(securityGroupAuditor, context);

    // Assess
    expect(removed).toEqual(made);
    expect(again).toEqual([]);
    expect(left.filter((r) => r.maker)).toEqual([]);
    expect(left).toHaveLength(1);
    const { Vpcs } = await context.clients.get(EC2Client).send(new DescribeVpcsCommand({}));
    expect(Vpcs?.map((vpc) => vpc.IsDefault)).toEqual([true]);
  });
});
