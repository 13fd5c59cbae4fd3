import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** An SQS message as the Lambda runtime hands it to a function. */
export function toLambdaRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export interface DrainResult {
  batches: number;
  records: number;
  failed: number;
}

/**
 * Do what Lambda's SQS event source does, locally: receive batches of up to
 * `batchSize`, invoke the handler, delete the records it did not report as
 * failed, and leave the failed ones for SQS to retry and dead-letter. Stops
 * when a receive comes back empty.
 */
export async function drainQueueIntoHandler(
  sqs: SQSClient,
  queue: { url: string; arn: string; region: string },
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
  options: { batchSize?: number; waitTimeSeconds?: number; maxBatches?: number } = {},
): Promise<DrainResult> {
  const result: DrainResult = { batches: 0, records: 0, failed: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 10_000); batch += 1) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: options.batchSize ?? 10,
        WaitTimeSeconds: options.waitTimeSeconds ?? 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (!Messages || Messages.length === 0) break;
    const records = Messages.map((m) => toLambdaRecord(m, queue.arn, queue.region));
    const response = await handler({ Records: records });
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const done = records.filter((r) => !failed.has(r.messageId));
    if (done.length > 0) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })) }));
    }
    result.batches += 1;
    result.records += records.length;
    result.failed += failed.size;
  }
  return result;
}
