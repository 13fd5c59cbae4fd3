/**
 * The deployed remediator with FINDINGS_TABLE_NAME: the handler records in
 * the DynamoDB store (conditional PutItem on the version read) and publishes
 * only changes; a write that loses to another remediator
 * (ConditionalCheckFailedException) re-reads, and the finding that remediator
 * recorded is left for it to notify: not published twice.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand, type AttributeValue, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { memoryLog } from '../../services/core/log.ts';
import { createRemediatorHandler } from '../../services/remediator/remediatorHandler.ts';
import { ACCOUNT, NOW, awsError, makeConfig, makeFactory } from '../helpers/context.ts';
import { compliantBucket, fakeS3 } from '../helpers/fakeS3.ts';
import { ALL_USERS_READ, OWNER_GRANT } from '../fixtures/s3.ts';
import { securityAccountMocks } from '../helpers/securityAccountMocks.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:compliance-findings';
const TABLE = 'compliance-auditor-prod-FindingsTable-1A2B3C4D5E6F';
const security = securityAccountMocks();
const { sns } = security;
const dynamo = mockClient(DynamoDBClient);

function bucketEvent(id: string): SQSEvent {
  return {
    Records: [
      {
        messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
        receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
        body: JSON.stringify({ account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id }),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1732345678901', SenderId: 'AIDAIENQZJOLO23YVJ4VO', ApproximateFirstReceiveTimestamp: '1732345678950' },
        messageAttributes: {},
        md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:compliance-auditor-prod-ResourceQueue',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

describe('remediator handler with FINDINGS_TABLE_NAME', () => {
  let table: Map<string, Record<string, AttributeValue>>;

  beforeEach(() => {
    security.answer();
    fakeS3({ 'public-assets': { ...compliantBucket('public-assets'), grants: [OWNER_GRANT, ALL_USERS_READ] } });
    table = new Map();
    dynamo.reset();
    dynamo.on(GetItemCommand).callsFake((input: { Key: { findingId: { S: string } } }) => ({ Item: table.get(input.Key.findingId.S) }));
  });

  function handler() {
    const config = makeConfig({ notificationsTopicArn: TOPIC, findingsTableName: TABLE });
    const factory = makeFactory();
    return createRemediatorHandler({ config, factory, log: memoryLog(), directory: new AccountDirectory(config, factory.forSecurityAccount('us-east-1')), now: () => NOW });
  }
  const store = (input: PutItemCommandInput) => {
    if (input.Item?.findingId?.S) table.set(input.Item.findingId.S, input.Item);
    return {};
  };

  it('records with a conditional PutItem in the named table and publishes new; the next invocation publishes nothing', async () => {
    dynamo.on(PutItemCommand).callsFake(store);
    expect((await handler()(bucketEvent('public-assets'))).batchItemFailures).toEqual([]);
    const [first] = sns.commandCalls(PublishCommand);
    expect(first?.args[0].input.MessageAttributes?.transition).toEqual({ DataType: 'String', StringValue: 'new' });
    const puts = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input);
    expect(puts[0]).toMatchObject({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(findingId) OR #version = :read',
      ExpressionAttributeValues: { ':read': { N: '0' } },
      Item: { resourceKey: { S: `${ACCOUNT}/us-east-1/s3_bucket/public-assets` }, status: { S: 'open' }, version: { N: '1' } },
    });
    // After the publish, the record is marked notified (version 2, conditional on version 1).
    expect(puts[1]).toMatchObject({ ExpressionAttributeValues: { ':read': { N: '1' } }, Item: { lastNotified: { S: NOW.toISOString() }, version: { N: '2' } } });

    sns.resetHistory();
    expect((await handler()(bucketEvent('public-assets'))).batchItemFailures).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toEqual([]);
  });

  it('losing the write to another remediator: re-read, find its record, and leave its notification to it', async () => {
    dynamo
      .on(PutItemCommand)
      .callsFakeOnce((input: PutItemCommandInput) => {
        // The other remediator wrote the same new finding first.
        store(input);
        throw awsError('ConditionalCheckFailedException', 400, 'The conditional request failed');
      })
      .callsFake(store);
    expect((await handler()(bucketEvent('public-assets'))).batchItemFailures).toEqual([]);
    // Read twice: before the lost write, and after it (every passed check is read once too).
    const failing = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.findingId?.S;
    expect(dynamo.commandCalls(GetItemCommand).filter((call) => call.args[0].input.Key?.findingId?.S === failing)).toHaveLength(2);
    expect(sns.commandCalls(PublishCommand)).toEqual([]);
  });

  it('a DynamoDB failure other than the condition fails the record, so SQS retries it', async () => {
    dynamo.on(PutItemCommand).rejects(awsError('ProvisionedThroughputExceededException'));
    const response = await handler()(bucketEvent('public-assets'));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '059f36b4-87a3-44ab-83d2-661975830a7d' }]);
  });
});
