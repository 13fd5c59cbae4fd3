/**
 * VPCs and their flow logs: DescribeVpcs (the region's VPCs from the EC2
 * state: the default VPC every region starts with), DescribeFlowLogs and
 * CreateFlowLogs (VPC flow logs to S3 or CloudWatch Logs). A new account
 * has no flow log. Per-VPC failures (an unknown VPC, a flow log that
 * already exists) come back in Unsuccessful, the call itself succeeds.
 *
 * Not modelled: flow logs of subnets, interfaces and transit gateways; the
 * destination bucket or log group is not checked.
 */
import type {
  CreateFlowLogsCommandInput,
  CreateFlowLogsCommandOutput,
  DescribeFlowLogsCommandInput,
  DescribeFlowLogsCommandOutput,
  DescribeVpcsCommandInput,
  DescribeVpcsCommandOutput,
  FlowLog,
  UnsuccessfulItem,
  Vpc,
} from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { assertPageInput, ec2Page, filterRecords, nextTokenField, type FilterFields } from './ec2Query.ts';
import { postureStateOf, type FlowLogRecord } from './ec2PostureState.ts';
import { VPC_ID, ec2StateOf, invalidParameterValue, recordsById, requiredParameter, tagsField, tagsFor, type VpcRecord } from './ec2State.ts';
const DEFAULT_LOG_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';
const TRAFFIC_TYPES: readonly string[] = ['ACCEPT', 'REJECT', 'ALL'];
/** CreateFlowLogs takes at most 25 resource ids. */
const MAX_RESOURCE_IDS = 25;

export function vpcOutput(context: OperationContext, vpc: VpcRecord): Vpc {
  const suffix = vpc.vpcId.slice(4);
  return {
    VpcId: vpc.vpcId,
    CidrBlock: vpc.cidr,
    State: 'available',
    DhcpOptionsId: `dopt-${suffix.slice(0, 8)}`,
    InstanceTenancy: 'default',
    IsDefault: vpc.isDefault,
    OwnerId: context.account,
    CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-${suffix}`, CidrBlock: vpc.cidr, CidrBlockState: { State: 'associated' } }],
    ...tagsField(vpc.tags ?? []),
  };
}

const VPC_FILTERS: FilterFields<Vpc> = {
  'vpc-id': (v) => v.VpcId,
  'is-default': (v) => String(v.IsDefault ?? false),
  state: (v) => v.State,
  'cidr-block': (v) => v.CidrBlock,
  cidr: (v) => v.CidrBlock,
  'cidr-block-association.cidr-block': (v) => (v.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock),
  'dhcp-options-id': (v) => v.DhcpOptionsId,
  'owner-id': (v) => v.OwnerId,
};

const FLOW_LOG_FILTERS: FilterFields<FlowLogRecord> = {
  'deliver-log-status': () => 'SUCCESS',
  'log-destination-type': (f) => f.logDestinationType,
  'flow-log-id': (f) => f.flowLogId,
  'log-group-name': (f) => f.logGroupName,
  'resource-id': (f) => f.resourceId,
  'traffic-type': (f) => f.trafficType,
};

function flowLogOutput(record: FlowLogRecord): FlowLog {
  return {
    CreationTime: new Date(record.createdAt),
    ...(record.deliverLogsPermissionArn ? { DeliverLogsPermissionArn: record.deliverLogsPermissionArn } : {}),
    DeliverLogsStatus: 'SUCCESS',
    FlowLogId: record.flowLogId,
    FlowLogStatus: 'ACTIVE',
    ...(record.logGroupName ? { LogGroupName: record.logGroupName } : {}),
    ResourceId: record.resourceId,
    TrafficType: record.trafficType,
    LogDestinationType: record.logDestinationType,
    ...(record.logDestination ? { LogDestination: record.logDestination } : {}),
    LogFormat: record.logFormat,
    MaxAggregationInterval: record.maxAggregationInterval,
    ...tagsField(record.tags),
  };
}

function invalidParameter(message: string): Error {
  return serviceError('InvalidParameter', 400, message);
}

/** Where the flow logs go, validated as EC2 does for each destination type. */
function destinationOf(input: CreateFlowLogsCommandInput): Pick<FlowLogRecord, 'logDestinationType' | 'logDestination' | 'logGroupName' | 'deliverLogsPermissionArn'> {
  const type = input.LogDestinationType ?? 'cloud-watch-logs';
  if (type === 's3') {
    if (!input.LogDestination?.startsWith('arn:aws')) throw invalidParameter('LogDestination must be an S3 bucket ARN when LogDestinationType is s3');
    if (input.LogGroupName || input.DeliverLogsPermissionArn) throw invalidParameter('LogGroupName and DeliverLogsPermissionArn cannot be used with LogDestinationType s3');
    return { logDestinationType: type, logDestination: input.LogDestination };
  }
  if (type === 'cloud-watch-logs') {
    if (!input.LogDestination && !input.LogGroupName) throw invalidParameter('LogDestination or LogGroupName is required when LogDestinationType is cloud-watch-logs');
    if (!input.DeliverLogsPermissionArn) throw invalidParameter('DeliverLogsPermissionArn is required when LogDestinationType is cloud-watch-logs');
    const logGroupName = input.LogGroupName ?? input.LogDestination?.split(':log-group:')[1]?.replace(/:\*$/, '');
    return {
      logDestinationType: type,
      ...(input.LogDestination ? { logDestination: input.LogDestination } : {}),
      ...(logGroupName ? { logGroupName } : {}),
      deliverLogsPermissionArn: input.DeliverLogsPermissionArn,
    };
  }
  throw invalidParameterValue(`The sandbox supports flow logs to s3 and cloud-watch-logs, not ${type}`);
}

export const flowLogOperations: Readonly<Record<string, OperationHandler>> = {
  DescribeVpcs: operation((context, input: DescribeVpcsCommandInput): Output<DescribeVpcsCommandOutput> => {
    const vpcs = ec2StateOf(context).vpcs;
    const ids = input.VpcIds ?? [];
    const limits = { min: 5, max: 1000, idsParameter: 'vpcId' };
    assertPageInput(input, ids.length > 0, limits);
    const chosen = ids.length > 0 ? recordsById(VPC_ID, ids, vpcs) : Object.values(vpcs);
    const all = chosen.map((vpc) => vpcOutput(context, vpc)).sort((a, b) => (a.VpcId ?? '').localeCompare(b.VpcId ?? ''));
    const { items, next } = ec2Page(filterRecords(all, input.Filters, VPC_FILTERS, (v) => v.Tags ?? []), input, ids.length > 0, limits);
    return { Vpcs: items, ...nextTokenField(next) };
  }),

  DescribeFlowLogs: operation((context, input: DescribeFlowLogsCommandInput): Output<DescribeFlowLogsCommandOutput> => {
    const ids = input.FlowLogIds ?? [];
    const records = Object.values(postureStateOf(context).flowLogs)
      .filter((record) => ids.length === 0 || ids.includes(record.flowLogId))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.flowLogId.localeCompare(b.flowLogId));
    const { items, next } = ec2Page(filterRecords(records, input.Filter, FLOW_LOG_FILTERS, (f) => f.tags), input, ids.length > 0, { min: 1, max: 1000, idsParameter: 'flowLogId' });
    return { FlowLogs: items.map(flowLogOutput), ...nextTokenField(next) };
  }),

  CreateFlowLogs: operation((context, input: CreateFlowLogsCommandInput): Output<CreateFlowLogsCommandOutput> => {
    const resourceIds = requiredParameter(input.ResourceIds, 'ResourceIds');
    if (resourceIds.length === 0) throw serviceError('MissingParameter', 400, 'The request must contain the parameter ResourceIds');
    if (resourceIds.length > MAX_RESOURCE_IDS) throw invalidParameterValue(`At most ${MAX_RESOURCE_IDS} resource ids may be given (${resourceIds.length})`);
    const resourceType = requiredParameter(input.ResourceType, 'ResourceType');
    if (resourceType !== 'VPC') throw invalidParameterValue(`The sandbox supports VPC flow logs only, not ${resourceType}`);
    const trafficType = requiredParameter(input.TrafficType, 'TrafficType');
    if (!TRAFFIC_TYPES.includes(trafficType)) throw invalidParameterValue(`Value (${trafficType}) for parameter TrafficType is invalid`);
    const interval = input.MaxAggregationInterval ?? 600;
    if (interval !== 60 && interval !== 600) throw invalidParameterValue(`Value (${interval}) for parameter MaxAggregationInterval is invalid: 60 or 600`);
    const destination = destinationOf(input);
    const state = postureStateOf(context);
    const vpcs = ec2StateOf(context).vpcs;
    const created: string[] = [];
    const unsuccessful: UnsuccessfulItem[] = [];
    for (const resourceId of resourceIds) {
      if (!vpcs[resourceId]) {
        unsuccessful.push({ ResourceId: resourceId, Error: { Code: 'InvalidVpcID.NotFound', Message: `The vpc ID '${resourceId}' does not exist` } });
        continue;
      }
      const duplicate = Object.values(state.flowLogs).some(
        (f) => f.resourceId === resourceId && f.trafficType === trafficType && f.logDestination === destination.logDestination && f.logGroupName === destination.logGroupName,
      );
      if (duplicate) {
        unsuccessful.push({ ResourceId: resourceId, Error: { Code: 'FlowLogAlreadyExists', Message: 'Error. There is an existing Flow Log with the same configuration and log destination.' } });
        continue;
      }
      const flowLogId = `fl-${context.nextId()}`;
      state.flowLogs[flowLogId] = {
        flowLogId,
        resourceId,
        trafficType,
        ...destination,
        logFormat: input.LogFormat ?? DEFAULT_LOG_FORMAT,
        maxAggregationInterval: interval,
        createdAt: context.now().toISOString(),
        tags: tagsFor(input.TagSpecifications, 'vpc-flow-log'),
      };
      created.push(flowLogId);
    }
    return { ClientToken: input.ClientToken ?? `sandbox-${context.nextId()}`, FlowLogIds: created, Unsuccessful: unsuccessful };
  }),
};
