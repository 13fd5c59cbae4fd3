/**
 * VPCs beyond the default one: CreateVpc (with the default security group
 * AWS creates with it), DeleteVpc (refused while it holds subnets, other
 * security groups or instances; its default group and flow logs go with it),
 * and CreateTags for security groups and VPCs (the maker tags a new VPC's
 * default group, which CreateVpc's TagSpecifications do not reach).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html
 *
 * Not modelled: IPv6 blocks, route tables, network ACLs, DHCP options.
 */
import type {
  CreateTagsCommandInput,
  CreateTagsCommandOutput,
  CreateVpcCommandInput,
  CreateVpcCommandOutput,
  DeleteVpcCommandInput,
  DeleteVpcCommandOutput,
  Tag,
} from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationHandler, type Output } from '../serviceModel.ts';
import { vpcOutput } from './ec2FlowLogs.ts';
import { postureStateOf } from './ec2PostureState.ts';
import { GROUP_ID, VPC_ID, defaultGroupOf, ec2StateOf, recordsById, requiredParameter, tagsFor } from './ec2State.ts';

/** A VPC's IPv4 block is between /16 and /28. */
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function validCidr(cidr: string): string {
  const match = CIDR.exec(cidr);
  const prefix = Number(match?.[5]);
  if (!match || match.slice(1, 5).some((octet) => Number(octet) > 255)) throw serviceError('InvalidParameterValue', 400, `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (prefix < 16 || prefix > 28) throw serviceError('InvalidVpc.Range', 400, `The CIDR '${cidr}' is invalid.`);
  return cidr;
}

/** `tags` with `added` put over it, key by key (CreateTags overwrites a key's value). */
function mergedTags(tags: readonly Tag[], added: readonly Tag[]): Tag[] {
  const keys = new Set(added.map((tag) => tag.Key));
  return [...tags.filter((tag) => !keys.has(tag.Key)), ...added];
}

export const vpcOperations: Readonly<Record<string, OperationHandler>> = {
  CreateVpc: operation((context, input: CreateVpcCommandInput): Output<CreateVpcCommandOutput> => {
    const cidr = validCidr(requiredParameter(input.CidrBlock, 'CidrBlock'));
    const state = ec2StateOf(context);
    const vpcId = `vpc-${context.nextId()}`;
    const groupId = `sg-${context.nextId()}`;
    const tags = tagsFor(input.TagSpecifications, 'vpc');
    state.vpcs[vpcId] = { vpcId, cidr, isDefault: false, subnets: [], defaultGroupId: groupId, tags };
    state.securityGroups[groupId] = defaultGroupOf(context, vpcId, groupId);
    return { Vpc: { ...vpcOutput(context, state.vpcs[vpcId]), State: 'pending' } };
  }),

  DeleteVpc: operation((context, input: DeleteVpcCommandInput): Output<DeleteVpcCommandOutput> => {
    const vpcId = requiredParameter(input.VpcId, 'VpcId');
    const state = ec2StateOf(context);
    const [vpc] = recordsById(VPC_ID, [vpcId], state.vpcs);
    if (!vpc) throw serviceError('InvalidVpcID.NotFound', 400, `The vpc ID '${vpcId}' does not exist`);
    const groups = Object.values(state.securityGroups).filter((group) => group.vpcId === vpcId && group.groupId !== vpc.defaultGroupId);
    const instances = Object.values(state.instances).filter((instance) => instance.vpcId === vpcId && instance.state !== 'terminated');
    if (vpc.subnets.length > 0 || groups.length > 0 || instances.length > 0) {
      throw serviceError('DependencyViolation', 400, `The vpc '${vpcId}' has dependencies and cannot be deleted.`);
    }
    delete state.securityGroups[vpc.defaultGroupId];
    const flowLogs = postureStateOf(context).flowLogs;
    for (const [id, flowLog] of Object.entries(flowLogs)) if (flowLog.resourceId === vpcId) delete flowLogs[id];
    delete state.vpcs[vpcId];
    return {};
  }),

  CreateTags: operation((context, input: CreateTagsCommandInput): Output<CreateTagsCommandOutput> => {
    const resources = requiredParameter(input.Resources, 'ResourceId');
    const tags = requiredParameter(input.Tags, 'Tag');
    const state = ec2StateOf(context);
    for (const id of resources) {
      if (id.startsWith('sg-')) {
        const [group] = recordsById(GROUP_ID, [id], state.securityGroups);
        if (group) group.tags = mergedTags(group.tags, tags);
      } else if (id.startsWith('vpc-')) {
        const [vpc] = recordsById(VPC_ID, [id], state.vpcs);
        if (vpc) vpc.tags = mergedTags(vpc.tags ?? [], tags);
      } else {
        throw serviceError('InvalidParameterValue', 400, `The sandbox tags security groups and VPCs only, not '${id}'`);
      }
    }
    return {};
  }),
};
