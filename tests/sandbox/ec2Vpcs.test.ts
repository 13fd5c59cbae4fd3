import {
  AuthorizeSecurityGroupEgressCommand,
  CreateFlowLogsCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteVpcCommand,
  DescribeFlowLogsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';

const TAGS = [
  { Key: 'Name', Value: 'misconfiguration-maker-vpc' },
  { Key: 'created-by', Value: 'misconfiguration-maker' },
];

describe('sandbox EC2: VPCs, their default security group, CreateTags, RevokeSecurityGroupEgress', () => {
  let ec2: EC2Client;

  beforeEach(() => {
    ec2 = sandboxOrganization().clients().get(EC2Client);
  });

  async function createVpc(): Promise<{ vpcId: string; groupId: string }> {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.250.0.0/28', TagSpecifications: [{ ResourceType: 'vpc', Tags: TAGS }] }));
    const vpcId = Vpc?.VpcId ?? '';
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    return { vpcId, groupId: SecurityGroups?.[0]?.GroupId ?? '' };
  }

  it('CreateVpc answers the VPC, tagged; DescribeVpcs finds it by tag; AWS gives it a default group with the default rules', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.250.0.0/28', TagSpecifications: [{ ResourceType: 'vpc', Tags: TAGS }] }));
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:created-by', Values: ['misconfiguration-maker'] }] }));
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc?.VpcId ?? ''] }] }));

    expect(Vpc).toMatchObject({ VpcId: expect.stringMatching(/^vpc-/), CidrBlock: '10.250.0.0/28', State: 'pending', IsDefault: false, OwnerId: ACCOUNT, Tags: TAGS });
    expect(Vpcs?.map((vpc) => vpc.VpcId)).toEqual([Vpc?.VpcId]);
    const groupId = SecurityGroups?.[0]?.GroupId;
    expect(SecurityGroups).toEqual([
      expect.objectContaining({
        GroupName: 'default',
        VpcId: Vpc?.VpcId,
        IpPermissions: [expect.objectContaining({ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId, UserId: ACCOUNT }] })],
        IpPermissionsEgress: [expect.objectContaining({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] })],
      }),
    ]);
  });

  it.each([
    ['not a CIDR', '10.250.0.0', 'InvalidParameterValue'],
    ['wider than /16', '10.0.0.0/8', 'InvalidVpc.Range'],
    ['narrower than /28', '10.250.0.0/29', 'InvalidVpc.Range'],
  ])('CreateVpc refuses a block %s with %s', async (_case, CidrBlock, name) => {
    await expectAwsError(ec2.send(new CreateVpcCommand({ CidrBlock })), { name, status: 400 });
  });

  it('CreateTags tags a security group (and overwrites a key), then filters find it', async () => {
    const { groupId } = await createVpc();

    await ec2.send(new CreateTagsCommand({ Resources: [groupId], Tags: [{ Key: 'Name', Value: 'first' }] }));
    await ec2.send(new CreateTagsCommand({ Resources: [groupId], Tags: TAGS }));
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:Name', Values: ['misconfiguration-maker-vpc'] }] }));

    expect(SecurityGroups?.map((g) => [g.GroupId, g.Tags])).toEqual([[groupId, TAGS]]);
  });

  it('CreateTags of an unknown group fails with InvalidGroup.NotFound', async () => {
    await expectAwsError(ec2.send(new CreateTagsCommand({ Resources: ['sg-0123456789abcdef0'], Tags: TAGS })), { name: 'InvalidGroup.NotFound', status: 400 });
  });

  it('AuthorizeSecurityGroupEgress adds an outbound rule once; the same rule again is InvalidPermission.Duplicate', async () => {
    const { groupId } = await createVpc();
    const https = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];

    const added = await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: https }));
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));

    expect(added).toMatchObject({ Return: true, SecurityGroupRules: [{ GroupId: groupId, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0', IsEgress: true }] });
    expect(SecurityGroups?.[0]?.IpPermissionsEgress).toHaveLength(2);
    await expectAwsError(ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: https })), { name: 'InvalidPermission.Duplicate', status: 400 });
  });

  it('RevokeSecurityGroupEgress and RevokeSecurityGroupIngress empty the default group; revoking again fails with InvalidPermission.NotFound (not the default VPC)', async () => {
    // Prepare
    const { groupId } = await createVpc();
    const all = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];

    // Act
    const egress = await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: all }));
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId, UserId: ACCOUNT }] }] }));
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));

    // Assess
    expect(egress).toMatchObject({ Return: true, RevokedSecurityGroupRules: [{ GroupId: groupId, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0', IsEgress: true }] });
    expect(SecurityGroups?.[0]).toMatchObject({ IpPermissions: [], IpPermissionsEgress: [] });
    await expectAwsError(ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: all })), { name: 'InvalidPermission.NotFound', status: 400 });
  });

  it('DeleteVpc is refused while another group is in the VPC, and nothing is removed', async () => {
    // Prepare
    const { vpcId, groupId } = await createVpc();
    const { GroupId: otherId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: vpcId }));
    await ec2.send(new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs-bucket' }));

    // Act, Assess: refused while 'app' is in it
    await expectAwsError(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), { name: 'DependencyViolation', status: 400 });
    const { SecurityGroups: left } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(left?.map((g) => g.GroupId).sort()).toEqual([groupId, otherId].sort());
    const { FlowLogs } = await ec2.send(new DescribeFlowLogsCommand({}));
    expect(FlowLogs?.map((f) => f.ResourceId)).toEqual([vpcId]);
  });

  it('DeleteVpc of an empty VPC removes it with its default group and flow logs', async () => {
    const { vpcId, groupId } = await createVpc();
    await ec2.send(new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs-bucket' }));

    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));

    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({}));
    expect(Vpcs?.map((vpc) => vpc.IsDefault)).toEqual([true]);
    await expectAwsError(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })), { name: 'InvalidGroup.NotFound', status: 400 });
    const { FlowLogs } = await ec2.send(new DescribeFlowLogsCommand({}));
    expect(FlowLogs).toEqual([]);
    await expectAwsError(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), { name: 'InvalidVpcID.NotFound', status: 400 });
  });
});
