/** Sandbox EBS volumes as ebs_volume reads them: attachments, encryption (by default too), attach and detach. */
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';

const AL2023 = 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

describe('sandbox EC2: volumes', () => {
  let ec2: EC2Client;
  beforeEach(() => {
    ec2 = sandboxOrganization().clients().get(EC2Client);
  });

  async function instance(): Promise<{ instanceId: string; zone: string; rootVolumeId: string }> {
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 }));
    const launched = Instances?.[0];
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [launched?.InstanceId ?? ''] }] }));
    return { instanceId: launched?.InstanceId ?? '', zone: launched?.Placement?.AvailabilityZone ?? '', rootVolumeId: Volumes?.[0]?.VolumeId ?? '' };
  }

  async function volume(zone: string, encrypted?: boolean): Promise<string> {
    const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 1, VolumeType: 'gp3', ...(encrypted === undefined ? {} : { Encrypted: encrypted }) }));
    return VolumeId ?? '';
  }

  it('AttachVolume answers attaching, then the volume is in-use, attached, and on the instance\'s block devices; DetachVolume frees it', async () => {
    const { instanceId, zone } = await instance();
    const volumeId = await volume(zone);

    const attached = await ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf' }));
    expect(attached).toMatchObject({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf', State: 'attaching', DeleteOnTermination: false });
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
    expect(Volumes?.[0]).toMatchObject({ State: 'in-use', Encrypted: false, Attachments: [{ InstanceId: instanceId, Device: '/dev/sdf', State: 'attached' }] });
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    expect(Reservations?.[0]?.Instances?.[0]?.BlockDeviceMappings?.map((m) => m.DeviceName)).toEqual(['/dev/xvda', '/dev/sdf']);

    expect(await ec2.send(new DetachVolumeCommand({ VolumeId: volumeId }))).toMatchObject({ State: 'detaching', InstanceId: instanceId });
    const after = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
    expect(after.Volumes?.[0]).toMatchObject({ State: 'available', Attachments: [] });
    await ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
  });

  it.each([
    ['a volume already attached', async (i: { instanceId: string; zone: string; rootVolumeId: string }) => ({ VolumeId: i.rootVolumeId, InstanceId: i.instanceId, Device: '/dev/sdg' }), 'VolumeInUse'],
    ['a volume in another zone', async (i: { instanceId: string; zone: string }) => ({ VolumeId: await volume(i.zone.endsWith('a') ? `${i.zone.slice(0, -1)}b` : `${i.zone.slice(0, -1)}a`), InstanceId: i.instanceId, Device: '/dev/sdf' }), 'InvalidVolume.ZoneMismatch'],
    ['a device the instance already uses', async (i: { instanceId: string; zone: string }) => ({ VolumeId: await volume(i.zone), InstanceId: i.instanceId, Device: '/dev/xvda' }), 'InvalidParameterValue'],
    ['a volume that does not exist', async (i: { instanceId: string }) => ({ VolumeId: 'vol-0123456789abcdef0', InstanceId: i.instanceId, Device: '/dev/sdf' }), 'InvalidVolume.NotFound'],
  ])('AttachVolume refuses %s', async (_case, input, code) => {
    const launched = await instance();
    await expectAwsError(ec2.send(new AttachVolumeCommand(await input(launched))), { name: code, status: 400 });
  });

  it('DetachVolume of a volume that is not attached: InvalidAttachment.NotFound', async () => {
    const { zone } = await instance();
    await expectAwsError(ec2.send(new DetachVolumeCommand({ VolumeId: await volume(zone) })), { name: 'InvalidAttachment.NotFound', status: 400 });
  });

  it('termination deletes the root volume and keeps an attached data volume, now available', async () => {
    const { instanceId, zone, rootVolumeId } = await instance();
    const volumeId = await volume(zone);
    await ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf' }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({}));
    expect(Volumes?.map((v) => [v.VolumeId, v.State])).toEqual([[volumeId, 'available']]);
    expect(Volumes?.some((v) => v.VolumeId === rootVolumeId)).toBe(false);
  });

  it.each([
    ['off: a volume is encrypted only when asked', false, [false, true]],
    ['on: every new volume is encrypted, even when Encrypted false is asked, and so is a new root volume', true, [true, true]],
  ])('EBS encryption by default %s', async (_case, byDefault, expected) => {
    if (byDefault) await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
    const { zone, rootVolumeId } = await instance();
    const ids = [await volume(zone, false), await volume(zone, true)];
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: ids }));
    expect(ids.map((id) => Volumes?.find((v) => v.VolumeId === id)?.Encrypted)).toEqual(expected);
    const root = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [rootVolumeId] }));
    expect(root.Volumes?.[0]?.Encrypted).toBe(byDefault);
  });
});
