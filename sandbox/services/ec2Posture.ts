/**
 * EC2's account and region posture, spread into the EC2 service (ec2.ts):
 * DescribeRegions (ec2Regions.ts), VPCs and flow logs (ec2FlowLogs.ts), and
 * EBS encryption by default, here.
 */
import type { EnableEbsEncryptionByDefaultCommandOutput, GetEbsEncryptionByDefaultCommandOutput } from '@aws-sdk/client-ec2';
import { operation, type OperationHandler, type Output } from '../serviceModel.ts';
import { flowLogOperations } from './ec2FlowLogs.ts';
import { postureStateOf } from './ec2PostureState.ts';
import { regionOperations } from './ec2Regions.ts';

export const postureOperations: Readonly<Record<string, OperationHandler>> = {
  ...regionOperations,
  ...flowLogOperations,
  GetEbsEncryptionByDefault: operation((context): Output<GetEbsEncryptionByDefaultCommandOutput> => ({
    EbsEncryptionByDefault: postureStateOf(context).ebsEncryptionByDefault,
    SseType: 'sse-ebs',
  })),
  EnableEbsEncryptionByDefault: operation((context): Output<EnableEbsEncryptionByDefaultCommandOutput> => {
    postureStateOf(context).ebsEncryptionByDefault = true;
    return { EbsEncryptionByDefault: true };
  }),
};
