/**
 * CloudTrail calls that trigger an audit of dynamodb_table (SDK-free: the event translator imports these, not the auditor).
 * DynamoDB's control-plane calls are recorded with requestParameters.tableName
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/logging-using-cloudtrail.html);
 * PutResourcePolicy names the table, or one of its streams, by ARN (requestParameters.resourceArn).
 */
import type { CloudTrailTrigger } from '../contract.ts';

/** A new table is CREATING for a while; DescribeContinuousBackups and UpdateTable wait for ACTIVE. */
export const TABLE_CREATION_DELAY_SECONDS = 60;

/** `arn:aws:dynamodb:<region>:<account>:table/<name>[/stream/<label>]` -> `<name>`; anything else is kept. */
export function tableNameOfArn(arn: string): string {
  return /^arn:[^:]+:dynamodb:[^:]*:\d{12}:table\/([^/]+)/.exec(arn)?.[1] ?? arn;
}

export const dynamodbTableTriggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'dynamodb.amazonaws.com', eventNames: ['CreateTable'], idPath: 'requestParameters.tableName', delaySeconds: TABLE_CREATION_DELAY_SECONDS },
  { eventSource: 'dynamodb.amazonaws.com', eventNames: ['UpdateTable', 'UpdateContinuousBackups'], idPath: 'requestParameters.tableName' },
  { eventSource: 'dynamodb.amazonaws.com', eventNames: ['PutResourcePolicy'], idPath: 'requestParameters.resourceArn', transformId: tableNameOfArn },
];
