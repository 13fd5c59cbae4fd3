/** CloudTrail calls that trigger an audit of rds_snapshot (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const rdsSnapshotTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'rds.amazonaws.com',
    eventNames: ['ModifyDBSnapshotAttribute'],
    idPath: 'requestParameters.dBSnapshotIdentifier',
  },
  {
    eventSource: 'rds.amazonaws.com',
    eventNames: ['ModifyDBClusterSnapshotAttribute'],
    idPath: 'requestParameters.dBClusterSnapshotIdentifier',
  },
];
