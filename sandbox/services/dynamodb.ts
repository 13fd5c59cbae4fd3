/**
 * DynamoDB tables of member accounts (the security account's own findings
 * and brake tables go to a real DynamoDB emulator: see Sandbox.handles):
 * their settings only, no items. What the dynamodb_table auditor reads and
 * remediates, and what the misconfiguration maker creates and removes.
 * Tables are ACTIVE at once. DynamoDB speaks JSON: an error's name and code
 * are the exception's name.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html
 */
import type {
  CreateTableCommandInput,
  CreateTableCommandOutput,
  DeleteResourcePolicyCommandInput,
  DeleteResourcePolicyCommandOutput,
  DeleteTableCommandInput,
  DeleteTableCommandOutput,
  DescribeContinuousBackupsCommandInput,
  DescribeContinuousBackupsCommandOutput,
  DescribeTableCommandInput,
  DescribeTableCommandOutput,
  GetResourcePolicyCommandInput,
  GetResourcePolicyCommandOutput,
  ListTablesCommandInput,
  ListTablesCommandOutput,
  ListTagsOfResourceCommandInput,
  ListTagsOfResourceCommandOutput,
  PutResourcePolicyCommandInput,
  PutResourcePolicyCommandOutput,
  TableDescription,
  Tag,
  UpdateContinuousBackupsCommandInput,
  UpdateContinuousBackupsCommandOutput,
  UpdateTableCommandInput,
  UpdateTableCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { PolicyParseError, isPublicStatement, parsePolicyDocument, type PolicyStatement } from '../../auditors/policy/index.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface TableRecord {
  table: TableDescription;
  pointInTimeRecovery: boolean;
  policy?: { text: string; revisionId: string };
  tags: Tag[];
}

interface DynamoDbState {
  tables: Record<string, TableRecord>;
}

/** 3 to 255 letters, digits, "_", "-" and ".": https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const LIST_LIMIT = 100;

function dynamodb(context: OperationContext): DynamoDbState {
  return context.regional<DynamoDbState>('dynamodb', () => ({ tables: {} }));
}

const validation = (message: string): Error => serviceError('ValidationException', 400, message);
const tableNotFound = (name: string): Error => serviceError('ResourceNotFoundException', 400, `Requested resource not found: Table: ${name} not found`);

function recordOf(context: OperationContext, name: string | undefined): TableRecord {
  const record = name ? dynamodb(context).tables[name] : undefined;
  if (!record || !name) throw tableNotFound(name ?? '');
  return record;
}

/** The table a ResourceArn names in this account and region (a stream ARN names its table). */
function recordOfArn(context: OperationContext, arn: string | undefined): { name: string; record: TableRecord } {
  const [, region, account, name] = /^arn:[a-z-]+:dynamodb:([a-z0-9-]+):(\d{12}):table\/([^/]+)/.exec(arn ?? '') ?? [];
  if (!name) throw validation(`Invalid ResourceArn provided as input ${arn}`);
  if (region !== context.region || account !== context.account) throw tableNotFound(name);
  return { name, record: recordOf(context, name) };
}

/**
 * Condition keys Block Public Access trusts besides those of our analyser
 * (auditors/policy/conditions.ts): a statement limited by one of them is not
 * public to BPA, though our analyser reports "*" limited only to any AWS
 * service (aws:PrincipalIsAWSService) as public.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-bpa-rbp.html
 */
const BPA_ALSO_TRUSTS = ['aws:principalservicename', 'aws:principalservicenameslist', 'aws:principalisawsservice', 'aws:ec2instancesourcevpc'];

function publicToBlockPublicAccess(statement: PolicyStatement): boolean {
  const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block).map((key) => key.toLowerCase()));
  return isPublicStatement(statement) && !keys.some((key) => BPA_ALSO_TRUSTS.includes(key));
}

/** Block Public Access: DynamoDB refuses a policy that grants public access (error name inferred: the page names none). */
function checkedPolicy(text: string | undefined): string {
  try {
    if (!parsePolicyDocument(text ?? '').Statement.some(publicToBlockPublicAccess)) return text ?? '';
  } catch (error) {
    if (error instanceof PolicyParseError) throw validation(`Invalid policy document: ${error.message}`);
    throw error;
  }
  throw validation('Resource-based policy grants public access; Block Public Access refuses it');
}

function continuousBackups(record: TableRecord): NonNullable<DescribeContinuousBackupsCommandOutput['ContinuousBackupsDescription']> {
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: record.pointInTimeRecovery ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 } : { PointInTimeRecoveryStatus: 'DISABLED' },
  };
}

export const dynamoDbService: SandboxService = {
  serviceId: 'DynamoDB',
  operations: {
    CreateTable: operation((context, input: CreateTableCommandInput): Output<CreateTableCommandOutput> => {
      const name = input.TableName ?? '';
      if (!TABLE_NAME.test(name)) throw validation(`TableName must be at least 3 characters long and at most 255 characters long, matching [a-zA-Z0-9_.-]+`);
      if (!input.KeySchema?.length || !input.AttributeDefinitions?.length) throw validation('One or more parameter values were invalid: KeySchema and AttributeDefinitions are required');
      const state = dynamodb(context);
      if (state.tables[name]) throw serviceError('ResourceInUseException', 400, `Table already exists: ${name}`);
      const arn = `arn:${partitionOf(context.region)}:dynamodb:${context.region}:${context.account}:table/${name}`;
      const table: TableDescription = {
        TableName: name,
        TableArn: arn,
        TableId: `${context.nextId().slice(0, 8)}-0000-4000-8000-${context.nextId().slice(0, 12)}`,
        TableStatus: 'ACTIVE',
        CreationDateTime: context.now(),
        KeySchema: input.KeySchema,
        AttributeDefinitions: input.AttributeDefinitions,
        BillingModeSummary: { BillingMode: input.BillingMode ?? 'PROVISIONED' },
        ItemCount: 0,
        TableSizeBytes: 0,
        DeletionProtectionEnabled: input.DeletionProtectionEnabled === true,
      };
      state.tables[name] = {
        table,
        pointInTimeRecovery: false,
        tags: [...(input.Tags ?? [])],
        ...(input.ResourcePolicy ? { policy: { text: checkedPolicy(input.ResourcePolicy), revisionId: String(context.now().getTime()) } } : {}),
      };
      return { TableDescription: { ...table, TableStatus: 'CREATING' } };
    }),
    DeleteTable: operation((context, input: DeleteTableCommandInput): Output<DeleteTableCommandOutput> => {
      const record = recordOf(context, input.TableName);
      if (record.table.DeletionProtectionEnabled) throw validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
      delete dynamodb(context).tables[input.TableName ?? ''];
      return { TableDescription: { ...record.table, TableStatus: 'DELETING' } };
    }),
    DescribeTable: operation((context, input: DescribeTableCommandInput): Output<DescribeTableCommandOutput> => ({ Table: recordOf(context, input.TableName).table })),
    /** Names in order; LastEvaluatedTableName when more remain. */
    ListTables: operation((context, input: ListTablesCommandInput): Output<ListTablesCommandOutput> => {
      const limit = Math.min(input.Limit ?? LIST_LIMIT, LIST_LIMIT);
      const names = Object.keys(dynamodb(context).tables)
        .sort()
        .filter((name) => input.ExclusiveStartTableName === undefined || name > input.ExclusiveStartTableName);
      const page = names.slice(0, limit);
      return { TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}) };
    }),
    DescribeContinuousBackups: operation((context, input: DescribeContinuousBackupsCommandInput): Output<DescribeContinuousBackupsCommandOutput> => {
      const record = input.TableName ? dynamodb(context).tables[input.TableName] : undefined;
      if (!record) throw serviceError('TableNotFoundException', 400, `Table not found: ${input.TableName}`);
      return { ContinuousBackupsDescription: continuousBackups(record) };
    }),
    UpdateContinuousBackups: operation((context, input: UpdateContinuousBackupsCommandInput): Output<UpdateContinuousBackupsCommandOutput> => {
      const record = input.TableName ? dynamodb(context).tables[input.TableName] : undefined;
      if (!record) throw serviceError('TableNotFoundException', 400, `Table not found: ${input.TableName}`);
      if (input.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === undefined) throw validation('PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled is required');
      record.pointInTimeRecovery = input.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled;
      return { ContinuousBackupsDescription: continuousBackups(record) };
    }),
    UpdateTable: operation((context, input: UpdateTableCommandInput): Output<UpdateTableCommandOutput> => {
      const record = recordOf(context, input.TableName);
      if (input.DeletionProtectionEnabled === undefined) throw validation('The sandbox changes only DeletionProtectionEnabled with UpdateTable');
      record.table.DeletionProtectionEnabled = input.DeletionProtectionEnabled;
      return { TableDescription: record.table };
    }),
    GetResourcePolicy: operation((context, input: GetResourcePolicyCommandInput): Output<GetResourcePolicyCommandOutput> => {
      const { record } = recordOfArn(context, input.ResourceArn);
      if (!record.policy) throw serviceError('PolicyNotFoundException', 400, `Resource-based policy not found for the provided ResourceArn: ${input.ResourceArn}`);
      return { Policy: record.policy.text, RevisionId: record.policy.revisionId };
    }),
    PutResourcePolicy: operation((context, input: PutResourcePolicyCommandInput): Output<PutResourcePolicyCommandOutput> => {
      const { record } = recordOfArn(context, input.ResourceArn);
      record.policy = { text: checkedPolicy(input.Policy), revisionId: String(context.now().getTime()) };
      return { RevisionId: record.policy.revisionId };
    }),
    DeleteResourcePolicy: operation((context, input: DeleteResourcePolicyCommandInput): Output<DeleteResourcePolicyCommandOutput> => {
      const { record } = recordOfArn(context, input.ResourceArn);
      if (!record.policy) throw serviceError('PolicyNotFoundException', 400, `Resource-based policy not found for the provided ResourceArn: ${input.ResourceArn}`);
      delete record.policy;
      return {};
    }),
    ListTagsOfResource: operation((context, input: ListTagsOfResourceCommandInput): Output<ListTagsOfResourceCommandOutput> => ({
      Tags: recordOfArn(context, input.ResourceArn).record.tags.map((tag) => ({ ...tag })),
    })),
  },
};
