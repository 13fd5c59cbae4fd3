/** CloudTrail calls that trigger an audit of redshift (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

/** How long after a rename the new name is audited. */
export const RENAME_DELAY_SECONDS = 300;

export const redshiftTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'redshift.amazonaws.com',
    eventNames: ['CreateCluster', 'RestoreFromClusterSnapshot'],
    idPath: 'requestParameters.clusterIdentifier',
    delaySeconds: 600,
  },
  { eventSource: 'redshift.amazonaws.com', eventNames: ['ModifyCluster'], idPath: 'requestParameters.clusterIdentifier' },
  // A rename (applied at once, the cluster is renaming meanwhile) audits the new name once it answers.
  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_ModifyCluster.html (NewClusterIdentifier)
  { eventSource: 'redshift.amazonaws.com', eventNames: ['ModifyCluster'], idPath: 'requestParameters.newClusterIdentifier', delaySeconds: RENAME_DELAY_SECONDS },
];
