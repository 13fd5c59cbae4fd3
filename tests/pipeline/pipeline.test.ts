/**
 * The whole path over the real SQS/SNS wire protocol (fauxqs, in-process):
 * poller -> resource queue -> remediator handler (invoked as Lambda would)
 * -> notifications topic -> a subscribed queue. The member account's S3 is
 * faked in-process.
 */
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { FindingsNotification } from '../../services/core/notifications.ts';
import { drainQueueIntoHandler } from '../../demo/sqsLambdaRunner.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { sqsSink } from '../../services/poller/sinks.ts';
import { createRemediatorHandler } from '../../services/remediator/remediatorHandler.ts';
import { ALL_USERS_READ, OWNER_GRANT } from '../fixtures/s3.ts';
import { compliantBucket, fakeS3 } from '../helpers/fakeS3.ts';
import { useFauxqs } from '../helpers/fauxqsEmulator.ts';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

describe('pipeline over the SQS/SNS wire protocol', () => {
  const emulator = useFauxqs(REGION);

  it('a public bucket found by the poller reaches the subscriber as a finding; a bad message reaches the DLQ', async () => {
    const server = emulator.server();
    // Prepare: queues, topic and subscription as serverless.yml declares them
    const dlq = server.createQueue('resource-dlq');
    const queue = server.createQueue('resource-queue', {
      attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 1 }) },
    });
    const topic = server.createTopic('compliance-findings');
    const subscriber = server.createQueue('findings-subscriber');
    server.subscribe({ topic: 'compliance-findings', queue: 'findings-subscriber' });
    fakeS3({
      'public-assets': { ...compliantBucket('public-assets'), grants: [OWNER_GRANT, ALL_USERS_READ] },
      'team-logs': compliantBucket('team-logs'),
    });
    const config = loadConfig({
      flags: { accounts: [ACCOUNT], regions: [REGION], assumeRole: false, notificationsTopicArn: topic.topicArn, resourceQueueUrl: queue.queueUrl },
      env: {},
    });
    const factory = new ClientFactory({ ...config, env: process.env });
    const log = memoryLog();
    const sqs = factory.forSecurityAccount(REGION).get(SQSClient);

    // Act: poll, add one bad message, let "Lambda" drain the queue
    const summary = await pollUnits(unitsOf([ACCOUNT], [REGION]), { config, factory, log, types: ['s3_bucket'] }, sqsSink(factory, queue.queueUrl, REGION));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: '{"account":"111111111111","region":"us-east-1","type":"s3_bucket"}' }));
    const handler = createRemediatorHandler({ config, factory, log, directory: new AccountDirectory(config, factory.forSecurityAccount(REGION)) });
    const first = await drainQueueIntoHandler(sqs, { url: queue.queueUrl, arn: queue.queueArn, region: REGION }, handler);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const second = await drainQueueIntoHandler(sqs, { url: queue.queueUrl, arn: queue.queueArn, region: REGION }, handler);

    // Assess: both buckets polled, the bad record failed once, then went to the DLQ
    expect(summary.listed).toBe(2);
    expect(first).toMatchObject({ records: 3, failed: 1 });
    expect(second.records).toBe(0);
    const dlqDepth = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(dlqDepth.Attributes?.ApproximateNumberOfMessages).toBe('1');

    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: subscriber.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(received.Messages).toHaveLength(1);
    const envelope = JSON.parse(received.Messages?.[0]?.Body ?? '{}') as { Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> };
    expect(envelope.Subject).toBe('[HIGH] 1 finding: s3_bucket public-assets in 111111111111 us-east-1');
    expect(envelope.MessageAttributes.severity?.Value).toBe('high');
    expect(envelope.MessageAttributes.controls).toEqual({ Type: 'String.Array', Value: '["FSBP S3.2","FSBP S3.3"]' });
    const body = JSON.parse(envelope.Message) as FindingsNotification;
    expect(body.findings).toEqual([
      expect.objectContaining({ checkId: 's3_bucket.public_acl', account: ACCOUNT, region: REGION, type: 's3_bucket', id: 'public-assets', remediation: 'planned' }),
    ]);
  });
});
