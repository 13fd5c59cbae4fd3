import type { SQSRecord } from 'aws-lambda';

/** One record of an SQS event as Lambda hands it to a function, from the resource queue, received once. */
export function sqsRecord(body: unknown, index: number): SQSRecord {
  return {
    messageId: `7b2e4c1a-5d3f-4e8b-9a6c-${String(index).padStart(12, '0')}`,
    receiptHandle: `AQEBz${index}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1733400000000', SenderId: 'AIDAIENQZJOLO23YVJ4VO', ApproximateFirstReceiveTimestamp: '1733400000050' },
    messageAttributes: {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:compliance-auditor-prod-ResourceQueue',
    awsRegion: 'us-east-1',
  };
}
