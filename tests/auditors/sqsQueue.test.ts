import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { sqsAuditor } from '../../auditors/sqsQueue.ts';
import { awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import {
  EVENTBRIDGE_SEND,
  MIXED_CONSUMERS,
  NO_SSE,
  ORG_SEND,
  OWNER_STATEMENT,
  PARTNER_SEND,
  QUEUE_ARN,
  QUEUE_URL,
  SNS_SUBSCRIPTION,
  SSE_KMS,
  SSE_SQS,
  UNKNOWN_ACCOUNT_BY_CONDITION,
  UNKNOWN_CONSUMER,
  publicSend,
  queuePolicy,
} from '../fixtures/sqsQueue.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const sqs = mockClient(SQSClient);

/**
 * A queue that behaves like SQS: GetQueueAttributes answers what
 * SetQueueAttributes last wrote, and Policy "" deletes the policy.
 */
function givenQueue(attributes: Record<string, string>): Record<string, string> {
  const stored = { ...attributes };
  sqs.on(GetQueueAttributesCommand, { QueueUrl: QUEUE_URL }).callsFake(() => ({ Attributes: { ...stored, QueueArn: QUEUE_ARN } }));
  sqs.on(SetQueueAttributesCommand, { QueueUrl: QUEUE_URL }).callsFake((input: { Attributes?: Record<string, string> }) => {
    for (const [key, value] of Object.entries(input.Attributes ?? {})) {
      if (key === 'Policy' && value === '') delete stored.Policy;
      else stored[key] = value;
    }
    return {};
  });
  return stored;
}

async function failedChecks(): Promise<FailedCheck[]> {
  return failedChecksOf(await sqsAuditor.audit(makeResourceContext(QUEUE_URL), makeCheckContext(QUEUE_URL)));
}

async function failedIds(): Promise<string[]> {
  return (await failedChecks()).map((f) => f.check.id);
}

function writtenPolicies(): (string | undefined)[] {
  return sqs.commandCalls(SetQueueAttributesCommand).map((call) => call.args[0].input.Attributes?.Policy);
}

describe('sqs auditor', () => {
  beforeEach(() => sqs.reset());

  describe('list', () => {
    it('follows NextToken with MaxResults 1000 and names each queue after its URL', async () => {
      // Prepare
      sqs.on(ListQueuesCommand, { NextToken: undefined }).resolves({
        QueueUrls: [QUEUE_URL, 'https://sqs.us-east-1.amazonaws.com/111111111111/misconfiguration-maker-public-queue'],
        NextToken: 'AQICAHhUXJz4WQNHZkzGr4k3uNVCZ8Ekz1aAoYa9fRSa9hYGXgGa',
      });
      sqs.on(ListQueuesCommand, { NextToken: 'AQICAHhUXJz4WQNHZkzGr4k3uNVCZ8Ekz1aAoYa9fRSa9hYGXgGa' }).resolves({
        QueueUrls: ['https://sqs.us-east-1.amazonaws.com/111111111111/orders-events-dlq.fifo'],
      });
      // Act
      const listed = await collectAll(sqsAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: QUEUE_URL, name: 'orders-events' },
        { id: 'https://sqs.us-east-1.amazonaws.com/111111111111/misconfiguration-maker-public-queue', name: 'misconfiguration-maker-public-queue' },
        { id: 'https://sqs.us-east-1.amazonaws.com/111111111111/orders-events-dlq.fifo', name: 'orders-events-dlq.fifo' },
      ]);
      const calls = sqs.commandCalls(ListQueuesCommand);
      expect(calls).toHaveLength(2);
      expect(calls[0]?.args[0].input).toMatchObject({ MaxResults: 1000 });
    });

    it('an account without queues lists nothing', async () => {
      sqs.on(ListQueuesCommand).resolves({});
      expect(await collectAll(sqsAuditor.list(makeListContext()))).toEqual([]);
    });
  });

  describe('checks', () => {
    it.each([
      ['SSE-SQS and no policy', SSE_SQS],
      ['SSE-KMS and the owner statement', { ...SSE_KMS, Policy: queuePolicy(OWNER_STATEMENT) }],
      [
        'every restricted or trusted grant',
        { ...SSE_SQS, Policy: queuePolicy(OWNER_STATEMENT, SNS_SUBSCRIPTION, EVENTBRIDGE_SEND, ORG_SEND, PARTNER_SEND) },
      ],
      ['a Deny to principal "*"', { ...SSE_SQS, Policy: queuePolicy({ ...publicSend('DenyAll'), Effect: 'Deny' }) }],
    ])('a compliant queue fails no check: %s', async (_name, attributes) => {
      givenQueue(attributes);
      expect(await failedIds()).toEqual([]);
    });

    it('reads only the attributes it judges', async () => {
      givenQueue(SSE_SQS);
      await failedChecks();
      expect(sqs.commandCalls(GetQueueAttributesCommand)[0]?.args[0].input).toEqual({
        QueueUrl: QUEUE_URL,
        AttributeNames: ['Policy', 'SqsManagedSseEnabled', 'KmsMasterKeyId'],
      });
    });

    const publicForms: [string, object][] = [
      ['Principal "*"', publicSend()],
      ['Principal {"AWS":"*"}', { ...publicSend(), Principal: { AWS: '*' } }],
      ['Principal {"AWS":["*"]}', { ...publicSend(), Principal: { AWS: ['*'] } }],
      ['a condition that does not restrict (aws:SecureTransport)', { ...publicSend(), Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
      ['aws:SourceArn "*"', { ...publicSend(), Condition: { ArnLike: { 'aws:SourceArn': '*' } } }],
      ['ArnNotEquals aws:SourceArn', { ...publicSend(), Condition: { ArnNotEquals: { 'aws:SourceArn': SNS_SUBSCRIPTION.Condition.ArnLike['aws:SourceArn'] } } }],
    ];
    it.each(publicForms)('public_policy: %s', async (_name, statement) => {
      givenQueue({ ...SSE_SQS, Policy: queuePolicy(OWNER_STATEMENT, statement) });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['sqs.public_policy']);
      expect(failed[0]?.violation.detail).toBe('policy statement "PublicSend" allows principal "*" without a restricting condition');
      expect(failed[0]?.check.severity).toBe('critical');
    });

    it.each([
      ['an AddPermission grant', [UNKNOWN_CONSUMER], 'policy statement "unknown-consumer" grants 999999999999'],
      ['a role of the unknown account beside a trusted account', [MIXED_CONSUMERS], 'policy statement "Consumers" grants 999999999999'],
      ['principal "*" limited to the unknown account', [UNKNOWN_ACCOUNT_BY_CONDITION], 'policy statement "AnyoneFromForeignAccount" grants 999999999999'],
      [
        'a bare account id, without a Sid',
        [{ Effect: 'Allow', Principal: { AWS: '888888888888' }, Action: 'sqs:SendMessage', Resource: QUEUE_ARN }],
        'policy statement #2 grants 888888888888',
      ],
    ])('shared_unknown_account: %s', async (_name, statements, detail) => {
      givenQueue({ ...SSE_SQS, Policy: queuePolicy(OWNER_STATEMENT, ...statements) });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['sqs.shared_unknown_account']);
      expect(failed[0]?.violation.detail).toBe(detail);
      expect(failed[0]?.check.severity).toBe('high');
    });

    it('shared_unknown_account: an account id that merely contains a trusted one is unknown', async () => {
      givenQueue({ ...SSE_SQS, Policy: queuePolicy({ ...PARTNER_SEND, Principal: { AWS: 'arn:aws:iam::322222222222:root' } }) });
      expect(await failedIds()).toEqual(['sqs.shared_unknown_account']);
    });

    it('shared_unknown_account: an account added to trustedAccounts is fine', async () => {
      givenQueue({ ...SSE_SQS, Policy: queuePolicy(UNKNOWN_CONSUMER) });
      const result = await sqsAuditor.audit(
        makeResourceContext(QUEUE_URL),
        makeCheckContext(QUEUE_URL, { trustedAccounts: ['111111111111', '222222222222', '999999999999'] }),
      );
      expect(result).toEqual([]);
    });

    it.each([
      ['SqsManagedSseEnabled "false"', NO_SSE],
      ['no encryption attribute at all (a queue created before SSE-SQS)', {}],
      ['an empty KmsMasterKeyId', { KmsMasterKeyId: '', SqsManagedSseEnabled: 'false' }],
    ])('unencrypted: %s', async (_name, attributes) => {
      givenQueue(attributes);
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['sqs.unencrypted']);
      expect(failed[0]?.check.severity).toBe('medium');
    });

    it('a public, shared and unencrypted queue fails all three checks', async () => {
      givenQueue({ ...NO_SSE, Policy: queuePolicy(publicSend(), UNKNOWN_CONSUMER) });
      expect(await failedIds()).toEqual(['sqs.public_policy', 'sqs.shared_unknown_account', 'sqs.unencrypted']);
    });

    it.each(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'])('a queue that vanished (%s) is gone', async (name) => {
      sqs.on(GetQueueAttributesCommand).rejects(awsError(name));
      expect(await sqsAuditor.audit(makeResourceContext(QUEUE_URL), makeCheckContext(QUEUE_URL))).toBe(GONE);
    });

    it('AccessDenied propagates (it is an error, not a finding)', async () => {
      sqs.on(GetQueueAttributesCommand).rejects(awsError('AccessDenied', 403));
      await expect(sqsAuditor.audit(makeResourceContext(QUEUE_URL), makeCheckContext(QUEUE_URL))).rejects.toThrow('AccessDenied');
    });
  });

  describe('remediations', () => {
    async function remediation(checkId: string): Promise<() => Promise<string>> {
      const remediate = (await failedChecks()).find((f) => f.check.id === checkId)?.remediate;
      if (!remediate) throw new Error(`${checkId} did not fail or has no remediation`);
      return remediate;
    }

    it('public_policy removes only the public statements and keeps the rest', async () => {
      // Prepare
      givenQueue({ ...SSE_SQS, Policy: queuePolicy(OWNER_STATEMENT, publicSend(), SNS_SUBSCRIPTION, publicSend('PublicSend2')) });
      const remediate = await remediation('sqs.public_policy');
      // Act
      const outcome = await remediate();
      // Assess
      expect(outcome).toBe('applied');
      const calls = sqs.commandCalls(SetQueueAttributesCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input.QueueUrl).toBe(QUEUE_URL);
      expect(Object.keys(calls[0]?.args[0].input.Attributes ?? {})).toEqual(['Policy']);
      expect(JSON.parse(writtenPolicies()[0] ?? '{}')).toEqual({
        Version: '2012-10-17',
        Id: `${QUEUE_ARN}/SQSDefaultPolicy`,
        Statement: [OWNER_STATEMENT, SNS_SUBSCRIPTION],
      });
    });

    it('public_policy deletes the policy (Policy "") when nothing would be left', async () => {
      const stored = givenQueue({ ...SSE_SQS, Policy: queuePolicy(publicSend()) });
      const remediate = await remediation('sqs.public_policy');
      expect(await remediate()).toBe('applied');
      expect(writtenPolicies()).toEqual(['']);
      expect(stored.Policy).toBeUndefined();
    });

    it('shared_unknown_account removes the unknown account only, keeping trusted principals in the same statement', async () => {
      givenQueue({ ...SSE_SQS, Policy: queuePolicy(OWNER_STATEMENT, MIXED_CONSUMERS, UNKNOWN_CONSUMER, PARTNER_SEND) });
      const remediate = await remediation('sqs.shared_unknown_account');
      expect(await remediate()).toBe('applied');
      expect(JSON.parse(writtenPolicies()[0] ?? '{}').Statement).toEqual([
        OWNER_STATEMENT,
        { ...MIXED_CONSUMERS, Principal: { AWS: 'arn:aws:iam::222222222222:root' } },
        PARTNER_SEND,
      ]);
    });

    it('shared_unknown_account removes a "*" statement limited to the unknown account by condition', async () => {
      givenQueue({ ...SSE_SQS, Policy: queuePolicy(OWNER_STATEMENT, UNKNOWN_ACCOUNT_BY_CONDITION) });
      const remediate = await remediation('sqs.shared_unknown_account');
      expect(await remediate()).toBe('applied');
      expect(JSON.parse(writtenPolicies()[0] ?? '{}').Statement).toEqual([OWNER_STATEMENT]);
    });

    it('shared_unknown_account deletes the policy when nothing would be left', async () => {
      givenQueue({ ...SSE_SQS, Policy: queuePolicy(UNKNOWN_CONSUMER) });
      const remediate = await remediation('sqs.shared_unknown_account');
      expect(await remediate()).toBe('applied');
      expect(writtenPolicies()).toEqual(['']);
    });

    it('shared_unknown_account leaves a public statement to public_policy', async () => {
      givenQueue({ ...SSE_SQS, Policy: queuePolicy(publicSend(), UNKNOWN_CONSUMER) });
      const remediate = await remediation('sqs.shared_unknown_account');
      expect(await remediate()).toBe('applied');
      expect(JSON.parse(writtenPolicies()[0] ?? '{}').Statement).toEqual([publicSend()]);
    });

    it('unencrypted turns on SSE-SQS and sets nothing else', async () => {
      givenQueue({ ...NO_SSE, Policy: queuePolicy(OWNER_STATEMENT) });
      const remediate = await remediation('sqs.unencrypted');
      expect(await remediate()).toBe('applied');
      const calls = sqs.commandCalls(SetQueueAttributesCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual({ QueueUrl: QUEUE_URL, Attributes: { SqsManagedSseEnabled: 'true' } });
    });

    it.each([
      ['sqs.public_policy', { ...NO_SSE, Policy: queuePolicy(OWNER_STATEMENT, publicSend(), UNKNOWN_CONSUMER) }],
      ['sqs.shared_unknown_account', { ...NO_SSE, Policy: queuePolicy(OWNER_STATEMENT, publicSend(), MIXED_CONSUMERS) }],
      ['sqs.unencrypted', { ...NO_SSE, Policy: queuePolicy(OWNER_STATEMENT, publicSend(), UNKNOWN_CONSUMER) }],
    ])('%s: a second run against the fixed queue makes no mutating call', async (checkId, attributes) => {
      // Prepare: the first run fixed the queue
      givenQueue(attributes);
      const remediate = await remediation(checkId);
      expect(await remediate()).toBe('applied');
      sqs.resetHistory();
      // Act
      const outcome = await remediate();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(sqs.commandCalls(SetQueueAttributesCommand)).toHaveLength(0);
    });

    it('a queue deleted before remediation is gone, with no mutating call', async () => {
      givenQueue({ ...NO_SSE, Policy: queuePolicy(publicSend()) });
      const remediate = await remediation('sqs.public_policy');
      sqs.reset();
      sqs.on(GetQueueAttributesCommand).rejects(awsError('QueueDoesNotExist'));
      expect(await remediate()).toBe('gone');
      expect(sqs.commandCalls(SetQueueAttributesCommand)).toHaveLength(0);
    });
  });

  it('declares what it calls', () => {
    expect(sqsAuditor.permissions).toEqual({ list: ['sqs:ListQueues'], collect: ['sqs:GetQueueAttributes'] });
    expect(Object.keys(sqsAuditor.remediations)).toEqual(['sqs.public_policy', 'sqs.shared_unknown_account', 'sqs.unencrypted']);
    for (const remediation of Object.values(sqsAuditor.remediations)) {
      expect(remediation.permissions).toEqual(['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes']);
    }
    expect(sqsAuditor.scope).toBe('regional');
    expect(sqsAuditor.triggers).toEqual([
      { eventSource: 'sqs.amazonaws.com', eventNames: ['CreateQueue'], idPath: 'responseElements.queueUrl' },
      { eventSource: 'sqs.amazonaws.com', eventNames: ['SetQueueAttributes', 'AddPermission'], idPath: 'requestParameters.queueUrl' },
    ]);
  });
});
