/**
 * SNS topic names and the policy SNS gives every new topic (SDK-free: the
 * auditor, the sandbox and the maker share it).
 */
import type { PolicyDocument } from './policy/index.ts';

/** The topic name, the last field of its ARN (arn:aws:sns:<region>:<account>:<name>). */
export function topicNameOf(arn: string): string {
  return arn.split(':').pop() ?? arn;
}

/**
 * The policy SNS gives a new topic: only the owner account may act on it
 * (principal "*" restricted by AWS:SourceOwner). What a remediation writes
 * when nothing of a topic's policy is left.
 */
export function defaultTopicPolicy(topicArn: string): PolicyDocument {
  const owner = topicArn.split(':')[4] ?? '';
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': owner } },
      },
    ],
  };
}
