/**
 * The findings store in DynamoDB (the deployed stack): key `findingId`,
 * global secondary index `byResource` on `resourceKey` (account/region/type/id)
 * for the records of one resource, TTL attribute `expiresAt` (epoch seconds,
 * set when resolved). Every write is a PutItem conditional on the version
 * read, so concurrent remediators never overwrite each other's transition.
 * APIs: dynamodb:GetItem, dynamodb:PutItem (the table), dynamodb:Query (the index);
 * the `findings` CLI reads with dynamodb:Scan (all()).
 */
import { GetItemCommand, paginateQuery, paginateScan, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsErrorName } from '../core/errors.ts';
import type { FindingRecord, ResourceRef } from './findingRecord.ts';
import { resourceKeyOf } from './findingRecord.ts';
import { DEFAULT_RESOLVED_RETENTION_DAYS, type LifecycleSettings } from './decideTransition.ts';
import { VersionedFindingsStore } from './findingsStore.ts';

export const BY_RESOURCE_INDEX = 'byResource';

/**
 * A write whose condition does not hold fails with this error and writes nothing.
 * https://docs.aws.amazon.com/botocore/latest/reference/services/dynamodb/client/exceptions/ConditionalCheckFailedException.html
 */
const CONDITION_FAILED = 'ConditionalCheckFailedException';
/**
 * A new record (no item: attribute_not_exists on the key) or the version read.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html#Expressions.ConditionExpressions.PreventingOverwrites
 */
const WRITE_CONDITION = 'attribute_not_exists(findingId) OR #version = :read';

const STRING_FIELDS = ['findingId', 'checkId', 'title', 'severity', 'account', 'region', 'type', 'id', 'status', 'detail', 'firstSeen', 'lastSeen', 'lastChange', 'lastTransition', 'lastNotified'] as const;

function toItem(record: FindingRecord): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = { resourceKey: { S: resourceKeyOf(record) }, version: { N: String(record.version) } };
  for (const field of STRING_FIELDS) {
    const value = record[field];
    if (value !== undefined) item[field] = { S: value };
  }
  const remediation: Record<string, AttributeValue> = { status: { S: record.lastRemediation.status } };
  if (record.lastRemediation.detail !== undefined) remediation.detail = { S: record.lastRemediation.detail };
  item.lastRemediation = { M: remediation };
  // TTL reads a Number of epoch seconds: https://docs.aws.amazon.com/cli/v1/reference/dynamodb/update-time-to-live.html
  if (record.expiresAt !== undefined) item.expiresAt = { N: String(record.expiresAt) };
  return item;
}

function text(item: Record<string, AttributeValue>, field: string): string | undefined {
  return item[field]?.S;
}

/** Items are only ever written by toItem(), so the fields are there; a missing one is a broken table. */
function fromItem(item: Record<string, AttributeValue>): FindingRecord {
  const required = (field: (typeof STRING_FIELDS)[number]): string => {
    const value = text(item, field);
    if (value === undefined) throw new Error(`findings table item ${text(item, 'findingId') ?? '(no findingId)'} has no ${field}`);
    return value;
  };
  const remediation = item.lastRemediation?.M ?? {};
  const lastNotified = text(item, 'lastNotified');
  const remediationDetail = remediation.detail?.S;
  const expiresAt = item.expiresAt?.N;
  return {
    findingId: required('findingId'),
    checkId: required('checkId'),
    title: required('title'),
    severity: required('severity') as FindingRecord['severity'],
    account: required('account'),
    region: required('region'),
    type: required('type') as FindingRecord['type'],
    id: required('id'),
    status: required('status') as FindingRecord['status'],
    detail: required('detail'),
    firstSeen: required('firstSeen'),
    lastSeen: required('lastSeen'),
    lastChange: required('lastChange'),
    lastTransition: required('lastTransition') as FindingRecord['lastTransition'],
    ...(lastNotified !== undefined ? { lastNotified } : {}),
    lastRemediation: { status: (remediation.status?.S ?? 'none') as FindingRecord['lastRemediation']['status'], ...(remediationDetail !== undefined ? { detail: remediationDetail } : {}) },
    ...(expiresAt !== undefined ? { expiresAt: Number(expiresAt) } : {}),
    version: Number(item.version?.N ?? '0'),
  };
}

export class DynamoFindingsStore extends VersionedFindingsStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    settings: Partial<LifecycleSettings> = {},
  ) {
    super({ renotifyDays: 7, resolvedRetentionDays: DEFAULT_RESOLVED_RETENTION_DAYS, ...settings });
  }

  protected async read(findingId: string): Promise<FindingRecord | undefined> {
    // Strongly consistent: a conditional write after an eventually consistent read would lose more races.
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { findingId: { S: findingId } }, ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  protected async write(record: FindingRecord, readVersion: number | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: WRITE_CONDITION,
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':read': { N: String(readVersion ?? 0) } },
        }),
      );
      return true;
    } catch (error) {
      if (awsErrorName(error) === CONDITION_FAILED) return false;
      throw error;
    }
  }

  /** Every record (of one status when given), in finding id order: what the `findings` CLI prints. Reads only. */
  async all(status?: FindingRecord['status']): Promise<FindingRecord[]> {
    const records: FindingRecord[] = [];
    const pages = paginateScan(
      { client: this.client },
      {
        TableName: this.tableName,
        ...(status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':status': { S: status } } } : {}),
      },
    );
    for await (const page of pages) records.push(...(page.Items ?? []).map(fromItem));
    return records.sort((a, b) => a.findingId.localeCompare(b.findingId));
  }

  async recordsOf(resource: ResourceRef): Promise<FindingRecord[]> {
    const records: FindingRecord[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: BY_RESOURCE_INDEX,
        KeyConditionExpression: 'resourceKey = :key',
        ExpressionAttributeValues: { ':key': { S: resourceKeyOf(resource) } },
      },
    );
    for await (const page of pages) records.push(...(page.Items ?? []).map(fromItem));
    return records;
  }
}
