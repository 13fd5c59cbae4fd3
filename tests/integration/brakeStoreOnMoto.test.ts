/**
 * The brake's DynamoDB store against moto's DynamoDB: the conditional ADD
 * lets exactly `limit` of many concurrent takes through, the alarm claim
 * goes to exactly one caller, and the item carries its TTL attribute.
 * The table name is this file's own. The store's requests reach moto one at
 * a time: motoGap('moto-dynamodb-update-race').
 */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrakeStore } from '../../services/remediator/brakeStore.ts';
import { DynamoBrakeStore } from '../../services/remediator/dynamoBrakeStore.ts';
import { BRAKE_GAP, motoBrakeStore } from './motoBrakeStore.ts';

const TABLE = 'brake-store-on-moto';

describe('DynamoBrakeStore on moto', () => {
  let client: DynamoDBClient;
  let store: BrakeStore;

  beforeAll(async () => {
    expect(BRAKE_GAP.workaround.test).toBe('tests/integration/brakeStoreOnMoto.test.ts');
    ({ client, store } = await motoBrakeStore(TABLE));
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
