import {
  DeleteResourcePolicyCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutResourcePolicyCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { dynamodbTableAuditor } from '../../auditors/dynamodbTable.ts';
import type { PolicyStatement } from '../../auditors/policy/index.ts';
import { tableNameOfArn } from '../../auditors/triggers/dynamodbTable.ts';
import { SERVICE_STACK_TAG } from '../../services/core/selfProtection.ts';
import { awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const dynamodb = mockClient(DynamoDBClient);

const NAME = 'orders';
const ARN = `arn:aws:dynamodb:us-east-1:111111111111:table/${NAME}`;
/** A table as DescribeTable returns it: on demand, deletion protection on. */
const TABLE: TableDescription = {
  TableName: NAME,
  TableArn: ARN,
  TableId: '4a1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  TableStatus: 'ACTIVE',
  CreationDateTime: new Date('2026-09-14T08:02:11Z'),
  AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
  BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date('2026-09-14T08:02:11Z') },
  ItemCount: 1_204,
  TableSizeBytes: 301_884,
  DeletionProtectionEnabled: true,
};
const PARTNER_READ: PolicyStatement = { Sid: 'PartnerRead', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:role/reporting' }, Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: ARN };
const UNKNOWN_READ: PolicyStatement = { Sid: 'UnknownRead', Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'dynamodb:GetItem', Resource: ARN };
const PUBLIC_READ: PolicyStatement = { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: ARN };
const policyText = (...statements: PolicyStatement[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

interface Given {
  table?: Partial<TableDescription>;
  pitr?: boolean;
  policy?: string;
  tags?: { Key: string; Value: string }[];
}

/** A table that behaves like DynamoDB: reads answer what the writes last set. */
function givenTable({ table = {}, pitr = true, policy, tags = [] }: Given = {}): { table: TableDescription; pitr: boolean; policy?: string } {
  const stored: { table: TableDescription; pitr: boolean; policy?: string } = { table: { ...TABLE, ...table }, pitr, policy };
  dynamodb.on(DescribeTableCommand, { TableName: NAME }).callsFake(() => ({ Table: stored.table }));
  dynamodb.on(DescribeContinuousBackupsCommand, { TableName: NAME }).callsFake(() => ({
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: stored.pitr
        ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35, EarliestRestorableDateTime: new Date('2026-10-16T00:00:00Z'), LatestRestorableDateTime: new Date('2026-11-20T11:55:00Z') }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
    },
  }));
  dynamodb.on(GetResourcePolicyCommand, { ResourceArn: ARN }).callsFake(() => {
    if (stored.policy === undefined) throw awsError('PolicyNotFoundException');
    return { Policy: stored.policy, RevisionId: '1732104000123' };
  });
  dynamodb.on(ListTagsOfResourceCommand, { ResourceArn: ARN, NextToken: undefined }).resolves({ Tags: tags.slice(0, 1), ...(tags.length > 1 ? { NextToken: 'tag-page-2' } : {}) });
  dynamodb.on(ListTagsOfResourceCommand, { ResourceArn: ARN, NextToken: 'tag-page-2' }).resolves({ Tags: tags.slice(1) });
  dynamodb.on(UpdateContinuousBackupsCommand).callsFake((input: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: boolean } }) => {
    stored.pitr = input.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled;
    return {};
  });
  dynamodb.on(UpdateTableCommand).callsFake((input: { DeletionProtectionEnabled: boolean }) => ((stored.table = { ...stored.table, DeletionProtectionEnabled: input.DeletionProtectionEnabled }), {}));
  dynamodb.on(PutResourcePolicyCommand).callsFake((input: { Policy: string }) => ((stored.policy = input.Policy), { RevisionId: '1732104999999' }));
  dynamodb.on(DeleteResourcePolicyCommand).callsFake(() => (delete stored.policy, {}));
  return stored;
}

async function failedChecks(): Promise<FailedCheck[]> {
  return failedChecksOf(await dynamodbTableAuditor.audit(makeResourceContext(NAME), makeCheckContext(NAME)));
}
const failedIds = async (): Promise<string[]> => (await failedChecks()).map((f) => f.check.id);
const mutationCount = (): number =>
  dynamodb.commandCalls(UpdateContinuousBackupsCommand).length +
  dynamodb.commandCalls(UpdateTableCommand).length +
  dynamodb.commandCalls(PutResourcePolicyCommand).length +
  dynamodb.commandCalls(DeleteResourcePolicyCommand).length;

describe('dynamodb_table auditor', () => {
  beforeEach(() => dynamodb.reset());

  it('list follows LastEvaluatedTableName with Limit 100', async () => {
    dynamodb.on(ListTablesCommand, { ExclusiveStartTableName: undefined }).resolves({ TableNames: ['invoices', NAME], LastEvaluatedTableName: NAME });
    dynamodb.on(ListTablesCommand, { ExclusiveStartTableName: NAME }).resolves({ TableNames: ['sessions'] });
    expect((await collectAll(dynamodbTableAuditor.list(makeListContext()))).map((r) => r.id)).toEqual(['invoices', NAME, 'sessions']);
    expect(dynamodb.commandCalls(ListTablesCommand)[0]?.args[0].input).toMatchObject({ Limit: 100 });
  });

  describe('checks', () => {
    it.each<[string, Given]>([
      ['PITR, deletion protection, no policy', {}],
      ['a policy for a trusted account', { policy: policyText(PARTNER_READ) }],
    ])('a compliant table fails no check: %s', async (_name, given) => {
      givenTable(given);
      expect(await failedIds()).toEqual([]);
    });

    it.each<[string, Given, string[]]>([
      ['PITR off', { pitr: false }, ['dynamodb_table.pitr_off']],
      ['deletion protection off', { table: { DeletionProtectionEnabled: false } }, ['dynamodb_table.deletion_protection_off']],
      ['deletion protection absent (a table older than the setting)', { table: { DeletionProtectionEnabled: undefined } }, ['dynamodb_table.deletion_protection_off']],
      ['a policy granting an unknown account', { policy: policyText(PARTNER_READ, UNKNOWN_READ) }, ['dynamodb_table.shared_unknown_account']],
      ['a public policy (one Block Public Access let through)', { policy: policyText(PUBLIC_READ) }, ['dynamodb_table.public_policy']],
      ['everything', { pitr: false, table: { DeletionProtectionEnabled: false }, policy: policyText(UNKNOWN_READ) }, ['dynamodb_table.pitr_off', 'dynamodb_table.deletion_protection_off', 'dynamodb_table.shared_unknown_account']],
    ])('%s', async (_name, given, expected) => {
      givenTable(given);
      expect(await failedIds()).toEqual(expected);
    });

    it('declares DynamoDB.2 and DynamoDB.6; every failing check is safe to remediate', async () => {
      givenTable({ pitr: false, table: { DeletionProtectionEnabled: false }, policy: policyText(UNKNOWN_READ) });
      const failed = await failedChecks();
      expect(failed.map((f) => [f.check.id, f.check.controls, f.risk])).toEqual([
        ['dynamodb_table.pitr_off', { fsbp: ['DynamoDB.2'] }, 'safe'],
        ['dynamodb_table.deletion_protection_off', { fsbp: ['DynamoDB.6'] }, 'safe'],
        ['dynamodb_table.shared_unknown_account', expect.objectContaining({ none: expect.any(String) }), 'safe'],
      ]);
    });

    it("the service's own tables (the stack's tag, on a second page of tags) are reported and protected", async () => {
      givenTable({ pitr: false, tags: [{ Key: 'team', Value: 'security' }, { Key: SERVICE_STACK_TAG.key, Value: SERVICE_STACK_TAG.value }] });
      const failed = await failedChecks();
      expect(failed.map((f) => [f.check.id, f.protectedBecause])).toEqual([['dynamodb_table.pitr_off', `carries the service's own tag ${SERVICE_STACK_TAG.key}`]]);
    });

    it.each([
      ['DescribeTable', 'ResourceNotFoundException'],
      ['DescribeContinuousBackups', 'TableNotFoundException'],
    ])('a table that vanished (%s answers %s) is gone', async (command, name) => {
      givenTable();
      if (command === 'DescribeTable') dynamodb.on(DescribeTableCommand).rejects(awsError(name));
      else dynamodb.on(DescribeContinuousBackupsCommand).rejects(awsError(name));
      expect(await dynamodbTableAuditor.audit(makeResourceContext(NAME), makeCheckContext(NAME))).toBe(GONE);
    });

    it('a DELETING table is gone; a CREATING one is not ready yet', async () => {
      givenTable({ table: { TableStatus: 'DELETING' } });
      expect(await dynamodbTableAuditor.audit(makeResourceContext(NAME), makeCheckContext(NAME))).toBe(GONE);
      dynamodb.reset();
      givenTable({ table: { TableStatus: 'CREATING' } });
      const result = await dynamodbTableAuditor.audit(makeResourceContext(NAME), makeCheckContext(NAME));
      expect(result).toBeInstanceOf(NotReady);
      expect(dynamodb.commandCalls(DescribeContinuousBackupsCommand)).toHaveLength(0);
    });

    it.each([
      [ARN, NAME],
      [`${ARN}/stream/2026-11-20T12:00:00.000`, NAME],
      ['arn:aws-cn:dynamodb:cn-north-1:111111111111:table/a.b-c_d', 'a.b-c_d'],
    ])('PutResourcePolicy names %s: the table is %s', (arn, name) => {
      expect(tableNameOfArn(arn)).toBe(name);
    });
  });

  describe('remediations', () => {
    async function remediation(checkId: string): Promise<() => Promise<string>> {
      const remediate = (await failedChecks()).find((f) => f.check.id === checkId)?.remediate;
      if (!remediate) throw new Error(`${checkId} did not fail or has no remediation`);
      return remediate;
    }

    it('pitr_off turns point-in-time recovery on, and says it costs money', async () => {
      givenTable({ pitr: false });
      expect(await (await remediation('dynamodb_table.pitr_off'))()).toBe('applied');
      expect(dynamodb.commandCalls(UpdateContinuousBackupsCommand).map((c) => c.args[0].input)).toEqual([{ TableName: NAME, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }]);
      expect(dynamodbTableAuditor.remediations['dynamodb_table.pitr_off']?.description).toMatch(/costs money/);
    });

    it('deletion_protection_off turns deletion protection on', async () => {
      givenTable({ table: { DeletionProtectionEnabled: false } });
      expect(await (await remediation('dynamodb_table.deletion_protection_off'))()).toBe('applied');
      expect(dynamodb.commandCalls(UpdateTableCommand).map((c) => c.args[0].input)).toEqual([{ TableName: NAME, DeletionProtectionEnabled: true }]);
    });

    it('shared_unknown_account keeps the trusted statement; deletes the policy when nothing would be left', async () => {
      const stored = givenTable({ policy: policyText(PARTNER_READ, UNKNOWN_READ) });
      expect(await (await remediation('dynamodb_table.shared_unknown_account'))()).toBe('applied');
      expect(JSON.parse(stored.policy ?? '')).toEqual({ Version: '2012-10-17', Statement: [PARTNER_READ] });
      expect(dynamodb.commandCalls(PutResourcePolicyCommand)[0]?.args[0].input.ResourceArn).toBe(ARN);

      dynamodb.reset();
      const alone = givenTable({ policy: policyText(UNKNOWN_READ) });
      expect(await (await remediation('dynamodb_table.shared_unknown_account'))()).toBe('applied');
      expect(dynamodb.commandCalls(DeleteResourcePolicyCommand).map((c) => c.args[0].input)).toEqual([{ ResourceArn: ARN }]);
      expect(alone.policy).toBeUndefined();
    });

    it.each<[string, Given]>([
      ['dynamodb_table.pitr_off', { pitr: false }],
      ['dynamodb_table.deletion_protection_off', { table: { DeletionProtectionEnabled: false } }],
      ['dynamodb_table.shared_unknown_account', { policy: policyText(UNKNOWN_READ, PARTNER_READ) }],
      ['dynamodb_table.public_policy', { policy: policyText(PUBLIC_READ, PARTNER_READ) }],
    ])('%s: a second run makes no mutating call', async (checkId, given) => {
      givenTable(given);
      const remediate = await remediation(checkId);
      expect(await remediate()).toBe('applied');
      dynamodb.resetHistory();
      expect(await remediate()).toBe('already_compliant');
      expect(mutationCount()).toBe(0);
    });

    it('a table deleted before remediation is gone, with no mutating call', async () => {
      givenTable({ pitr: false });
      const remediate = await remediation('dynamodb_table.pitr_off');
      dynamodb.on(DescribeTableCommand).rejects(awsError('ResourceNotFoundException'));
      expect(await remediate()).toBe('gone');
      expect(mutationCount()).toBe(0);
    });
  });
});
