/**
 * region.vpc_flow_logs_missing: every VPC has an active flow log.
 *
 * APIs: DescribeVpcs, DescribeFlowLogs; enablement: CreateFlowLogs (all
 * traffic) to flowLogsDestination for the VPCs without one.
 */
import { CreateFlowLogsCommand, EC2Client, paginateDescribeFlowLogs, paginateDescribeVpcs, type LogDestinationType } from '@aws-sdk/client-ec2';
import type { Config } from '../../services/core/config.ts';
import { ConfigError } from '../../services/core/errors.ts';
import { requiredSetting } from './clientsIn.ts';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

/** CreateFlowLogs takes at most this many VPC ids per call. */
const CREATE_BATCH = 25;
const LISTED = 10;

export interface FlowLogState {
  resourceId: string;
  /** ACTIVE when the flow log is on. */
  status: string;
}

export interface VpcFlowLogsState {
  vpcIds: string[];
  flowLogs: FlowLogState[];
}

// ---------- pure ----------

export function vpcsWithoutFlowLogs(state: VpcFlowLogsState): string[] {
  const covered = new Set(state.flowLogs.filter((f) => f.status === 'ACTIVE').map((f) => f.resourceId));
  return state.vpcIds.filter((id) => !covered.has(id));
}

export function judgeVpcFlowLogs(state: VpcFlowLogsState): Verdict {
  if (state.vpcIds.length === 0) return { status: 'not_applicable', detail: 'no VPCs in the region' };
  const missing = vpcsWithoutFlowLogs(state);
  if (missing.length === 0) return { status: 'enabled', detail: `all ${state.vpcIds.length} VPC(s) have an active flow log` };
  const listed = missing.slice(0, LISTED).join(', ');
  const more = missing.length > LISTED ? ` and ${missing.length - LISTED} more` : '';
  return { status: 'disabled', detail: `${missing.length} of ${state.vpcIds.length} VPC(s) have no active flow log: ${listed}${more}` };
}

/** Where flow logs go, from the destination ARN: S3 or CloudWatch Logs (which needs a delivery role). */
export function flowLogDestination(config: Config): { LogDestinationType: LogDestinationType; LogDestination: string; DeliverLogsPermissionArn?: string } {
  const destination = requiredSetting(config.flowLogsDestination, 'flowLogsDestination', 'FLOW_LOGS_DESTINATION', 'by enableVpcFlowLogs');
  const service = destination.split(':')[2];
  if (service === 's3') return { LogDestinationType: 's3', LogDestination: destination };
  if (service === 'logs') {
    const role = requiredSetting(config.flowLogsRoleArn, 'flowLogsRoleArn', 'FLOW_LOGS_ROLE_ARN', 'to deliver flow logs to CloudWatch Logs');
    return { LogDestinationType: 'cloud-watch-logs', LogDestination: destination, DeliverLogsPermissionArn: role };
  }
  throw new ConfigError([`flowLogsDestination (FLOW_LOGS_DESTINATION): must be an S3 bucket or CloudWatch Logs log group ARN, got ${destination}`]);
}

// ---------- reads ----------

async function readVpcFlowLogs(client: EC2Client): Promise<VpcFlowLogsState> {
  const vpcIds: string[] = [];
  for await (const page of paginateDescribeVpcs({ client }, {})) for (const vpc of page.Vpcs ?? []) if (vpc.VpcId) vpcIds.push(vpc.VpcId);
  const flowLogs: FlowLogState[] = [];
  for await (const page of paginateDescribeFlowLogs({ client }, {})) {
    for (const flowLog of page.FlowLogs ?? []) if (flowLog.ResourceId) flowLogs.push({ resourceId: flowLog.ResourceId, status: flowLog.FlowLogStatus ?? '' });
  }
  return { vpcIds, flowLogs };
}

// ---------- the control ----------

export const vpcFlowLogsControl: RegionControl<VpcFlowLogsState> = {
  key: 'vpc_flow_logs',
  check: 'vpc_flow_logs_missing',
  label: 'VPC flow logs',
  level: REGION_CONTROL_TRIGGERS.vpcFlowLogs.level,
  title: 'A VPC has no active flow log',
  severity: 'medium',
  rationale: 'Flow logs are the record of who talked to what in a VPC; without them, network activity during an incident cannot be reconstructed.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html
  controls: { fsbp: ['EC2.6'], cis: ['3.7'] },
  reads: 'DescribeVpcs and DescribeFlowLogs: an ACTIVE flow log for every VPC (no VPC: not applicable)',
  permissions: ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'],
  triggers: REGION_CONTROL_TRIGGERS.vpcFlowLogs.triggers,

  collect: (context) => readVpcFlowLogs(context.clients.get(EC2Client)),
  judge: (state) => judgeVpcFlowLogs(state),

  enablement: {
    description: 'Create a flow log of all traffic to flowLogsDestination (S3, or CloudWatch Logs with flowLogsRoleArn) for each VPC without an active one; other flow logs are left as they are.',
    permissions: ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs', 'ec2:CreateFlowLogs', 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'iam:PassRole'],
    // flowLogsRoleArn is passed to the flow logs service: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
    passRoleTo: ['vpc-flow-logs.amazonaws.com'],
    enabled: (config) => config.enableVpcFlowLogs,
    async apply(context) {
      const client = context.clients.get(EC2Client);
      const missing = vpcsWithoutFlowLogs(await readVpcFlowLogs(client));
      if (missing.length === 0) return 'already_compliant';
      const destination = flowLogDestination(context.config);
      const failures: string[] = [];
      for (let start = 0; start < missing.length; start += CREATE_BATCH) {
        const { Unsuccessful } = await client.send(
          new CreateFlowLogsCommand({ ResourceIds: missing.slice(start, start + CREATE_BATCH), ResourceType: 'VPC', TrafficType: 'ALL', ...destination }),
        );
        for (const item of Unsuccessful ?? []) failures.push(`${item.ResourceId ?? '?'}: ${item.Error?.Code ?? ''} ${item.Error?.Message ?? ''}`.trim());
      }
      if (failures.length > 0) throw new Error(`CreateFlowLogs failed for ${failures.join('; ')}`);
      return 'applied';
    },
  },
};
