/**
 * An EBS snapshot that holds nothing, for the ebs_snapshot and ami entries:
 * a 1 GiB gp3 volume that is never attached (so every block is zero) ->
 * CreateSnapshot -> the volume is deleted once the snapshot completes.
 *
 * Real AWS: the volume lives a minute or two (about $0.0001); a snapshot of
 * a never-written volume stores no blocks, so it costs next to nothing. The
 * waits (volume available, snapshot completed) usually take well under two
 * minutes; the sandbox answers them at once.
 */
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
} from '@aws-sdk/client-ec2';
import { ComplianceError } from '../../services/core/errors.ts';
import type { MakerContext } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';
import { makerFilters, makerTagSpecification } from './ec2Tagging.ts';

/** Polling for real AWS: first check at once, then every few seconds, at most five minutes. */
export const WAIT = { maxWaitTime: 300, minDelay: 3, maxDelay: 15 } as const;

/** The maker's snapshots with this name (own ones only). */
export async function findMakerSnapshots(context: MakerContext, name: string): Promise<string[]> {
  const { Snapshots } = await context.clients.get(EC2Client).send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: makerFilters(name) }));
  return (Snapshots ?? []).flatMap((snapshot) => (snapshot.SnapshotId ? [snapshot.SnapshotId] : []));
}

async function findMakerVolumes(context: MakerContext, name: string): Promise<string[]> {
  const { Volumes } = await context.clients.get(EC2Client).send(new DescribeVolumesCommand({ Filters: makerFilters(name) }));
  return (Volumes ?? []).flatMap((volume) => (volume.VolumeId ? [volume.VolumeId] : []));
}

/** The region's first availability zone (not a Local Zone). */
async function firstZone(context: MakerContext): Promise<string> {
  const { AvailabilityZones } = await context.clients.get(EC2Client).send(
    new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'state', Values: ['available'] }, { Name: 'zone-type', Values: ['availability-zone'] }] }),
  );
  const zone = (AvailabilityZones ?? []).map((z) => z.ZoneName ?? '').filter(Boolean).sort()[0];
  if (!zone) throw new ComplianceError(`no available zone in ${context.region} to create the maker's empty volume in`, { account: context.account, region: context.region });
  return zone;
}

/** The snapshot named `name`, made (from an empty volume) if it does not exist yet. Returns its id. */
export async function ensureEmptySnapshot(context: MakerContext, name: string, description: string): Promise<string> {
  const ec2 = context.clients.get(EC2Client);
  const [existing] = await findMakerSnapshots(context, name);
  if (existing) {
    await waitUntilSnapshotCompleted({ client: ec2, ...WAIT }, { SnapshotIds: [existing] });
    return existing;
  }
  const volumeName = `${name}-volume`;
  const [leftover] = await findMakerVolumes(context, volumeName);
  const volumeId =
    leftover ??
    (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: await firstZone(context), Size: 1, VolumeType: 'gp3', TagSpecifications: [makerTagSpecification('volume', volumeName)] })))
      .VolumeId;
  if (!volumeId) throw new ComplianceError('CreateVolume returned no volume id', { account: context.account, region: context.region });
  await waitUntilVolumeAvailable({ client: ec2, ...WAIT }, { VolumeIds: [volumeId] });
  const { SnapshotId } = await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId, Description: description, TagSpecifications: [makerTagSpecification('snapshot', name)] }));
  if (!SnapshotId) throw new ComplianceError('CreateSnapshot returned no snapshot id', { account: context.account, region: context.region });
  await waitUntilSnapshotCompleted({ client: ec2, ...WAIT }, { SnapshotIds: [SnapshotId] });
  await ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
  return SnapshotId;
}

/** Delete the maker's snapshots named `name` and any volume a failed run left behind. Returns the ids removed. */
export async function removeEmptySnapshots(context: MakerContext, name: string): Promise<string[]> {
  const ec2 = context.clients.get(EC2Client);
  const removed: string[] = [];
  for (const snapshotId of await findMakerSnapshots(context, name)) {
    if (await unlessGone(() => ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })), ['InvalidSnapshot.NotFound'], undefined)) removed.push(snapshotId);
  }
  for (const volumeId of await findMakerVolumes(context, `${name}-volume`)) {
    if (await unlessGone(() => ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId })), ['InvalidVolume.NotFound'], undefined)) removed.push(volumeId);
  }
  return removed;
}
