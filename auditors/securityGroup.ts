/**
 * security_group: ingress open to the whole internet (0.0.0.0/0, ::/0), on
 * administration and database ports, and on ports not in allowedIngressPorts.
 * A rule that references a managed prefix list is judged on the list's
 * entries, like the CIDRs it stands for: a list holding 0.0.0.0/0 or ::/0
 * opens the rule's ports to the world.
 * https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists-referencing.html
 * And a VPC's default security group with any rule at all (FSBP EC2.2): AWS
 * gives it one allowing all traffic from its members and one allowing all
 * outbound traffic, https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
 *
 * APIs: DescribeSecurityGroups, GetManagedPrefixListEntries; remediation
 * AuthorizeSecurityGroupIngress of the allowed
 * ports inside each offending rule's range, then RevokeSecurityGroupIngress
 * of the rule's world-open source (the CIDR, or the prefix list reference);
 * for the default group, RevokeSecurityGroupIngress and
 * RevokeSecurityGroupEgress of every rule it has.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  paginateDescribeSecurityGroups,
  paginateGetManagedPrefixListEntries,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type RemediationOutcome, type ResourceContext } from './contract.ts';
import { securityGroupTriggers } from './triggers/securityGroup.ts';
import { allowedSpans } from './portRanges.ts';

export const WORLD_IPV4 = '0.0.0.0/0';
export const WORLD_IPV6 = '::/0';

/** Administration and database ports that must never be reachable from anywhere. */
export const ADMIN_PORTS = {
  22: 'SSH',
  23: 'Telnet',
  445: 'SMB',
  1433: 'SQL Server',
  1521: 'Oracle',
  2375: 'Docker',
  2376: 'Docker TLS',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5601: 'Kibana',
  5900: 'VNC',
  5984: 'CouchDB',
  5985: 'WinRM',
  5986: 'WinRM HTTPS',
  6379: 'Redis',
  9042: 'Cassandra',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch transport',
  11211: 'Memcached',
  27017: 'MongoDB',
} as const satisfies Record<number, string>;

const ADMIN_PORT_NUMBERS: readonly number[] = Object.keys(ADMIN_PORTS).map(Number);

/** Protocols whose rules name ICMP types, not ports: never "open on a port". */
const ICMP_PROTOCOLS: ReadonlySet<string> = new Set(['icmp', 'icmpv6', '1', '58']);
const PORT_PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', '6', '17']);

/** The name AWS gives the security group it creates with each VPC; no other group may take it. */
export const DEFAULT_GROUP_NAME = 'default';

export interface SecurityGroupState {
  groupId: string;
  groupName?: string;
  /** Ingress rules (IpPermissions). */
  permissions: IpPermission[];
  /** Egress rules (IpPermissionsEgress). */
  egressPermissions: IpPermission[];
  /** The CIDRs of every managed prefix list an ingress rule references, by prefix list id. */
  prefixLists: Readonly<Record<string, readonly string[]>>;
  tags: Record<string, string>;
}

export type WorldCidr = typeof WORLD_IPV4 | typeof WORLD_IPV6;

/** One world-open source of one ingress permission: a CIDR, or a prefix list holding one. */
export interface OpenRule {
  permission: IpPermission;
  cidr: WorldCidr;
  /** The managed prefix list the world CIDR comes from, when it is not in the rule itself. */
  prefixListId?: string;
}

/** Ports a rule opens: a range, every port (-1 and protocols other than TCP/UDP/ICMP), or none (ICMP). */
export type PortRange = { from: number; to: number } | 'all' | 'none';

// ---------- pure helpers (shared by checks and remediations) ----------

export function portRange(permission: IpPermission): PortRange {
  const protocol = (permission.IpProtocol ?? '-1').toLowerCase();
  if (ICMP_PROTOCOLS.has(protocol)) return 'none';
  if (!PORT_PROTOCOLS.has(protocol)) return 'all';
  const from = permission.FromPort ?? 0;
  const to = permission.ToPort ?? 65535;
  return from <= 0 && to >= 65535 ? 'all' : { from, to };
}

function worldCidrIn(cidrs: readonly string[]): WorldCidr | undefined {
  if (cidrs.includes(WORLD_IPV4)) return WORLD_IPV4;
  return cidrs.includes(WORLD_IPV6) ? WORLD_IPV6 : undefined;
}

/**
 * Every source of every ingress permission that is the whole IPv4 or IPv6
 * internet: a world CIDR, or a prefix list whose entries hold one.
 */
export function openRules(permissions: readonly IpPermission[], prefixLists: Readonly<Record<string, readonly string[]>> = {}): OpenRule[] {
  return permissions.flatMap((permission) => [
    ...(permission.IpRanges ?? []).filter((r) => r.CidrIp === WORLD_IPV4).map(() => ({ permission, cidr: WORLD_IPV4 }) as const),
    ...(permission.Ipv6Ranges ?? []).filter((r) => r.CidrIpv6 === WORLD_IPV6).map(() => ({ permission, cidr: WORLD_IPV6 }) as const),
    ...(permission.PrefixListIds ?? []).flatMap((entry): OpenRule[] => {
      const cidr = entry.PrefixListId ? worldCidrIn(prefixLists[entry.PrefixListId] ?? []) : undefined;
      return cidr && entry.PrefixListId ? [{ permission, cidr, prefixListId: entry.PrefixListId }] : [];
    }),
  ]);
}

/** Admin ports a rule opens: TCP/UDP services, so only TCP, UDP and all-traffic rules count. */
export function adminPortsOf(rule: OpenRule): number[] {
  const protocol = (rule.permission.IpProtocol ?? '-1').toLowerCase();
  if (protocol !== '-1' && !PORT_PROTOCOLS.has(protocol)) return [];
  const range = portRange(rule.permission);
  if (range === 'none') return [];
  if (range === 'all') return [...ADMIN_PORT_NUMBERS];
  return ADMIN_PORT_NUMBERS.filter((port) => port >= range.from && port <= range.to);
}

/**
 * Whether a rule opens a port that is neither allowed nor an admin port
 * (admin ports are open_admin_port's, reported once at a higher severity).
 */
export function opensOtherPorts(rule: OpenRule, allowedPorts: readonly number[]): boolean {
  const range = portRange(rule.permission);
  if (range === 'none') return false;
  const { from, to } = range === 'all' ? { from: 0, to: 65535 } : range;
  const covered = new Set([...allowedPorts, ...ADMIN_PORT_NUMBERS].filter((port) => port >= from && port <= to));
  return to - from + 1 > covered.size;
}

export function adminPortRules(state: SecurityGroupState): OpenRule[] {
  return openRules(state.permissions, state.prefixLists).filter((rule) => adminPortsOf(rule).length > 0);
}

export function otherOpenRules(state: SecurityGroupState, allowedPorts: readonly number[]): OpenRule[] {
  return openRules(state.permissions, state.prefixLists).filter((rule) => opensOtherPorts(rule, allowedPorts));
}

function sourceOf(rule: OpenRule): string {
  return rule.prefixListId ? `prefix list ${rule.prefixListId} (holds ${rule.cidr})` : rule.cidr;
}

export function describeRule(rule: OpenRule): string {
  const range = portRange(rule.permission);
  const protocol = rule.permission.IpProtocol ?? '-1';
  if (protocol === '-1') return `all traffic from ${sourceOf(rule)}`;
  if (range === 'all' && !PORT_PROTOCOLS.has(protocol.toLowerCase())) return `protocol ${protocol} from ${sourceOf(rule)}`;
  const ports = range === 'all' || range === 'none' ? 'all ports' : range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`;
  return `${protocol} ${ports} from ${sourceOf(rule)}`;
}

function describeAdminRule(rule: OpenRule): string {
  const ports = adminPortsOf(rule);
  const names = ports.length === ADMIN_PORT_NUMBERS.length ? 'every admin port' : ports.map((p) => `${p} (${ADMIN_PORTS[p as keyof typeof ADMIN_PORTS]})`).join(', ');
  return `${describeRule(rule)} opens ${names}`;
}

/** The permission fields that name exactly this rule's world-open source. */
function sourceFields(rule: OpenRule, description?: string): Pick<IpPermission, 'IpRanges' | 'Ipv6Ranges' | 'PrefixListIds'> {
  const described = description ? { Description: description } : {};
  if (rule.prefixListId) return { PrefixListIds: [{ PrefixListId: rule.prefixListId, ...described }] };
  return rule.cidr === WORLD_IPV4 ? { IpRanges: [{ CidrIp: WORLD_IPV4, ...described }] } : { Ipv6Ranges: [{ CidrIpv6: WORLD_IPV6, ...described }] };
}

function descriptionOf(rule: OpenRule): string | undefined {
  const { permission } = rule;
  if (rule.prefixListId) return permission.PrefixListIds?.find((p) => p.PrefixListId === rule.prefixListId)?.Description;
  if (rule.cidr === WORLD_IPV4) return permission.IpRanges?.find((r) => r.CidrIp === WORLD_IPV4)?.Description;
  return permission.Ipv6Ranges?.find((r) => r.CidrIpv6 === WORLD_IPV6)?.Description;
}

/**
 * The RevokeSecurityGroupIngress permissions that remove exactly these
 * world-open sources: other ranges, groups and prefix lists of the same
 * permission stay.
 */
export function revokePermissions(rules: readonly OpenRule[]): IpPermission[] {
  const byPermission = new Map<IpPermission, OpenRule[]>();
  for (const rule of rules) byPermission.set(rule.permission, [...(byPermission.get(rule.permission) ?? []), rule]);
  return [...byPermission].map(([permission, open]) => {
    const sources = open.map((rule) => sourceFields(rule));
    return permissionFrom(permission, {
      IpRanges: sources.flatMap((s) => s.IpRanges ?? []),
      Ipv6Ranges: sources.flatMap((s) => s.Ipv6Ranges ?? []),
      PrefixListIds: sources.flatMap((s) => s.PrefixListIds ?? []),
    });
  });
}

type PermissionSources = Pick<IpPermission, 'IpRanges' | 'Ipv6Ranges' | 'UserIdGroupPairs' | 'PrefixListIds'>;

/** A Revoke permission: the protocol and ports of `permission`, with these sources (empty lists left out). */
function permissionFrom(permission: IpPermission, sources: PermissionSources): IpPermission {
  const present = Object.entries(sources).filter(([, list]) => (list?.length ?? 0) > 0);
  return {
    IpProtocol: permission.IpProtocol,
    ...(permission.FromPort !== undefined ? { FromPort: permission.FromPort } : {}),
    ...(permission.ToPort !== undefined ? { ToPort: permission.ToPort } : {}),
    ...(Object.fromEntries(present) as PermissionSources),
  };
}

/** The port protocols a rule's allowed ports are kept open on: its own, or TCP and UDP for all traffic. */
function keptProtocols(permission: IpPermission): string[] {
  const protocol = (permission.IpProtocol ?? '-1').toLowerCase();
  if (protocol === '-1') return ['tcp', 'udp'];
  return PORT_PROTOCOLS.has(protocol) ? [protocol] : [];
}

/** Whether the group already has this exact rule (protocol, ports and source). */
function hasRule(existing: readonly IpPermission[], wanted: IpPermission): boolean {
  return existing.some((permission) => {
    if ((permission.IpProtocol ?? '').toLowerCase() !== wanted.IpProtocol || permission.FromPort !== wanted.FromPort || permission.ToPort !== wanted.ToPort) return false;
    const [cidr] = wanted.IpRanges ?? [];
    const [cidr6] = wanted.Ipv6Ranges ?? [];
    const [list] = wanted.PrefixListIds ?? [];
    if (cidr) return (permission.IpRanges ?? []).some((r) => r.CidrIp === cidr.CidrIp);
    if (cidr6) return (permission.Ipv6Ranges ?? []).some((r) => r.CidrIpv6 === cidr6.CidrIpv6);
    return list !== undefined && (permission.PrefixListIds ?? []).some((p) => p.PrefixListId === list.PrefixListId);
  });
}

/**
 * The AuthorizeSecurityGroupIngress permissions that keep the allowed ports
 * (allowedIngressPorts, never an admin port) inside each revoked rule's range
 * open from the same source, with its description; rules the group already
 * has are left out, so a second run authorises nothing.
 */
export function keepAllowedPermissions(rules: readonly OpenRule[], allowedPorts: readonly number[], existing: readonly IpPermission[]): IpPermission[] {
  const wanted = new Map<string, IpPermission>();
  for (const rule of rules) {
    const range = portRange(rule.permission);
    if (range === 'none') continue;
    const spans = allowedSpans(range === 'all' ? { from: 0, to: 65535 } : range, allowedPorts, ADMIN_PORT_NUMBERS);
    for (const protocol of keptProtocols(rule.permission)) {
      for (const span of spans) {
        const permission: IpPermission = { IpProtocol: protocol, FromPort: span.from, ToPort: span.to, ...sourceFields(rule, descriptionOf(rule)) };
        const key = `${protocol}|${span.from}|${span.to}|${rule.prefixListId ?? rule.cidr}`;
        if (!hasRule(existing, permission)) wanted.set(key, permission);
      }
    }
  }
  return [...wanted.values()];
}

// ---------- reads (collect and the read half of remediations) ----------

/** `all traffic`, `tcp 22`, `udp 53-54`, `icmp` for one permission. */
function trafficOf(permission: IpPermission): string {
  const protocol = permission.IpProtocol ?? '-1';
  if (protocol === '-1') return 'all traffic';
  const range = portRange(permission);
  if (range === 'none' || range === 'all') return `${protocol}${range === 'all' && PORT_PROTOCOLS.has(protocol.toLowerCase()) ? ' all ports' : ''}`;
  return `${protocol} ${range.from === range.to ? range.from : `${range.from}-${range.to}`}`;
}

/** Every source (or destination) a permission names: CIDRs, security groups, prefix lists. */
function peersOf(permission: IpPermission): string[] {
  return [
    ...(permission.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [r.CidrIp] : [])),
    ...(permission.Ipv6Ranges ?? []).flatMap((r) => (r.CidrIpv6 ? [r.CidrIpv6] : [])),
    ...(permission.UserIdGroupPairs ?? []).flatMap((p) => (p.GroupId ? [p.GroupId] : [])),
    ...(permission.PrefixListIds ?? []).flatMap((p) => (p.PrefixListId ? [p.PrefixListId] : [])),
  ];
}

/** `inbound all traffic from sg-1; outbound all traffic to 0.0.0.0/0`: every rule of a default group. */
export function describeDefaultGroupRules(state: Pick<SecurityGroupState, 'permissions' | 'egressPermissions'>): string {
  const rules = [
    ...state.permissions.map((p) => `inbound ${trafficOf(p)} from ${peersOf(p).join(', ')}`),
    ...state.egressPermissions.map((p) => `outbound ${trafficOf(p)} to ${peersOf(p).join(', ')}`),
  ];
  return rules.join('; ');
}

export function isDefaultGroupWithRules(state: Pick<SecurityGroupState, 'groupName' | 'permissions' | 'egressPermissions'>): boolean {
  return state.groupName === DEFAULT_GROUP_NAME && state.permissions.length + state.egressPermissions.length > 0;
}

/**
 * A described permission as RevokeSecurityGroupIngress/Egress takes it back:
 * protocol, ports and each source, without descriptions or peering details.
 */
export function revokableAs(permission: IpPermission): IpPermission {
  return permissionFrom(permission, {
    IpRanges: (permission.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [{ CidrIp: r.CidrIp }] : [])),
    Ipv6Ranges: (permission.Ipv6Ranges ?? []).flatMap((r) => (r.CidrIpv6 ? [{ CidrIpv6: r.CidrIpv6 }] : [])),
    UserIdGroupPairs: (permission.UserIdGroupPairs ?? []).flatMap((p) => (p.GroupId ? [{ GroupId: p.GroupId, ...(p.UserId ? { UserId: p.UserId } : {}) }] : [])),
    PrefixListIds: (permission.PrefixListIds ?? []).flatMap((p) => (p.PrefixListId ? [{ PrefixListId: p.PrefixListId }] : [])),
  });
}

function ec2(context: ResourceContext): EC2Client {
  return context.clients.get(EC2Client);
}

/** Every entry of one managed prefix list, every page. */
async function readPrefixList(context: ResourceContext, prefixListId: string): Promise<string[]> {
  const cidrs: string[] = [];
  for await (const page of paginateGetManagedPrefixListEntries({ client: ec2(context), pageSize: 100 }, { PrefixListId: prefixListId })) {
    for (const entry of page.Entries ?? []) if (entry.Cidr) cidrs.push(entry.Cidr);
  }
  return cidrs;
}

/** The group as DescribeSecurityGroups answers it, or GONE. */
async function describeGroup(context: ResourceContext): Promise<SecurityGroup | Gone> {
  try {
    const { SecurityGroups } = await ec2(context).send(new DescribeSecurityGroupsCommand({ GroupIds: [context.id] }));
    return SecurityGroups?.find((g) => g.GroupId === context.id) ?? GONE;
  } catch (error) {
    if (hasErrorName(error, 'InvalidGroup.NotFound')) return GONE;
    throw error;
  }
}

async function readGroup(context: ResourceContext): Promise<SecurityGroupState | Gone> {
  const found = await describeGroup(context);
  if (found === GONE) return GONE;
  const permissions = found.IpPermissions ?? [];
  const prefixListIds = [...new Set(permissions.flatMap((p) => (p.PrefixListIds ?? []).flatMap((entry) => (entry.PrefixListId ? [entry.PrefixListId] : []))))];
  const prefixLists: Record<string, string[]> = {};
  for (const id of prefixListIds) prefixLists[id] = await readPrefixList(context, id);
  return { groupId: context.id, groupName: found.GroupName, permissions, egressPermissions: found.IpPermissionsEgress ?? [], prefixLists, tags: tagsToRecord(found.Tags) };
}

/**
 * Re-read the default group and revoke every rule it has now, inbound then
 * outbound, exactly as described; nothing to revoke, no call.
 */
async function closeDefaultGroup(context: ResourceContext): Promise<RemediationOutcome> {
  const found = await describeGroup(context);
  if (found === GONE) return 'gone';
  const rules = { groupName: found.GroupName, permissions: found.IpPermissions ?? [], egressPermissions: found.IpPermissionsEgress ?? [] };
  if (!isDefaultGroupWithRules(rules)) return 'already_compliant';
  try {
    if (rules.permissions.length > 0) await ec2(context).send(new RevokeSecurityGroupIngressCommand({ GroupId: context.id, IpPermissions: rules.permissions.map(revokableAs) }));
    if (rules.egressPermissions.length > 0) await ec2(context).send(new RevokeSecurityGroupEgressCommand({ GroupId: context.id, IpPermissions: rules.egressPermissions.map(revokableAs) }));
  } catch (error) {
    if (hasErrorName(error, 'InvalidGroup.NotFound')) return 'gone';
    throw error;
  }
  return 'applied';
}

/**
 * Re-read, recompute with the check's helper, and replace only what is still
 * open: authorise the allowed ports inside each offending range first (while
 * the range is open they change nothing, and a failure before the revoke
 * leaves every port as it was), then revoke the world-open sources.
 */
async function revokeOpen(context: ResourceContext, offending: (state: SecurityGroupState) => OpenRule[], allowedPorts: readonly number[]): Promise<RemediationOutcome> {
  const state = await readGroup(context);
  if (state === GONE) return 'gone';
  const rules = offending(state);
  if (rules.length === 0) return 'already_compliant';
  const kept = keepAllowedPermissions(rules, allowedPorts, state.permissions);
  try {
    if (kept.length > 0) await ec2(context).send(new AuthorizeSecurityGroupIngressCommand({ GroupId: context.id, IpPermissions: kept }));
    await ec2(context).send(new RevokeSecurityGroupIngressCommand({ GroupId: context.id, IpPermissions: revokePermissions(rules) }));
  } catch (error) {
    if (hasErrorName(error, 'InvalidGroup.NotFound')) return 'gone';
    throw error;
  }
  return 'applied';
}

// ---------- the auditor ----------

const REMEDIATION_PERMISSIONS = ['ec2:DescribeSecurityGroups', 'ec2:GetManagedPrefixListEntries', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'];

export const securityGroupAuditor = defineAuditor<SecurityGroupState>({
  type: 'security_group',
  scope: 'regional',
  description: 'Security groups: ingress from 0.0.0.0/0 or ::/0 on admin/database ports and on ports not explicitly allowed; a VPC default group with any rule',
  permissions: {
    list: ['ec2:DescribeSecurityGroups'],
    collect: ['ec2:DescribeSecurityGroups', 'ec2:GetManagedPrefixListEntries'],
  },
  identity: (state) => ({ tags: state.tags }),
  triggers: securityGroupTriggers,

  async *list({ clients }) {
    const client = clients.get(EC2Client);
    for await (const page of paginateDescribeSecurityGroups({ client, pageSize: 1000 }, {})) {
      for (const group of page.SecurityGroups ?? []) {
        if (group.GroupId) yield { id: group.GroupId, name: group.GroupName, tags: tagsToRecord(group.Tags) };
      }
    }
  },

  collect: readGroup,

  checks: [
    {
      id: 'security_group.open_admin_port',
      title: 'Security group opens an administration or database port to the internet',
      severity: 'critical',
      rationale: 'SSH, RDP and database ports reachable from 0.0.0.0/0 or ::/0 are scanned and brute-forced within minutes of opening.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html (CIS 5.2 / 5.3 are EC2.53 / EC2.54 (ports 22 and 3389 from 0.0.0.0/0 / ::/0), which are not FSBP controls.)
      controls: { fsbp: ['EC2.19'], cis: ['5.2', '5.3'] },
      evaluate(state) {
        const rules = adminPortRules(state);
        return rules.length === 0 ? undefined : { detail: rules.map(describeAdminRule).join('; ') };
      },
    },
    {
      id: 'security_group.open_ingress',
      title: 'Security group opens ports to the internet beyond the allowed ones',
      severity: 'high',
      rationale: 'Only the ports in allowedIngressPorts (80 and 443 by default) should be reachable from the whole internet.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html
      controls: { fsbp: ['EC2.18'] },
      evaluate(state, { config }) {
        const rules = otherOpenRules(state, config.allowedIngressPorts);
        if (rules.length === 0) return undefined;
        return { detail: `${rules.map(describeRule).join('; ')} (allowed from anywhere: ${config.allowedIngressPorts.join(', ') || 'none'})` };
      },
    },
    {
      id: 'security_group.default_allows_traffic',
      title: "A VPC's default security group allows traffic",
      severity: 'high',
      rationale:
        'Resources launched without a security group land in the default group; with no rules it lets nothing in or out, so nothing is exposed by accident. Give resources least-privilege groups of their own.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2 (EC2.2 is CIS v3.0.0 5.4)
      controls: { fsbp: ['EC2.2'], cis: ['5.4'] },
      evaluate: (state) => (isDefaultGroupWithRules(state) ? { detail: `default security group rules: ${describeDefaultGroupRules(state)}` } : undefined),
    },
  ],

  remediations: {
    'security_group.open_admin_port': {
      description:
        'Revoke 0.0.0.0/0 and ::/0 (or the prefix list holding them) from the rules that open admin ports, keeping the allowedIngressPorts inside their ranges open; other sources of the same rules stay.',
      risk: 'disruptive',
      permissions: REMEDIATION_PERMISSIONS,
      apply: (context, _state, { config }) => revokeOpen(context, adminPortRules, config.allowedIngressPorts),
    },
    'security_group.open_ingress': {
      description:
        'Revoke 0.0.0.0/0 and ::/0 (or the prefix list holding them) from the rules that open ports beyond allowedIngressPorts, keeping the allowed ports inside their ranges open; other sources of the same rules stay.',
      risk: 'disruptive',
      permissions: REMEDIATION_PERMISSIONS,
      apply: (context, _state, { config }) => revokeOpen(context, (state) => otherOpenRules(state, config.allowedIngressPorts), config.allowedIngressPorts),
    },
    'security_group.default_allows_traffic': {
      description:
        "Revoke every inbound and outbound rule of the VPC's default security group. Instances and interfaces that still use the group lose the traffic it allowed: move them to groups of their own first.",
      risk: 'disruptive',
      permissions: ['ec2:DescribeSecurityGroups', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
      apply: (context) => closeDefaultGroup(context),
    },
  },
});
