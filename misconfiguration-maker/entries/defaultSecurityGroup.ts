/**
 * A VPC of the maker's own, `misconfiguration-maker-vpc-<account>-<region>`,
 * with no subnet, gateway or instance: AWS creates its default security
 * group with the default rules (all traffic from the group's members, all
 * traffic out), which fails security_group.default_allows_traffic. The group
 * gets the maker's tags (CreateVpc's TagSpecifications tag the VPC only),
 * so `poller --only-test-resources` audits it, and one more outbound rule
 * (HTTPS to anywhere), as someone opening the default group would: that
 * AuthorizeSecurityGroupEgress names the group, so the event path reaches it
 * too (no CloudTrail event of CreateVpc names the default group). The
 * account's own default VPC and its default group are never touched.
 *
 * Harmless: nothing can use a VPC without subnets. Real AWS: free; it takes
 * one of the region's VPCs (5 by default). Teardown deletes the VPC, and
 * AWS deletes its default group (and any flow log of it) with it.
 * https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type IpPermission,
  type Vpc,
} from '@aws-sdk/client-ec2';
import { ComplianceError } from '../../services/core/errors.ts';
import { makerName, type MakerContext } from '../makerContract.ts';
import { makerFilters, makerTagSpecification, makerTags } from './ec2Tagging.ts';
import { unlessGone } from './unlessGone.ts';

/** A small block of its own: nothing is ever placed in it. */
const MAKER_VPC_CIDR = '10.250.0.0/28';
const HTTPS_OUT: IpPermission = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'misconfiguration-maker: HTTPS out' }] };

function hasHttpsOut(egress: readonly IpPermission[]): boolean {
  return egress.some((p) => p.IpProtocol === 'tcp' && p.FromPort === 443 && p.ToPort === 443 && (p.IpRanges ?? []).some((r) => r.CidrIp === '0.0.0.0/0'));
}

export function makerVpcName(account: string, region: string): string {
  return makerName('vpc', account, region);
}

export function defaultGroupPlan(account: string, region: string): string {
  return `VPC ${makerVpcName(account, region)} (${MAKER_VPC_CIDR}, no subnets): its default security group keeps AWS's default rules plus outbound tcp 443 to 0.0.0.0/0, tagged as the maker's`;
}

async function findMakerVpcs(context: MakerContext): Promise<Vpc[]> {
  const { Vpcs } = await context.clients.get(EC2Client).send(new DescribeVpcsCommand({ Filters: makerFilters(makerVpcName(context.account, context.region)) }));
  return Vpcs ?? [];
}

/** Make (or reuse) the maker's VPC and tag its default group; returns the group's id. */
export async function makeDefaultGroup(context: MakerContext): Promise<string> {
  const ec2 = context.clients.get(EC2Client);
  const name = makerVpcName(context.account, context.region);
  const [existing] = await findMakerVpcs(context);
  const vpcId = existing?.VpcId ?? (await ec2.send(new CreateVpcCommand({ CidrBlock: MAKER_VPC_CIDR, TagSpecifications: [makerTagSpecification('vpc', name)] }))).Vpc?.VpcId;
  if (!vpcId) throw new ComplianceError('CreateVpc returned no VPC id', { account: context.account, region: context.region });
  const { SecurityGroups } = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }),
  );
  const [group] = SecurityGroups ?? [];
  const groupId = group?.GroupId;
  if (!groupId) throw new ComplianceError(`VPC ${vpcId} has no default security group`, { account: context.account, region: context.region });
  await ec2.send(new CreateTagsCommand({ Resources: [groupId], Tags: makerTags(`${name}-default`) }));
  if (!hasHttpsOut(group.IpPermissionsEgress ?? [])) await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [HTTPS_OUT] }));
  return groupId;
}

/** Delete the maker's VPC (its default group goes with it); returns the group ids removed. */
export async function removeDefaultGroup(context: MakerContext): Promise<string[]> {
  const ec2 = context.clients.get(EC2Client);
  const removed: string[] = [];
  for (const vpc of await findMakerVpcs(context)) {
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId ?? ''] }, { Name: 'group-name', Values: ['default'] }] }));
    if (await unlessGone(() => ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId })), ['InvalidVpcID.NotFound'], undefined)) {
      removed.push(...(SecurityGroups ?? []).flatMap((group) => (group.GroupId ? [group.GroupId] : [])));
    }
  }
  return removed;
}
