/**
 * dynamodb_table: tables without point-in-time recovery (FSBP DynamoDB.2),
 * without deletion protection (DynamoDB.6), or whose resource-based policy is
 * public or shared with an unknown account. (DynamoDB's Block Public Access
 * refuses most public policies when they are attached, but it trusts
 * conditions our analyser does not, such as principal "*" limited only by
 * aws:PrincipalIsAWSService (true for every AWS service, acting for every account).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-bpa-rbp.html)
 *
 * APIs: ListTables (up to 100 a page), DescribeTable, DescribeContinuousBackups,
 * GetResourcePolicy (PolicyNotFoundException: no policy), ListTagsOfResource
 * (the stack's own tag protects the service's findings and brake tables).
 * Remediations (safe): UpdateContinuousBackups PITR on (billed per GB-month of
 * table size), UpdateTable DeletionProtectionEnabled, PutResourcePolicy with
 * only the public statements or unknown accounts removed (DeleteResourcePolicy
 * when nothing is left).
 * CloudTrail: CreateTable, UpdateTable, UpdateContinuousBackups
 * (requestParameters.tableName), PutResourcePolicy (requestParameters.resourceArn).
 */
import {
  DeleteResourcePolicyCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand,
  ListTagsOfResourceCommand,
  PutResourcePolicyCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  paginateListTables,
  type Tag,
} from '@aws-sdk/client-dynamodb';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { partitionOf } from '../services/core/regions.ts';
import { GONE, NotReady, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { parsePolicyDocument, serialisePolicyDocument, type PolicyDocument } from './policy/index.ts';
import { resourcePolicyChecks, resourcePolicyRemediations } from './resourcePolicyExposure.ts';
import { TABLE_CREATION_DELAY_SECONDS, dynamodbTableTriggers } from './triggers/dynamodbTable.ts';

/** GetResourcePolicy's answer for a table without a policy (not a deletion). */
export const NO_RESOURCE_POLICY = 'PolicyNotFoundException';

export interface TableState {
  name: string;
  arn: string;
  pointInTimeRecovery: boolean;
  deletionProtection: boolean;
  /** undefined: the table has no resource-based policy. */
  policy?: PolicyDocument;
  tags: Readonly<Record<string, string>>;
}

// ---------- reads ----------

function dynamodb(context: ResourceContext): DynamoDBClient {
  return context.clients.get(DynamoDBClient);
}

async function readPolicy(context: ResourceContext, arn: string): Promise<PolicyDocument | undefined> {
  try {
    const { Policy } = await dynamodb(context).send(new GetResourcePolicyCommand({ ResourceArn: arn }));
    return Policy ? parsePolicyDocument(Policy) : undefined;
  } catch (error) {
    if (hasErrorName(error, NO_RESOURCE_POLICY)) return undefined;
    throw error;
  }
}

async function readTags(context: ResourceContext, arn: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let NextToken: string | undefined;
  do {
    const page = await dynamodb(context).send(new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken }));
    tags.push(...(page.Tags ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return tags;
}

async function readTable(context: ResourceContext): Promise<TableState | Gone | NotReady> {
  try {
    const { Table } = await dynamodb(context).send(new DescribeTableCommand({ TableName: context.id }));
    if (!Table?.TableArn || Table.TableStatus === 'DELETING') return GONE;
    if (Table.TableStatus === 'CREATING') return new NotReady(`table ${context.id} is CREATING`, TABLE_CREATION_DELAY_SECONDS);
    const { ContinuousBackupsDescription } = await dynamodb(context).send(new DescribeContinuousBackupsCommand({ TableName: context.id }));
    return {
      name: context.id,
      arn: Table.TableArn,
      pointInTimeRecovery: ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED',
      deletionProtection: Table.DeletionProtectionEnabled === true,
      policy: await readPolicy(context, Table.TableArn),
      tags: tagsToRecord(await readTags(context, Table.TableArn)),
    };
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.dynamodb_table)) return GONE;
    throw error;
  }
}

/** The table now, for a remediation: GONE also when it cannot be judged (a remediation runs after an audit that could). */
async function readForRemediation(context: ResourceContext): Promise<TableState | Gone> {
  const table = await readTable(context);
  return table instanceof NotReady ? GONE : table;
}

/** The ARN of the table the context names, as DynamoDB builds it. */
function tableArnOf(context: ResourceContext): string {
  return `arn:${partitionOf(context.region)}:dynamodb:${context.region}:${context.account}:table/${context.id}`;
}

const READ_PERMISSIONS = ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups', 'dynamodb:GetResourcePolicy', 'dynamodb:ListTagsOfResource'] as const;

// ---------- the auditor ----------

export const dynamodbTableAuditor = defineAuditor<TableState>({
  type: 'dynamodb_table',
  scope: 'regional',
  description: 'DynamoDB tables: point-in-time recovery, deletion protection, public resource policies, policies shared with unknown accounts',
  permissions: { list: ['dynamodb:ListTables'], collect: [...READ_PERMISSIONS] },
  triggers: dynamodbTableTriggers,

  async *list({ clients }) {
    // Limit 1 to 100: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
    for await (const page of paginateListTables({ client: clients.get(DynamoDBClient), pageSize: 100 }, {})) {
      for (const name of page.TableNames ?? []) yield { id: name, name };
    }
  },

  collect: readTable,

  identity: (state) => ({ tags: state.tags }),

  checks: [
    {
      id: 'dynamodb_table.pitr_off',
      title: 'Table has no point-in-time recovery',
      severity: 'medium',
      rationale: 'Without point-in-time recovery, a table overwritten or emptied by a bad deployment, a bug or an attacker can be restored only from on-demand backups, if any exist.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html#dynamodb-2 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['DynamoDB.2'] },
      evaluate: (state) => (state.pointInTimeRecovery ? undefined : { detail: 'PointInTimeRecoveryStatus is DISABLED' }),
    },
    {
      id: 'dynamodb_table.deletion_protection_off',
      title: 'Table has no deletion protection',
      severity: 'medium',
      rationale: 'Without deletion protection, one DeleteTable call (a mistaken script, an IaC change, an attacker) removes the table and its data.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html#dynamodb-6 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['DynamoDB.6'] },
      evaluate: (state) => (state.deletionProtection ? undefined : { detail: 'DeletionProtectionEnabled is false' }),
    },
    ...resourcePolicyChecks<TableState>({
      type: 'dynamodb_table',
      noun: 'Table',
      publicRisk: 'read, write or delete its items',
      foreignRisk: 'read, write or delete its items',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html: no DynamoDB control judges resource policies.
      publicControls: { none: "no FSBP or CIS v3.0.0 control judges DynamoDB resource policies (Security Hub's DynamoDB controls cover scaling, backups, deletion protection and DAX)" },
    }),
  ],

  remediations: {
    'dynamodb_table.pitr_off': {
      description: 'Turn on point-in-time recovery (continuous backups for the last 35 days). It costs money: AWS bills it per GB-month of the table\'s size.',
      risk: 'safe',
      permissions: [...READ_PERMISSIONS, 'dynamodb:UpdateContinuousBackups'],
      async apply(context) {
        const table = await readForRemediation(context);
        if (table === GONE) return 'gone';
        if (table.pointInTimeRecovery) return 'already_compliant';
        await dynamodb(context).send(new UpdateContinuousBackupsCommand({ TableName: context.id, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
        return 'applied';
      },
    },
    'dynamodb_table.deletion_protection_off': {
      description: 'Turn on deletion protection (DeleteTable is refused until someone turns it off).',
      risk: 'safe',
      permissions: [...READ_PERMISSIONS, 'dynamodb:UpdateTable'],
      async apply(context) {
        const table = await readForRemediation(context);
        if (table === GONE) return 'gone';
        if (table.deletionProtection) return 'already_compliant';
        await dynamodb(context).send(new UpdateTableCommand({ TableName: context.id, DeletionProtectionEnabled: true }));
        return 'applied';
      },
    },
    ...resourcePolicyRemediations<TableState>('dynamodb_table', {
      read: async (context) => {
        const table = await readForRemediation(context);
        return table === GONE ? GONE : table.policy;
      },
      async write(context, policy) {
        const arn = tableArnOf(context);
        if (policy.Statement.length === 0) await dynamodb(context).send(new DeleteResourcePolicyCommand({ ResourceArn: arn }));
        else await dynamodb(context).send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: serialisePolicyDocument(policy) }));
      },
      permissions: [...READ_PERMISSIONS, 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'],
      whenEmptied: 'delete the policy',
    }),
  },
});
