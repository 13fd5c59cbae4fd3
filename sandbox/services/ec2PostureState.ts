/**
 * The account-and-region settings of EC2 that the `region` auditor reads,
 * kept apart from the resources (ec2State.ts): EBS encryption by default
 * (off in a new account, as in AWS) and the VPC flow logs.
 */
import type { OperationContext } from '../serviceModel.ts';
import type { LogDestinationType, Tag, TrafficType } from '@aws-sdk/client-ec2';

export interface FlowLogRecord {
  flowLogId: string;
  resourceId: string;
  trafficType: TrafficType;
  logDestinationType: LogDestinationType;
  logDestination?: string;
  logGroupName?: string;
  deliverLogsPermissionArn?: string;
  logFormat: string;
  maxAggregationInterval: number;
  createdAt: string;
  tags: Tag[];
}

export interface Ec2PostureState {
  ebsEncryptionByDefault: boolean;
  flowLogs: Record<string, FlowLogRecord>;
}

export function postureStateOf(context: OperationContext): Ec2PostureState {
  return context.regional<Ec2PostureState>('ec2posture', () => ({ ebsEncryptionByDefault: false, flowLogs: {} }));
}
