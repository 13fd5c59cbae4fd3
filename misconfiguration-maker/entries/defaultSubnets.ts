/**
 * Where the maker's internet-facing load balancers go: the default VPC's
 * default subnets (EC2 DescribeSubnets, filter default-for-az=true), one per
 * Availability Zone, in zone order. Nothing is created in EC2.
 */
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ComplianceError } from '../../services/core/errors.ts';
import type { MakerContext } from '../makerContract.ts';

export interface DefaultSubnet {
  subnetId: string;
  zone: string;
  vpcId: string;
}

/** One default subnet per zone; at least `count` of them, or a clear error naming the fix. */
export async function defaultSubnets(context: MakerContext, count: number): Promise<DefaultSubnet[]> {
  const ec2 = context.clients.get(EC2Client);
  // Without MaxResults, EC2 answers every matching subnet in one response.
  const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }));
  const byZone = new Map<string, DefaultSubnet>();
  for (const subnet of Subnets ?? []) {
    if (!subnet.SubnetId || !subnet.AvailabilityZone || !subnet.VpcId || byZone.has(subnet.AvailabilityZone)) continue;
    byZone.set(subnet.AvailabilityZone, { subnetId: subnet.SubnetId, zone: subnet.AvailabilityZone, vpcId: subnet.VpcId });
  }
  const subnets = [...byZone.values()].sort((a, b) => a.zone.localeCompare(b.zone));
  if (subnets.length < count) {
    throw new ComplianceError(
      `the load balancer entries need ${count} default subnet(s) in distinct zones, found ${subnets.length}: create the default VPC with \`aws ec2 create-default-vpc --region ${context.region}\``,
      { account: context.account, region: context.region },
    );
  }
  return subnets.slice(0, count);
}
