/** CloudTrail calls that trigger an audit of sqs (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const sqsTriggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'sqs.amazonaws.com', eventNames: ['CreateQueue'], idPath: 'responseElements.queueUrl' },
  { eventSource: 'sqs.amazonaws.com', eventNames: ['SetQueueAttributes', 'AddPermission'], idPath: 'requestParameters.queueUrl' },
];
