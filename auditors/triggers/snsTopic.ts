/**
 * CloudTrail calls that trigger an audit of sns_topic (SDK-free: the event translator imports these, not the auditor).
 * CloudTrail records SNS parameters under their API names in camelCase: CreateTopic's responseElements.topicArn
 * and DeleteTopic's requestParameters.topicArn are in AWS's example log entries
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-logging-using-cloudtrail.html); SetTopicAttributes,
 * AddPermission and RemovePermission take the same TopicArn parameter.
 */
import type { CloudTrailTrigger } from '../contract.ts';

export const snsTopicTriggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'sns.amazonaws.com', eventNames: ['CreateTopic'], idPath: 'responseElements.topicArn' },
  { eventSource: 'sns.amazonaws.com', eventNames: ['SetTopicAttributes', 'AddPermission'], idPath: 'requestParameters.topicArn' },
];
