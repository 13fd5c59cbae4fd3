/**
 * CloudTrail calls that trigger an audit of eks_cluster (SDK-free: the event
 * translator imports these, not the auditor). EKS is a REST-JSON API whose
 * members CloudTrail writes as sent (lower camel case): the cluster is
 * requestParameters.name, the API's member (as in the recorded
 * CreateAccessEntry of Stratus Red Team's eks-create-access-entry, a
 * cluster named in the URI); the CreateCluster record of
 * https://docs.aws.amazon.com/eks/latest/userguide/logging-using-cloudtrail.html
 * (2018) names it requestParameters.clusterName, so CreateCluster is read at
 * both (the translator takes whichever is there). Redshift's CreateCluster
 * shares the event name, not the source.
 */
import type { CloudTrailTrigger } from '../contract.ts';

export const eksClusterTriggers: readonly CloudTrailTrigger[] = [
  // A new cluster is CREATING for about ten minutes: audit it once it is ACTIVE.
  { eventSource: 'eks.amazonaws.com', eventNames: ['CreateCluster'], idPath: 'requestParameters.name', delaySeconds: 600 },
  { eventSource: 'eks.amazonaws.com', eventNames: ['CreateCluster'], idPath: 'requestParameters.clusterName', delaySeconds: 600 },
  { eventSource: 'eks.amazonaws.com', eventNames: ['UpdateClusterConfig'], idPath: 'requestParameters.name' },
];
