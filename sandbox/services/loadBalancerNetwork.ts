/**
 * What the `elb` and `elbv2` sandbox services say about the network a load
 * balancer sits in. They do not read the EC2 sandbox's state (another
 * service's internals): subnets and instance ids are taken as given, and the
 * VPC, zones and default security groups are derived, the same way for both
 * services, from the account, the region and the subnet ids. So a load
 * balancer's VpcId is stable and shared by `elb` and `elbv2`, but it is not
 * necessarily the id of the EC2 sandbox's default VPC.
 */
import { createHash } from 'node:crypto';
import { partitionOf } from '../../services/core/regions.ts';
import type { OperationContext } from '../serviceModel.ts';

/** `vpc-` + 17 hex digits, the same for the same parts: ids that look real and never collide by accident. */
export function derivedId(prefix: string, ...parts: readonly string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 17)}`;
}

/** `fc5fbed3-0405-3b7d-a328-ea290e8c4a1b`, the same for the same parts. */
export function derivedUuid(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('/')).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-');
}

/** The account's default VPC in this region, as the load balancer services see it. */
export function defaultVpcId(context: OperationContext): string {
  return derivedId('vpc', context.account, context.region);
}

/** The VPC's default security group, which an ALB created without SecurityGroups gets. */
export function defaultSecurityGroupId(context: OperationContext): string {
  return derivedId('sg', context.account, context.region, 'default');
}

/** Zones in the order the subnets were given: `us-east-1a`, `us-east-1b`, ... */
export function zoneOf(region: string, index: number): string {
  return `${region}${String.fromCharCode(97 + (index % 26))}`;
}

/** The default subnet of a zone (for a classic load balancer created with AvailabilityZones). */
export function defaultSubnetOf(context: OperationContext, zone: string): string {
  return derivedId('subnet', context.account, context.region, zone);
}

/** `amazonaws.com`, or `amazonaws.com.cn` in China. */
export function dnsSuffix(region: string): string {
  return partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** Ten decimal digits from a fresh id, as in `my-lb-1234567890.us-east-1.elb.amazonaws.com`. */
export function dnsDigits(id: string): string {
  return (BigInt(`0x${id}`) % 10_000_000_000n).toString().padStart(10, '0');
}

/** Route 53 hosted zone of Classic and Application Load Balancers, per region (AWS's published values). */
const CLASSIC_AND_APPLICATION_ZONES: Readonly<Record<string, string>> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
};

/** Route 53 hosted zone of Network Load Balancers, per region (AWS's published values). */
const NETWORK_ZONES: Readonly<Record<string, string>> = {
  'us-east-1': 'Z26RNL4JYFTOTI',
  'us-east-2': 'ZLMOA37VPKANP',
  'us-west-2': 'Z18D5FSROUN65G',
  'eu-west-1': 'Z2IFOLAFXWLO4F',
  'eu-central-1': 'Z3F0SRJ5LGBH90',
};

/** The hosted zone id, where this table knows the region; a stable stand-in elsewhere. */
export function hostedZoneId(region: string, kind: 'classic' | 'application' | 'network' | 'gateway'): string {
  const table = kind === 'network' ? NETWORK_ZONES : CLASSIC_AND_APPLICATION_ZONES;
  return table[region] ?? `Z${createHash('sha256').update(`${kind}/${region}`).digest('hex').slice(0, 12).toUpperCase()}`;
}
