/**
 * Classic Load Balancers (serviceId 'Elastic Load Balancing'): what the
 * `elb` auditor lists, collects and remediates, and what the maker creates
 * and deletes. Subnets and instance ids are taken as given, not checked
 * against the EC2 sandbox (see loadBalancerNetwork.ts).
 */
import type {
  CreateLoadBalancerCommandInput,
  CreateLoadBalancerCommandOutput,
  DeleteLoadBalancerCommandInput,
  DeleteLoadBalancerCommandOutput,
  DeregisterInstancesFromLoadBalancerCommandInput,
  DeregisterInstancesFromLoadBalancerCommandOutput,
  DescribeLoadBalancerAttributesCommandInput,
  DescribeLoadBalancerAttributesCommandOutput,
  DescribeLoadBalancersCommandInput,
  DescribeLoadBalancersCommandOutput,
  DescribeTagsCommandInput,
  DescribeTagsCommandOutput,
  Listener,
  LoadBalancerDescription,
  RegisterInstancesWithLoadBalancerCommandInput,
  RegisterInstancesWithLoadBalancerCommandOutput,
  Tag,
} from '@aws-sdk/client-elastic-load-balancing';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, required, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';
import { boundedList, pageSizeOf, validName, validTags } from './loadBalancerValidation.ts';
import { defaultSubnetOf, defaultVpcId, derivedId, derivedUuid, dnsDigits, dnsSuffix, hostedZoneId, zoneOf } from './loadBalancerNetwork.ts';

/** One Classic Load Balancer, as the state keeps it (plain JSON). */
export interface ClassicLoadBalancerRecord {
  name: string;
  dnsName: string;
  createdAt: string;
  scheme: string;
  listeners: Listener[];
  zones: string[];
  subnets: string[];
  securityGroups: string[];
  instanceIds: string[];
  tags: Tag[];
}

export interface ElbState {
  loadBalancers: Record<string, ClassicLoadBalancerRecord>;
}

/** DescribeTags takes at most 20 names. */
const MAX_TAGGED_NAMES = 20;
const SCHEMES = ['internet-facing', 'internal'];
/** Listener protocol -> the instance protocol AWS fills in when InstanceProtocol is not given. */
const INSTANCE_PROTOCOL_OF: Readonly<Record<string, string>> = { HTTP: 'HTTP', HTTPS: 'HTTP', TCP: 'TCP', SSL: 'TCP' };

export function elbState(context: OperationContext): ElbState {
  return context.regional<ElbState>('elb', () => ({ loadBalancers: {} }));
}

function loadBalancerNotFound(name: string): Error {
  return serviceError('LoadBalancerNotFound', 400, `There is no ACTIVE Load Balancer named '${name}'`);
}

function loadBalancerNamed(context: OperationContext, name: string): ClassicLoadBalancerRecord {
  const record = elbState(context).loadBalancers[name];
  if (!record) throw loadBalancerNotFound(name);
  return record;
}

function validListeners(listeners: Listener[] | undefined): Listener[] {
  if (!listeners || listeners.length === 0) throw serviceError('ValidationError', 400, 'Listeners cannot be empty');
  return listeners.map((listener) => {
    const protocol = required(listener.Protocol, 'Listeners.member.Protocol').toUpperCase();
    const instanceProtocol = (listener.InstanceProtocol ?? INSTANCE_PROTOCOL_OF[protocol] ?? '').toUpperCase();
    if (!INSTANCE_PROTOCOL_OF[protocol] || !INSTANCE_PROTOCOL_OF[instanceProtocol]) {
      throw serviceError('UnsupportedProtocol', 400, `Protocol ${listener.Protocol} is not supported; use HTTP, HTTPS, TCP or SSL`);
    }
    return {
      Protocol: protocol,
      LoadBalancerPort: required(listener.LoadBalancerPort, 'Listeners.member.LoadBalancerPort'),
      InstanceProtocol: instanceProtocol,
      InstancePort: required(listener.InstancePort, 'Listeners.member.InstancePort'),
      ...(listener.SSLCertificateId ? { SSLCertificateId: listener.SSLCertificateId } : {}),
    };
  });
}

/** Subnets and zones from what was given: subnets (zones in their order) or zones (their default subnets). */
function placementOf(context: OperationContext, input: CreateLoadBalancerCommandInput): { zones: string[]; subnets: string[] } {
  const subnets = input.Subnets ?? [];
  const zones = input.AvailabilityZones ?? [];
  if (subnets.length > 0 && zones.length > 0) throw serviceError('ValidationError', 400, 'Only one of SubnetIds or AvailabilityZones may be specified');
  if (subnets.length > 0) return { subnets: [...subnets], zones: subnets.map((_, index) => zoneOf(context.region, index)) };
  if (zones.length > 0) return { zones: [...zones], subnets: zones.map((zone) => defaultSubnetOf(context, zone)) };
  throw serviceError('ValidationError', 400, 'Either AvailabilityZones or SubnetIds must be specified');
}

function describe(context: OperationContext, record: ClassicLoadBalancerRecord): LoadBalancerDescription {
  const firstListener = record.listeners[0];
  return {
    LoadBalancerName: record.name,
    DNSName: record.dnsName,
    ...(record.scheme === 'internet-facing' ? { CanonicalHostedZoneName: record.dnsName } : {}),
    CanonicalHostedZoneNameID: hostedZoneId(context.region, 'classic'),
    ListenerDescriptions: record.listeners.map((Listener) => ({ Listener, PolicyNames: [] })),
    Policies: { AppCookieStickinessPolicies: [], LBCookieStickinessPolicies: [], OtherPolicies: [] },
    BackendServerDescriptions: [],
    AvailabilityZones: record.zones,
    Subnets: record.subnets,
    VPCId: defaultVpcId(context),
    Instances: record.instanceIds.map((InstanceId) => ({ InstanceId })),
    HealthCheck: { Target: `TCP:${firstListener?.InstancePort ?? 80}`, Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 10 },
    SourceSecurityGroup: { OwnerAlias: context.account, GroupName: defaultElbGroupName(context) },
    SecurityGroups: record.securityGroups,
    CreatedTime: new Date(record.createdAt),
    Scheme: record.scheme,
  };
}

/** The one security group AWS makes, per account and region, for classic load balancers in the default VPC. */
function defaultElbGroupName(context: OperationContext): string {
  return `default_elb_${derivedUuid(context.account, context.region, 'default_elb')}`;
}

function defaultElbGroupId(context: OperationContext): string {
  return derivedId('sg', context.account, context.region, 'default_elb');
}

export const elbService: SandboxService = {
  serviceId: 'Elastic Load Balancing',
  operations: {
    CreateLoadBalancer: operation((context, input: CreateLoadBalancerCommandInput): Output<CreateLoadBalancerCommandOutput> => {
      const name = validName(input.LoadBalancerName, 'Load balancer', 'LoadBalancerName');
      const scheme = input.Scheme ?? 'internet-facing';
      if (!SCHEMES.includes(scheme)) throw serviceError('InvalidScheme', 400, `Invalid scheme '${scheme}': use internet-facing or internal`);
      const listeners = validListeners(input.Listeners);
      const tags = validTags(input.Tags);
      const { zones, subnets } = placementOf(context, input);
      const state = elbState(context);
      if (state.loadBalancers[name]) throw serviceError('DuplicateLoadBalancerName', 400, `The specified load balancer name already exists for this account: ${name}`);
      const prefix = scheme === 'internal' ? 'internal-' : '';
      const dnsName = `${prefix}${name}-${dnsDigits(context.nextId())}.${context.region}.elb.${dnsSuffix(context.region)}`;
      const securityGroups = input.SecurityGroups?.length ? [...input.SecurityGroups] : [defaultElbGroupId(context)];
      state.loadBalancers[name] = { name, dnsName, createdAt: context.now().toISOString(), scheme, listeners, zones, subnets, securityGroups, instanceIds: [], tags };
      return { DNSName: dnsName };
    }),

    DescribeLoadBalancers: operation((context, input: DescribeLoadBalancersCommandInput): Output<DescribeLoadBalancersCommandOutput> => {
      const size = pageSizeOf(input.PageSize);
      const names = input.LoadBalancerNames ?? [];
      const records =
        names.length > 0
          ? names.map((name) => loadBalancerNamed(context, name))
          : Object.values(elbState(context).loadBalancers).sort((a, b) => a.name.localeCompare(b.name));
      const { items, next } = page(records, input.Marker, size);
      return { LoadBalancerDescriptions: items.map((record) => describe(context, record)), ...(next ? { NextMarker: next } : {}) };
    }),

    /**
     * What a load balancer made by CreateLoadBalancer has: access logs and connection draining off, cross-zone off, 60 s idle timeout.
     * https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_DescribeLoadBalancerAttributes.html
     */
    DescribeLoadBalancerAttributes: operation(
      (context, input: DescribeLoadBalancerAttributesCommandInput): Output<DescribeLoadBalancerAttributesCommandOutput> => {
        loadBalancerNamed(context, required(input.LoadBalancerName, 'LoadBalancerName'));
        return {
          LoadBalancerAttributes: {
            CrossZoneLoadBalancing: { Enabled: false },
            AccessLog: { Enabled: false },
            ConnectionDraining: { Enabled: false, Timeout: 300 },
            ConnectionSettings: { IdleTimeout: 60 },
            AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'defensive' }],
          },
        };
      },
    ),

    DescribeTags: operation((context, input: DescribeTagsCommandInput): Output<DescribeTagsCommandOutput> => {
      const names = boundedList(input.LoadBalancerNames, 'LoadBalancerNames', MAX_TAGGED_NAMES);
      return { TagDescriptions: names.map((name) => ({ LoadBalancerName: name, Tags: loadBalancerNamed(context, name).tags })) };
    }),

    /**
     * Adds the instances and answers the updated list; one already registered stays once.
     * https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_RegisterInstancesWithLoadBalancer.html
     */
    RegisterInstancesWithLoadBalancer: operation(
      (context, input: RegisterInstancesWithLoadBalancerCommandInput): Output<RegisterInstancesWithLoadBalancerCommandOutput> => {
        const record = loadBalancerNamed(context, required(input.LoadBalancerName, 'LoadBalancerName'));
        const joining = required(input.Instances, 'Instances').map((instance) => required(instance.InstanceId, 'Instances.member.InstanceId'));
        record.instanceIds = [...new Set([...record.instanceIds, ...joining])];
        return { Instances: record.instanceIds.map((InstanceId) => ({ InstanceId })) };
      },
    ),

    DeregisterInstancesFromLoadBalancer: operation(
      (context, input: DeregisterInstancesFromLoadBalancerCommandInput): Output<DeregisterInstancesFromLoadBalancerCommandOutput> => {
        const record = loadBalancerNamed(context, required(input.LoadBalancerName, 'LoadBalancerName'));
        const leaving = required(input.Instances, 'Instances').map((instance) => required(instance.InstanceId, 'Instances.member.InstanceId'));
        const unknown = leaving.find((id) => !record.instanceIds.includes(id));
        if (unknown) throw serviceError('InvalidInstance', 400, `EC2 instance ${unknown} is not registered with load balancer ${record.name}`);
        record.instanceIds = record.instanceIds.filter((id) => !leaving.includes(id));
        return { Instances: record.instanceIds.map((InstanceId) => ({ InstanceId })) };
      },
    ),

    /** Succeeds for a load balancer that does not exist (or no longer does), as AWS documents. */
    DeleteLoadBalancer: operation((context, input: DeleteLoadBalancerCommandInput): Output<DeleteLoadBalancerCommandOutput> => {
      delete elbState(context).loadBalancers[required(input.LoadBalancerName, 'LoadBalancerName')];
      return {};
    }),
  },
};
