/**
 * CloudTrail calls that trigger an audit of eks_cluster (SDK-free: the event
 * translator imports these, not the auditor). EKS is a REST-JSON API whose
 * members CloudTrail writes as sent (lower camel case): the cluster is
 * requestParameters.name in CreateCluster and UpdateClusterConfig (the
 * CreateCluster record of https://docs.aws.amazon.com/eks/latest/userguide/logging-using-cloudtrail.html).
 * Redshift's CreateCluster shares the name, not the source.
 */
import type { CloudTrailTrigger } from '../contract.ts';

export const eksClusterTriggers: readonly CloudTrailTrigger[] = [
  // A new cluster is CREATING for about ten minutes: audit it once it is ACTIVE.
  { eventSource: 'eks.amazonaws.com', eventNames: ['CreateCluster'], idPath: 'requestParameters.name', delaySeconds: 600 },
  { eventSource: 'eks.amazonaws.com', eventNames: ['UpdateClusterConfig'], idPath: 'requestParameters.name' },
];
