/**
 * An instance record as DescribeInstances returns it: state code and name,
 * network interface with its public IP association (Amazon-owned, released
 * when stopped), root volume mapping, security groups, metadata options.
 */
import type { Instance, InstanceState, InstanceStateName } from '@aws-sdk/client-ec2';
import type { OperationContext } from '../serviceModel.ts';
import { ec2StateOf, tagsField, type InstanceRecord } from './ec2State.ts';

export const STATE_CODES: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function instanceState(name: InstanceStateName): InstanceState {
  return { Code: STATE_CODES[name], Name: name };
}

function privateDnsName(context: OperationContext, ip: string): string {
  const domain = context.region === 'us-east-1' ? 'ec2.internal' : `${context.region}.compute.internal`;
  return `ip-${ip.replaceAll('.', '-')}.${domain}`;
}

function publicDnsName(context: OperationContext, ip: string): string {
  const domain = context.region === 'us-east-1' ? 'compute-1.amazonaws.com' : `${context.region}.compute.amazonaws.com`;
  return `ec2-${ip.replaceAll('.', '-')}.${domain}`;
}

/** The instance as EC2 shows it; `shown` overrides the state name (pending, stopping: what a mutating call answers). */
export function instanceOf(context: OperationContext, record: InstanceRecord, shown: InstanceStateName = record.state): Instance {
  const state = ec2StateOf(context);
  const terminated = record.state === 'terminated';
  const publicIp = shown === 'running' ? record.publicIp : undefined;
  const association = publicIp ? { PublicIp: publicIp, PublicDnsName: publicDnsName(context, publicIp), IpOwnerId: 'amazon' } : undefined;
  const groups = record.groupIds.map((id) => ({ GroupId: id, GroupName: state.securityGroups[id]?.groupName ?? '' }));
  const privateDns = privateDnsName(context, record.privateIp);
  const network: Instance = terminated
    ? {}
    : {
        SubnetId: record.subnetId,
        VpcId: record.vpcId,
        PrivateIpAddress: record.privateIp,
        PrivateDnsName: privateDns,
        ...(publicIp ? { PublicIpAddress: publicIp } : {}),
        // The root volume, then the volumes AttachVolume added.
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { VolumeId: record.rootVolumeId, Status: 'attached', AttachTime: new Date(record.launchTime), DeleteOnTermination: true } },
          ...Object.values(state.volumes).flatMap((volume) =>
            volume.attachment?.instanceId === record.instanceId && volume.volumeId !== record.rootVolumeId
              ? [{ DeviceName: volume.attachment.device, Ebs: { VolumeId: volume.volumeId, Status: 'attached' as const, AttachTime: new Date(volume.attachment.attachTime), DeleteOnTermination: volume.attachment.deleteOnTermination } }]
              : [],
          ),
        ],
        NetworkInterfaces: [
          {
            NetworkInterfaceId: record.networkInterfaceId,
            SubnetId: record.subnetId,
            VpcId: record.vpcId,
            OwnerId: context.account,
            Status: 'in-use',
            MacAddress: `0a:${record.networkInterfaceId.slice(-10).match(/../g)?.join(':') ?? '00:00:00:00:00'}`,
            PrivateIpAddress: record.privateIp,
            PrivateDnsName: privateDns,
            SourceDestCheck: true,
            Groups: groups,
            InterfaceType: 'interface',
            Attachment: { AttachmentId: `eni-attach-${record.networkInterfaceId.slice(4)}`, DeviceIndex: 0, NetworkCardIndex: 0, Status: 'attached', AttachTime: new Date(record.launchTime), DeleteOnTermination: true },
            ...(association ? { Association: association } : {}),
            PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: record.privateIp, PrivateDnsName: privateDns, ...(association ? { Association: association } : {}) }],
            Ipv6Addresses: [],
          },
        ],
        SecurityGroups: groups,
        SourceDestCheck: true,
      };
  return {
    InstanceId: record.instanceId,
    ImageId: record.imageId,
    State: instanceState(shown),
    PrivateDnsName: terminated ? '' : privateDns,
    PublicDnsName: association?.PublicDnsName ?? '',
    StateTransitionReason: record.stateTransitionReason,
    AmiLaunchIndex: record.launchIndex,
    InstanceType: record.instanceType as Instance['InstanceType'],
    LaunchTime: new Date(record.launchTime),
    Placement: { AvailabilityZone: record.availabilityZone, GroupName: '', Tenancy: 'default' },
    Monitoring: { State: 'disabled' },
    Architecture: record.architecture as Instance['Architecture'],
    RootDeviceType: 'ebs',
    RootDeviceName: '/dev/xvda',
    Hypervisor: 'xen',
    VirtualizationType: 'hvm',
    EnaSupport: true,
    EbsOptimized: false,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    MetadataOptions: {
      State: 'applied',
      HttpTokens: record.metadata.httpTokens,
      HttpPutResponseHopLimit: record.metadata.hopLimit,
      HttpEndpoint: record.metadata.httpEndpoint,
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: record.metadata.instanceMetadataTags,
    },
    ...network,
    ...tagsField(record.tags),
  };
}
