/**
 * The EC2 slice of one (account, region) of the sandbox: plain JSON records
 * (dates as ISO strings), the default VPC every region starts with, and the
 * validation errors EC2 answers with.
 */
import type { CreateVolumePermission, LaunchPermission, Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { partitionOf } from '../../services/core/regions.ts';
import { serviceError } from '../sandboxErrors.ts';
import type { OperationContext } from '../serviceModel.ts';

export interface SubnetRecord {
  subnetId: string;
  availabilityZone: string;
  cidr: string;
  mapPublicIpOnLaunch: boolean;
}

export interface VpcRecord {
  vpcId: string;
  cidr: string;
  isDefault: boolean;
  subnets: SubnetRecord[];
  defaultGroupId: string;
  /** Absent on the default VPC the sandbox starts with (untagged). */
  tags?: Tag[];
}

/** One security group rule: one source (CIDR, group or prefix list) for one protocol and port range. */
export interface RuleRecord {
  ruleId: string;
  /** Normalized: tcp, udp, icmp, icmpv6, -1 or a protocol number. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  referencedGroupId?: string;
  prefixListId?: string;
  description?: string;
}

export interface SecurityGroupRecord {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  tags: Tag[];
  ingress: RuleRecord[];
  egress: RuleRecord[];
}

/** A customer-managed prefix list: a named, versioned set of CIDRs of one address family. */
export interface PrefixListRecord {
  prefixListId: string;
  name: string;
  addressFamily: 'IPv4' | 'IPv6';
  maxEntries: number;
  version: number;
  entries: { cidr: string; description?: string }[];
  tags: Tag[];
}

export type StoredInstanceState = 'running' | 'stopped' | 'terminated';

export interface InstanceRecord {
  instanceId: string;
  reservationId: string;
  launchIndex: number;
  imageId: string;
  instanceType: string;
  architecture: string;
  state: StoredInstanceState;
  stateTransitionReason: string;
  launchTime: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  privateIp: string;
  /** Auto-assigned (Amazon-owned) public IP while running; released when stopped. */
  publicIp?: string;
  associatePublicIp: boolean;
  groupIds: string[];
  networkInterfaceId: string;
  rootVolumeId: string;
  metadata: { httpTokens: 'optional' | 'required'; httpEndpoint: 'enabled' | 'disabled'; hopLimit: number; instanceMetadataTags: 'enabled' | 'disabled' };
  tags: Tag[];
}

export interface VolumeRecord {
  volumeId: string;
  size: number;
  volumeType: string;
  iops?: number;
  throughput?: number;
  availabilityZone: string;
  createTime: string;
  snapshotId?: string;
  encrypted: boolean;
  attachment?: { instanceId: string; device: string; attachTime: string; deleteOnTermination: boolean };
  tags: Tag[];
}

export interface SnapshotRecord {
  snapshotId: string;
  volumeId: string;
  volumeSize: number;
  description: string;
  startTime: string;
  encrypted: boolean;
  tags: Tag[];
  createVolumePermissions: CreateVolumePermission[];
}

export interface ImageRecord {
  imageId: string;
  name: string;
  description?: string;
  architecture: string;
  rootDeviceName: string;
  virtualizationType: string;
  enaSupport: boolean;
  imdsSupport?: string;
  creationDate: string;
  blockDeviceMappings: { deviceName: string; snapshotId: string; volumeSize: number; volumeType: string; deleteOnTermination: boolean }[];
  tags: Tag[];
  launchPermissions: LaunchPermission[];
}

export interface Ec2State {
  vpcs: Record<string, VpcRecord>;
  securityGroups: Record<string, SecurityGroupRecord>;
  prefixLists: Record<string, PrefixListRecord>;
  instances: Record<string, InstanceRecord>;
  volumes: Record<string, VolumeRecord>;
  snapshots: Record<string, SnapshotRecord>;
  images: Record<string, ImageRecord>;
}

export const AVAILABILITY_ZONE_SUFFIXES = ['a', 'b', 'c'] as const;

/**
 * The security group AWS creates with every VPC: all traffic from its own
 * members in, all traffic out. https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
 */
export function defaultGroupOf(context: OperationContext, vpcId: string, groupId: string): SecurityGroupRecord {
  return {
    groupId,
    groupName: 'default',
    description: 'default VPC security group',
    vpcId,
    tags: [],
    ingress: [{ ruleId: `sgr-${context.nextId()}`, protocol: '-1', referencedGroupId: groupId }],
    egress: [{ ruleId: `sgr-${context.nextId()}`, protocol: '-1', cidrIpv4: '0.0.0.0/0' }],
  };
}

/** Every region starts as in AWS: a default VPC (172.31.0.0/16), a default subnet per zone, the default security group. */
function initialState(context: OperationContext): Ec2State {
  const vpcId = `vpc-${context.nextId()}`;
  const groupId = `sg-${context.nextId()}`;
  const subnets = AVAILABILITY_ZONE_SUFFIXES.map((suffix, index) => ({
    subnetId: `subnet-${context.nextId()}`,
    availabilityZone: `${context.region}${suffix}`,
    cidr: `172.31.${index * 16}.0/20`,
    mapPublicIpOnLaunch: true,
  }));
  const defaultGroup = defaultGroupOf(context, vpcId, groupId);
  return {
    vpcs: { [vpcId]: { vpcId, cidr: '172.31.0.0/16', isDefault: true, subnets, defaultGroupId: groupId } },
    securityGroups: { [groupId]: defaultGroup },
    prefixLists: {},
    instances: {},
    volumes: {},
    snapshots: {},
    images: {},
  };
}

/** This (account, region)'s EC2 state, created (with its default VPC) on first use. */
export function ec2StateOf(context: OperationContext): Ec2State {
  return context.regional<Ec2State>('ec2', () => initialState(context));
}

/** Every account's EC2 state in this region (others' shared snapshots and AMIs are visible). */
export function ec2StatesInRegion(context: OperationContext): { account: string; state: Ec2State }[] {
  return Object.keys(context.state.accounts).flatMap((account) => {
    if (account === context.account) return [{ account, state: ec2StateOf(context) }];
    const state = context.state.accounts[account]?.regions[context.region]?.ec2 as Ec2State | undefined;
    return state ? [{ account, state }] : [];
  });
}

export function defaultVpcOf(state: Ec2State): VpcRecord | undefined {
  return Object.values(state.vpcs).find((vpc) => vpc.isDefault);
}

export function ec2Arn(context: OperationContext, resource: string): string {
  return `arn:${partitionOf(context.region)}:ec2:${context.region}:${context.account}:${resource}`;
}

/** Tags of the TagSpecifications that apply to this resource type. */
export function tagsFor(specifications: readonly TagSpecification[] | undefined, resourceType: string): Tag[] {
  return (specifications ?? []).filter((spec) => spec.ResourceType === resourceType).flatMap((spec) => spec.Tags ?? []);
}

/** Tags as EC2 returns them: absent when there are none. */
export function tagsField(tags: readonly Tag[]): { Tags?: Tag[] } {
  return tags.length > 0 ? { Tags: [...tags] } : {};
}

// ---------- EC2's errors (all 400, Query protocol codes) ----------

export function missingParameter(name: string): Error {
  return serviceError('MissingParameter', 400, `The request must contain the parameter ${name}`);
}

export function invalidParameterValue(message: string): Error {
  return serviceError('InvalidParameterValue', 400, message);
}

/** The value, or MissingParameter as EC2 answers a missing required parameter. */
export function requiredParameter<T>(value: T | undefined | null, name: string): T {
  if (value === undefined || value === null || value === '') throw missingParameter(name);
  return value;
}

export interface IdKind {
  prefix: string;
  /** Error code for a malformed id. */
  malformed: string;
  /** Error code for a well-formed id that does not exist. */
  notFound: string;
  /** What the message calls it: "instance ID", "security group", ... */
  noun: string;
}

export const INSTANCE_ID: IdKind = { prefix: 'i', malformed: 'InvalidInstanceID.Malformed', notFound: 'InvalidInstanceID.NotFound', noun: 'instance ID' };
export const GROUP_ID: IdKind = { prefix: 'sg', malformed: 'InvalidGroupId.Malformed', notFound: 'InvalidGroup.NotFound', noun: 'security group' };
export const IMAGE_ID: IdKind = { prefix: 'ami', malformed: 'InvalidAMIID.Malformed', notFound: 'InvalidAMIID.NotFound', noun: 'image id' };
export const SNAPSHOT_ID: IdKind = { prefix: 'snap', malformed: 'InvalidSnapshotID.Malformed', notFound: 'InvalidSnapshot.NotFound', noun: 'snapshot' };
export const PREFIX_LIST_ID: IdKind = { prefix: 'pl', malformed: 'InvalidPrefixListID.Malformed', notFound: 'InvalidPrefixListID.NotFound', noun: 'prefix list ID' };
export const NETWORK_INTERFACE_ID: IdKind = { prefix: 'eni', malformed: 'InvalidNetworkInterfaceID.Malformed', notFound: 'InvalidNetworkInterfaceID.NotFound', noun: 'networkInterface ID' };
export const VPC_ID: IdKind = { prefix: 'vpc', malformed: 'InvalidVpcID.Malformed', notFound: 'InvalidVpcID.NotFound', noun: 'vpc ID' };
export const VOLUME_ID: IdKind = { prefix: 'vol', malformed: 'InvalidVolumeID.Malformed', notFound: 'InvalidVolume.NotFound', noun: 'volume' };

export function notFound(kind: IdKind, ids: readonly string[]): Error {
  const shown = kind === IMAGE_ID ? `[${ids.join(', ')}]` : ids.join(', ');
  return serviceError(kind.notFound, 400, ids.length > 1 ? `The ${kind.noun}s '${shown}' do not exist` : `The ${kind.noun} '${shown}' does not exist`);
}

/** `i-` + 8 or 17 hex digits (and so on): anything else is Malformed, before any lookup. */
export function assertWellFormed(kind: IdKind, id: string): void {
  if (!new RegExp(`^${kind.prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(id)) throw serviceError(kind.malformed, 400, `Invalid id: "${id}"`);
}

/** Look up records by id, as EC2 does: a malformed id, then any unknown id, fails the whole call. */
export function recordsById<R>(kind: IdKind, ids: readonly string[], records: Readonly<Record<string, R>>): R[] {
  for (const id of ids) assertWellFormed(kind, id);
  const missing = ids.filter((id) => records[id] === undefined);
  if (missing.length > 0) throw notFound(kind, missing);
  return [...new Set(ids)].flatMap((id) => (records[id] === undefined ? [] : [records[id]]));
}

/** One record by id (a required parameter). */
export function recordById<R>(kind: IdKind, id: string | undefined, parameter: string, records: Readonly<Record<string, R>>): R {
  const [record] = recordsById(kind, [requiredParameter(id, parameter)], records);
  if (record === undefined) throw notFound(kind, [id ?? '']);
  return record;
}

/** A 12-digit account id, for sharing permissions. */
export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}
