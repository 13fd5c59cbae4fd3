/**
 * The brake's DynamoDB store against moto's DynamoDB: the conditional ADD
 * lets exactly `limit` of many concurrent takes through, the alarm claim
 * goes to exactly one caller, and the item carries its TTL attribute.
 * The table name is this file's own.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoBrakeStore } from '../../services/remediator/dynamoBrakeStore.ts';
import { motoEnvironment } from './moto.ts';

const TABLE = 'brake-store-on-moto';

function motoDynamo(): DynamoDBClient {
  const env = motoEnvironment();
  return new DynamoDBClient({ region: 'us-east-1', endpoint: env.AWS_ENDPOINT_URL, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' } });
}

describe('DynamoBrakeStore on moto', () => {
  const client = motoDynamo();
  const store = new DynamoBrakeStore(client, TABLE);

  beforeAll(async () => {
    // As serverless.yml declares it: the window string is the only key.
    await client.send(new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'window', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'window', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
  });

  it('30 concurrent takes with a limit of 10: exactly 10 are granted, and the item counts 10', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => store.take('2026-12-05T17', 10)));
    expect(answers.filter(Boolean)).toHaveLength(10);
    const item = await client.send(new GetItemCommand({ TableName: TABLE, Key: { window: { S: '2026-12-05T17' } }, ConsistentRead: true }));
    expect(item.Item?.taken).toEqual({ N: '10' });
    expect(item.Item?.expiresAt).toEqual({ N: String(Date.parse('2026-12-06T18:00:00Z') / 1000) });
  });

  it('another window has its own count', async () => {
    expect(await store.take('2026-12-05T18', 1)).toBe(true);
    expect(await store.take('2026-12-05T18', 1)).toBe(false);
  });

  it('10 concurrent alarm claims: exactly one wins', async () => {
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.claimAlarm('2026-12-05T19')));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('a missing table throws (the brake then holds remediation), never grants', async () => {
    await expect(new DynamoBrakeStore(client, 'no-such-brake-table').take('2026-12-05T17', 10)).rejects.toThrow(/ResourceNotFound|not found/i);
  });
});
