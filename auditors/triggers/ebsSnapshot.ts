/** CloudTrail calls that trigger an audit of ebs_snapshot (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const ebsSnapshotTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['ModifySnapshotAttribute'],
    idPath: 'requestParameters.snapshotId',
  },
];
