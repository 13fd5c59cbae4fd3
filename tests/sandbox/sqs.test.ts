import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  SQSClient,
  SetQueueAttributesCommand,
  paginateListQueues,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders`;
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: 'sqs:SendMessage', Resource: '*' }] });
const NON_EXISTENT = { name: 'QueueDoesNotExist', code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400, message: /The specified queue does not exist/ };

let org: SandboxOrganization;
let sqs: SQSClient;

async function attributesOf(url: string, ...names: string[]): Promise<Record<string, string> | undefined> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names.length > 0 ? (names as ['All']) : ['All'] }))).Attributes;
}

beforeEach(() => {
  org = sandboxOrganization();
  sqs = org.clients().get(SQSClient);
});

describe('SQS queues', () => {
  it('creates a queue with its URL, SSE-SQS on by default and the attributes SQS reports', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders', tags: { team: 'payments' } }));

    expect(QueueUrl).toBe(URL);
    expect(await attributesOf(URL)).toEqual({
      QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`,
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      CreatedTimestamp: String(org.clock.now().getTime() / 1000),
      LastModifiedTimestamp: String(org.clock.now().getTime() / 1000),
      VisibilityTimeout: '30',
      MaximumMessageSize: '262144',
      MessageRetentionPeriod: '345600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
    });
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(URL);
  });

  it('returns only the attributes asked for; an unset Policy is absent; an unknown name is InvalidAttributeName', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { SqsManagedSseEnabled: 'false' } }));

    expect(await attributesOf(URL, 'Policy', 'SqsManagedSseEnabled', 'KmsMasterKeyId')).toEqual({ SqsManagedSseEnabled: 'false' });
    expect(await attributesOf(URL, 'Policy')).toBeUndefined();
    await expectAwsError(sqs.send(new GetQueueAttributesCommand({ QueueUrl: URL, AttributeNames: ['Nonsense' as 'All'] })), { name: 'InvalidAttributeName', status: 400 });
  });

  it('is idempotent for the same attributes; QueueNameExists (code QueueAlreadyExists) for different ones', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { SqsManagedSseEnabled: 'false' } }));

    const again = await sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { SqsManagedSseEnabled: 'false' } }));

    expect(again.QueueUrl).toBe(URL);
    await expectAwsError(sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { SqsManagedSseEnabled: 'true' } })), { name: 'QueueNameExists', code: 'QueueAlreadyExists', status: 400 });
  });

  it('sets and removes a policy ("" deletes it), refuses one that is not JSON; SSE-SQS and SSE-KMS exclude each other', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));

    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: URL, Attributes: { Policy: POLICY } }));
    expect(await attributesOf(URL, 'Policy')).toEqual({ Policy: POLICY });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: URL, Attributes: { Policy: '' } }));
    expect(await attributesOf(URL, 'Policy')).toBeUndefined();
    await expectAwsError(sqs.send(new SetQueueAttributesCommand({ QueueUrl: URL, Attributes: { Policy: '{not json' } })), { name: 'InvalidAttributeValue', status: 400 });

    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: URL, Attributes: { KmsMasterKeyId: 'alias/aws/sqs' } }));
    expect(await attributesOf(URL, 'SqsManagedSseEnabled', 'KmsMasterKeyId')).toEqual({ SqsManagedSseEnabled: 'false', KmsMasterKeyId: 'alias/aws/sqs' });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: URL, Attributes: { SqsManagedSseEnabled: 'true' } }));
    expect(await attributesOf(URL, 'SqsManagedSseEnabled', 'KmsMasterKeyId')).toEqual({ SqsManagedSseEnabled: 'true' });
  });

  it('answers QueueDoesNotExist (code AWS.SimpleQueueService.NonExistentQueue, 400) for a missing queue, another account or region', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));

    await expectAwsError(sqs.send(new GetQueueAttributesCommand({ QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/missing`, AttributeNames: ['All'] })), NON_EXISTENT);
    await expectAwsError(org.clients(OTHER_ACCOUNT).get(SQSClient).send(new GetQueueAttributesCommand({ QueueUrl: URL, AttributeNames: ['All'] })), NON_EXISTENT);
    await expectAwsError(org.clients(ACCOUNT, OTHER_REGION).get(SQSClient).send(new GetQueueUrlCommand({ QueueName: 'orders' })), NON_EXISTENT);
    await expectAwsError(sqs.send(new GetQueueUrlCommand({ QueueName: 'orders', QueueOwnerAWSAccountId: OTHER_ACCOUNT })), NON_EXISTENT);
  });

  it('deletes a queue and keeps its name for 60 seconds (QueueDeletedRecently)', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));

    await sqs.send(new DeleteQueueCommand({ QueueUrl: URL }));

    await expectAwsError(sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' })), NON_EXISTENT);
    await expectAwsError(sqs.send(new DeleteQueueCommand({ QueueUrl: URL })), NON_EXISTENT);
    await expectAwsError(sqs.send(new CreateQueueCommand({ QueueName: 'orders' })), { name: 'QueueDeletedRecently', code: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400 });
    org.clock.advanceSeconds(61);
    expect((await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl).toBe(URL);
  });

  it('validates names and required parameters', async () => {
    await expectAwsError(sqs.send(new CreateQueueCommand({ QueueName: 'bad name' })), { name: 'InvalidParameterValue', status: 400 });
    await expectAwsError(sqs.send(new GetQueueAttributesCommand({ QueueUrl: undefined })), { name: 'MissingParameter', status: 400 });
  });
});

describe('SQS ListQueues', () => {
  beforeEach(async () => {
    for (const name of ['orders-c', 'orders-a', 'billing', 'orders-b']) await sqs.send(new CreateQueueCommand({ QueueName: name }));
  });

  it('answers every URL and no NextToken without MaxResults; filters by prefix', async () => {
    const all = await sqs.send(new ListQueuesCommand({}));
    const orders = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'orders-' }));

    expect(all.QueueUrls).toHaveLength(4);
    expect(all.NextToken).toBeUndefined();
    expect(orders.QueueUrls?.map((url) => url.split('/').pop())).toEqual(['orders-a', 'orders-b', 'orders-c']);
  });

  it('pages with MaxResults and NextToken', async () => {
    const first = await sqs.send(new ListQueuesCommand({ MaxResults: 3 }));
    const second = await sqs.send(new ListQueuesCommand({ MaxResults: 3, NextToken: first.NextToken }));

    expect(first.QueueUrls).toHaveLength(3);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.QueueUrls).toEqual([`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders-c`]);
    expect(second.NextToken).toBeUndefined();
    const urls: string[] = [];
    for await (const page of paginateListQueues({ client: sqs, pageSize: 2 }, {})) urls.push(...(page.QueueUrls ?? []));
    expect(urls).toHaveLength(4);
  });

  it('omits QueueUrls when the region has no queue', async () => {
    const empty = await org.clients(ACCOUNT, OTHER_REGION).get(SQSClient).send(new ListQueuesCommand({}));

    expect(empty.QueueUrls).toBeUndefined();
  });
});
