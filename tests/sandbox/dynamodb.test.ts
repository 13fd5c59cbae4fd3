import {
  CreateTableCommand,
  DeleteResourcePolicyCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand,
  ListTagsOfResourceCommand,
  PutResourcePolicyCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
const KEY = { AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }] };
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: 'dynamodb:GetItem', Resource: ARN }] });
const NOT_FOUND = { name: 'ResourceNotFoundException', status: 400, message: /Requested resource not found/ };

let org: SandboxOrganization;
let dynamodb: DynamoDBClient;

beforeEach(() => {
  org = sandboxOrganization();
  dynamodb = org.clients().get(DynamoDBClient);
});

describe('DynamoDB tables', () => {
  it('creates a table (CREATING in the answer, ACTIVE after) without PITR or deletion protection, with its tags', async () => {
    const { TableDescription } = await dynamodb.send(new CreateTableCommand({ TableName: 'orders', BillingMode: 'PAY_PER_REQUEST', ...KEY, Tags: [{ Key: 'team', Value: 'payments' }] }));
    expect(TableDescription).toMatchObject({ TableName: 'orders', TableArn: ARN, TableStatus: 'CREATING', DeletionProtectionEnabled: false, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } });
    expect((await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }))).Table?.TableStatus).toBe('ACTIVE');
    expect((await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: 'orders' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toEqual({ PointInTimeRecoveryStatus: 'DISABLED' });
    expect((await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: ARN }))).Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
    await expectAwsError(dynamodb.send(new CreateTableCommand({ TableName: 'orders', ...KEY })), { name: 'ResourceInUseException', status: 400 });
  });

  it('PITR and deletion protection are set; a protected table cannot be deleted', async () => {
    await dynamodb.send(new CreateTableCommand({ TableName: 'orders', ...KEY }));
    await dynamodb.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await dynamodb.send(new UpdateTableCommand({ TableName: 'orders', DeletionProtectionEnabled: true }));
    expect((await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: 'orders' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('ENABLED');
    await expectAwsError(dynamodb.send(new DeleteTableCommand({ TableName: 'orders' })), { name: 'ValidationException', status: 400, message: /protected against deletion/ });
    await dynamodb.send(new UpdateTableCommand({ TableName: 'orders', DeletionProtectionEnabled: false }));
    await dynamodb.send(new DeleteTableCommand({ TableName: 'orders' }));
    await expectAwsError(dynamodb.send(new DescribeTableCommand({ TableName: 'orders' })), NOT_FOUND);
    await expectAwsError(dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: 'orders' })), { name: 'TableNotFoundException', status: 400 });
  });

  it('resource policy: PolicyNotFoundException until put; Block Public Access refuses a public one but trusts aws:PrincipalIsAWSService; deleted', async () => {
    await dynamodb.send(new CreateTableCommand({ TableName: 'orders', ...KEY }));
    await expectAwsError(dynamodb.send(new GetResourcePolicyCommand({ ResourceArn: ARN })), { name: 'PolicyNotFoundException', status: 400 });
    await dynamodb.send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: POLICY }));
    expect((await dynamodb.send(new GetResourcePolicyCommand({ ResourceArn: `${ARN}/stream/2026-11-20T12:00:00.000` }))).Policy).toBe(POLICY);
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: ARN }] });
    await expectAwsError(dynamodb.send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: publicPolicy })), { name: 'ValidationException', status: 400, message: /public access/ });
    const anyService = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:DescribeTable', Resource: ARN, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } } }] });
    await dynamodb.send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: anyService }));
    await dynamodb.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN }));
    await expectAwsError(dynamodb.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN })), { name: 'PolicyNotFoundException', status: 400 });
  });

  it('a table of another account or region is not found', async () => {
    await dynamodb.send(new CreateTableCommand({ TableName: 'orders', ...KEY }));
    await expectAwsError(org.clients(OTHER_ACCOUNT).get(DynamoDBClient).send(new DescribeTableCommand({ TableName: 'orders' })), NOT_FOUND);
    await expectAwsError(org.clients(ACCOUNT, OTHER_REGION).get(DynamoDBClient).send(new ListTagsOfResourceCommand({ ResourceArn: ARN })), NOT_FOUND);
  });

  it('lists table names in order, Limit at a time, with LastEvaluatedTableName', async () => {
    for (const name of ['ccc', 'aaa', 'bbb']) await dynamodb.send(new CreateTableCommand({ TableName: name, ...KEY }));
    const pages = [];
    for await (const listed of paginateListTables({ client: dynamodb, pageSize: 2 }, {})) pages.push(listed.TableNames);
    expect(pages).toEqual([['aaa', 'bbb'], ['ccc']]);
  });
});
