/** The findings table on moto, keyed as serverless.yml's FindingsTable: findingId, and the byResource index on resourceKey. */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BY_RESOURCE_INDEX } from '../../services/findings-store/dynamoFindingsStore.ts';

export async function createFindingsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'findingId', AttributeType: 'S' },
        { AttributeName: 'resourceKey', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'findingId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: BY_RESOURCE_INDEX, KeySchema: [{ AttributeName: 'resourceKey', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }),
  );
}
