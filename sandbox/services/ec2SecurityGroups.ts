/**
 * EC2 security groups: CreateSecurityGroup (in the default VPC unless
 * VpcId), DescribeSecurityGroups, Authorize/RevokeSecurityGroupIngress,
 * Authorize/RevokeSecurityGroupEgress, DeleteSecurityGroup.
 */
import type {
  AuthorizeSecurityGroupEgressCommandInput,
  AuthorizeSecurityGroupEgressCommandOutput,
  AuthorizeSecurityGroupIngressCommandInput,
  AuthorizeSecurityGroupIngressCommandOutput,
  CreateSecurityGroupCommandInput,
  CreateSecurityGroupCommandOutput,
  DeleteSecurityGroupCommandInput,
  DeleteSecurityGroupCommandOutput,
  DescribeSecurityGroupsCommandInput,
  DescribeSecurityGroupsCommandOutput,
  IpPermission,
  RevokeSecurityGroupEgressCommandInput,
  RevokeSecurityGroupEgressCommandOutput,
  RevokeSecurityGroupIngressCommandInput,
  RevokeSecurityGroupIngressCommandOutput,
  SecurityGroup,
} from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { assertPageInput, ec2Page, filterRecords, nextTokenField, type FilterFields } from './ec2Query.ts';
import {
  GROUP_ID,
  defaultVpcOf,
  ec2Arn,
  ec2StateOf,
  invalidParameterValue,
  missingParameter,
  recordsById,
  requiredParameter,
  tagsField,
  tagsFor,
  type RuleRecord,
  type SecurityGroupRecord,
} from './ec2State.ts';
import { addRules, ipPermissionsOf, legacyPermission, revokedRuleOf, ruleKey, ruleSpecsOf, securityGroupRuleOf } from './ec2SecurityGroupRules.ts';

const GROUP_FILTERS: FilterFields<SecurityGroupRecord> = {
  'group-id': (g) => g.groupId,
  'group-name': (g) => g.groupName,
  description: (g) => g.description,
  'vpc-id': (g) => g.vpcId,
  'ip-permission.cidr': (g) => g.ingress.map((r) => r.cidrIpv4),
  'ip-permission.ipv6-cidr': (g) => g.ingress.map((r) => r.cidrIpv6),
  'ip-permission.protocol': (g) => g.ingress.map((r) => r.protocol),
  'ip-permission.from-port': (g) => g.ingress.map((r) => (r.fromPort === undefined ? undefined : String(r.fromPort))),
  'ip-permission.to-port': (g) => g.ingress.map((r) => (r.toPort === undefined ? undefined : String(r.toPort))),
};

function securityGroupOf(context: OperationContext, group: SecurityGroupRecord): SecurityGroup {
  return {
    GroupId: group.groupId,
    GroupName: group.groupName,
    Description: group.description,
    OwnerId: context.account,
    VpcId: group.vpcId,
    IpPermissions: ipPermissionsOf(group.ingress, context.account),
    IpPermissionsEgress: ipPermissionsOf(group.egress, context.account),
    SecurityGroupArn: ec2Arn(context, `security-group/${group.groupId}`),
    ...tagsField(group.tags),
  };
}

/** By GroupId, or by GroupName in the default VPC (as EC2 allows). */
function groupOf(context: OperationContext, input: { GroupId?: string; GroupName?: string }): SecurityGroupRecord {
  const state = ec2StateOf(context);
  if (input.GroupId) return recordsById(GROUP_ID, [input.GroupId], state.securityGroups)[0] as SecurityGroupRecord;
  const name = input.GroupName;
  if (!name) throw missingParameter('GroupId');
  const vpc = defaultVpcOf(state);
  const group = Object.values(state.securityGroups).find((g) => g.groupName === name && g.vpcId === vpc?.vpcId);
  if (!group) throw serviceError('InvalidGroup.NotFound', 400, `The security group '${name}' does not exist in default VPC '${vpc?.vpcId ?? 'none'}'`);
  return group;
}

function inUse(context: OperationContext, group: SecurityGroupRecord): boolean {
  const state = ec2StateOf(context);
  const byInstance = Object.values(state.instances).some((i) => i.state !== 'terminated' && i.groupIds.includes(group.groupId));
  const byRule = Object.values(state.securityGroups).some(
    (other) => other.groupId !== group.groupId && [...other.ingress, ...other.egress].some((r) => r.referencedGroupId === group.groupId),
  );
  return byInstance || byRule;
}

/** Revoke the rules of one direction that match exactly (or by rule id); see RevokeSecurityGroupIngress. */
function revokeRules(
  context: OperationContext,
  group: SecurityGroupRecord,
  direction: 'ingress' | 'egress',
  permissions: readonly IpPermission[],
  ruleIds: readonly string[] | undefined,
): Output<RevokeSecurityGroupIngressCommandOutput> {
  const byRuleId = new Set(ruleIds ?? []);
  if (permissions.length === 0 && byRuleId.size === 0) throw missingParameter('IpPermissions');
  const rules: RuleRecord[] = group[direction];
  const wanted = new Map(ruleSpecsOf(permissions).map((spec) => [ruleKey(spec), spec]));
  const revoked = rules.filter((rule) => byRuleId.has(rule.ruleId) || wanted.has(ruleKey(rule)));
  const revokedKeys = new Set(revoked.map(ruleKey));
  const unknown = [...wanted].filter(([key]) => !revokedKeys.has(key)).map(([, spec]) => spec);
  const unknownIds = [...byRuleId].filter((id) => !revoked.some((rule) => rule.ruleId === id));
  const isDefaultVpc = ec2StateOf(context).vpcs[group.vpcId]?.isDefault ?? false;
  if ((unknown.length > 0 && !isDefaultVpc) || unknownIds.length > 0) {
    throw serviceError('InvalidPermission.NotFound', 400, 'The specified rule does not exist in this security group.');
  }
  group[direction] = rules.filter((rule) => !revoked.includes(rule));
  const unknownPermissions: IpPermission[] = ipPermissionsOf(
    unknown.map((spec, index) => ({ ruleId: `unknown-${index}`, ...spec })),
    context.account,
  );
  return {
    Return: true,
    ...(unknownPermissions.length > 0 ? { UnknownIpPermissions: unknownPermissions } : {}),
    RevokedSecurityGroupRules: revoked.map((rule) => revokedRuleOf(rule, group, direction === 'egress')),
  };
}

export const securityGroupOperations: Readonly<Record<string, OperationHandler>> = {
  CreateSecurityGroup: operation((context, input: CreateSecurityGroupCommandInput): Output<CreateSecurityGroupCommandOutput> => {
    const name = requiredParameter(input.GroupName, 'GroupName');
    const description = requiredParameter(input.Description, 'GroupDescription');
    const state = ec2StateOf(context);
    const vpc = input.VpcId ? state.vpcs[input.VpcId] : defaultVpcOf(state);
    if (!vpc) {
      if (input.VpcId) throw serviceError('InvalidVpcID.NotFound', 400, `The vpc ID '${input.VpcId}' does not exist`);
      throw serviceError('VPCIdNotSpecified', 400, 'No default VPC for this user');
    }
    if (name.toLowerCase().startsWith('sg-')) throw invalidParameterValue('Group names may not be in the format sg-*');
    if (name === 'default') throw serviceError('InvalidGroup.Reserved', 400, "The security group 'default' is reserved");
    if (Object.values(state.securityGroups).some((g) => g.vpcId === vpc.vpcId && g.groupName === name)) {
      throw serviceError('InvalidGroup.Duplicate', 400, `The security group '${name}' already exists for VPC '${vpc.vpcId}'`);
    }
    const groupId = `sg-${context.nextId()}`;
    const tags = tagsFor(input.TagSpecifications, 'security-group');
    state.securityGroups[groupId] = {
      groupId,
      groupName: name,
      description,
      vpcId: vpc.vpcId,
      tags,
      ingress: [],
      egress: [{ ruleId: `sgr-${context.nextId()}`, protocol: '-1', cidrIpv4: '0.0.0.0/0' }],
    };
    return { GroupId: groupId, SecurityGroupArn: ec2Arn(context, `security-group/${groupId}`), ...tagsField(tags) };
  }),

  DescribeSecurityGroups: operation((context, input: DescribeSecurityGroupsCommandInput): Output<DescribeSecurityGroupsCommandOutput> => {
    const state = ec2StateOf(context);
    const ids = input.GroupIds ?? [];
    const names = input.GroupNames ?? [];
    const explicit = ids.length > 0 || names.length > 0;
    const limits = { min: 5, max: 1000, idsParameter: 'groupId' };
    assertPageInput(input, explicit, limits);
    const byName = names.map((name) => groupOf(context, { GroupName: name }));
    const candidates = explicit ? [...recordsById(GROUP_ID, ids, state.securityGroups), ...byName] : Object.values(state.securityGroups);
    const matching = filterRecords(candidates, input.Filters, GROUP_FILTERS, (g) => g.tags);
    const { items, next } = ec2Page(matching, input, explicit, limits);
    return { SecurityGroups: items.map((g) => securityGroupOf(context, g)), ...nextTokenField(next) };
  }),

  AuthorizeSecurityGroupIngress: operation((context, input: AuthorizeSecurityGroupIngressCommandInput): Output<AuthorizeSecurityGroupIngressCommandOutput> => {
    const group = groupOf(context, input);
    const permissions = input.IpPermissions?.length ? input.IpPermissions : legacyPermission(input);
    if (permissions.length === 0) throw missingParameter('IpPermissions');
    const added = addRules(group.ingress, ruleSpecsOf(permissions), context);
    return { Return: true, SecurityGroupRules: added.map((rule) => securityGroupRuleOf(rule, group, context.account, false)) };
  }),

  /** Outbound rules: GroupId only (egress rules exist in VPCs only); an existing rule is InvalidPermission.Duplicate. */
  AuthorizeSecurityGroupEgress: operation((context, input: AuthorizeSecurityGroupEgressCommandInput): Output<AuthorizeSecurityGroupEgressCommandOutput> => {
    const group = groupOf(context, { GroupId: requiredParameter(input.GroupId, 'GroupId') });
    const permissions = input.IpPermissions ?? [];
    if (permissions.length === 0) throw missingParameter('IpPermissions');
    const added = addRules(group.egress, ruleSpecsOf(permissions), context);
    return { Return: true, SecurityGroupRules: added.map((rule) => securityGroupRuleOf(rule, group, context.account, true)) };
  }),

  /**
   * Revokes rules that match exactly. Rules that do not exist: in the
   * default VPC, listed in UnknownIpPermissions; elsewhere
   * InvalidPermission.NotFound and nothing is revoked (as AWS documents).
   */
  RevokeSecurityGroupIngress: operation((context, input: RevokeSecurityGroupIngressCommandInput): Output<RevokeSecurityGroupIngressCommandOutput> => {
    const group = groupOf(context, input);
    const permissions = input.IpPermissions?.length ? input.IpPermissions : legacyPermission(input);
    return revokeRules(context, group, 'ingress', permissions, input.SecurityGroupRuleIds);
  }),

  /** As RevokeSecurityGroupIngress, for outbound rules: GroupId only (egress rules exist in VPCs only). */
  RevokeSecurityGroupEgress: operation((context, input: RevokeSecurityGroupEgressCommandInput): Output<RevokeSecurityGroupEgressCommandOutput> => {
    const group = groupOf(context, { GroupId: requiredParameter(input.GroupId, 'GroupId') });
    return revokeRules(context, group, 'egress', input.IpPermissions ?? [], input.SecurityGroupRuleIds);
  }),

  DeleteSecurityGroup: operation((context, input: DeleteSecurityGroupCommandInput): Output<DeleteSecurityGroupCommandOutput> => {
    const group = groupOf(context, input);
    if (group.groupName === 'default') {
      throw serviceError('CannotDelete', 400, `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`);
    }
    if (inUse(context, group)) throw serviceError('DependencyViolation', 400, `resource ${group.groupId} has a dependent object`);
    delete ec2StateOf(context).securityGroups[group.groupId];
    return { Return: true, GroupId: group.groupId };
  }),
};
