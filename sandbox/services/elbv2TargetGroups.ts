/**
 * `elbv2` target groups and their targets: create (idempotent with the same
 * settings, as AWS), describe (Marker pages), target health, register, deregister
 * (targets drain for the deregistration delay, then are gone), delete.
 * Target ids are taken as given, not checked against the EC2 sandbox.
 */
import type {
  CreateTargetGroupCommandInput,
  CreateTargetGroupCommandOutput,
  DeleteTargetGroupCommandInput,
  DeleteTargetGroupCommandOutput,
  DeregisterTargetsCommandInput,
  DeregisterTargetsCommandOutput,
  RegisterTargetsCommandInput,
  RegisterTargetsCommandOutput,
  DescribeTargetGroupsCommandInput,
  DescribeTargetGroupsCommandOutput,
  DescribeTargetHealthCommandInput,
  DescribeTargetHealthCommandOutput,
  TargetDescription,
  TargetGroup,
  TargetHealth,
  TargetHealthDescription,
  TargetTypeEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, required, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import {
  arnPrefix,
  arnSuffix,
  atMostOne,
  dropDrainedTargets,
  elbv2State,
  loadBalancerArnsOf,
  loadBalancerAt,
  targetGroupAt,
  targetGroupNotFound,
  type TargetGroupRecord,
  type TargetRecord,
} from './elbv2State.ts';
import { pageSizeOf, validName, validTags } from './loadBalancerValidation.ts';

const TARGET_TYPES: readonly TargetTypeEnum[] = ['instance', 'ip', 'lambda', 'alb'];
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS']);

function describeTargetGroup(context: OperationContext, record: TargetGroupRecord): TargetGroup {
  return { ...record.description, LoadBalancerArns: loadBalancerArnsOf(context, record.description.TargetGroupArn) };
}

/** What AWS fills in for a group created with only protocol, port and VPC. */
function healthCheckDefaults(input: CreateTargetGroupCommandInput): Partial<TargetGroup> {
  const protocol = input.HealthCheckProtocol ?? (input.Protocol && HTTP_PROTOCOLS.has(input.Protocol) ? input.Protocol : 'TCP');
  const http = HTTP_PROTOCOLS.has(protocol);
  return {
    HealthCheckProtocol: protocol,
    HealthCheckPort: input.HealthCheckPort ?? 'traffic-port',
    HealthCheckEnabled: input.HealthCheckEnabled ?? true,
    HealthCheckIntervalSeconds: input.HealthCheckIntervalSeconds ?? 30,
    HealthCheckTimeoutSeconds: input.HealthCheckTimeoutSeconds ?? (http ? 5 : 10),
    HealthyThresholdCount: input.HealthyThresholdCount ?? 5,
    UnhealthyThresholdCount: input.UnhealthyThresholdCount ?? 2,
    ...(http ? { HealthCheckPath: input.HealthCheckPath ?? '/', Matcher: input.Matcher ?? { HttpCode: '200' } } : {}),
  };
}

/** Same name with the same protocol, port, VPC and target type: AWS answers with the existing group. */
function sameTargetGroup(record: TargetGroupRecord, input: CreateTargetGroupCommandInput, targetType: TargetTypeEnum): boolean {
  const d = record.description;
  return d.Protocol === input.Protocol && d.Port === input.Port && d.VpcId === input.VpcId && d.TargetType === targetType;
}

function healthOf(context: OperationContext, group: TargetGroupRecord, target: TargetRecord): TargetHealth {
  if (target.drainingSince) return { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' };
  if (loadBalancerArnsOf(context, group.description.TargetGroupArn).length === 0) {
    return { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' };
  }
  return { State: 'healthy' };
}

function matches(target: TargetRecord, wanted: TargetDescription, group: TargetGroupRecord): boolean {
  return target.id === wanted.Id && target.port === (wanted.Port ?? group.description.Port);
}

export const targetGroupOperations: Readonly<Record<string, OperationHandler>> = {
  CreateTargetGroup: operation((context, input: CreateTargetGroupCommandInput): Output<CreateTargetGroupCommandOutput> => {
    const name = validName(input.Name, 'Target group', 'Name');
    const targetType = input.TargetType ?? 'instance';
    if (!TARGET_TYPES.includes(targetType)) throw serviceError('ValidationError', 400, `Target type '${targetType}' is not valid`);
    if (targetType !== 'lambda') {
      required(input.Protocol, 'Protocol');
      required(input.Port, 'Port');
      required(input.VpcId, 'VpcId');
    }
    const tags = validTags(input.Tags);
    const state = elbv2State(context);
    const existing = Object.values(state.targetGroups).find((record) => record.description.TargetGroupName === name);
    if (existing) {
      if (sameTargetGroup(existing, input, targetType)) return { TargetGroups: [describeTargetGroup(context, existing)] };
      throw serviceError('DuplicateTargetGroupName', 400, 'A target group with the same name exists, but with different settings');
    }
    const arn = `${arnPrefix(context)}targetgroup/${name}/${arnSuffix(context)}`;
    const http = input.Protocol !== undefined && HTTP_PROTOCOLS.has(input.Protocol);
    state.targetGroups[arn] = {
      description: {
        TargetGroupArn: arn,
        TargetGroupName: name,
        ...(input.Protocol ? { Protocol: input.Protocol } : {}),
        ...(input.Port !== undefined ? { Port: input.Port } : {}),
        ...(input.VpcId ? { VpcId: input.VpcId } : {}),
        ...(targetType === 'lambda' ? {} : healthCheckDefaults(input)),
        TargetType: targetType,
        ...(http ? { ProtocolVersion: input.ProtocolVersion ?? 'HTTP1' } : {}),
        ...(targetType === 'lambda' ? {} : { IpAddressType: input.IpAddressType ?? 'ipv4' }),
      },
      targets: [],
      tags,
    };
    return { TargetGroups: [describeTargetGroup(context, state.targetGroups[arn])] };
  }),

  DescribeTargetGroups: operation((context, input: DescribeTargetGroupsCommandInput): Output<DescribeTargetGroupsCommandOutput> => {
    atMostOne({ LoadBalancerArn: input.LoadBalancerArn, TargetGroupArns: input.TargetGroupArns, Names: input.Names });
    const size = pageSizeOf(input.PageSize);
    const all = Object.values(elbv2State(context).targetGroups).sort((a, b) => a.description.TargetGroupName.localeCompare(b.description.TargetGroupName));
    let records: TargetGroupRecord[];
    if (input.TargetGroupArns?.length) {
      records = input.TargetGroupArns.map((arn) => targetGroupAt(context, arn));
    } else if (input.Names?.length) {
      records = input.Names.map((name) => {
        const record = all.find((candidate) => candidate.description.TargetGroupName === name);
        if (!record) throw targetGroupNotFound();
        return record;
      });
    } else if (input.LoadBalancerArn) {
      const lbArn = loadBalancerAt(context, input.LoadBalancerArn).description.LoadBalancerArn;
      records = all.filter((record) => loadBalancerArnsOf(context, record.description.TargetGroupArn).includes(lbArn));
    } else {
      records = all;
    }
    const { items, next } = page(records, input.Marker, size);
    return { TargetGroups: items.map((record) => describeTargetGroup(context, record)), ...(next ? { NextMarker: next } : {}) };
  }),

  DescribeTargetHealth: operation((context, input: DescribeTargetHealthCommandInput): Output<DescribeTargetHealthCommandOutput> => {
    const group = targetGroupAt(context, required(input.TargetGroupArn, 'TargetGroupArn'));
    dropDrainedTargets(context, group);
    const healthCheckPort = (target: { port: number | undefined }) =>
      group.description.HealthCheckPort === 'traffic-port' ? String(target.port ?? '') : group.description.HealthCheckPort;
    const describe = (target: TargetRecord): TargetHealthDescription => ({
      Target: { Id: target.id, ...(target.port !== undefined ? { Port: target.port } : {}) },
      HealthCheckPort: healthCheckPort(target),
      TargetHealth: healthOf(context, group, target),
    });
    if (!input.Targets?.length) return { TargetHealthDescriptions: group.targets.map(describe) };
    return {
      TargetHealthDescriptions: input.Targets.map((wanted) => {
        const target = group.targets.find((candidate) => matches(candidate, wanted, group));
        if (target) return describe(target);
        const port = wanted.Port ?? group.description.Port;
        return {
          Target: { Id: wanted.Id, ...(port !== undefined ? { Port: port } : {}) },
          HealthCheckPort: healthCheckPort({ port }),
          TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
        };
      }),
    };
  }),

  /**
   * Adds the targets (port: the group's unless given); registering one again changes nothing, and a
   * draining one is back in service. https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html
   */
  RegisterTargets: operation((context, input: RegisterTargetsCommandInput): Output<RegisterTargetsCommandOutput> => {
    const group = targetGroupAt(context, required(input.TargetGroupArn, 'TargetGroupArn'));
    dropDrainedTargets(context, group);
    for (const wanted of required(input.Targets, 'Targets')) {
      const id = required(wanted.Id, 'Targets.member.Id');
      const found = group.targets.find((candidate) => matches(candidate, wanted, group));
      if (found) delete found.drainingSince;
      else group.targets.push({ id, port: wanted.Port ?? group.description.Port });
    }
    return {};
  }),

  /** Registered targets start draining; deregistering a draining target again changes nothing. */
  DeregisterTargets: operation((context, input: DeregisterTargetsCommandInput): Output<DeregisterTargetsCommandOutput> => {
    const group = targetGroupAt(context, required(input.TargetGroupArn, 'TargetGroupArn'));
    const wanted = required(input.Targets, 'Targets');
    dropDrainedTargets(context, group);
    const leaving = wanted.map((target) => {
      required(target.Id, 'Targets.member.Id');
      const found = group.targets.find((candidate) => matches(candidate, target, group));
      if (!found) throw serviceError('InvalidTarget', 400, `The target ${target.Id}${target.Port ? `:${target.Port}` : ''} is not registered with target group ${group.description.TargetGroupName}`);
      return found;
    });
    const since = context.now().toISOString();
    for (const target of leaving) target.drainingSince ??= since;
    return {};
  }),

  DeleteTargetGroup: operation((context, input: DeleteTargetGroupCommandInput): Output<DeleteTargetGroupCommandOutput> => {
    const arn = required(input.TargetGroupArn, 'TargetGroupArn');
    targetGroupAt(context, arn);
    if (loadBalancerArnsOf(context, arn).length > 0) throw serviceError('ResourceInUse', 400, `Target group '${arn}' is currently in use by a listener or a rule`);
    delete elbv2State(context).targetGroups[arn];
    return {};
  }),
};
