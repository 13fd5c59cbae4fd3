/**
 * The region's network as EC2 describes it: its availability zones
 * (DescribeAvailabilityZones) and the default VPC's default subnets, one per
 * zone (DescribeSubnets; the load balancer makers look them up too).
 */
import type {
  AvailabilityZone,
  DescribeAvailabilityZonesCommandInput,
  DescribeAvailabilityZonesCommandOutput,
  DescribeSubnetsCommandInput,
  DescribeSubnetsCommandOutput,
  Subnet,
} from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { assertPageInput, ec2Page, filterRecords, nextTokenField, type FilterFields } from './ec2Query.ts';
import { AVAILABILITY_ZONE_SUFFIXES, ec2Arn, ec2StateOf, invalidParameterValue } from './ec2State.ts';

const DIRECTIONS: Readonly<Record<string, string>> = {
  north: 'n', south: 's', east: 'e', west: 'w', central: 'c', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
};

/** `use1-az1` for us-east-1a: the zone id AWS derives from the region's short name. */
function zoneIdOf(region: string, index: number): string {
  const [area = '', direction = '', number = ''] = region.split('-');
  return `${area}${DIRECTIONS[direction] ?? direction.charAt(0)}${number}-az${index + 1}`;
}

export function availabilityZonesOf(region: string): AvailabilityZone[] {
  return AVAILABILITY_ZONE_SUFFIXES.map((suffix, index) => ({
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: region,
    ZoneName: `${region}${suffix}`,
    ZoneId: zoneIdOf(region, index),
    GroupName: region,
    NetworkBorderGroup: region,
    ZoneType: 'availability-zone',
  }));
}

const ZONE_FILTERS: FilterFields<AvailabilityZone> = {
  state: (z) => z.State,
  'zone-name': (z) => z.ZoneName,
  'zone-id': (z) => z.ZoneId,
  'region-name': (z) => z.RegionName,
  'zone-type': (z) => z.ZoneType,
  'group-name': (z) => z.GroupName,
  'opt-in-status': (z) => z.OptInStatus,
};

const SUBNET_FILTERS: FilterFields<Subnet> = {
  'subnet-id': (s) => s.SubnetId,
  'vpc-id': (s) => s.VpcId,
  'availability-zone': (s) => s.AvailabilityZone,
  'availability-zone-id': (s) => s.AvailabilityZoneId,
  'default-for-az': (s) => String(s.DefaultForAz ?? false),
  'map-public-ip-on-launch': (s) => String(s.MapPublicIpOnLaunch ?? false),
  'cidr-block': (s) => s.CidrBlock,
  state: (s) => s.State,
  'owner-id': (s) => s.OwnerId,
};

function subnetsOf(context: OperationContext): Subnet[] {
  const zones = availabilityZonesOf(context.region);
  return Object.values(ec2StateOf(context).vpcs).flatMap((vpc) =>
    vpc.subnets.map((subnet) => ({
      SubnetId: subnet.subnetId,
      SubnetArn: ec2Arn(context, `subnet/${subnet.subnetId}`),
      VpcId: vpc.vpcId,
      AvailabilityZone: subnet.availabilityZone,
      AvailabilityZoneId: zones.find((z) => z.ZoneName === subnet.availabilityZone)?.ZoneId,
      CidrBlock: subnet.cidr,
      AvailableIpAddressCount: 4091,
      DefaultForAz: vpc.isDefault,
      MapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
      MapCustomerOwnedIpOnLaunch: false,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      EnableDns64: false,
      Ipv6Native: false,
      State: 'available',
      OwnerId: context.account,
    })),
  );
}

export const networkOperations: Readonly<Record<string, OperationHandler>> = {
  DescribeAvailabilityZones: operation((context, input: DescribeAvailabilityZonesCommandInput): Output<DescribeAvailabilityZonesCommandOutput> => {
    const all = availabilityZonesOf(context.region);
    const unknown = (input.ZoneNames ?? []).find((name) => !all.some((zone) => zone.ZoneName === name));
    if (unknown !== undefined) throw invalidParameterValue(`The Availability Zone '${unknown}' does not exist`);
    const named = all.filter(
      (zone) => (!input.ZoneNames?.length || input.ZoneNames.includes(zone.ZoneName ?? '')) && (!input.ZoneIds?.length || input.ZoneIds.includes(zone.ZoneId ?? '')),
    );
    return { AvailabilityZones: filterRecords(named, input.Filters, ZONE_FILTERS, () => []) };
  }),

  DescribeSubnets: operation((context, input: DescribeSubnetsCommandInput): Output<DescribeSubnetsCommandOutput> => {
    const all = subnetsOf(context);
    const ids = input.SubnetIds ?? [];
    const limits = { min: 5, max: 1000, idsParameter: 'subnetId' };
    assertPageInput(input, ids.length > 0, limits);
    const missing = ids.filter((id) => !all.some((subnet) => subnet.SubnetId === id));
    if (missing.length > 0) throw serviceError('InvalidSubnetID.NotFound', 400, `The subnet ID '${missing.join(', ')}' does not exist`);
    const byId = all.filter((subnet) => ids.length === 0 || ids.includes(subnet.SubnetId ?? ''));
    const { items, next } = ec2Page(filterRecords(byId, input.Filters, SUBNET_FILTERS, () => []), input, ids.length > 0, limits);
    return { Subnets: items, ...nextTokenField(next) };
  }),
};
