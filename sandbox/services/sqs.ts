/**
 * SQS queues of member accounts (the security account's own queues go to a
 * real SQS emulator: see Sandbox.handles): what the sqs auditor reads and
 * remediates, and what the misconfiguration maker creates and removes.
 * Errors carry both names the SDK gives them over SQS's JSON protocol:
 * `name` the exception (QueueDoesNotExist), `Code` the query-compatible code
 * (AWS.SimpleQueueService.NonExistentQueue). A queue URL of another account
 * names nothing here (AWS would check that account's queue policy).
 */
import type {
  CreateQueueCommandInput,
  CreateQueueCommandOutput,
  DeleteQueueCommandInput,
  GetQueueAttributesCommandInput,
  GetQueueAttributesCommandOutput,
  GetQueueUrlCommandInput,
  GetQueueUrlCommandOutput,
  ListQueuesCommandInput,
  ListQueuesCommandOutput,
  SetQueueAttributesCommandInput,
} from '@aws-sdk/client-sqs';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { serviceError, type SandboxServiceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface QueueRecord {
  /** Settable attributes, as SQS returns them (strings). */
  attributes: Record<string, string>;
  createdAt: string;
  modifiedAt: string;
  tags: Record<string, string>;
}

interface SqsState {
  queues: Record<string, QueueRecord>;
  /** Queue name -> when it was deleted: the name cannot be reused for 60 seconds. */
  deleted: Record<string, string>;
}

const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = {
  VisibilityTimeout: '30',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  DelaySeconds: '0',
  ReceiveMessageWaitTimeSeconds: '0',
  // SSE-SQS is on for new queues since 2022.
  SqsManagedSseEnabled: 'true',
};
const SETTABLE = new Set([
  ...Object.keys(DEFAULT_ATTRIBUTES),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);
const READ_ONLY = ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp'];
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$|^[A-Za-z0-9_-]{1,75}\.fifo$/;
const DELETED_NAME_RESERVED_MS = 60_000;

/** An SQS error: the SDK's exception name, and the query-compatible code it also sets. */
function sqsError(name: string, queryCode: string, httpStatus: number, message: string): SandboxServiceError {
  const error = serviceError(queryCode, httpStatus, message);
  error.name = name;
  return error;
}

const nonExistentQueue = (): Error => sqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 400, 'The specified queue does not exist.');

function sqs(context: OperationContext): SqsState {
  return context.regional<SqsState>('sqs', () => ({ queues: {}, deleted: {} }));
}

function missingParameter(parameter: string): Error {
  return sqsError('MissingParameter', 'MissingParameter', 400, `The request must contain the parameter ${parameter}.`);
}

function required(value: string | undefined, parameter: string): string {
  if (value === undefined || value === '') throw missingParameter(parameter);
  return value;
}

function queueUrl(context: OperationContext, name: string): string {
  return `https://sqs.${context.region}.amazonaws.com/${context.account}/${name}`;
}

/** The queue a QueueUrl names (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
function queueOf(context: OperationContext, url: string | undefined): { name: string; queue: QueueRecord } {
  const parts = required(url, 'QueueUrl').split('/').filter((part) => part.length > 0);
  const name = parts.pop();
  const account = parts.pop();
  if (!name || !account || !/^\d{12}$/.test(account)) throw sqsError('InvalidAddress', 'InvalidAddress', 404, `The address ${url} is not valid for this endpoint.`);
  const queue = account === context.account ? sqs(context).queues[name] : undefined;
  if (!queue) throw nonExistentQueue();
  return { name, queue };
}

/** Attribute values as given, checked: names SQS knows, a Policy that is JSON (or "" to remove it). */
function validAttributes(attributes: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const valid: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (!SETTABLE.has(name)) throw sqsError('InvalidAttributeName', 'InvalidAttributeName', 400, `Unknown Attribute ${name}.`);
    if (value === undefined) continue;
    if (name === 'Policy' && value !== '') {
      try {
        JSON.parse(value);
      } catch {
        throw sqsError('InvalidAttributeValue', 'InvalidAttributeValue', 400, 'Invalid value for the parameter Policy.');
      }
    }
    if (name === 'SqsManagedSseEnabled' && value !== 'true' && value !== 'false') {
      throw sqsError('InvalidAttributeValue', 'InvalidAttributeValue', 400, 'Invalid value for the parameter SqsManagedSseEnabled.');
    }
    valid[name] = value;
  }
  return valid;
}

/** Apply attributes as SQS does: "" removes a Policy or key; SSE-SQS and SSE-KMS exclude each other. */
function applyAttributes(queue: QueueRecord, attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === '' && (name === 'Policy' || name === 'KmsMasterKeyId' || name === 'RedrivePolicy')) delete queue.attributes[name];
    else queue.attributes[name] = value;
    if (name === 'SqsManagedSseEnabled' && value === 'true') delete queue.attributes.KmsMasterKeyId;
    if (name === 'KmsMasterKeyId' && value !== '') queue.attributes.SqsManagedSseEnabled = 'false';
  }
}

function allAttributes(context: OperationContext, name: string, queue: QueueRecord): Record<string, string> {
  return {
    QueueArn: `arn:${partitionOf(context.region)}:sqs:${context.region}:${context.account}:${name}`,
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesNotVisible: '0',
    ApproximateNumberOfMessagesDelayed: '0',
    CreatedTimestamp: String(Math.floor(Date.parse(queue.createdAt) / 1000)),
    LastModifiedTimestamp: String(Math.floor(Date.parse(queue.modifiedAt) / 1000)),
    ...queue.attributes,
  };
}

export const sqsService: SandboxService = {
  serviceId: 'SQS',
  operations: {
    /** Without MaxResults SQS answers up to 1,000 URLs and no NextToken. */
    ListQueues: operation((context, input: ListQueuesCommandInput): Output<ListQueuesCommandOutput> => {
      const prefix = input.QueueNamePrefix ?? '';
      const urls = Object.keys(sqs(context).queues)
        .filter((name) => name.startsWith(prefix))
        .sort()
        .map((name) => queueUrl(context, name));
      if (input.MaxResults === undefined) return urls.length > 0 ? { QueueUrls: urls.slice(0, 1000) } : {};
      const { items, next } = page(urls, input.NextToken, Math.min(input.MaxResults, 1000));
      return { ...(items.length > 0 ? { QueueUrls: items } : {}), ...(next ? { NextToken: next } : {}) };
    }),
    GetQueueUrl: operation((context, input: GetQueueUrlCommandInput): Output<GetQueueUrlCommandOutput> => {
      const name = required(input.QueueName, 'QueueName');
      const owner = input.QueueOwnerAWSAccountId ?? context.account;
      if (owner !== context.account || !sqs(context).queues[name]) throw nonExistentQueue();
      return { QueueUrl: queueUrl(context, name) };
    }),
    CreateQueue: operation((context, input: CreateQueueCommandInput): Output<CreateQueueCommandOutput> => {
      const name = required(input.QueueName, 'QueueName');
      if (!QUEUE_NAME.test(name)) {
        throw sqsError('InvalidParameterValue', 'InvalidParameterValue', 400, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      }
      const attributes = validAttributes(input.Attributes);
      const state = sqs(context);
      const existing = state.queues[name];
      if (existing) {
        const differs = Object.entries(attributes).some(([key, value]) => (existing.attributes[key] ?? '') !== value);
        if (differs) throw sqsError('QueueNameExists', 'QueueAlreadyExists', 400, `A queue already exists with the same name and a different value for attribute(s) ${Object.keys(attributes).join(', ')}`);
        return { QueueUrl: queueUrl(context, name) };
      }
      const deletedAt = state.deleted[name];
      if (deletedAt && context.now().getTime() - Date.parse(deletedAt) < DELETED_NAME_RESERVED_MS) {
        throw sqsError('QueueDeletedRecently', 'AWS.SimpleQueueService.QueueDeletedRecently', 400, 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');
      }
      const now = context.now().toISOString();
      const queue: QueueRecord = { attributes: { ...DEFAULT_ATTRIBUTES }, createdAt: now, modifiedAt: now, tags: { ...input.tags } };
      applyAttributes(queue, attributes);
      state.queues[name] = queue;
      delete state.deleted[name];
      return { QueueUrl: queueUrl(context, name) };
    }),
    DeleteQueue: operation((context, input: DeleteQueueCommandInput) => {
      const { name } = queueOf(context, input.QueueUrl);
      const state = sqs(context);
      delete state.queues[name];
      state.deleted[name] = context.now().toISOString();
      return {};
    }),
    /** Only the attributes asked for ("All": every one); an unset one (Policy, KmsMasterKeyId) is absent. */
    GetQueueAttributes: operation((context, input: GetQueueAttributesCommandInput): Output<GetQueueAttributesCommandOutput> => {
      const { name, queue } = queueOf(context, input.QueueUrl);
      const requested: readonly string[] = input.AttributeNames ?? [];
      for (const attribute of requested) {
        if (attribute !== 'All' && !SETTABLE.has(attribute) && !READ_ONLY.includes(attribute)) {
          throw sqsError('InvalidAttributeName', 'InvalidAttributeName', 400, `Unknown Attribute ${attribute}.`);
        }
      }
      const all = allAttributes(context, name, queue);
      const selected = Object.entries(all).filter(([key]) => requested.includes('All') || requested.includes(key));
      return selected.length > 0 ? { Attributes: Object.fromEntries(selected) } : {};
    }),
    SetQueueAttributes: operation((context, input: SetQueueAttributesCommandInput) => {
      const { queue } = queueOf(context, input.QueueUrl);
      if (!input.Attributes || Object.keys(input.Attributes).length === 0) throw missingParameter('Attribute.Name');
      applyAttributes(queue, validAttributes(input.Attributes));
      queue.modifiedAt = context.now().toISOString();
      return {};
    }),
  },
};
