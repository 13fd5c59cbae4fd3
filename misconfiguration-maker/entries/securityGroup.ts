/**
 * One security group that fails both open-port checks, attached to
 * nothing (so the open ports reach no instance): in the default VPC, ingress
 * tcp 22 from 0.0.0.0/0 (open_admin_port) and tcp 8080 from ::/0
 * (open_ingress, unless 8080 is in allowedIngressPorts). And the default
 * group of a VPC of the maker's own, with AWS's default rules
 * (default_allows_traffic; see defaultSecurityGroup.ts).
 *
 * Real AWS: free. Needs the region's default VPC (CreateSecurityGroup
 * without VpcId); without one it fails with VPCIdNotSpecified.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ComplianceError } from '../../services/core/errors.ts';
import { TEST_RESOURCE_TAG } from '../../services/core/testResources.ts';
import { makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';
import { makerTagSpecification } from './ec2Tagging.ts';
import { defaultGroupPlan, makeDefaultGroup, removeDefaultGroup } from './defaultSecurityGroup.ts';

export const OPEN_ADMIN_PORT = 22;
export const OPEN_OTHER_PORT = 8080;

/** What the group must allow: SSH from every IPv4 address, 8080 from every IPv6 address. */
const OPEN_RULES: readonly { permission: IpPermission; has: (permissions: readonly IpPermission[]) => boolean }[] = [
  {
    permission: { IpProtocol: 'tcp', FromPort: OPEN_ADMIN_PORT, ToPort: OPEN_ADMIN_PORT, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'misconfiguration-maker: open SSH' }] },
    has: (permissions) => permissions.some((p) => p.IpProtocol === 'tcp' && p.FromPort === OPEN_ADMIN_PORT && p.ToPort === OPEN_ADMIN_PORT && (p.IpRanges ?? []).some((r) => r.CidrIp === '0.0.0.0/0')),
  },
  {
    permission: { IpProtocol: 'tcp', FromPort: OPEN_OTHER_PORT, ToPort: OPEN_OTHER_PORT, Ipv6Ranges: [{ CidrIpv6: '::/0', Description: 'misconfiguration-maker: open 8080' }] },
    has: (permissions) => permissions.some((p) => p.IpProtocol === 'tcp' && p.FromPort === OPEN_OTHER_PORT && p.ToPort === OPEN_OTHER_PORT && (p.Ipv6Ranges ?? []).some((r) => r.CidrIpv6 === '::/0')),
  },
];

export function makerGroupName(account: string, region: string): string {
  return makerName('sg', account, region);
}

/** The maker's groups: by name and by tag, so a same-named group someone else made is left alone. */
async function findMakerGroups(context: MakerContext): Promise<SecurityGroup[]> {
  const { SecurityGroups } = await context.clients.get(EC2Client).send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'group-name', Values: [makerGroupName(context.account, context.region)] },
        { Name: `tag:${TEST_RESOURCE_TAG.key}`, Values: [TEST_RESOURCE_TAG.value] },
      ],
    }),
  );
  return SecurityGroups ?? [];
}

async function createGroup(context: MakerContext): Promise<SecurityGroup> {
  const name = makerGroupName(context.account, context.region);
  const { GroupId } = await context.clients.get(EC2Client).send(
    new CreateSecurityGroupCommand({
      GroupName: name,
      Description: 'Made by misconfiguration-maker: world-open ports on a group attached to nothing',
      TagSpecifications: [makerTagSpecification('security-group', name)],
    }),
  );
  if (!GroupId) throw new ComplianceError('CreateSecurityGroup returned no group id', { account: context.account, region: context.region });
  return { GroupId, IpPermissions: [] };
}

export const securityGroupMaker: MisconfigurationEntry = {
  type: 'security_group',
  scope: 'regional',
  provokes: (config) => [
    'security_group.open_admin_port',
    ...(config.allowedIngressPorts.includes(OPEN_OTHER_PORT) ? [] : ['security_group.open_ingress']),
    'security_group.default_allows_traffic',
  ],
  plan: (account, region) => [
    `security group ${makerGroupName(account, region)} in the default VPC, attached to nothing: ingress tcp ${OPEN_ADMIN_PORT} from 0.0.0.0/0 and tcp ${OPEN_OTHER_PORT} from ::/0`,
    defaultGroupPlan(account, region),
  ],
  async create(context) {
    const [existing] = await findMakerGroups(context);
    const group = existing ?? (await createGroup(context));
    const groupId = group.GroupId ?? '';
    const missing = OPEN_RULES.filter((rule) => !rule.has(group.IpPermissions ?? [])).map((rule) => rule.permission);
    if (missing.length > 0) await context.clients.get(EC2Client).send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: missing }));
    return [groupId, await makeDefaultGroup(context)];
  },
  async teardown(context) {
    const ec2 = context.clients.get(EC2Client);
    const removed: string[] = [];
    for (const group of await findMakerGroups(context)) {
      if (await unlessGone(() => ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId })), ['InvalidGroup.NotFound'], undefined)) removed.push(group.GroupId ?? '');
    }
    return [...removed, ...(await removeDefaultGroup(context))];
  },
};
