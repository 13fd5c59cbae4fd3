/**
 * sqs: queue policies open to everyone or shared with unknown accounts, and
 * queues without server-side encryption.
 *
 * APIs: ListQueues, GetQueueAttributes; remediation: SetQueueAttributes
 * (Policy narrowed, or "" to delete it; SqsManagedSseEnabled=true).
 */
import { GetQueueAttributesCommand, SQSClient, SetQueueAttributesCommand, paginateListQueues, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, type Gone, type ResourceContext } from './contract.ts';
import { sqsTriggers } from './triggers/sqsQueue.ts';
import { parsePolicyDocument, serialisePolicyDocument, type PolicyDocument } from './policy/index.ts';
import { resourcePolicyChecks, resourcePolicyRemediations } from './resourcePolicyExposure.ts';

/** SQS answers with either name, depending on the protocol (JSON or query-compatible code). */
export const QUEUE_GONE_ERRORS = ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'] as const;

const ATTRIBUTES = ['Policy', 'SqsManagedSseEnabled', 'KmsMasterKeyId'] as const satisfies readonly QueueAttributeName[];

export interface QueueState {
  url: string;
  /** undefined: the queue has no policy. */
  policy?: PolicyDocument;
  sqsManagedSse: boolean;
  kmsMasterKeyId?: string;
}

// ---------- pure helpers (shared by checks and remediations) ----------

/** The queue name, the last path segment of its URL. */
export function queueNameOf(url: string): string {
  return url.split('/').filter((part) => part.length > 0).pop() ?? url;
}

export function isEncrypted(state: Pick<QueueState, 'sqsManagedSse' | 'kmsMasterKeyId'>): boolean {
  return state.sqsManagedSse || (state.kmsMasterKeyId !== undefined && state.kmsMasterKeyId !== '');
}

// ---------- reads (collect and the read half of remediations) ----------

function sqs(context: ResourceContext): SQSClient {
  return context.clients.get(SQSClient);
}

async function readQueue(context: ResourceContext): Promise<QueueState | Gone> {
  try {
    const { Attributes = {} } = await sqs(context).send(
      new GetQueueAttributesCommand({ QueueUrl: context.id, AttributeNames: [...ATTRIBUTES] }),
    );
    return {
      url: context.id,
      policy: Attributes.Policy ? parsePolicyDocument(Attributes.Policy) : undefined,
      sqsManagedSse: Attributes.SqsManagedSseEnabled === 'true',
      kmsMasterKeyId: Attributes.KmsMasterKeyId,
    };
  } catch (error) {
    if (hasErrorName(error, ...QUEUE_GONE_ERRORS)) return GONE;
    throw error;
  }
}

/** Set the policy; an empty one is deleted (Policy ""). */
async function writePolicy(context: ResourceContext, policy: PolicyDocument): Promise<void> {
  const text = policy.Statement.length === 0 ? '' : serialisePolicyDocument(policy);
  await sqs(context).send(new SetQueueAttributesCommand({ QueueUrl: context.id, Attributes: { Policy: text } }));
}

// ---------- the auditor ----------

export const sqsAuditor = defineAuditor<QueueState>({
  type: 'sqs',
  scope: 'regional',
  description: 'SQS queues: public policies, policies shared with unknown accounts, server-side encryption',
  permissions: {
    list: ['sqs:ListQueues'],
    collect: ['sqs:GetQueueAttributes'],
  },
  triggers: sqsTriggers,

  async *list({ clients }) {
    const client = clients.get(SQSClient);
    for await (const page of paginateListQueues({ client, pageSize: 1000 }, {})) {
      for (const url of page.QueueUrls ?? []) yield { id: url, name: queueNameOf(url) };
    }
  },

  collect: readQueue,

  checks: [
    ...resourcePolicyChecks<QueueState>({
      type: 'sqs',
      noun: 'Queue',
      publicRisk: 'send, read or delete messages',
      foreignRisk: 'use the queue and read or inject its messages',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html
      publicControls: { fsbp: ['SQS.3'] },
    }),
    {
      id: 'sqs.unencrypted',
      title: 'Queue is not encrypted at rest',
      severity: 'medium',
      rationale: 'Without SSE-SQS or SSE-KMS, messages are stored unencrypted.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html
      controls: { fsbp: ['SQS.1'] },
      evaluate(state) {
        return isEncrypted(state) ? undefined : { detail: 'neither SqsManagedSseEnabled nor KmsMasterKeyId is set' };
      },
    },
  ],

  remediations: {
    ...resourcePolicyRemediations<QueueState>('sqs', {
      read: async (context) => {
        const queue = await readQueue(context);
        return queue === GONE ? GONE : queue.policy;
      },
      write: writePolicy,
      permissions: ['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
      whenEmptied: 'delete the policy',
    }),
    'sqs.unencrypted': {
      description: 'Turn on SQS-managed server-side encryption (SSE-SQS).',
      risk: 'safe',
      permissions: ['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
      async apply(context) {
        const queue = await readQueue(context);
        if (queue === GONE) return 'gone';
        if (isEncrypted(queue)) return 'already_compliant';
        await sqs(context).send(new SetQueueAttributesCommand({ QueueUrl: context.id, Attributes: { SqsManagedSseEnabled: 'true' } }));
        return 'applied';
      },
    },
  },
});
