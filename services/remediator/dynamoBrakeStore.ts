/**
 * The brake's counter in DynamoDB (the deployed stack): one item per window,
 * key `window`, counted with a conditional update so that concurrent
 * remediators never take more than the limit between them.
 * APIs: dynamodb:UpdateItem (the brake table only).
 */
import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsErrorName } from '../core/errors.ts';
import { windowEnd, type BrakeStore } from './brakeStore.ts';

/** A window's item expires (TTL) a day after the window ends. */
const KEEP_SECONDS = 24 * 3600;

/**
 * A condition that does not hold fails the whole update with this error, and nothing is written.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#API_UpdateItem_Errors
 */
const CONDITION_FAILED = 'ConditionalCheckFailedException';

export class DynamoBrakeStore implements BrakeStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(client: DynamoDBClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  /**
   * `ADD` creates the number at 1 or adds 1; the condition makes the
   * increment happen only below the limit, atomically on the item.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.ADD
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
   */
  take(window: string, limit: number): Promise<boolean> {
    return this.conditionalUpdate(window, {
      UpdateExpression: 'ADD #taken :one SET #expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#taken) OR #taken < :limit',
      ExpressionAttributeNames: { '#taken': 'taken', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: String(limit) }, ':expiresAt': { N: expiresAt(window) } },
    });
  }

  claimAlarm(window: string): Promise<boolean> {
    return this.conditionalUpdate(window, {
      UpdateExpression: 'SET #alarmed = :alarmed, #expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#alarmed)',
      ExpressionAttributeNames: { '#alarmed': 'alarmed', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':alarmed': { BOOL: true }, ':expiresAt': { N: expiresAt(window) } },
    });
  }

  /** True when the update was made, false when its condition did not hold; any other failure throws. */
  private async conditionalUpdate(
    window: string,
    expression: Pick<ConstructorParameters<typeof UpdateItemCommand>[0], 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>,
  ): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand({ TableName: this.tableName, Key: { window: { S: window } }, ...expression }));
      return true;
    } catch (error) {
      if (awsErrorName(error) === CONDITION_FAILED) return false;
      throw error;
    }
  }
}

/**
 * TTL compares the attribute with the current time in epoch seconds.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
 */
function expiresAt(window: string): string {
  return String(Math.floor(windowEnd(window).getTime() / 1000) + KEEP_SECONDS);
}
