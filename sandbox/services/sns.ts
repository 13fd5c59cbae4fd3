/**
 * SNS topics of member accounts (the security account's own findings topic
 * goes to a real SNS emulator: see Sandbox.handles): what the sns_topic
 * auditor reads and remediates, and what the misconfiguration maker creates
 * and removes. Errors carry both names the SDK gives them over SNS's query
 * protocol: `name` the exception (NotFoundException), `Code` the wire code
 * (NotFound). https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html
 */
import type {
  CreateTopicCommandInput,
  CreateTopicCommandOutput,
  DeleteTopicCommandInput,
  GetTopicAttributesCommandInput,
  GetTopicAttributesCommandOutput,
  ListTagsForResourceCommandInput,
  ListTagsForResourceCommandOutput,
  ListTopicsCommandInput,
  ListTopicsCommandOutput,
  SetTopicAttributesCommandInput,
  Tag,
} from '@aws-sdk/client-sns';
import { defaultTopicPolicy } from '../../auditors/snsTopicPolicy.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { serviceError, type SandboxServiceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface TopicRecord {
  /** Settable attributes, as SNS returns them (strings). */
  attributes: Record<string, string>;
  tags: Tag[];
}

interface SnsState {
  topics: Record<string, TopicRecord>;
}

/** The attributes SetTopicAttributes takes: https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html */
const SETTABLE = new Set(['DeliveryPolicy', 'DisplayName', 'Policy', 'KmsMasterKeyId', 'TracingConfig', 'SignatureVersion', 'ContentBasedDeduplication', 'ArchivePolicy', 'DataProtectionPolicy']);
const CREATE_ONLY = new Set(['FifoTopic', 'FifoThroughputScope']);
/** 1 to 256 letters, digits, hyphens and underscores; a FIFO topic's name ends in .fifo. */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$|^[A-Za-z0-9_-]{1,251}\.fifo$/;
/** ListTopics pages hold up to 100 topics. */
const LIST_PAGE_SIZE = 100;

function snsError(name: string, code: string, httpStatus: number, message: string): SandboxServiceError {
  const error = serviceError(code, httpStatus, message);
  error.name = name;
  return error;
}

const topicNotFound = (): Error => snsError('NotFoundException', 'NotFound', 404, 'Topic does not exist');
const resourceNotFound = (): Error => snsError('ResourceNotFoundException', 'ResourceNotFound', 404, 'Resource does not exist');
const invalidParameter = (message: string): Error => snsError('InvalidParameterException', 'InvalidParameter', 400, `Invalid parameter: ${message}`);

function sns(context: OperationContext): SnsState {
  return context.regional<SnsState>('sns', () => ({ topics: {} }));
}

function topicArn(context: OperationContext, name: string): string {
  return `arn:${partitionOf(context.region)}:sns:${context.region}:${context.account}:${name}`;
}

/** The topic an ARN names in this account and region, or undefined. */
function findTopic(context: OperationContext, arn: string | undefined): { name: string; topic: TopicRecord } | undefined {
  if (!arn) throw invalidParameter('TopicArn');
  const [prefix, partition, service, region, account, name, ...rest] = arn.split(':');
  if (prefix !== 'arn' || !partition || service !== 'sns' || !name || rest.length > 0) throw invalidParameter('TopicArn');
  if (region !== context.region || account !== context.account) return undefined;
  const topic = sns(context).topics[name];
  return topic ? { name, topic } : undefined;
}

function topicOf(context: OperationContext, arn: string | undefined): { name: string; topic: TopicRecord } {
  const found = findTopic(context, arn);
  if (!found) throw topicNotFound();
  return found;
}

/** Check and apply one attribute as SNS does: a Policy must be a JSON object; KmsMasterKeyId "" turns SSE off. */
function applyAttribute(topic: TopicRecord, name: string, value: string | undefined, settable: ReadonlySet<string>): void {
  if (!settable.has(name)) throw invalidParameter(`AttributeName ${name}`);
  if (name === 'Policy') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value ?? '');
    } catch {
      throw invalidParameter('Policy Error: null');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParameter('Policy Error: not a JSON object');
  }
  if (value === undefined || (value === '' && name === 'KmsMasterKeyId')) delete topic.attributes[name];
  else topic.attributes[name] = value;
}

export const snsService: SandboxService = {
  serviceId: 'SNS',
  operations: {
    ListTopics: operation((context, input: ListTopicsCommandInput): Output<ListTopicsCommandOutput> => {
      const arns = Object.keys(sns(context).topics)
        .sort()
        .map((name) => topicArn(context, name));
      const { items, next } = page(arns, input.NextToken, LIST_PAGE_SIZE);
      return { Topics: items.map((TopicArn) => ({ TopicArn })), ...(next ? { NextToken: next } : {}) };
    }),
    /** Idempotent: a topic of that name is returned as it is, unless the call asks for other tags. */
    CreateTopic: operation((context, input: CreateTopicCommandInput): Output<CreateTopicCommandOutput> => {
      const name = input.Name ?? '';
      if (!TOPIC_NAME.test(name)) throw invalidParameter('Topic Name');
      const state = sns(context);
      const arn = topicArn(context, name);
      const existing = state.topics[name];
      if (existing) {
        const differs = (input.Tags ?? []).some((tag) => !existing.tags.some((t) => t.Key === tag.Key && t.Value === tag.Value));
        if (differs) throw invalidParameter('Tags Reason: Topic already exists with different tags');
        return { TopicArn: arn };
      }
      const topic: TopicRecord = { attributes: { Policy: JSON.stringify(defaultTopicPolicy(arn)) }, tags: [...(input.Tags ?? [])] };
      for (const [key, value] of Object.entries(input.Attributes ?? {})) applyAttribute(topic, key, value, new Set([...SETTABLE, ...CREATE_ONLY]));
      state.topics[name] = topic;
      return { TopicArn: arn };
    }),
    /** Deleting a topic that does not exist succeeds. */
    DeleteTopic: operation((context, input: DeleteTopicCommandInput) => {
      const found = findTopic(context, input.TopicArn);
      if (found) delete sns(context).topics[found.name];
      return {};
    }),
    GetTopicAttributes: operation((context, input: GetTopicAttributesCommandInput): Output<GetTopicAttributesCommandOutput> => {
      const arn = input.TopicArn ?? '';
      const { topic } = topicOf(context, arn);
      return {
        Attributes: {
          TopicArn: arn,
          Owner: context.account,
          DisplayName: '',
          SubscriptionsConfirmed: '0',
          SubscriptionsPending: '0',
          SubscriptionsDeleted: '0',
          EffectiveDeliveryPolicy: '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}',
          ...topic.attributes,
        },
      };
    }),
    SetTopicAttributes: operation((context, input: SetTopicAttributesCommandInput) => {
      const { topic } = topicOf(context, input.TopicArn);
      if (!input.AttributeName) throw invalidParameter('AttributeName');
      applyAttribute(topic, input.AttributeName, input.AttributeValue, SETTABLE);
      return {};
    }),
    ListTagsForResource: operation((context, input: ListTagsForResourceCommandInput): Output<ListTagsForResourceCommandOutput> => {
      const found = findTopic(context, input.ResourceArn);
      if (!found) throw resourceNotFound();
      return { Tags: found.topic.tags.map((tag) => ({ ...tag })) };
    }),
  },
};
