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
import { OWN_RULE } from '../services/core/frameworks.ts';
import {
  describePublicStatements,
  describeUntrustedGrants,
  isPublicStatement,
  parsePolicyDocument,
  publicStatements,
  serialisePolicyDocument,
  untrustedGrants,
  withoutStatements,
  withoutUntrustedAccounts,
  type PolicyDocument,
} from './policy/index.ts';

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
    {
      id: 'sqs.public_policy',
      title: 'Queue policy allows access to everyone',
      severity: 'critical',
      rationale: 'An Allow to principal "*" (or with NotPrincipal) without a condition limiting it to fixed accounts, an organization, a source or a network lets anyone send, read or delete messages (ForAllValues: conditions and wildcards such as "o-*" limit nothing).',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html
      controls: { fsbp: ['SQS.3'] },
      evaluate(state) {
        const detail = describePublicStatements(state.policy);
        return detail ? { detail } : undefined;
      },
    },
    {
      id: 'sqs.shared_unknown_account',
      title: 'Queue policy grants access to an unknown account',
      severity: 'high',
      rationale: 'An account outside the organization and the trusted list can use the queue and read or inject its messages.',
      // No FSBP or CIS v3.0.0 control: Security Hub has none for sharing with unknown accounts.
      controls: OWN_RULE.sharing,
      evaluate(state, { account, trustedAccounts }) {
        const grants = untrustedGrants(state.policy, account, trustedAccounts);
        if (grants.length === 0 || !state.policy) return undefined;
        return { detail: `policy ${describeUntrustedGrants(state.policy, grants)}` };
      },
    },
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
    'sqs.public_policy': {
      description: 'Remove only the public statements; delete the policy only if no statement is left.',
      risk: 'safe',
      permissions: ['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
      async apply(context) {
        const queue = await readQueue(context);
        if (queue === GONE) return 'gone';
        if (!queue.policy || publicStatements(queue.policy).length === 0) return 'already_compliant';
        await writePolicy(context, withoutStatements(queue.policy, isPublicStatement));
        return 'applied';
      },
    },
    'sqs.shared_unknown_account': {
      description: 'Remove only the unknown accounts from the policy (a statement goes only if nothing is left of it); delete the policy only if no statement is left.',
      risk: 'safe',
      permissions: ['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
      async apply(context, _state, { account, trustedAccounts }) {
        const queue = await readQueue(context);
        if (queue === GONE) return 'gone';
        if (!queue.policy || untrustedGrants(queue.policy, account, trustedAccounts).length === 0) return 'already_compliant';
        await writePolicy(context, withoutUntrustedAccounts(queue.policy, account, trustedAccounts));
        return 'applied';
      },
    },
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
