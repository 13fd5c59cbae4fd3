/**
 * sns_topic: topic policies open to everyone (FSBP SNS.4) or shared with
 * unknown accounts, and topics without SSE-KMS (SNS.1).
 *
 * APIs: ListTopics (100 per page, NextToken), GetTopicAttributes (Policy,
 * KmsMasterKeyId), ListTagsForResource (the stack's own tag protects the
 * service's findings topic); remediation: SetTopicAttributes Policy (only the
 * public statements or the unknown accounts removed).
 * CloudTrail: CreateTopic (responseElements.topicArn), SetTopicAttributes and
 * AddPermission (requestParameters.topicArn).
 *
 * Encryption is notify-only: a topic encrypted with the AWS managed key
 * alias/aws/sns, whose key policy no one can change, no longer accepts
 * messages from AWS services that publish to it (CloudWatch alarms,
 * EventBridge, S3 event notifications) nor from other accounts; a customer
 * managed key needs a key policy written for the topic's publishers.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
import { GetTopicAttributesCommand, ListTagsForResourceCommand, SNSClient, SetTopicAttributesCommand, paginateListTopics } from '@aws-sdk/client-sns';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { parsePolicyDocument, serialisePolicyDocument, type PolicyDocument } from './policy/index.ts';
import { resourcePolicyChecks, resourcePolicyRemediations } from './resourcePolicyExposure.ts';
import { defaultTopicPolicy, topicNameOf } from './snsTopicPolicy.ts';
import { snsTopicTriggers } from './triggers/snsTopic.ts';

export interface TopicState {
  arn: string;
  /** undefined: the topic has no policy (SNS gives every topic its owner-only default one). */
  policy?: PolicyDocument;
  kmsMasterKeyId?: string;
  tags: Readonly<Record<string, string>>;
}

// ---------- reads ----------

function sns(context: ResourceContext): SNSClient {
  return context.clients.get(SNSClient);
}

async function readTopic(context: ResourceContext): Promise<TopicState | Gone> {
  try {
    const { Attributes = {} } = await sns(context).send(new GetTopicAttributesCommand({ TopicArn: context.id }));
    const { Tags } = await sns(context).send(new ListTagsForResourceCommand({ ResourceArn: context.id }));
    return {
      arn: context.id,
      policy: Attributes.Policy ? parsePolicyDocument(Attributes.Policy) : undefined,
      kmsMasterKeyId: Attributes.KmsMasterKeyId || undefined,
      tags: tagsToRecord(Tags),
    };
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.sns_topic)) return GONE;
    throw error;
  }
}

/** Write the policy; an emptied one becomes SNS's owner-only default. */
async function writePolicy(context: ResourceContext, policy: PolicyDocument): Promise<void> {
  const written = policy.Statement.length === 0 ? defaultTopicPolicy(context.id) : policy;
  await sns(context).send(new SetTopicAttributesCommand({ TopicArn: context.id, AttributeName: 'Policy', AttributeValue: serialisePolicyDocument(written) }));
}

// ---------- the auditor ----------

export const snsTopicAuditor = defineAuditor<TopicState>({
  type: 'sns_topic',
  scope: 'regional',
  description: 'SNS topics: public policies, policies shared with unknown accounts, server-side encryption with KMS',
  permissions: {
    list: ['sns:ListTopics'],
    collect: ['sns:GetTopicAttributes', 'sns:ListTagsForResource'],
  },
  triggers: snsTopicTriggers,

  async *list({ clients }) {
    // ListTopics answers up to 100 topics a page, no page size: https://docs.aws.amazon.com/sns/latest/api/API_ListTopics.html
    for await (const page of paginateListTopics({ client: clients.get(SNSClient) }, {})) {
      for (const topic of page.Topics ?? []) if (topic.TopicArn) yield { id: topic.TopicArn, name: topicNameOf(topic.TopicArn) };
    }
  },

  collect: readTopic,

  identity: (state) => ({ tags: state.tags }),

  checks: [
    ...resourcePolicyChecks<TopicState>({
      type: 'sns_topic',
      noun: 'Topic',
      publicRisk: 'publish to the topic, subscribe to its messages or change it',
      foreignRisk: 'publish to the topic or subscribe to its messages',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html#sns-4 (no CIS v3.0.0 requirement)
      publicControls: { fsbp: ['SNS.4'] },
    }),
    {
      id: 'sns_topic.unencrypted',
      title: 'Topic is not encrypted with a KMS key',
      severity: 'medium',
      rationale: 'Without SSE-KMS, SNS keeps messages awaiting delivery under its own disk encryption only, and no key policy governs who may read them.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html#sns-1 lists SNS.1 under NIST 800-53/800-171 only;
      // https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html has SNS.4 but not SNS.1.
      controls: { none: 'Security Hub SNS.1 matches, but it belongs to the NIST SP 800-53 and 800-171 standards, not FSBP or CIS v3.0.0' },
      evaluate(state) {
        return state.kmsMasterKeyId ? undefined : { detail: 'no KmsMasterKeyId: server-side encryption is off' };
      },
    },
  ],

  // sns_topic.unencrypted: notify-only (see the header: encryption changes who can publish).
  remediations: resourcePolicyRemediations<TopicState>('sns_topic', {
    read: async (context) => {
      const topic = await readTopic(context);
      return topic === GONE ? GONE : topic.policy;
    },
    write: writePolicy,
    permissions: ['sns:GetTopicAttributes', 'sns:ListTagsForResource', 'sns:SetTopicAttributes'],
    whenEmptied: "write SNS's owner-only default policy",
  }),
});
