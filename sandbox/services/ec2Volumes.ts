/**
 * EBS volumes: CreateVolume, DescribeVolumes, DeleteVolume, AttachVolume,
 * DetachVolume. A volume is `creating` in CreateVolume's answer and
 * `available` (or `in-use` while attached) from then on; AttachVolume answers
 * `attaching` and DetachVolume `detaching`, the change being immediate;
 * encrypted when asked, when made from an encrypted snapshot, or when the
 * region's EBS encryption by default is on.
 */
import type {
  AttachVolumeCommandInput,
  AttachVolumeCommandOutput,
  DetachVolumeCommandInput,
  DetachVolumeCommandOutput,
  CreateVolumeCommandInput,
  CreateVolumeCommandOutput,
  DeleteVolumeCommandInput,
  DescribeVolumesCommandInput,
  DescribeVolumesCommandOutput,
  Volume,
  VolumeState,
  VolumeType,
} from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { assertPageInput, ec2Page, filterRecords, nextTokenField, type FilterFields } from './ec2Query.ts';
import { availabilityZonesOf } from './ec2Network.ts';
import { postureStateOf } from './ec2PostureState.ts';
import {
  INSTANCE_ID,
  SNAPSHOT_ID,
  VOLUME_ID,
  ec2Arn,
  ec2StateOf,
  invalidParameterValue,
  recordById,
  recordsById,
  requiredParameter,
  tagsField,
  tagsFor,
  type VolumeRecord,
} from './ec2State.ts';

const VOLUME_FILTERS: FilterFields<VolumeRecord> = {
  'volume-id': (v) => v.volumeId,
  status: (v) => (v.attachment ? 'in-use' : 'available'),
  'availability-zone': (v) => v.availabilityZone,
  'snapshot-id': (v) => v.snapshotId,
  size: (v) => String(v.size),
  'volume-type': (v) => v.volumeType,
  encrypted: (v) => String(v.encrypted),
  'attachment.instance-id': (v) => v.attachment?.instanceId,
};

/** gp3: 3,000 IOPS and 125 MiB/s unless set; gp2: 3 IOPS per GiB, at least 100. */
function performanceOf(volumeType: string, size: number, input: { Iops?: number; Throughput?: number }): Pick<VolumeRecord, 'iops' | 'throughput'> {
  if (volumeType === 'gp3') return { iops: input.Iops ?? 3000, throughput: input.Throughput ?? 125 };
  if (volumeType === 'gp2') return { iops: Math.min(16000, Math.max(100, size * 3)) };
  if (volumeType === 'io1' || volumeType === 'io2') return { iops: requiredParameter(input.Iops, 'Iops') };
  return {};
}

export function volumeOf(context: OperationContext, volume: VolumeRecord, state?: VolumeState): Volume {
  return {
    VolumeId: volume.volumeId,
    Size: volume.size,
    SnapshotId: volume.snapshotId ?? '',
    AvailabilityZone: volume.availabilityZone,
    State: state ?? (volume.attachment ? 'in-use' : 'available'),
    CreateTime: new Date(volume.createTime),
    Attachments: volume.attachment
      ? [{ VolumeId: volume.volumeId, InstanceId: volume.attachment.instanceId, Device: volume.attachment.device, State: 'attached', AttachTime: new Date(volume.attachment.attachTime), DeleteOnTermination: volume.attachment.deleteOnTermination }]
      : [],
    Encrypted: volume.encrypted,
    VolumeType: volume.volumeType as VolumeType,
    ...(volume.iops !== undefined ? { Iops: volume.iops } : {}),
    ...(volume.throughput !== undefined ? { Throughput: volume.throughput } : {}),
    MultiAttachEnabled: false,
    VolumeArn: ec2Arn(context, `volume/${volume.volumeId}`),
    ...tagsField(volume.tags),
  };
}

export const volumeOperations: Readonly<Record<string, OperationHandler>> = {
  CreateVolume: operation((context, input: CreateVolumeCommandInput): Output<CreateVolumeCommandOutput> => {
    const zone = requiredParameter(input.AvailabilityZone, 'AvailabilityZone');
    if (!availabilityZonesOf(context.region).some((z) => z.ZoneName === zone)) throw invalidParameterValue(`Invalid availability zone: [${zone}]`);
    const state = ec2StateOf(context);
    const snapshot = input.SnapshotId ? recordById(SNAPSHOT_ID, input.SnapshotId, 'SnapshotId', state.snapshots) : undefined;
    const size = input.Size ?? snapshot?.volumeSize;
    if (size === undefined) throw serviceError('MissingParameter', 400, 'The request must contain the parameter size or snapshotId');
    if (snapshot && size < snapshot.volumeSize) throw invalidParameterValue(`Volume of ${size}GiB is too small; minimum is ${snapshot.volumeSize}GiB`);
    if (size < 1 || size > 65536) throw invalidParameterValue(`Volume of ${size}GiB is out of range`);
    const volumeType = input.VolumeType ?? 'gp2';
    const volume: VolumeRecord = {
      volumeId: `vol-${context.nextId()}`,
      size,
      volumeType,
      ...performanceOf(volumeType, size, input),
      availabilityZone: zone,
      createTime: context.now().toISOString(),
      ...(snapshot ? { snapshotId: snapshot.snapshotId } : {}),
      // With EBS encryption by default on, every new volume is encrypted, whatever Encrypted says:
      // https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html
      encrypted: input.Encrypted === true || snapshot?.encrypted === true || postureStateOf(context).ebsEncryptionByDefault,
      tags: tagsFor(input.TagSpecifications, 'volume'),
    };
    state.volumes[volume.volumeId] = volume;
    return volumeOf(context, volume, 'creating');
  }),

  DescribeVolumes: operation((context, input: DescribeVolumesCommandInput): Output<DescribeVolumesCommandOutput> => {
    const state = ec2StateOf(context);
    const ids = input.VolumeIds ?? [];
    const limits = { min: 5, max: 500, idsParameter: 'volumeId' };
    assertPageInput(input, ids.length > 0, limits);
    const candidates = ids.length > 0 ? recordsById(VOLUME_ID, ids, state.volumes) : Object.values(state.volumes);
    const matching = filterRecords(candidates, input.Filters, VOLUME_FILTERS, (v) => v.tags);
    const { items, next } = ec2Page(matching, input, ids.length > 0, limits);
    return { Volumes: items.map((v) => volumeOf(context, v)), ...nextTokenField(next) };
  }),

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachVolume.html; error names as moto's (moto/ec2/exceptions.py).
  AttachVolume: operation((context, input: AttachVolumeCommandInput): Output<AttachVolumeCommandOutput> => {
    const state = ec2StateOf(context);
    const device = requiredParameter(input.Device, 'Device');
    const volume = recordById(VOLUME_ID, input.VolumeId, 'VolumeId', state.volumes);
    const instance = recordById(INSTANCE_ID, input.InstanceId, 'InstanceId', state.instances);
    if (instance.state === 'terminated') throw serviceError('IncorrectInstanceState', 400, `The instance '${instance.instanceId}' is not in a valid state for this operation.`);
    if (volume.attachment) throw serviceError('VolumeInUse', 400, `Volume ${volume.volumeId} is currently attached to ${volume.attachment.instanceId}`);
    if (volume.availabilityZone !== instance.availabilityZone) {
      throw serviceError('InvalidVolume.ZoneMismatch', 400, `The volume '${volume.volumeId}' is not in the same availability zone as instance '${instance.instanceId}'`);
    }
    if (Object.values(state.volumes).some((v) => v.attachment?.instanceId === instance.instanceId && v.attachment.device === device)) {
      throw invalidParameterValue(`Attachment point ${device} is already in use`);
    }
    const attachTime = context.now().toISOString();
    volume.attachment = { instanceId: instance.instanceId, device, attachTime, deleteOnTermination: false };
    return { VolumeId: volume.volumeId, InstanceId: instance.instanceId, Device: device, State: 'attaching', AttachTime: new Date(attachTime), DeleteOnTermination: false };
  }),

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachVolume.html
  DetachVolume: operation((context, input: DetachVolumeCommandInput): Output<DetachVolumeCommandOutput> => {
    const state = ec2StateOf(context);
    const volume = recordById(VOLUME_ID, input.VolumeId, 'VolumeId', state.volumes);
    const { attachment } = volume;
    if (!attachment || (input.InstanceId !== undefined && input.InstanceId !== attachment.instanceId) || (input.Device !== undefined && input.Device !== attachment.device)) {
      throw serviceError('InvalidAttachment.NotFound', 400, `Volume ${volume.volumeId} can not be detached from ${input.InstanceId ?? 'its instance'} because it is not attached`);
    }
    delete volume.attachment;
    return { VolumeId: volume.volumeId, InstanceId: attachment.instanceId, Device: attachment.device, State: 'detaching', AttachTime: new Date(attachment.attachTime), DeleteOnTermination: attachment.deleteOnTermination };
  }),

  DeleteVolume: operation((context, input: DeleteVolumeCommandInput) => {
    const state = ec2StateOf(context);
    const volume = recordById(VOLUME_ID, input.VolumeId, 'VolumeId', state.volumes);
    if (volume.attachment) throw serviceError('VolumeInUse', 400, `Volume ${volume.volumeId} is currently attached to ${volume.attachment.instanceId}`);
    delete state.volumes[volume.volumeId];
    return {};
  }),
};
