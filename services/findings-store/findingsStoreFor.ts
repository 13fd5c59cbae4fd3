/** The deployed findings store, when FINDINGS_TABLE_NAME names one. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { DynamoFindingsStore } from './dynamoFindingsStore.ts';
import type { FindingsStore } from './findingsStore.ts';

export function findingsStoreFor(config: Pick<Config, 'findingsTableName' | 'renotifyDays' | 'homeRegion'>, factory: ClientFactory): FindingsStore | undefined {
  if (!config.findingsTableName) return undefined;
  return new DynamoFindingsStore(factory.forSecurityAccount(config.homeRegion).get(DynamoDBClient), config.findingsTableName, { renotifyDays: config.renotifyDays });
}
