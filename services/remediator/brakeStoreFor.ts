import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import type { BrakeStore } from './brakeStore.ts';
import { DynamoBrakeStore } from './dynamoBrakeStore.ts';
import { MemoryBrakeStore } from './memoryBrakeStore.ts';

/** `arn:aws:dynamodb:eu-west-1:123456789012:table/name` -> `eu-west-1`. */
function regionOfTableArn(table: string): string | undefined {
  return /^arn:[^:]+:dynamodb:([^:]+):\d{12}:table\//.exec(table)?.[1];
}

/**
 * Where the organization-wide brake counts: the DynamoDB table of the
 * deployed stack (brakeTableName, a name in the home region or an ARN, whose
 * region is used), else this process's memory (the CLI, the sandbox, the
 * demo): make it once per process and share it between runs.
 */
export function brakeStoreFor(config: Config, factory: ClientFactory): BrakeStore {
  const table = config.brakeTableName;
  if (!table) return new MemoryBrakeStore();
  const region = regionOfTableArn(table) ?? config.homeRegion;
  return new DynamoBrakeStore(factory.forSecurityAccount(region).get(DynamoDBClient), table);
}
