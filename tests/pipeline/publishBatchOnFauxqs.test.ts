/** The topic publisher over SNS's wire protocol (fauxqs): PublishBatch entries reach a subscriber with their subject and attributes. */
import { SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { TopicPublisher, type TopicMessage } from '../../services/core/topicPublisher.ts';
import { useFauxqs } from '../helpers/fauxqsEmulator.ts';

const REGION = 'us-east-1';
const emulator = useFauxqs(REGION);

const message = (name: string): TopicMessage => ({
  subject: `[HIGH] 1 finding new: s3_bucket ${name} in 111111111111 us-east-1`,
  message: JSON.stringify({ kind: 'compliance-findings', resource: { id: name } }),
  attributes: { severity: { DataType: 'String', StringValue: 'high' }, controls: { DataType: 'String.Array', StringValue: '["FSBP S3.2"]' } },
});

describe('TopicPublisher on the emulator', () => {
  it('one Publish, then one PublishBatch for what queued behind it: every message delivered once, with its subject and attributes', async () => {
    const server = emulator.server();
    const topic = server.createTopic('publish-batch-findings');
    const subscriber = server.createQueue('publish-batch-subscriber');
    server.subscribe({ topic: 'publish-batch-findings', queue: 'publish-batch-subscriber' });
    const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: false, env: process.env });
    const clients = factory.forSecurityAccount(REGION);
    const sent: string[] = [];
    clients.get(SNSClient).middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(context.commandName ?? '?');
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    const publisher = new TopicPublisher(clients, topic.topicArn);
    const names = ['first', 'b0', 'b1', 'b2'];
    const ids = await Promise.all(names.map((name) => publisher.publish(message(name))));
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(sent).toEqual(['PublishCommand', 'PublishBatchCommand']);

    const sqs = new SQSClient({ region: REGION });
    const received: { Subject: string; Message: string; MessageAttributes: Record<string, { Type: string; Value: string }> }[] = [];
    for (let round = 0; round < 5 && received.length < names.length; round += 1) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: subscriber.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      received.push(...(Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as (typeof received)[number]));
    }
    expect(received.map((r) => (JSON.parse(r.Message) as { resource: { id: string } }).resource.id).sort()).toEqual([...names].sort());
    const batched = received.find((r) => r.Subject.includes(' b1 '));
    expect(batched?.Subject).toBe(message('b1').subject);
    expect(batched?.MessageAttributes.severity).toMatchObject({ Type: 'String', Value: 'high' });
  });
});
