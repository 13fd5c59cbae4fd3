/**
 * EC2 instances: RunInstances (ImageId may be `resolve:ssm:<Amazon Linux
 * parameter>`; default subnet, default security group and the subnet's
 * public IP setting unless given), DescribeInstances, Start/Stop/Terminate
 * (answering the transitional state, settled from the next call on) and
 * ModifyInstanceMetadataOptions.
 */
import type {
  DescribeNetworkInterfacesCommandInput,
  DescribeNetworkInterfacesCommandOutput,
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  InstanceStateChange,
  InstanceStateName,
  ModifyInstanceMetadataOptionsCommandInput,
  ModifyInstanceMetadataOptionsCommandOutput,
  Reservation,
  RunInstancesCommandInput,
  RunInstancesCommandOutput,
  StartInstancesCommandInput,
  StartInstancesCommandOutput,
  StopInstancesCommandInput,
  StopInstancesCommandOutput,
  TerminateInstancesCommandInput,
  TerminateInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { resolveImageParameter } from './ec2ImageCatalog.ts';
import { visibleImages } from './ec2Images.ts';
import { instanceOf, instanceState } from './ec2InstanceView.ts';
import { postureStateOf } from './ec2PostureState.ts';
import { assertPageInput, ec2Page, filterRecords, nextTokenField, type FilterFields } from './ec2Query.ts';
import {
  GROUP_ID,
  IMAGE_ID,
  INSTANCE_ID,
  NETWORK_INTERFACE_ID,
  assertWellFormed,
  ec2StateOf,
  invalidParameterValue,
  notFound,
  recordById,
  recordsById,
  requiredParameter,
  tagsFor,
  type InstanceRecord,
  type SubnetRecord,
  type VpcRecord,
} from './ec2State.ts';

const INSTANCE_FILTERS: FilterFields<InstanceRecord> = {
  'instance-id': (i) => i.instanceId,
  'instance-state-name': (i) => i.state,
  'instance-state-code': (i) => String(instanceState(i.state).Code),
  'instance-type': (i) => i.instanceType,
  'image-id': (i) => i.imageId,
  'reservation-id': (i) => i.reservationId,
  'vpc-id': (i) => i.vpcId,
  'subnet-id': (i) => i.subnetId,
  'availability-zone': (i) => i.availabilityZone,
  'private-ip-address': (i) => i.privateIp,
  'ip-address': (i) => (i.state === 'running' ? i.publicIp : undefined),
  'instance.group-id': (i) => i.groupIds,
  'metadata-options.http-tokens': (i) => i.metadata.httpTokens,
  'metadata-options.http-endpoint': (i) => i.metadata.httpEndpoint,
};

/** A number from the id, for addresses that look real and differ per instance. */
function serialOf(id: string): number {
  return Number.parseInt(id.slice(-6), 16);
}

function placementOf(context: OperationContext, input: RunInstancesCommandInput): { vpc: VpcRecord; subnet: SubnetRecord } {
  const state = ec2StateOf(context);
  const subnetId = input.SubnetId ?? input.NetworkInterfaces?.[0]?.SubnetId;
  for (const vpc of Object.values(state.vpcs)) {
    const subnet = subnetId
      ? vpc.subnets.find((s) => s.subnetId === subnetId)
      : vpc.isDefault
        ? (vpc.subnets.find((s) => s.availabilityZone === input.Placement?.AvailabilityZone) ?? vpc.subnets[0])
        : undefined;
    if (subnet) return { vpc, subnet };
  }
  if (subnetId) throw serviceError('InvalidSubnetID.NotFound', 400, `The subnet ID '${subnetId}' does not exist`);
  throw serviceError('VPCIdNotSpecified', 400, 'No default VPC for this user');
}

function changeOf(record: InstanceRecord, previous: InstanceStateName, current: InstanceStateName): InstanceStateChange {
  return { InstanceId: record.instanceId, PreviousState: instanceState(previous), CurrentState: instanceState(current) };
}

function instancesOf(context: OperationContext, ids: string[] | undefined): InstanceRecord[] {
  return recordsById(INSTANCE_ID, requiredParameter(ids?.length ? ids : undefined, 'InstanceId'), ec2StateOf(context).instances);
}

function incorrectState(record: InstanceRecord, action: string): Error {
  return serviceError('IncorrectInstanceState', 400, `This instance '${record.instanceId}' is not in a state from which it can be ${action}.`);
}

export const instanceOperations: Readonly<Record<string, OperationHandler>> = {
  RunInstances: operation((context, input: RunInstancesCommandInput): Output<RunInstancesCommandOutput> => {
    const imageId = resolveImageParameter(context.region, requiredParameter(input.ImageId, 'ImageId'));
    assertWellFormed(IMAGE_ID, imageId);
    const image = visibleImages(context).find((i) => i.ImageId === imageId);
    if (!image) throw notFound(IMAGE_ID, [imageId]);
    const minCount = requiredParameter(input.MinCount, 'MinCount');
    const maxCount = requiredParameter(input.MaxCount, 'MaxCount');
    if (minCount < 1 || maxCount < minCount) throw invalidParameterValue(`Invalid MinCount ${minCount} / MaxCount ${maxCount}`);
    const state = ec2StateOf(context);
    const { vpc, subnet } = placementOf(context, input);
    const groupIds = input.SecurityGroupIds ?? input.NetworkInterfaces?.[0]?.Groups ?? [vpc.defaultGroupId];
    for (const group of recordsById(GROUP_ID, groupIds, state.securityGroups)) {
      if (group.vpcId !== vpc.vpcId) throw invalidParameterValue(`Security group ${group.groupId} and subnet ${subnet.subnetId} belong to different networks.`);
    }
    const metadata = input.MetadataOptions ?? {};
    const requiresTokens = image.ImdsSupport === 'v2.0';
    const [third = '0'] = subnet.cidr.split('.').slice(2);
    const reservationId = `r-${context.nextId()}`;
    const records = Array.from({ length: maxCount }, (_, launchIndex): InstanceRecord => {
      const instanceId = `i-${context.nextId()}`;
      const serial = serialOf(instanceId);
      const rootVolumeId = `vol-${context.nextId()}`;
      const launchTime = context.now().toISOString();
      const rootSize = image.BlockDeviceMappings?.[0]?.Ebs?.VolumeSize ?? 8;
      state.volumes[rootVolumeId] = {
        volumeId: rootVolumeId,
        size: rootSize,
        volumeType: 'gp3',
        iops: 3000,
        throughput: 125,
        availabilityZone: subnet.availabilityZone,
        createTime: launchTime,
        ...(image.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId ? { snapshotId: image.BlockDeviceMappings[0].Ebs.SnapshotId } : {}),
        // Encrypted when the image's root snapshot is, or under EBS encryption by default.
        encrypted: image.BlockDeviceMappings?.[0]?.Ebs?.Encrypted === true || postureStateOf(context).ebsEncryptionByDefault,
        attachment: { instanceId, device: '/dev/xvda', attachTime: launchTime, deleteOnTermination: true },
        tags: tagsFor(input.TagSpecifications, 'volume'),
      };
      const associatePublicIp = input.NetworkInterfaces?.[0]?.AssociatePublicIpAddress ?? subnet.mapPublicIpOnLaunch;
      return {
        instanceId,
        reservationId,
        launchIndex,
        imageId,
        instanceType: input.InstanceType ?? 'm1.small',
        architecture: image.Architecture ?? 'x86_64',
        state: 'running',
        stateTransitionReason: '',
        launchTime,
        subnetId: subnet.subnetId,
        vpcId: vpc.vpcId,
        availabilityZone: subnet.availabilityZone,
        privateIp: `172.31.${Number(third) + ((serial >> 8) % 16)}.${(serial % 250) + 4}`,
        ...(associatePublicIp ? { publicIp: `203.0.113.${(serial % 250) + 1}` } : {}),
        associatePublicIp,
        groupIds: [...groupIds],
        networkInterfaceId: `eni-${context.nextId()}`,
        rootVolumeId,
        metadata: {
          httpTokens: metadata.HttpTokens ?? (requiresTokens ? 'required' : 'optional'),
          httpEndpoint: metadata.HttpEndpoint ?? 'enabled',
          hopLimit: metadata.HttpPutResponseHopLimit ?? (requiresTokens ? 2 : 1),
          instanceMetadataTags: metadata.InstanceMetadataTags ?? 'disabled',
        },
        tags: tagsFor(input.TagSpecifications, 'instance'),
      };
    });
    for (const record of records) state.instances[record.instanceId] = record;
    return { ReservationId: reservationId, OwnerId: context.account, Groups: [], Instances: records.map((r) => instanceOf(context, r, 'pending')) };
  }),

  DescribeInstances: operation((context, input: DescribeInstancesCommandInput): Output<DescribeInstancesCommandOutput> => {
    const state = ec2StateOf(context);
    const ids = input.InstanceIds ?? [];
    const limits = { min: 5, max: 1000, idsParameter: 'instanceId' };
    assertPageInput(input, ids.length > 0, limits);
    const candidates = ids.length > 0 ? recordsById(INSTANCE_ID, ids, state.instances) : Object.values(state.instances);
    const matching = filterRecords(candidates, input.Filters, INSTANCE_FILTERS, (i) => i.tags);
    const { items, next } = ec2Page(matching, input, ids.length > 0, limits);
    const reservations = new Map<string, Reservation>();
    for (const record of items) {
      const reservation = reservations.get(record.reservationId) ?? { ReservationId: record.reservationId, OwnerId: context.account, Groups: [], Instances: [] };
      reservation.Instances?.push(instanceOf(context, record));
      reservations.set(record.reservationId, reservation);
    }
    return { Reservations: [...reservations.values()], ...nextTokenField(next) };
  }),

  // Only the instances' primary interfaces exist here, each attached to its instance.
  DescribeNetworkInterfaces: operation((context, input: DescribeNetworkInterfacesCommandInput): Output<DescribeNetworkInterfacesCommandOutput> => {
    const live = Object.values(ec2StateOf(context).instances).filter((record) => record.state !== 'terminated');
    const byInterface = Object.fromEntries(live.map((record) => [record.networkInterfaceId, record]));
    const ids = input.NetworkInterfaceIds ?? [];
    const records = ids.length > 0 ? recordsById(NETWORK_INTERFACE_ID, ids, byInterface) : live;
    return {
      NetworkInterfaces: records.flatMap((record) =>
        (instanceOf(context, record).NetworkInterfaces ?? []).map((networkInterface) => ({
          ...networkInterface,
          InterfaceType: 'interface' as const,
          AvailabilityZone: record.availabilityZone,
          RequesterManaged: false,
          Attachment: { ...networkInterface.Attachment, InstanceId: record.instanceId, InstanceOwnerId: context.account },
        })),
      ),
    };
  }),

  StopInstances: operation((context, input: StopInstancesCommandInput): Output<StopInstancesCommandOutput> => {
    const records = instancesOf(context, input.InstanceIds);
    const terminated = records.find((r) => r.state === 'terminated');
    if (terminated) throw incorrectState(terminated, 'stopped');
    return {
      StoppingInstances: records.map((record) => {
        const previous = record.state;
        record.state = 'stopped';
        record.stateTransitionReason = `User initiated (${context.now().toISOString().replace('T', ' ').slice(0, 19)} GMT)`;
        record.publicIp = undefined;
        return changeOf(record, previous, previous === 'running' ? 'stopping' : 'stopped');
      }),
    };
  }),

  StartInstances: operation((context, input: StartInstancesCommandInput): Output<StartInstancesCommandOutput> => {
    const records = instancesOf(context, input.InstanceIds);
    const terminated = records.find((r) => r.state === 'terminated');
    if (terminated) throw incorrectState(terminated, 'started');
    return {
      StartingInstances: records.map((record) => {
        const previous = record.state;
        if (previous === 'stopped' && record.associatePublicIp) record.publicIp = `203.0.113.${(serialOf(context.nextId()) % 250) + 1}`;
        record.state = 'running';
        record.stateTransitionReason = '';
        return changeOf(record, previous, previous === 'stopped' ? 'pending' : 'running');
      }),
    };
  }),

  TerminateInstances: operation((context, input: TerminateInstancesCommandInput): Output<TerminateInstancesCommandOutput> => {
    const state = ec2StateOf(context);
    return {
      TerminatingInstances: instancesOf(context, input.InstanceIds).map((record) => {
        const previous = record.state;
        record.state = 'terminated';
        record.stateTransitionReason = `User initiated (${context.now().toISOString().replace('T', ' ').slice(0, 19)} GMT)`;
        record.publicIp = undefined;
        delete state.volumes[record.rootVolumeId];
        // Attached data volumes (DeleteOnTermination false) are detached and kept.
        for (const volume of Object.values(state.volumes)) if (volume.attachment?.instanceId === record.instanceId) delete volume.attachment;
        return changeOf(record, previous, previous === 'terminated' ? 'terminated' : 'shutting-down');
      }),
    };
  }),

  ModifyInstanceMetadataOptions: operation((context, input: ModifyInstanceMetadataOptionsCommandInput): Output<ModifyInstanceMetadataOptionsCommandOutput> => {
    const record = recordById(INSTANCE_ID, input.InstanceId, 'InstanceId', ec2StateOf(context).instances);
    if (record.state === 'terminated') throw incorrectState(record, 'modified');
    const hopLimit = input.HttpPutResponseHopLimit;
    if (hopLimit !== undefined && (hopLimit < 1 || hopLimit > 64)) throw invalidParameterValue(`The HTTP PUT response hop limit must be between 1 and 64; ${hopLimit} is not.`);
    record.metadata = {
      httpTokens: input.HttpTokens ?? record.metadata.httpTokens,
      httpEndpoint: input.HttpEndpoint ?? record.metadata.httpEndpoint,
      hopLimit: hopLimit ?? record.metadata.hopLimit,
      instanceMetadataTags: input.InstanceMetadataTags ?? record.metadata.instanceMetadataTags,
    };
    return {
      InstanceId: record.instanceId,
      InstanceMetadataOptions: {
        State: 'pending',
        HttpTokens: record.metadata.httpTokens,
        HttpPutResponseHopLimit: record.metadata.hopLimit,
        HttpEndpoint: record.metadata.httpEndpoint,
        HttpProtocolIpv6: 'disabled',
        InstanceMetadataTags: record.metadata.instanceMetadataTags,
      },
    };
  }),
};
