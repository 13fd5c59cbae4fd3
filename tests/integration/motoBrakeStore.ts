/**
 * The brake's DynamoDB store on the suite's moto server, in a table of its
 * own (as serverless.yml declares it: the window string is the only key).
 * Requests reach moto one at a time (gap moto-dynamodb-update-race):
 * DynamoDB applies writes to one item one at a time, moto does not.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BrakeStore } from '../../services/remediator/brakeStore.ts';
import { DynamoBrakeStore } from '../../services/remediator/dynamoBrakeStore.ts';
import { motoGap } from './gaps.ts';
import { motoEndpoint } from './moto.ts';

export const BRAKE_GAP = motoGap('moto-dynamodb-update-race');

export function motoDynamo(): DynamoDBClient {
  return new DynamoDBClient({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

export async function createBrakeTable(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: table,
    AttributeDefinitions: [{ AttributeName: 'window', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'window', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
}

/** The store's calls, each started when the one before has answered. */
export class OneAtATime implements BrakeStore {
  private readonly inner: BrakeStore;
  private last: Promise<unknown> = Promise.resolve();

  constructor(inner: BrakeStore) {
    this.inner = inner;
  }

  take(window: string, limit: number): Promise<boolean> {
    return this.after(() => this.inner.take(window, limit));
  }

  claimAlarm(window: string): Promise<boolean> {
    return this.after(() => this.inner.claimAlarm(window));
  }

  private after<T>(call: () => Promise<T>): Promise<T> {
    const next = this.last.then(call, call);
    this.last = next.catch(() => undefined);
    return next;
  }
}

/** A fresh brake table on moto, and the deployed store over it. */
export async function motoBrakeStore(table: string): Promise<{ client: DynamoDBClient; store: BrakeStore }> {
  const client = motoDynamo();
  await createBrakeTable(client, table);
  return { client, store: new OneAtATime(new DynamoBrakeStore(client, table)) };
}
