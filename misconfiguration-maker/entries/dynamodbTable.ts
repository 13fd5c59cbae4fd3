/**
 * One empty on-demand DynamoDB table, `misconfiguration-maker-table-<account>-<region>`,
 * as CreateTable makes it by default (no point-in-time recovery, no deletion
 * protection), with a resource-based policy that lets the nonexistent account
 * 000000000000 read items (shared_unknown_account: nobody can act as that
 * account; there are none) and any AWS service describe the table
 * (public_policy: principal "*" limited only by aws:PrincipalIsAWSService,
 * which DynamoDB's Block Public Access accepts and our analyser does not,
 * since a service may act for any account).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-bpa-rbp.html
 *
 * Real AWS: an empty PAY_PER_REQUEST table costs nothing; point-in-time
 * recovery, once a remediation turns it on, is billed per GB of the table (0).
 * Tagged with the maker's tag; teardown turns deletion protection off (a
 * remediation may have turned it on) and deletes the table.
 */
import { CreateTableCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, PutResourcePolicyCommand, UpdateContinuousBackupsCommand, UpdateTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export function makerTableName(account: string, region: string): string {
  return makerName('table', account, region);
}

export function makerTablePolicy(account: string, region: string): string {
  const partition = partitionOf(region);
  const table = `arn:${partition}:dynamodb:${region}:${account}:table/${makerTableName(account, region)}`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'MisconfigurationMakerAnyAwsService', Effect: 'Allow', Principal: '*', Action: 'dynamodb:DescribeTable', Resource: table, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } } },
      {
        Sid: 'MisconfigurationMakerUnknownAccount',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${NONEXISTENT_ACCOUNT}:root` },
        Action: 'dynamodb:GetItem',
        Resource: table,
      },
    ],
  });
}

async function describeMakerTable(context: MakerContext): Promise<TableDescription | undefined> {
  const found = await unlessGone(() => context.clients.get(DynamoDBClient).send(new DescribeTableCommand({ TableName: makerTableName(context.account, context.region) })), RESOURCE_GONE_ERRORS.dynamodb_table, undefined);
  return found?.Table;
}

/** Put the misconfiguration back on a table a remediation may have fixed. */
async function unprotect(context: MakerContext, table: TableDescription): Promise<void> {
  const dynamodb = context.clients.get(DynamoDBClient);
  const name = makerTableName(context.account, context.region);
  if (table.DeletionProtectionEnabled) await dynamodb.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
  const { ContinuousBackupsDescription } = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: name }));
  if (ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED') {
    await dynamodb.send(new UpdateContinuousBackupsCommand({ TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
  }
}

export const dynamodbTableMaker: MisconfigurationEntry = {
  type: 'dynamodb_table',
  scope: 'regional',
  provokes: (config) => [
    'dynamodb_table.pitr_off',
    'dynamodb_table.deletion_protection_off',
    'dynamodb_table.public_policy',
    ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['dynamodb_table.shared_unknown_account']),
  ],
  plan: (account, region) => [
    `DynamoDB table ${makerTableName(account, region)}: empty, on demand; no point-in-time recovery; no deletion protection; policy lets account ${NONEXISTENT_ACCOUNT} read items and any AWS service describe the table`,
  ],
  async create(context) {
    const dynamodb = context.clients.get(DynamoDBClient);
    const name = makerTableName(context.account, context.region);
    const existing = await describeMakerTable(context);
    if (existing) {
      await unprotect(context, existing);
    } else {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          Tags: [...MAKER_TAGS],
        }),
      );
    }
    const arn = `arn:${partitionOf(context.region)}:dynamodb:${context.region}:${context.account}:table/${name}`;
    await dynamodb.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: makerTablePolicy(context.account, context.region) }));
    return [name];
  },
  async teardown(context) {
    const table = await describeMakerTable(context);
    if (!table) return [];
    const name = makerTableName(context.account, context.region);
    const dynamodb = context.clients.get(DynamoDBClient);
    if (table.DeletionProtectionEnabled) await dynamodb.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    const deleted = await unlessGone(() => dynamodb.send(new DeleteTableCommand({ TableName: name })), RESOURCE_GONE_ERRORS.dynamodb_table, undefined);
    return deleted ? [name] : [];
  },
};
