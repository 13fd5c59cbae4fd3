import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AUDITORS } from '../../auditors/registry.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { QueueSendError } from '../../services/core/queueSender.ts';
import { createEventTranslator } from '../../services/event-translator/eventTranslatorHandler.ts';
import { buildTriggerTable } from '../../services/event-translator/triggerTable.ts';
import * as ec2 from '../fixtures/cloudtrail/ec2.ts';
import { ecsCreateCluster } from '../fixtures/cloudtrail/ecs.ts';
import { MEMBER_ACCOUNT, type CloudTrailApiCallEvent } from '../fixtures/cloudtrail/envelope.ts';
import * as iam from '../fixtures/cloudtrail/iam.ts';
import * as rds from '../fixtures/cloudtrail/rds.ts';
import * as redshift from '../fixtures/cloudtrail/redshift.ts';
import * as s3 from '../fixtures/cloudtrail/s3.ts';
import { awsError, makeConfig, makeFactory } from '../helpers/context.ts';

const RESOURCE_QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/compliance-auditor-prod-ResourceQueue';
const sqs = mockClient(SQSClient);
const table = buildTriggerTable(AUDITORS);

function translator(overrides: Partial<ConfigInput> = {}) {
  const log = memoryLog();
  const handler = createEventTranslator({ config: makeConfig({ resourceQueueUrl: RESOURCE_QUEUE, ...overrides }), factory: makeFactory(), table, log });
  return { handler, log };
}

/** The fixture with other requestParameters: an event no id path reaches. */
function malformed(event: CloudTrailApiCallEvent, requestParameters: CloudTrailApiCallEvent['detail']['requestParameters']): CloudTrailApiCallEvent {
  const copy = structuredClone(event);
  copy.detail.requestParameters = requestParameters;
  return copy;
}

function batches(): SendMessageBatchCommandInput[] {
  return sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
}

describe('createEventTranslator', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
      Failed: [],
    }));
  });

  it('sends the messages of one event with SendMessageBatch to the resource queue', async () => {
    const { handler, log } = translator();
    expect(await handler(ec2.runInstances)).toEqual({ messages: 3 });
    expect(batches()).toEqual([
      {
        QueueUrl: RESOURCE_QUEUE,
        Entries: ['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60002', 'i-0a1b2c3d4e5f60003'].map((id, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify({ account: MEMBER_ACCOUNT, region: 'us-east-1', type: 'ec2', id }),
        })),
      },
    ]);
    expect(log.lines).toContainEqual({
      level: 'info',
      message: 'queued',
      fields: expect.objectContaining({ eventId: ec2.runInstances.id, eventName: 'RunInstances', resources: ['ec2 i-0a1b2c3d4e5f60001', 'ec2 i-0a1b2c3d4e5f60002', 'ec2 i-0a1b2c3d4e5f60003'] }),
    });
  });

  it.each([
    { name: 'RDS CreateDBInstance', event: rds.createDBInstance, body: { account: MEMBER_ACCOUNT, region: 'us-east-1', type: 'rds', id: 'orders-db' } },
    { name: 'RDS CreateDBCluster', event: rds.createDBCluster, body: { account: MEMBER_ACCOUNT, region: 'us-east-1', type: 'rds', id: 'ledger-aurora' } },
    { name: 'Redshift CreateCluster', event: redshift.createCluster, body: { account: MEMBER_ACCOUNT, region: 'us-east-1', type: 'redshift', id: 'analytics-warehouse' } },
  ])('delays a slow resource’s creation with DelaySeconds: $name', async ({ event, body }) => {
    const { handler } = translator();
    await handler(event);
    expect(batches()).toEqual([{ QueueUrl: RESOURCE_QUEUE, Entries: [{ Id: '0', MessageBody: JSON.stringify(body), DelaySeconds: 600 }] }]);
  });

  it('does not delay the modification of an existing slow resource', async () => {
    const { handler } = translator();
    await handler(rds.modifyDBInstance);
    expect(batches()[0]?.Entries?.[0]).not.toHaveProperty('DelaySeconds');
  });

  it('sends to the queue in the home region, whatever region the event comes from', async () => {
    const { handler } = translator({ regions: ['eu-west-1', 'us-east-1'], homeRegion: 'us-east-1' });
    await handler(s3.createBucket);
    const [call] = sqs.commandCalls(SendMessageBatchCommand);
    const client = call?.thisValue as SQSClient;
    expect(await client.config.region()).toBe('us-east-1');
    expect(JSON.parse(call?.args[0].input.Entries?.[0]?.MessageBody ?? '{}')).toMatchObject({ region: 'eu-west-1' });
  });

  it.each([
    { name: 'a failed call (AccessDenied)', event: s3.putBucketPolicyAccessDenied, reason: /call failed \(AccessDenied\)/ },
    { name: 'a failed call (Client.UnauthorizedOperation)', event: ec2.runInstancesUnauthorized, reason: /Client\.UnauthorizedOperation/ },
    { name: 'another service’s CreateCluster (ECS)', event: ecsCreateCluster, reason: /no auditor is triggered by ecs\.amazonaws\.com CreateCluster/ },
    { name: 'no detail', event: { version: '0', id: 'c3b5e6f7-0a1b-4c2d-8e9f-0a1b2c3d4e5f', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.s3', account: MEMBER_ACCOUNT }, reason: /no detail/ },
    { name: 'no id at the path', event: malformed(ec2.associateAddress, { allocationId: 'eipalloc-0e8d7c6b5a4f32109' }), reason: /malformed event: no id at requestParameters\.instanceId/ },
    { name: 'a call on something no auditor covers (root CreateAccessKey)', event: iam.createRootAccessKey, reason: /^skipped: not audited: CreateAccessKey by the root user/ },
  ])('skips $name without calling SQS, logging the event id', async ({ event, reason }) => {
    const { handler, log } = translator();
    expect(await handler(event)).toEqual({ messages: 0 });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    const skipped = log.lines.filter((line) => line.message.startsWith('skipped: '));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.message).toMatch(reason);
    expect(skipped[0]?.fields).toMatchObject({ eventId: event.id });
  });

  it.each([
    ['a 100 KB bucket name', { bucketName: 'b'.repeat(100_000) }, /id: must be at most 63 characters for type s3_bucket/],
    ['a 64-character bucket name', { bucketName: 'b'.repeat(64) }, /at most 63 characters/],
  ])('queues nothing the remediator would refuse: %s is logged, not sent', async (_name, requestParameters, reason) => {
    const { handler, log } = translator();
    const event = { ...s3.putBucketPolicy, detail: { ...s3.putBucketPolicy.detail, requestParameters: { ...s3.putBucketPolicy.detail.requestParameters, ...requestParameters } } };
    expect(await handler(event)).toEqual({ messages: 0 });
    expect(batches()).toEqual([]);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringMatching(reason) }));
  });

  it('queues nothing for a region outside the configured ones', async () => {
    const { handler, log } = translator({ regions: ['eu-west-1'] });
    expect(await handler(s3.putBucketPolicy)).toEqual({ messages: 0 });
    expect(batches()).toEqual([]);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringMatching(/region us-east-1 is not in the configured regions/) }));
  });

  it('throws when the queue refuses the call, so EventBridge retries the event', async () => {
    sqs.on(SendMessageBatchCommand).rejects(awsError('AWS.SimpleQueueService.NonExistentQueue', 400, 'The specified queue does not exist.'));
    const { handler, log } = translator();
    await expect(handler(rds.createDBInstance)).rejects.toThrow(/specified queue does not exist/);
    expect(log.lines.filter((line) => line.message === 'queued')).toEqual([]);
  });

  it('throws when the queue refuses an entry', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 1200 for parameter DelaySeconds is invalid.' }] });
    const { handler } = translator();
    await expect(handler(rds.createDBInstance)).rejects.toBeInstanceOf(QueueSendError);
  });

  it('throws, before any SQS call, when no resource queue is configured', async () => {
    const log = memoryLog();
    const handler = createEventTranslator({ config: makeConfig(), factory: makeFactory(), table, log });
    await expect(handler(s3.putBucketPolicy)).rejects.toThrow('RESOURCE_QUEUE_URL is not set');
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
