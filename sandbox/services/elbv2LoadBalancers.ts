/**
 * `elbv2` load balancers and their listeners: create (idempotent with the
 * same settings, as AWS), describe (Marker pages), delete.
 */
import type {
  CreateListenerCommandInput,
  CreateListenerCommandOutput,
  CreateLoadBalancerCommandInput,
  CreateLoadBalancerCommandOutput,
  DeleteListenerCommandInput,
  DeleteListenerCommandOutput,
  DeleteLoadBalancerCommandInput,
  DeleteLoadBalancerCommandOutput,
  DescribeListenersCommandInput,
  DescribeListenersCommandOutput,
  DescribeLoadBalancersCommandInput,
  DescribeLoadBalancersCommandOutput,
  LoadBalancer,
  LoadBalancerSchemeEnum,
  LoadBalancerTypeEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, required, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import {
  arnPrefix,
  arnSuffix,
  atMostOne,
  elbv2State,
  forwardedTargetGroupArns,
  listenerAt,
  loadBalancerArnsOf,
  loadBalancerAt,
  targetGroupAt,
  type ListenerRecord,
  type LoadBalancerRecord,
} from './elbv2State.ts';
import { defaultSecurityGroupId, defaultVpcId, dnsDigits, dnsSuffix, hostedZoneId, zoneOf } from './loadBalancerNetwork.ts';
import { pageSizeOf, validName, validTags } from './loadBalancerValidation.ts';

const TYPES: readonly LoadBalancerTypeEnum[] = ['application', 'network', 'gateway'];
const SCHEMES: readonly LoadBalancerSchemeEnum[] = ['internet-facing', 'internal'];
/** `app/`, `net/`, `gwy/` in ARNs. */
const ARN_KIND: Readonly<Record<LoadBalancerTypeEnum, string>> = { application: 'app', network: 'net', gateway: 'gwy' };

function describeLoadBalancer(record: LoadBalancerRecord): LoadBalancer {
  return { ...record.description, CreatedTime: new Date(record.createdAt) };
}

function subnetsOf(input: CreateLoadBalancerCommandInput, type: LoadBalancerTypeEnum): string[] {
  const subnets = [...(input.Subnets ?? []), ...(input.SubnetMappings ?? []).flatMap((mapping) => (mapping.SubnetId ? [mapping.SubnetId] : []))];
  const distinct = [...new Set(subnets)];
  if (distinct.length === 0) throw serviceError('ValidationError', 400, 'At least one subnet must be specified');
  if (type === 'application' && distinct.length < 2) throw serviceError('ValidationError', 400, 'At least two subnets in two different Availability Zones must be specified');
  return distinct;
}

function dnsNameOf(context: OperationContext, name: string, type: LoadBalancerTypeEnum, scheme: LoadBalancerSchemeEnum, id: string): string {
  const prefix = scheme === 'internal' ? 'internal-' : '';
  if (type === 'application') return `${prefix}${name}-${dnsDigits(id)}.${context.region}.elb.${dnsSuffix(context.region)}`;
  return `${prefix}${name}-${id.slice(-16)}.elb.${context.region}.${dnsSuffix(context.region)}`;
}

/** Same name, same type, scheme and subnets: AWS answers with the existing load balancer. */
function sameLoadBalancer(record: LoadBalancerRecord, type: LoadBalancerTypeEnum, scheme: LoadBalancerSchemeEnum, subnets: readonly string[]): boolean {
  const existing = (record.description.AvailabilityZones ?? []).map((zone) => zone.SubnetId).sort();
  return record.description.Type === type && record.description.Scheme === scheme && JSON.stringify(existing) === JSON.stringify([...subnets].sort());
}

function describeListener(record: ListenerRecord) {
  return record.description;
}

export const loadBalancerOperations: Readonly<Record<string, OperationHandler>> = {
  CreateLoadBalancer: operation((context, input: CreateLoadBalancerCommandInput): Output<CreateLoadBalancerCommandOutput> => {
    const name = validName(input.Name, 'Load balancer', 'Name');
    if (name.startsWith('internal-')) throw serviceError('ValidationError', 400, `Load balancer name '${name}' cannot begin with 'internal-'`);
    const type = input.Type ?? 'application';
    const scheme = input.Scheme ?? 'internet-facing';
    if (!TYPES.includes(type)) throw serviceError('ValidationError', 400, `Load balancer type '${type}' is not valid`);
    if (!SCHEMES.includes(scheme)) throw serviceError('ValidationError', 400, `Scheme '${scheme}' is not valid`);
    const subnets = subnetsOf(input, type);
    const tags = validTags(input.Tags);
    const state = elbv2State(context);
    const existing = Object.values(state.loadBalancers).find((record) => record.description.LoadBalancerName === name);
    if (existing) {
      if (sameLoadBalancer(existing, type, scheme, subnets)) return { LoadBalancers: [describeLoadBalancer(existing)] };
      throw serviceError('DuplicateLoadBalancerName', 400, 'A load balancer with the same name already exists');
    }
    const id = context.nextId();
    const arn = `${arnPrefix(context)}loadbalancer/${ARN_KIND[type]}/${name}/${id.slice(-16)}`;
    const securityGroups = input.SecurityGroups?.length ? [...input.SecurityGroups] : type === 'application' ? [defaultSecurityGroupId(context)] : [];
    state.loadBalancers[arn] = {
      description: {
        LoadBalancerArn: arn,
        DNSName: dnsNameOf(context, name, type, scheme, id),
        CanonicalHostedZoneId: hostedZoneId(context.region, type),
        LoadBalancerName: name,
        Scheme: scheme,
        VpcId: defaultVpcId(context),
        State: { Code: 'active' },
        Type: type,
        AvailabilityZones: subnets.map((SubnetId, index) => ({ ZoneName: zoneOf(context.region, index), SubnetId, LoadBalancerAddresses: [] })),
        ...(securityGroups.length > 0 ? { SecurityGroups: securityGroups } : {}),
        IpAddressType: input.IpAddressType ?? 'ipv4',
      },
      createdAt: context.now().toISOString(),
      tags,
    };
    return { LoadBalancers: [describeLoadBalancer(state.loadBalancers[arn])] };
  }),

  DescribeLoadBalancers: operation((context, input: DescribeLoadBalancersCommandInput): Output<DescribeLoadBalancersCommandOutput> => {
    atMostOne({ LoadBalancerArns: input.LoadBalancerArns, Names: input.Names });
    const size = pageSizeOf(input.PageSize);
    const all = Object.values(elbv2State(context).loadBalancers);
    let records: LoadBalancerRecord[];
    if (input.LoadBalancerArns?.length) {
      records = input.LoadBalancerArns.map((arn) => loadBalancerAt(context, arn));
    } else if (input.Names?.length) {
      records = input.Names.map((name) => {
        const record = all.find((candidate) => candidate.description.LoadBalancerName === name);
        if (!record) throw serviceError('LoadBalancerNotFound', 400, `Load balancers '[${name}]' not found`);
        return record;
      });
    } else {
      records = all.sort((a, b) => a.description.LoadBalancerName.localeCompare(b.description.LoadBalancerName));
    }
    const { items, next } = page(records, input.Marker, size);
    return { LoadBalancers: items.map(describeLoadBalancer), ...(next ? { NextMarker: next } : {}) };
  }),

  /** Deletes its listeners too; succeeds for a load balancer already gone, as AWS documents. */
  DeleteLoadBalancer: operation((context, input: DeleteLoadBalancerCommandInput): Output<DeleteLoadBalancerCommandOutput> => {
    const arn = required(input.LoadBalancerArn, 'LoadBalancerArn');
    const state = elbv2State(context);
    for (const [listenerArn, listener] of Object.entries(state.listeners)) {
      if (listener.description.LoadBalancerArn === arn) delete state.listeners[listenerArn];
    }
    delete state.loadBalancers[arn];
    return {};
  }),

  CreateListener: operation((context, input: CreateListenerCommandInput): Output<CreateListenerCommandOutput> => {
    const loadBalancer = loadBalancerAt(context, required(input.LoadBalancerArn, 'LoadBalancerArn'));
    const port = required(input.Port, 'Port');
    const protocol = required(input.Protocol, 'Protocol');
    const actions = required(input.DefaultActions, 'DefaultActions');
    if (actions.length === 0) throw serviceError('ValidationError', 400, 'A listener must have at least one default action');
    const lbArn = loadBalancer.description.LoadBalancerArn;
    const forwarded = forwardedTargetGroupArns(actions);
    for (const groupArn of forwarded) {
      targetGroupAt(context, groupArn);
      const others = loadBalancerArnsOf(context, groupArn).filter((arn) => arn !== lbArn);
      if (others.length > 0) throw serviceError('TargetGroupAssociationLimit', 400, `The following target groups cannot be associated with more than one load balancer: ${groupArn}`);
    }
    const state = elbv2State(context);
    const onPort = Object.values(state.listeners).find((l) => l.description.LoadBalancerArn === lbArn && l.description.Port === port);
    if (onPort) {
      const same = onPort.description.Protocol === protocol && JSON.stringify(forwardedTargetGroupArns(onPort.description.DefaultActions)) === JSON.stringify(forwarded);
      if (same) return { Listeners: [describeListener(onPort)] };
      throw serviceError('DuplicateListener', 400, 'A listener already exists on this port for this load balancer');
    }
    const [, kind = 'app', name = ''] = /loadbalancer\/([^/]+)\/([^/]+)\//.exec(lbArn) ?? [];
    const lbSuffix = lbArn.split('/').pop() ?? '';
    const arn = `${arnPrefix(context)}listener/${kind}/${name}/${lbSuffix}/${arnSuffix(context)}`;
    const defaultActions = actions.map((action) =>
      action.Type === 'forward' && action.TargetGroupArn && !action.ForwardConfig
        ? { ...action, ForwardConfig: { TargetGroups: [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } }
        : action,
    );
    state.listeners[arn] = { description: { ListenerArn: arn, LoadBalancerArn: lbArn, Port: port, Protocol: protocol, DefaultActions: defaultActions }, tags: validTags(input.Tags) };
    return { Listeners: [describeListener(state.listeners[arn])] };
  }),

  DescribeListeners: operation((context, input: DescribeListenersCommandInput): Output<DescribeListenersCommandOutput> => {
    atMostOne({ LoadBalancerArn: input.LoadBalancerArn, ListenerArns: input.ListenerArns });
    const size = pageSizeOf(input.PageSize);
    let records: ListenerRecord[];
    if (input.ListenerArns?.length) {
      records = input.ListenerArns.map((arn) => listenerAt(context, arn));
    } else if (input.LoadBalancerArn) {
      const lbArn = loadBalancerAt(context, input.LoadBalancerArn).description.LoadBalancerArn;
      records = Object.values(elbv2State(context).listeners)
        .filter((listener) => listener.description.LoadBalancerArn === lbArn)
        .sort((a, b) => (a.description.Port ?? 0) - (b.description.Port ?? 0));
    } else {
      throw serviceError('ValidationError', 400, 'You must specify either listener ARNs or a load balancer ARN');
    }
    const { items, next } = page(records, input.Marker, size);
    return { Listeners: items.map(describeListener), ...(next ? { NextMarker: next } : {}) };
  }),

  DeleteListener: operation((context, input: DeleteListenerCommandInput): Output<DeleteListenerCommandOutput> => {
    const arn = required(input.ListenerArn, 'ListenerArn');
    listenerAt(context, arn);
    delete elbv2State(context).listeners[arn];
    return {};
  }),
};
