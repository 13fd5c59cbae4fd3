/**
 * One SNS topic, `misconfiguration-maker-topic-<account>-<region>`, without
 * subscriptions, unencrypted (no KmsMasterKeyId), whose policy keeps SNS's
 * owner-only default statement and adds two: anyone may call
 * sns:GetTopicAttributes (public_policy: all it exposes is the topic's
 * settings and subscription counts, which stay 0) and the nonexistent account
 * 000000000000 may publish (shared_unknown_account: nobody can act as that
 * account). Publishing to a topic without subscribers delivers nothing.
 *
 * Real AWS: a topic costs nothing until messages are published. Tagged with
 * the maker's tag; teardown deletes it (DeleteTopic of a missing topic succeeds).
 */
import { CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, SNSClient, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { defaultTopicPolicy } from '../../auditors/snsTopicPolicy.ts';
import { RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export function makerTopicName(account: string, region: string): string {
  return makerName('topic', account, region);
}

export function makerTopicArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:sns:${region}:${account}:${makerTopicName(account, region)}`;
}

export function makerTopicPolicy(account: string, region: string): string {
  const arn = makerTopicArn(account, region);
  const policy = defaultTopicPolicy(arn);
  return JSON.stringify({
    ...policy,
    Statement: [
      ...policy.Statement,
      { Sid: 'MisconfigurationMakerPublicAttributes', Effect: 'Allow', Principal: '*', Action: 'sns:GetTopicAttributes', Resource: arn },
      { Sid: 'MisconfigurationMakerUnknownAccount', Effect: 'Allow', Principal: { AWS: `arn:${partitionOf(region)}:iam::${NONEXISTENT_ACCOUNT}:root` }, Action: 'sns:Publish', Resource: arn },
    ],
  });
}

async function topicExists(context: MakerContext): Promise<boolean> {
  const arn = makerTopicArn(context.account, context.region);
  return unlessGone(async () => Boolean(await context.clients.get(SNSClient).send(new GetTopicAttributesCommand({ TopicArn: arn }))), RESOURCE_GONE_ERRORS.sns_topic, false);
}

export const snsTopicMaker: MisconfigurationEntry = {
  type: 'sns_topic',
  scope: 'regional',
  provokes: (config) => [
    'sns_topic.public_policy',
    ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['sns_topic.shared_unknown_account']),
    'sns_topic.unencrypted',
  ],
  plan: (account, region) => [
    `SNS topic ${makerTopicName(account, region)}: no subscriptions; unencrypted; policy lets anyone read its attributes and account ${NONEXISTENT_ACCOUNT} publish to it`,
  ],
  async create(context) {
    const sns = context.clients.get(SNSClient);
    const arn = makerTopicArn(context.account, context.region);
    const policy = makerTopicPolicy(context.account, context.region);
    if (await topicExists(context)) {
      // Reused: put the misconfiguration back (a remediation may have fixed it).
      await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Policy', AttributeValue: policy }));
      return [arn];
    }
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: makerTopicName(context.account, context.region), Attributes: { Policy: policy }, Tags: [...MAKER_TAGS] }));
    if (!TopicArn) throw new Error('CreateTopic returned no TopicArn');
    return [TopicArn];
  },
  async teardown(context) {
    if (!(await topicExists(context))) return [];
    const arn = makerTopicArn(context.account, context.region);
    await context.clients.get(SNSClient).send(new DeleteTopicCommand({ TopicArn: arn }));
    return [arn];
  },
};
