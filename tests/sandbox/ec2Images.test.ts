import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
  paginateDescribeImages,
  type DescribeImagesCommandInput,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

describe('sandbox EC2: AMIs', () => {
  let organization: SandboxOrganization;
  let ec2: EC2Client;
  let strangerEc2: EC2Client;

  beforeEach(() => {
    organization = sandboxOrganization();
    ec2 = organization.clients().get(EC2Client);
    strangerEc2 = organization.clients(OTHER_ACCOUNT).get(EC2Client);
  });

  async function register(name: string, client = ec2): Promise<string> {
    const { VolumeId } = await client.send(new CreateVolumeCommand({ AvailabilityZone: `${await client.config.region()}a`, Size: 1 }));
    const { SnapshotId } = await client.send(new CreateSnapshotCommand({ VolumeId }));
    const { ImageId } = await client.send(
      new RegisterImageCommand({
        Name: name,
        Architecture: 'x86_64',
        VirtualizationType: 'hvm',
        EnaSupport: true,
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId, VolumeType: 'gp3' } }],
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'Name', Value: name }] }],
      }),
    );
    return ImageId ?? '';
  }

  const ids = async (client: EC2Client, input: DescribeImagesCommandInput) => ((await client.send(new DescribeImagesCommand(input))).Images ?? []).map((i) => i.ImageId);

  it('RegisterImage answers the id; DescribeImages shows the AMI as EC2 does (CreationDate a string, tags for the owner)', async () => {
    const id = await register('app');

    const { Images } = await ec2.send(new DescribeImagesCommand({ ImageIds: [id] }));

    expect(id).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(Images?.[0]).toMatchObject({
      ImageId: id,
      Name: 'app',
      OwnerId: ACCOUNT,
      ImageLocation: `${ACCOUNT}/app`,
      State: 'available',
      Public: false,
      Architecture: 'x86_64',
      ImageType: 'machine',
      RootDeviceType: 'ebs',
      VirtualizationType: 'hvm',
      CreationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: expect.stringMatching(/^snap-/), VolumeSize: 1, VolumeType: 'gp3', DeleteOnTermination: true } }],
      Tags: [{ Key: 'Name', Value: 'app' }],
    });
  });

  it('Owners and ExecutableUsers really filter: self, amazon, an account, all', async () => {
    // Prepare
    const mine = await register('mine');
    const theirs = await register('theirs', strangerEc2);
    await strangerEc2.send(new ModifyImageAttributeCommand({ ImageId: theirs, LaunchPermission: { Add: [{ UserId: ACCOUNT }] } }));

    // Act
    const amazon = await ids(ec2, { Owners: ['amazon'] });

    // Assess
    expect(await ids(ec2, { Owners: ['self'] })).toEqual([mine]);
    expect(await ids(ec2, { Owners: [OTHER_ACCOUNT] })).toEqual([theirs]);
    expect(await ids(ec2, { ExecutableUsers: ['self'] })).toEqual([theirs]);
    expect(await ids(ec2, { ExecutableUsers: ['all'] })).toEqual(amazon);
    expect(amazon).toHaveLength(2);
    expect(await ids(ec2, {})).toEqual([mine, theirs, ...amazon]);
    expect(await ids(strangerEc2, { Owners: [ACCOUNT] })).toEqual([]);
    expect((await ec2.send(new DescribeImagesCommand({ ImageIds: [theirs] }))).Images?.[0]?.Tags).toBeUndefined();
  });

  it('Modify/DescribeImageAttribute: launch permissions added idempotently, removed, Public follows the group "all"', async () => {
    // Prepare
    const id = await register('app');
    const permissions = async () => (await ec2.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: 'launchPermission' }))).LaunchPermissions;

    // Act
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: id, Attribute: 'launchPermission', LaunchPermission: { Add: [{ UserId: '000000000000' }, { Group: 'all' }] } }));
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: id, Attribute: 'launchPermission', OperationType: 'add', UserIds: ['000000000000'] }));
    const shared = await permissions();
    const publicImage = (await ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images?.[0];
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Remove: [{ Group: 'all' }] } }));

    // Assess
    expect(shared).toEqual([{ UserId: '000000000000' }, { Group: 'all' }]);
    expect(publicImage?.Public).toBe(true);
    expect(await permissions()).toEqual([{ UserId: '000000000000' }]);
    expect(await ids(strangerEc2, { ExecutableUsers: ['all'], Owners: [ACCOUNT] })).toEqual([]);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['DescribeImages of an unknown id', () => ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })), 'InvalidAMIID.NotFound'],
    ['DescribeImages of a malformed id', () => ec2.send(new DescribeImagesCommand({ ImageIds: ['my-image'] })), 'InvalidAMIID.Malformed'],
    ['DescribeImageAttribute of an unknown id', () => ec2.send(new DescribeImageAttributeCommand({ ImageId: 'ami-0123456789abcdef0', Attribute: 'launchPermission' })), 'InvalidAMIID.NotFound'],
    ['DescribeImages with an unknown filter', () => ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })), 'InvalidParameterValue'],
    ['RegisterImage from an unknown snapshot', () => ec2.send(new RegisterImageCommand({ Name: 'x-1', RootDeviceName: '/dev/xvda', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }] })), 'InvalidSnapshot.NotFound'],
    ['RegisterImage without a name', () => ec2.send(new RegisterImageCommand({ Name: '', RootDeviceName: '/dev/xvda' })), 'MissingParameter'],
  ])('%s fails with %s', async (_case, call, name) => {
    await expectAwsError(call(), { name, status: 400 });
  });

  it('ModifyImageAttribute rejects an account id that is not 12 digits with InvalidAMIAttributeItemValue', async () => {
    const id = await register('app');

    await expectAwsError(ec2.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ UserId: '12345' }] } })), {
      name: 'InvalidAMIAttributeItemValue',
      status: 400,
      message: /Invalid attribute item value "12345" for userId item type/,
    });
  });

  it('RegisterImage refuses a name already used in the account and region (InvalidAMIName.Duplicate), not in another region', async () => {
    const id = await register('app');

    await expectAwsError(register('app'), { name: 'InvalidAMIName.Duplicate', status: 400, message: new RegExp(id) });
    await expect(register('app', organization.clients(undefined, OTHER_REGION).get(EC2Client))).resolves.toMatch(/^ami-/);
  });

  it('paginates DescribeImages (Owners=self, two pages) and the SDK paginator follows the token', async () => {
    await register('one');
    await register('two');

    const first = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 1 }));
    const second = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 1, NextToken: first.NextToken }));
    const pages = [];
    for await (const page of paginateDescribeImages({ client: ec2, pageSize: 1 }, { Owners: ['self'] })) pages.push(page);

    expect(first.Images?.map((i) => i.Name)).toEqual(['one']);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.Images?.map((i) => i.Name)).toEqual(['two']);
    expect(second.NextToken).toBeUndefined();
    expect(pages).toHaveLength(2);
  });

  it('DeregisterImage removes the AMI: its attributes are then InvalidAMIID.NotFound', async () => {
    const id = await register('app');

    const output = await ec2.send(new DeregisterImageCommand({ ImageId: id }));

    expect(output.Return).toBe(true);
    await expectAwsError(ec2.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: 'launchPermission' })), { name: 'InvalidAMIID.NotFound', status: 400 });
    expect(await ids(ec2, { Owners: ['self'] })).toEqual([]);
  });
});
