/**
 * The sandbox's EC2 (serviceId 'EC2'): instances, security groups, prefix lists, AMIs,
 * EBS snapshots and volumes, zones and default subnets of each (account,
 * region), in one service assembled from one file per resource family.
 */
import type { SandboxService } from '../serviceModel.ts';
import { imageOperations } from './ec2Images.ts';
import { instanceOperations } from './ec2Instances.ts';
import { networkOperations } from './ec2Network.ts';
import { postureOperations } from './ec2Posture.ts';
import { prefixListOperations } from './ec2PrefixLists.ts';
import { securityGroupOperations } from './ec2SecurityGroups.ts';
import { snapshotOperations } from './ec2Snapshots.ts';
import { volumeOperations } from './ec2Volumes.ts';
import { vpcOperations } from './ec2Vpcs.ts';

export const ec2Service: SandboxService = {
  serviceId: 'EC2',
  operations: {
    ...instanceOperations,
    ...securityGroupOperations,
    ...prefixListOperations,
    ...imageOperations,
    ...snapshotOperations,
    ...volumeOperations,
    ...networkOperations,
    ...postureOperations,
    ...vpcOperations,
  },
};
