/**
 * Security group rules in both of EC2's shapes: stored one source per rule
 * (as security group rules, `sgr-...`), returned grouped by protocol and
 * ports into IpPermissions (as DescribeSecurityGroups does).
 */
import type { IpPermission, RevokedSecurityGroupRule, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';
import type { OperationContext } from '../serviceModel.ts';
import { invalidParameterValue, missingParameter, type RuleRecord, type SecurityGroupRecord } from './ec2State.ts';

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', icmpv6: 'icmpv6', '58': 'icmpv6', '-1': '-1', all: '-1',
};
const PORT_PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp']);

export type RuleSpec = Omit<RuleRecord, 'ruleId'>;

function normalizeProtocol(value: string | undefined): string {
  const protocol = (value ?? '').toLowerCase();
  if (protocol === '') throw missingParameter('ipPermissions.ipProtocol');
  const named = PROTOCOL_NAMES[protocol];
  if (named) return named;
  if (/^\d+$/.test(protocol) && Number(protocol) <= 255) return String(Number(protocol));
  throw invalidParameterValue(`Invalid value '${value}' for IP protocol. Unknown protocol.`);
}

function portsOf(protocol: string, permission: IpPermission): Pick<RuleSpec, 'fromPort' | 'toPort'> {
  if (PORT_PROTOCOLS.has(protocol)) {
    const { FromPort: from, ToPort: to } = permission;
    if (from === undefined) throw missingParameter('ipPermissions.fromPort');
    if (to === undefined) throw missingParameter('ipPermissions.toPort');
    if (from < 0 || to > 65535 || from > to) throw invalidParameterValue(`Invalid port range ${from}-${to} for ${protocol}`);
    return { fromPort: from, toPort: to };
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') return { fromPort: permission.FromPort ?? -1, toPort: permission.ToPort ?? -1 };
  return {};
}

export const IPV4_CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
export const IPV6_CIDR = /^[0-9a-f:]+\/\d{1,3}$/i;

/** One rule per source of each permission; every permission needs at least one source. */
export function ruleSpecsOf(permissions: readonly IpPermission[]): RuleSpec[] {
  return permissions.flatMap((permission) => {
    const protocol = normalizeProtocol(permission.IpProtocol);
    const ports = portsOf(protocol, permission);
    const base = { protocol, ...ports };
    const specs: RuleSpec[] = [
      ...(permission.IpRanges ?? []).map((range) => {
        if (!range.CidrIp || !IPV4_CIDR.test(range.CidrIp)) throw invalidParameterValue(`CIDR block ${range.CidrIp ?? ''} is malformed`);
        return { ...base, cidrIpv4: range.CidrIp, ...(range.Description ? { description: range.Description } : {}) };
      }),
      ...(permission.Ipv6Ranges ?? []).map((range) => {
        if (!range.CidrIpv6 || !IPV6_CIDR.test(range.CidrIpv6)) throw invalidParameterValue(`CIDR block ${range.CidrIpv6 ?? ''} is malformed`);
        return { ...base, cidrIpv6: range.CidrIpv6, ...(range.Description ? { description: range.Description } : {}) };
      }),
      ...(permission.UserIdGroupPairs ?? []).map((pair) => ({ ...base, referencedGroupId: pair.GroupId ?? pair.GroupName ?? '', ...(pair.Description ? { description: pair.Description } : {}) })),
      ...(permission.PrefixListIds ?? []).map((prefix) => ({ ...base, prefixListId: prefix.PrefixListId ?? '', ...(prefix.Description ? { description: prefix.Description } : {}) })),
    ];
    if (specs.length === 0) throw missingParameter('ipPermissions.groups, ipRanges, ipv6Ranges or prefixListIds');
    return specs;
  });
}

/** The legacy top-level form (CidrIp, IpProtocol, FromPort, ToPort) as one permission. */
export function legacyPermission(input: { CidrIp?: string; IpProtocol?: string; FromPort?: number; ToPort?: number }): IpPermission[] {
  if (!input.CidrIp && !input.IpProtocol) return [];
  return [{ IpProtocol: input.IpProtocol, FromPort: input.FromPort, ToPort: input.ToPort, IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [] }];
}

/** Two rules are the same when protocol, ports and source are (the description does not count). */
export function ruleKey(rule: RuleSpec): string {
  const source = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.referencedGroupId ?? rule.prefixListId ?? '';
  return [rule.protocol, rule.fromPort ?? '', rule.toPort ?? '', source].join('|');
}

function describeRuleForError(rule: RuleSpec): string {
  const source = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.referencedGroupId ?? rule.prefixListId ?? '';
  const protocol = rule.protocol === '-1' ? 'ALL' : rule.protocol.toUpperCase();
  return `peer: ${source}, ${protocol}, from port: ${rule.fromPort ?? -1}, to port: ${rule.toPort ?? -1}, ALLOW`;
}

/** Add rules; a rule that already exists (or repeats within the request) fails the whole call. */
export function addRules(existing: RuleRecord[], specs: readonly RuleSpec[], context: OperationContext): RuleRecord[] {
  const seen = new Set(existing.map(ruleKey));
  for (const spec of specs) {
    if (seen.has(ruleKey(spec))) throw serviceError('InvalidPermission.Duplicate', 400, `the specified rule "${describeRuleForError(spec)}" already exists`);
    seen.add(ruleKey(spec));
  }
  const added = specs.map((spec) => ({ ruleId: `sgr-${context.nextId()}`, ...spec }));
  existing.push(...added);
  return added;
}

/** Rules as IpPermissions, grouped by protocol and ports, each list present (EC2 returns empty lists). */
export function ipPermissionsOf(rules: readonly RuleRecord[], ownerAccount: string): IpPermission[] {
  const groups = new Map<string, IpPermission>();
  for (const rule of rules) {
    const key = [rule.protocol, rule.fromPort ?? '', rule.toPort ?? ''].join('|');
    let permission = groups.get(key);
    if (!permission) {
      permission = {
        IpProtocol: rule.protocol,
        ...(rule.fromPort !== undefined ? { FromPort: rule.fromPort } : {}),
        ...(rule.toPort !== undefined ? { ToPort: rule.toPort } : {}),
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      groups.set(key, permission);
    }
    const description = rule.description ? { Description: rule.description } : {};
    if (rule.cidrIpv4) permission.IpRanges?.push({ CidrIp: rule.cidrIpv4, ...description });
    if (rule.cidrIpv6) permission.Ipv6Ranges?.push({ CidrIpv6: rule.cidrIpv6, ...description });
    if (rule.referencedGroupId) permission.UserIdGroupPairs?.push({ GroupId: rule.referencedGroupId, UserId: ownerAccount, ...description });
    if (rule.prefixListId) permission.PrefixListIds?.push({ PrefixListId: rule.prefixListId, ...description });
  }
  return [...groups.values()];
}

/** What a SecurityGroupRule and a RevokedSecurityGroupRule both say of a stored rule. */
function ruleFieldsOf(rule: RuleRecord): Pick<SecurityGroupRule, 'IpProtocol' | 'FromPort' | 'ToPort' | 'CidrIpv4' | 'CidrIpv6' | 'PrefixListId' | 'Description'> {
  return {
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort ?? -1,
    ToPort: rule.toPort ?? -1,
    ...(rule.cidrIpv4 ? { CidrIpv4: rule.cidrIpv4 } : {}),
    ...(rule.cidrIpv6 ? { CidrIpv6: rule.cidrIpv6 } : {}),
    ...(rule.prefixListId ? { PrefixListId: rule.prefixListId } : {}),
    ...(rule.description ? { Description: rule.description } : {}),
  };
}

/** A stored rule as a SecurityGroupRule (Authorize/Revoke outputs). */
export function securityGroupRuleOf(rule: RuleRecord, group: SecurityGroupRecord, ownerAccount: string, isEgress: boolean): SecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.ruleId,
    GroupId: group.groupId,
    GroupOwnerId: ownerAccount,
    IsEgress: isEgress,
    ...ruleFieldsOf(rule),
    ...(rule.referencedGroupId ? { ReferencedGroupInfo: { GroupId: rule.referencedGroupId, UserId: ownerAccount } } : {}),
  };
}

/** A revoked rule (RevokeSecurityGroupIngress / RevokeSecurityGroupEgress output). */
export function revokedRuleOf(rule: RuleRecord, group: SecurityGroupRecord, isEgress = false): RevokedSecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.ruleId,
    GroupId: group.groupId,
    IsEgress: isEgress,
    ...ruleFieldsOf(rule),
    ...(rule.referencedGroupId ? { ReferencedGroupId: rule.referencedGroupId } : {}),
  };
}
