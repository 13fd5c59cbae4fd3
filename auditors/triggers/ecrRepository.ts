/**
 * CloudTrail calls that trigger an audit of ecr_repository (SDK-free: the event translator imports these, not the auditor).
 * CreateRepository's requestParameters.repositoryName and responseElements.repository.repositoryName are in AWS's
 * example log entry (https://docs.aws.amazon.com/AmazonECR/latest/userguide/logging-using-cloudtrail.html); the calls
 * on an existing repository take the same repositoryName parameter. PutRegistryScanningConfiguration changes every
 * repository of the registry and names none: the nightly poll sees its effect.
 */
import type { CloudTrailTrigger } from '../contract.ts';

export const ecrRepositoryTriggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'ecr.amazonaws.com', eventNames: ['CreateRepository'], idPath: 'responseElements.repository.repositoryName' },
  {
    eventSource: 'ecr.amazonaws.com',
    eventNames: ['SetRepositoryPolicy', 'PutImageScanningConfiguration', 'PutImageTagMutability'],
    idPath: 'requestParameters.repositoryName',
  },
];
