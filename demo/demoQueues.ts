import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { interceptLocalhostDns, startFauxqs } from 'fauxqs';
import type { FindingsNotification } from '../services/core/notifications.ts';

export interface DemoQueues {
  endpoint: string;
  /** The SQS endpoint in the host form of the emulator's queue URLs, so the SDK uses one host for both. */
  sqsEndpoint: string;
  resourceQueue: { url: string; arn: string };
  deadLetterQueue: { url: string; arn: string };
  topicArn: string;
  subscriberQueueUrl: string;
  stop(): Promise<void>;
}

/**
 * The security account's messaging, embedded: an SQS/SNS emulator (fauxqs)
 * with the resource queue and its DLQ, the notifications topic and a queue
 * subscribed to it, as serverless.yml declares them.
 */
export async function startDemoQueues(region: string): Promise<DemoQueues> {
  const server = await startFauxqs({ port: 0, logger: false, defaultRegion: region });
  // Queue URLs look like http://sqs.<region>.localhost:PORT/...: resolve them to the emulator.
  const restoreDns = interceptLocalhostDns();
  const dlq = server.createQueue('compliance-auditor-demo-ResourceDeadLetterQueue', { region });
  const queue = server.createQueue('compliance-auditor-demo-ResourceQueue', {
    region,
    attributes: { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 5 }) },
  });
  const topic = server.createTopic('compliance-auditor-demo-NotificationsTopic', { region });
  const subscriber = server.createQueue('compliance-auditor-demo-FindingsSubscriber', { region });
  server.subscribe({ topic: 'compliance-auditor-demo-NotificationsTopic', queue: 'compliance-auditor-demo-FindingsSubscriber', region });
  return {
    endpoint: server.address,
    sqsEndpoint: server.address.replace('//127.0.0.1', `//sqs.${region}.localhost`),
    resourceQueue: { url: queue.queueUrl, arn: queue.queueArn },
    deadLetterQueue: { url: dlq.queueUrl, arn: dlq.queueArn },
    topicArn: topic.topicArn,
    subscriberQueueUrl: subscriber.queueUrl,
    stop: async () => {
      restoreDns();
      await server.stop();
    },
  };
}

/**
 * The same messaging on an AWS-compatible endpoint (moto, LocalStack), in
 * the caller's account: with --endpoint every side of the demo, the
 * security account's queues included, is on that endpoint.
 */
export async function startEndpointQueues(endpoint: string, region: string): Promise<DemoQueues> {
  const credentials = { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' };
  const sqs = new SQSClient({ endpoint, region, credentials });
  const sns = new SNSClient({ endpoint, region, credentials });
  const createQueue = async (name: string, attributes: Record<string, string> = {}) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    if (!QueueUrl) throw new Error(`${endpoint} created queue ${name} without a URL`);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
  };
  const dlq = await createQueue('compliance-auditor-demo-ResourceDeadLetterQueue');
  const queue = await createQueue('compliance-auditor-demo-ResourceQueue', { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) });
  const subscriber = await createQueue('compliance-auditor-demo-FindingsSubscriber');
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'compliance-auditor-demo-NotificationsTopic' }));
  if (!TopicArn) throw new Error(`${endpoint} created the notifications topic without an ARN`);
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: subscriber.arn }));
  return {
    endpoint,
    sqsEndpoint: endpoint,
    resourceQueue: queue,
    deadLetterQueue: dlq,
    topicArn: TopicArn,
    subscriberQueueUrl: subscriber.url,
    stop: async () => {
      sqs.destroy();
      sns.destroy();
    },
  };
}

/** Everything the subscriber received: SNS envelopes around the notifier's JSON. */
export async function receiveNotifications(sqs: SQSClient, queueUrl: string): Promise<FindingsNotification[]> {
  const notifications: FindingsNotification[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!Messages || Messages.length === 0) return notifications;
    for (const message of Messages) {
      const envelope = JSON.parse(message.Body ?? '{}') as { Message?: string };
      notifications.push(JSON.parse(envelope.Message ?? '{}') as FindingsNotification);
    }
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
  }
}
