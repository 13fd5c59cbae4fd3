import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
  RegisterImageCommand,
  RunInstancesCommand,
  paginateDescribeSnapshots,
  type DescribeSnapshotsCommandInput,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

describe('sandbox EC2: volumes, snapshots, zones and subnets', () => {
  let organization: SandboxOrganization;
  let ec2: EC2Client;
  let strangerEc2: EC2Client;

  beforeEach(() => {
    organization = sandboxOrganization();
    ec2 = organization.clients().get(EC2Client);
    strangerEc2 = organization.clients(OTHER_ACCOUNT).get(EC2Client);
  });

  async function snapshot(client = ec2, tag = 'one'): Promise<string> {
    const { VolumeId } = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1, VolumeType: 'gp3' }));
    const { SnapshotId } = await client.send(
      new CreateSnapshotCommand({ VolumeId, Description: tag, TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: tag }] }] }),
    );
    return SnapshotId ?? '';
  }

  it('DescribeAvailabilityZones and DescribeSubnets show three zones and the default VPC default subnets', async () => {
    const { AvailabilityZones } = await ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'state', Values: ['available'] }] }));
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }));

    expect(AvailabilityZones?.map((z) => [z.ZoneName, z.ZoneId])).toEqual([
      ['us-east-1a', 'use1-az1'],
      ['us-east-1b', 'use1-az2'],
      ['us-east-1c', 'use1-az3'],
    ]);
    expect(Subnets?.map((s) => s.AvailabilityZone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(Subnets?.[0]).toMatchObject({ SubnetId: expect.stringMatching(/^subnet-/), VpcId: expect.stringMatching(/^vpc-/), DefaultForAz: true, MapPublicIpOnLaunch: true, CidrBlock: '172.31.0.0/20' });
    await expectAwsError(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })), { name: 'InvalidSubnetID.NotFound', status: 400 });
  });

  it('CreateVolume answers creating, DescribeVolumes available (gp3: 3,000 IOPS, 125 MiB/s); a missing zone is MissingParameter', async () => {
    const created = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1, VolumeType: 'gp3' }));
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [created.VolumeId ?? ''] }));

    expect(created).toMatchObject({ VolumeId: expect.stringMatching(/^vol-[0-9a-f]{17}$/), State: 'creating', Size: 1, CreateTime: expect.any(Date) });
    expect(Volumes?.[0]).toMatchObject({ State: 'available', VolumeType: 'gp3', Iops: 3000, Throughput: 125, Attachments: [], Encrypted: false });
    await expectAwsError(ec2.send(new CreateVolumeCommand({ AvailabilityZone: '', Size: 1 })), { name: 'MissingParameter', status: 400 });
    await expectAwsError(ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0123456789abcdef0'] })), { name: 'InvalidVolume.NotFound', status: 400 });
  });

  it('an instance root volume is in use and cannot be deleted', async () => {
    await ec2.send(new RunInstancesCommand({ ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', MinCount: 1, MaxCount: 1 }));
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'status', Values: ['in-use'] }] }));

    expect(Volumes?.[0]?.Attachments?.[0]).toMatchObject({ State: 'attached', Device: '/dev/xvda' });
    await expectAwsError(ec2.send(new DeleteVolumeCommand({ VolumeId: Volumes?.[0]?.VolumeId })), { name: 'VolumeInUse', status: 400 });
  });

  it('CreateSnapshot answers pending; DescribeSnapshots shows it completed with its tags', async () => {
    const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));

    const created = await ec2.send(new CreateSnapshotCommand({ VolumeId, Description: 'd', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: 'n' }] }] }));
    const { Snapshots } = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));

    expect(created).toMatchObject({ SnapshotId: expect.stringMatching(/^snap-[0-9a-f]{17}$/), State: 'pending', VolumeId, OwnerId: ACCOUNT, StartTime: expect.any(Date) });
    expect(Snapshots).toEqual([expect.objectContaining({ SnapshotId: created.SnapshotId, State: 'completed', Progress: '100%', VolumeSize: 1, Description: 'd', Tags: [{ Key: 'Name', Value: 'n' }] })]);
  });

  it('OwnerIds and RestorableByUserIds really filter; a shared snapshot shows to the account shared with, without the owner tags', async () => {
    // Prepare
    const mine = await snapshot();
    const theirs = await snapshot(strangerEc2, 'theirs');
    await strangerEc2.send(new ModifySnapshotAttributeCommand({ SnapshotId: theirs, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [ACCOUNT] }));

    // Act
    const ids = async (input: DescribeSnapshotsCommandInput) => ((await ec2.send(new DescribeSnapshotsCommand(input))).Snapshots ?? []).map((s) => s.SnapshotId);
    const shared = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [theirs] }))).Snapshots?.[0];

    // Assess
    expect(await ids({})).toEqual([mine, theirs]);
    expect(await ids({ OwnerIds: ['self'] })).toEqual([mine]);
    expect(await ids({ OwnerIds: [ACCOUNT] })).toEqual([mine]);
    expect(await ids({ OwnerIds: [OTHER_ACCOUNT] })).toEqual([theirs]);
    expect(await ids({ RestorableByUserIds: ['all'] })).toEqual([]);
    expect(shared).toMatchObject({ OwnerId: OTHER_ACCOUNT });
    expect(shared?.Tags).toBeUndefined();
    expect(((await strangerEc2.send(new DescribeSnapshotsCommand({}))).Snapshots ?? []).map((s) => s.SnapshotId)).toEqual([theirs]);
  });

  it('Modify/DescribeSnapshotAttribute: add and remove (both request forms), idempotent, an account id must be 12 digits', async () => {
    // Prepare
    const id = await snapshot();
    const permissions = async () => (await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }))).CreateVolumePermissions;

    // Act
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission', CreateVolumePermission: { Add: [{ UserId: '000000000000' }, { Group: 'all' }] } }));
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission', CreateVolumePermission: { Add: [{ UserId: '000000000000' }] } }));
    const shared = await permissions();
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission', OperationType: 'remove', GroupNames: ['all'] }));

    // Assess
    expect(shared).toEqual([{ UserId: '000000000000' }, { Group: 'all' }]);
    expect(await permissions()).toEqual([{ UserId: '000000000000' }]);
    await expectAwsError(
      ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission', CreateVolumePermission: { Add: [{ UserId: 'alice' }] } })),
      { name: 'InvalidParameterValue', status: 400 },
    );
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['DescribeSnapshots of an unknown id', () => ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-0123456789abcdef0'] })), 'InvalidSnapshot.NotFound'],
    ['DescribeSnapshotAttribute of an unknown id', () => ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: 'snap-0123456789abcdef0', Attribute: 'createVolumePermission' })), 'InvalidSnapshot.NotFound'],
    ['ModifySnapshotAttribute of a malformed id', () => ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: 'my-snapshot', CreateVolumePermission: { Add: [{ Group: 'all' }] } })), 'InvalidSnapshotID.Malformed'],
    ['DescribeSnapshots with MaxResults and SnapshotIds', () => ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-0123456789abcdef0'], MaxResults: 5 })), 'InvalidParameterCombination'],
  ])('%s fails with %s', async (_case, call, name) => {
    await expectAwsError(call(), { name, status: 400 });
  });

  it('paginates DescribeSnapshots (two pages) and the SDK paginator follows the token', async () => {
    for (let i = 0; i < 6; i += 1) await snapshot();

    const first = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5 }));
    const second = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5, NextToken: first.NextToken }));
    const pages = [];
    for await (const page of paginateDescribeSnapshots({ client: ec2, pageSize: 5 }, { OwnerIds: [ACCOUNT] })) pages.push(page);

    expect(first.Snapshots).toHaveLength(5);
    expect(second.Snapshots).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(pages.map((p) => p.Snapshots?.length)).toEqual([5, 1]);
  });

  it('DeleteSnapshot refuses a snapshot an AMI uses, then deletes it once', async () => {
    const id = await snapshot();
    const image = await ec2.send(new RegisterImageCommand({ Name: 'img', RootDeviceName: '/dev/xvda', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: id } }] }));

    await expectAwsError(ec2.send(new DeleteSnapshotCommand({ SnapshotId: id })), { name: 'InvalidSnapshot.InUse', status: 400, message: new RegExp(image.ImageId ?? 'ami') });
    const other = await snapshot();
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: other }));
    await expectAwsError(ec2.send(new DeleteSnapshotCommand({ SnapshotId: other })), { name: 'InvalidSnapshot.NotFound', status: 400 });
  });
});
