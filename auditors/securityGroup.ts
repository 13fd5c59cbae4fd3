/**
 * security_group: ingress open to the whole internet (0.0.0.0/0, ::/0), on
 * administration and database ports, and on ports not in allowedIngressPorts.
 *
 * APIs: DescribeSecurityGroups; remediation (only with revokeOpenIngress):
 * RevokeSecurityGroupIngress of the world-open CIDR of the offending rules.
 */
import {
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  paginateDescribeSecurityGroups,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type RemediationOutcome, type ResourceContext } from './contract.ts';

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

export interface SecurityGroupState {
  groupId: string;
  groupName?: string;
  permissions: IpPermission[];
  tags: Record<string, string>;
}

/** One world-open CIDR of one ingress permission. */
export interface OpenRule {
  permission: IpPermission;
  cidr: typeof WORLD_IPV4 | typeof WORLD_IPV6;
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

/** Every CIDR of every ingress permission that is the whole IPv4 or IPv6 internet. */
export function openRules(permissions: readonly IpPermission[]): OpenRule[] {
  return permissions.flatMap((permission) => [
    ...(permission.IpRanges ?? []).filter((r) => r.CidrIp === WORLD_IPV4).map(() => ({ permission, cidr: WORLD_IPV4 }) as const),
    ...(permission.Ipv6Ranges ?? []).filter((r) => r.CidrIpv6 === WORLD_IPV6).map(() => ({ permission, cidr: WORLD_IPV6 }) as const),
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
  return openRules(state.permissions).filter((rule) => adminPortsOf(rule).length > 0);
}

export function otherOpenRules(state: SecurityGroupState, allowedPorts: readonly number[]): OpenRule[] {
  return openRules(state.permissions).filter((rule) => opensOtherPorts(rule, allowedPorts));
}

export function describeRule(rule: OpenRule): string {
  const range = portRange(rule.permission);
  const protocol = rule.permission.IpProtocol ?? '-1';
  if (protocol === '-1') return `all traffic from ${rule.cidr}`;
  if (range === 'all' && !PORT_PROTOCOLS.has(protocol.toLowerCase())) return `protocol ${protocol} from ${rule.cidr}`;
  const ports = range === 'all' || range === 'none' ? 'all ports' : range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`;
  return `${protocol} ${ports} from ${rule.cidr}`;
}

function describeAdminRule(rule: OpenRule): string {
  const ports = adminPortsOf(rule);
  const names = ports.length === ADMIN_PORT_NUMBERS.length ? 'every admin port' : ports.map((p) => `${p} (${ADMIN_PORTS[p as keyof typeof ADMIN_PORTS]})`).join(', ');
  return `${describeRule(rule)} opens ${names}`;
}

/**
 * The RevokeSecurityGroupIngress permissions that remove exactly these
 * world-open CIDRs: other ranges, groups and prefix lists of the same
 * permission stay.
 */
export function revokePermissions(rules: readonly OpenRule[]): IpPermission[] {
  const byPermission = new Map<IpPermission, OpenRule[]>();
  for (const rule of rules) byPermission.set(rule.permission, [...(byPermission.get(rule.permission) ?? []), rule]);
  return [...byPermission].map(([permission, open]) => {
    const cidrs = new Set(open.map((rule) => rule.cidr));
    return {
      IpProtocol: permission.IpProtocol,
      ...(permission.FromPort !== undefined ? { FromPort: permission.FromPort } : {}),
      ...(permission.ToPort !== undefined ? { ToPort: permission.ToPort } : {}),
      ...(cidrs.has(WORLD_IPV4) ? { IpRanges: [{ CidrIp: WORLD_IPV4 }] } : {}),
      ...(cidrs.has(WORLD_IPV6) ? { Ipv6Ranges: [{ CidrIpv6: WORLD_IPV6 }] } : {}),
    };
  });
}

// ---------- reads (collect and the read half of remediations) ----------

function ec2(context: ResourceContext): EC2Client {
  return context.clients.get(EC2Client);
}

async function readGroup(context: ResourceContext): Promise<SecurityGroupState | Gone> {
  try {
    const { SecurityGroups } = await ec2(context).send(new DescribeSecurityGroupsCommand({ GroupIds: [context.id] }));
    const group = SecurityGroups?.find((g) => g.GroupId === context.id);
    if (!group) return GONE;
    return { groupId: context.id, groupName: group.GroupName, permissions: group.IpPermissions ?? [], tags: tagsToRecord(group.Tags) };
  } catch (error) {
    if (hasErrorName(error, 'InvalidGroup.NotFound')) return GONE;
    throw error;
  }
}

/** Re-read, recompute with the check's helper, revoke only what is still open. */
async function revokeOpen(context: ResourceContext, offending: (state: SecurityGroupState) => OpenRule[]): Promise<RemediationOutcome> {
  const state = await readGroup(context);
  if (state === GONE) return 'gone';
  const rules = offending(state);
  if (rules.length === 0) return 'already_compliant';
  try {
    await ec2(context).send(new RevokeSecurityGroupIngressCommand({ GroupId: context.id, IpPermissions: revokePermissions(rules) }));
  } catch (error) {
    if (hasErrorName(error, 'InvalidGroup.NotFound')) return 'gone';
    throw error;
  }
  return 'applied';
}

// ---------- the auditor ----------

export const securityGroupAuditor = defineAuditor<SecurityGroupState>({
  type: 'security_group',
  scope: 'regional',
  description: 'Security groups: ingress from 0.0.0.0/0 or ::/0 on admin/database ports and on ports not explicitly allowed',
  permissions: {
    list: ['ec2:DescribeSecurityGroups'],
    collect: ['ec2:DescribeSecurityGroups'],
  },
  triggers: [
    { eventSource: 'ec2.amazonaws.com', eventNames: ['CreateSecurityGroup'], idPath: 'responseElements.groupId' },
    { eventSource: 'ec2.amazonaws.com', eventNames: ['AuthorizeSecurityGroupIngress'], idPath: 'requestParameters.groupId' },
  ],

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
      evaluate(state, { config }) {
        const rules = otherOpenRules(state, config.allowedIngressPorts);
        if (rules.length === 0) return undefined;
        return { detail: `${rules.map(describeRule).join('; ')} (allowed from anywhere: ${config.allowedIngressPorts.join(', ') || 'none'})` };
      },
    },
  ],

  remediations: {
    'security_group.open_admin_port': {
      description: 'Revoke 0.0.0.0/0 and ::/0 from the rules that open admin ports; other ranges of the same rules stay.',
      risk: 'disruptive',
      permissions: ['ec2:DescribeSecurityGroups', 'ec2:RevokeSecurityGroupIngress'],
      enabled: (config) => config.revokeOpenIngress,
      apply: (context) => revokeOpen(context, adminPortRules),
    },
    'security_group.open_ingress': {
      description: 'Revoke 0.0.0.0/0 and ::/0 from the rules that open ports beyond allowedIngressPorts; other ranges of the same rules stay.',
      risk: 'disruptive',
      permissions: ['ec2:DescribeSecurityGroups', 'ec2:RevokeSecurityGroupIngress'],
      enabled: (config) => config.revokeOpenIngress,
      apply: (context, _state, { config }) => revokeOpen(context, (state) => otherOpenRules(state, config.allowedIngressPorts)),
    },
  },
});
