import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  paginateDescribeSecurityGroups,
  type DescribeSecurityGroupsCommandInput,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';

describe('sandbox EC2: security groups', () => {
  let ec2: EC2Client;

  beforeEach(() => {
    ec2 = sandboxOrganization().clients().get(EC2Client);
  });

  async function createGroup(name: string): Promise<string> {
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} group` }));
    return GroupId ?? '';
  }

  async function permissionsOf(groupId: string) {
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    return SecurityGroups?.[0]?.IpPermissions;
  }

  it('every region starts with the default VPC and its default group, which admits only itself', async () => {
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({}));

    expect(SecurityGroups).toEqual([
      expect.objectContaining({
        GroupName: 'default',
        Description: 'default VPC security group',
        OwnerId: ACCOUNT,
        VpcId: expect.stringMatching(/^vpc-[0-9a-f]{17}$/),
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: SecurityGroups?.[0]?.GroupId, UserId: ACCOUNT }] }],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
      }),
    ]);
  });

  it('CreateSecurityGroup answers the id, ARN and tags; the group lands in the default VPC with egress open', async () => {
    const output = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'team', Value: 'a' }] }] }),
    );
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['web'] }] }));

    expect(output).toMatchObject({
      GroupId: expect.stringMatching(/^sg-[0-9a-f]{17}$/),
      SecurityGroupArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${output.GroupId}`,
      Tags: [{ Key: 'team', Value: 'a' }],
    });
    expect(SecurityGroups?.[0]).toMatchObject({ GroupId: output.GroupId, IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1' }], Tags: [{ Key: 'team', Value: 'a' }] });
  });

  it.each<[string, { GroupName: string; Description: string }, string]>([
    ['an existing name', { GroupName: 'web', Description: 'again' }, 'InvalidGroup.Duplicate'],
    ['the reserved name default', { GroupName: 'default', Description: 'd' }, 'InvalidGroup.Reserved'],
    ['a name like an id', { GroupName: 'sg-web', Description: 'd' }, 'InvalidParameterValue'],
    ['an empty description', { GroupName: 'db', Description: '' }, 'MissingParameter'],
  ])('CreateSecurityGroup with %s fails with %s', async (_case, input, name) => {
    await createGroup('web');

    await expectAwsError(ec2.send(new CreateSecurityGroupCommand(input)), { name, status: 400 });
  });

  it('Authorize groups rules by protocol and ports as DescribeSecurityGroups does, normalizing protocol numbers', async () => {
    // Prepare
    const groupId = await createGroup('web');

    // Act
    const output = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: '6', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.0.0.0/8', Description: 'office' }] },
          { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        ],
      }),
    );

    // Assess
    expect(output.Return).toBe(true);
    expect(output.SecurityGroupRules).toHaveLength(3);
    expect(output.SecurityGroupRules?.[0]).toMatchObject({ SecurityGroupRuleId: expect.stringMatching(/^sgr-/), GroupId: groupId, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0' });
    expect(await permissionsOf(groupId)).toEqual([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.0.0.0/8', Description: 'office' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [], Ipv6Ranges: [{ CidrIpv6: '::/0' }], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
  });

  it('Authorize of an existing rule fails with InvalidPermission.Duplicate and adds nothing', async () => {
    const groupId = await createGroup('web');
    const rule = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [rule] }));

    await expectAwsError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [rule, { ...rule, FromPort: 23, ToPort: 23 }] })), {
      name: 'InvalidPermission.Duplicate',
      status: 400,
      message: /peer: 0\.0\.0\.0\/0, TCP, from port: 22, to port: 22, ALLOW/,
    });
    expect(await permissionsOf(groupId)).toHaveLength(1);
  });

  it('Revoke removes exactly the CIDR given; in the default VPC an unknown rule is answered in UnknownIpPermissions', async () => {
    // Prepare
    const groupId = await createGroup('web');
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.0.0.0/8' }] }] }),
    );

    // Act
    const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const unknown = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));

    // Assess
    expect(revoked).toMatchObject({ Return: true, RevokedSecurityGroupRules: [{ GroupId: groupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0', IsEgress: false }] });
    expect(revoked.UnknownIpPermissions).toBeUndefined();
    expect(unknown).toMatchObject({ Return: true, RevokedSecurityGroupRules: [], UnknownIpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
    expect(await permissionsOf(groupId)).toEqual([expect.objectContaining({ IpRanges: [{ CidrIp: '10.0.0.0/8' }] })]);
  });

  it('paginates DescribeSecurityGroups (two pages) and the SDK paginator follows the token', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await createGroup(name);

    const first = await ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5 }));
    const second = await ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5, NextToken: first.NextToken }));
    const pages = [];
    for await (const page of paginateDescribeSecurityGroups({ client: ec2, pageSize: 5 }, {})) pages.push(page);

    expect(first.SecurityGroups).toHaveLength(5);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.SecurityGroups).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(pages.map((p) => p.SecurityGroups?.length)).toEqual([5, 1]);
  });

  it.each<[string, DescribeSecurityGroupsCommandInput, string]>([
    ['an unknown group id', { GroupIds: ['sg-0123456789abcdef0'] }, 'InvalidGroup.NotFound'],
    ['a malformed group id', { GroupIds: ['web'] }, 'InvalidGroupId.Malformed'],
    ['an unknown group name', { GroupNames: ['nope'] }, 'InvalidGroup.NotFound'],
    ['MaxResults with GroupIds', { GroupIds: ['sg-0123456789abcdef0'], MaxResults: 5 }, 'InvalidParameterCombination'],
    ['an unknown filter', { Filters: [{ Name: 'colour', Values: ['red'] }] }, 'InvalidParameterValue'],
  ])('DescribeSecurityGroups with %s fails with %s', async (_case, input, name) => {
    await expectAwsError(ec2.send(new DescribeSecurityGroupsCommand(input)), { name, status: 400 });
  });

  it('DeleteSecurityGroup: the default group cannot be deleted, one an instance uses neither; an unused one can, once', async () => {
    // Prepare
    const [defaultGroup] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))).SecurityGroups ?? [];
    const used = await createGroup('used');
    const unused = await createGroup('unused');
    await ec2.send(new RunInstancesCommand({ ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', MinCount: 1, MaxCount: 1, SecurityGroupIds: [used] }));

    // Act
    const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupId: unused }));

    // Assess
    expect(deleted).toMatchObject({ Return: true, GroupId: unused });
    await expectAwsError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaultGroup?.GroupId })), { name: 'CannotDelete', status: 400 });
    await expectAwsError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: used })), { name: 'DependencyViolation', status: 400 });
    await expectAwsError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: unused })), { name: 'InvalidGroup.NotFound', status: 400 });
  });
});
