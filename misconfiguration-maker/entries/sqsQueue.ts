/**
 * One SQS queue, `misconfiguration-maker-queue-<account>-<region>`, empty,
 * with SSE-SQS turned off (unencrypted) and a policy letting anyone call
 * sqs:GetQueueAttributes (public_policy: all it exposes is the queue's
 * settings and message counts, which stay 0) and letting the nonexistent
 * account 000000000000 call sqs:SendMessage (shared_unknown_account: nobody
 * can act as that account).
 *
 * Real AWS: an idle queue costs nothing. SQS reserves a deleted queue's
 * name for 60 seconds: re-running the maker within a minute of --teardown
 * fails with QueueDeletedRecently (the sandbox does the same).
 */
import { CreateQueueCommand, DeleteQueueCommand, GetQueueUrlCommand, SQSClient, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { QUEUE_GONE_ERRORS } from '../../auditors/sqsQueue.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAG_RECORD, NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export function makerQueueName(account: string, region: string): string {
  return makerName('queue', account, region);
}

export function makerQueuePolicy(account: string, region: string): string {
  const partition = partitionOf(region);
  const queueArn = `arn:${partition}:sqs:${region}:${account}:${makerQueueName(account, region)}`;
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'misconfiguration-maker',
    Statement: [
      { Sid: 'MisconfigurationMakerPublicAttributes', Effect: 'Allow', Principal: '*', Action: 'sqs:GetQueueAttributes', Resource: queueArn },
      { Sid: 'MisconfigurationMakerUnknownAccount', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${NONEXISTENT_ACCOUNT}:root` }, Action: 'sqs:SendMessage', Resource: queueArn },
    ],
  });
}

async function findQueue(context: MakerContext): Promise<string | undefined> {
  const found = await unlessGone(() => context.clients.get(SQSClient).send(new GetQueueUrlCommand({ QueueName: makerQueueName(context.account, context.region) })), QUEUE_GONE_ERRORS, undefined);
  return found?.QueueUrl;
}

export const sqsQueueMaker: MisconfigurationEntry = {
  type: 'sqs',
  scope: 'regional',
  provokes: (config) => [
    'sqs.public_policy',
    ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['sqs.shared_unknown_account']),
    'sqs.unencrypted',
  ],
  plan: (account, region) => [
    `SQS queue ${makerQueueName(account, region)}: empty; unencrypted; policy lets anyone read its attributes and account ${NONEXISTENT_ACCOUNT} send to it`,
  ],
  async create(context) {
    const sqs = context.clients.get(SQSClient);
    const attributes = { SqsManagedSseEnabled: 'false', Policy: makerQueuePolicy(context.account, context.region) };
    const existing = await findQueue(context);
    if (existing) {
      // Reused: put the misconfiguration back (a remediation may have fixed it).
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: existing, Attributes: attributes }));
      return [existing];
    }
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: makerQueueName(context.account, context.region), Attributes: attributes, tags: { ...MAKER_TAG_RECORD } }));
    if (!QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
    return [QueueUrl];
  },
  async teardown(context) {
    const url = await findQueue(context);
    if (!url) return [];
    const deleted = await unlessGone(() => context.clients.get(SQSClient).send(new DeleteQueueCommand({ QueueUrl: url })), QUEUE_GONE_ERRORS, undefined);
    return deleted ? [url] : [];
  },
};
