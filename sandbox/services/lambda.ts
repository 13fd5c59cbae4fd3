/**
 * Lambda: functions, resource policies (AddPermission / RemovePermission /
 * GetPolicy) and function URLs: what the lambda_function auditor reads and
 * remediates, and what the misconfiguration maker creates and removes.
 * Functions are Active as soon as they are created (AWS passes through
 * Pending for a few seconds). Aliases (CreateAlias / ListAliases /
 * DeleteAlias) point at $LATEST and have their own policy and URL;
 * versions are not modelled, so any other qualifier names nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import type {
  AddPermissionCommandInput,
  AddPermissionCommandOutput,
  AliasConfiguration,
  CreateAliasCommandInput,
  CreateAliasCommandOutput,
  DeleteAliasCommandInput,
  CreateFunctionCommandInput,
  CreateFunctionCommandOutput,
  CreateFunctionUrlConfigCommandInput,
  CreateFunctionUrlConfigCommandOutput,
  DeleteFunctionCommandInput,
  GetFunctionConfigurationCommandInput,
  GetFunctionConfigurationCommandOutput,
  GetFunctionUrlConfigCommandInput,
  GetFunctionUrlConfigCommandOutput,
  GetPolicyCommandInput,
  GetPolicyCommandOutput,
  ListAliasesCommandInput,
  ListAliasesCommandOutput,
  ListFunctionsCommandInput,
  ListFunctionsCommandOutput,
  RemovePermissionCommandInput,
} from '@aws-sdk/client-lambda';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';
import { iamState } from './iamState.ts';
import {
  configurationOf,
  findFunction,
  functionArn,
  invalidParameter,
  lambdaState,
  lambdaTimestamp,
  notFound,
  validationError,
  type AliasRecord,
  type FunctionRecord,
  type FunctionTarget,
  type PolicyHolder,
  type LambdaStatement,
} from './lambdaState.ts';

const MAX_LIST_ITEMS = 50;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const ACTION = /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/;
const STATEMENT_ID = /^[a-zA-Z0-9-_]{1,100}$/;
/** Lambda's alias name pattern: letters, digits, - and _, not all digits. */
const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;

/** The execution role must exist in the account and trust lambda.amazonaws.com. */
function checkExecutionRole(context: OperationContext, roleArn: string): void {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!match) throw validationError('role', roleArn, 'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+');
  const role = match[1] === context.account && match[2] ? iamState(context).roles[match[2]] : undefined;
  if (!role || !role.trustPolicy.includes('lambda.amazonaws.com')) throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
}

function principalOf(principal: string, region: string): LambdaStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:${partitionOf(region)}:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

/** The statement AddPermission writes: its parameters become the principal and conditions, spelled as Lambda spells them. */
function statementOf(context: OperationContext, target: FunctionTarget, input: AddPermissionCommandInput): LambdaStatement {
  const conditions: Record<string, Record<string, string>> = {};
  const add = (operator: string, key: string, value: string | undefined): void => {
    if (value !== undefined) conditions[operator] = { ...conditions[operator], [key]: value };
  };
  add('StringEquals', 'AWS:SourceAccount', input.SourceAccount);
  add('StringEquals', 'aws:PrincipalOrgID', input.PrincipalOrgID);
  add('StringEquals', 'lambda:EventSourceToken', input.EventSourceToken);
  add('StringEquals', 'lambda:FunctionUrlAuthType', input.FunctionUrlAuthType);
  add('ArnLike', 'AWS:SourceArn', input.SourceArn);
  return {
    Sid: input.StatementId ?? '',
    Effect: 'Allow',
    Principal: principalOf(input.Principal ?? '', context.region),
    Action: input.Action ?? '',
    Resource: functionArn(context, target.name, target.qualifier),
    ...(Object.keys(conditions).length > 0 ? { Condition: conditions } : {}),
  };
}

function checkRevision(record: PolicyHolder, revisionId: string | undefined): void {
  if (revisionId !== undefined && revisionId !== record.revisionId) {
    throw serviceError('PreconditionFailedException', 412, 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
  }
}

function aliasConfiguration(context: OperationContext, functionName: string, aliasName: string, alias: AliasRecord): AliasConfiguration {
  return {
    AliasArn: functionArn(context, functionName, aliasName),
    Name: aliasName,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RevisionId: alias.revisionId,
  };
}

/** Function URLs: `https://<32 lower-case letters and digits>.lambda-url.<region>.on.aws/`. */
function urlOf(context: OperationContext, urlId: string): string {
  return `https://${urlId}.lambda-url.${context.region}.on.aws/`;
}

export const lambdaService: SandboxService = {
  serviceId: 'Lambda',
  operations: {
    ListFunctions: operation((context, input: ListFunctionsCommandInput): Output<ListFunctionsCommandOutput> => {
      const all = Object.entries(lambdaState(context).functions)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, record]) => configurationOf(context, name, record));
      const { items, next } = page(all, input.Marker, Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS));
      return { Functions: items, ...(next ? { NextMarker: next } : {}) };
    }),
    GetFunctionConfiguration: operation((context, input: GetFunctionConfigurationCommandInput): Output<GetFunctionConfigurationCommandOutput> => {
      const { name, record } = findFunction(context, input.FunctionName, input.Qualifier);
      return configurationOf(context, name, record);
    }),
    CreateFunction: operation((context, input: CreateFunctionCommandInput): Output<CreateFunctionCommandOutput> => {
      if (!input.FunctionName) throw validationError('functionName', undefined, 'Member must not be null');
      if (!input.Role) throw validationError('role', undefined, 'Member must not be null');
      if (!input.Code) throw validationError('code', undefined, 'Member must not be null');
      const name = input.FunctionName;
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw validationError('functionName', name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+');
      const functions = lambdaState(context).functions;
      if (functions[name]) throw serviceError('ResourceConflictException', 409, `Function already exist: ${name}`);
      if (!input.Runtime || !input.Handler) throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
      const zip = input.Code.ZipFile;
      if (!zip) throw invalidParameter('Please provide a source for function code.');
      if (!ZIP_MAGIC.every((byte, index) => zip[index] === byte)) throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
      checkExecutionRole(context, input.Role);
      const record: FunctionRecord = {
        runtime: input.Runtime,
        role: input.Role,
        handler: input.Handler,
        description: input.Description ?? '',
        timeout: input.Timeout ?? 3,
        memorySize: input.MemorySize ?? 128,
        architectures: input.Architectures ?? ['x86_64'],
        codeSha256: createHash('sha256').update(zip).digest('base64'),
        codeSize: zip.length,
        lastModified: lambdaTimestamp(context.now()),
        revisionId: randomUUID(),
        tags: input.Tags ?? {},
      };
      functions[name] = record;
      return configurationOf(context, name, record);
    }),
    DeleteFunction: operation((context, input: DeleteFunctionCommandInput) => {
      const { name, qualifier } = findFunction(context, input.FunctionName, input.Qualifier);
      if (qualifier !== undefined) throw invalidParameter('Deletion of aliases is not currently supported.');
      delete lambdaState(context).functions[name];
      return {};
    }),

    GetPolicy: operation((context, input: GetPolicyCommandInput): Output<GetPolicyCommandOutput> => {
      const { holder } = findFunction(context, input.FunctionName, input.Qualifier);
      if (!holder.statements || holder.statements.length === 0) throw notFound();
      return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: holder.statements }), RevisionId: holder.revisionId };
    }),
    AddPermission: operation((context, input: AddPermissionCommandInput): Output<AddPermissionCommandOutput> => {
      if (input.Qualifier === '$LATEST') throw invalidParameter('We currently do not support adding policies for $LATEST.');
      const target = findFunction(context, input.FunctionName, input.Qualifier);
      if (!input.StatementId || !STATEMENT_ID.test(input.StatementId)) throw validationError('statementId', input.StatementId, 'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)');
      if (!input.Action || !ACTION.test(input.Action)) throw validationError('action', input.Action, 'Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])');
      if (!input.Principal) throw validationError('principal', undefined, 'Member must not be null');
      if (input.Principal === '*' && input.Action === 'lambda:InvokeFunctionUrl' && !input.FunctionUrlAuthType) {
        throw invalidParameter('This policy could enable public access to your lambda function as it allows all Principals (*) to perform lambda:InvokeFunctionUrl action. You must specify lambda:FunctionUrlAuthType condition if you are trying to create a public function url.');
      }
      checkRevision(target.holder, input.RevisionId);
      const statements = target.holder.statements ?? [];
      if (statements.some((s) => s.Sid === input.StatementId)) {
        throw serviceError('ResourceConflictException', 409, `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
      }
      const statement = statementOf(context, target, input);
      target.holder.statements = [...statements, statement];
      target.holder.revisionId = randomUUID();
      return { Statement: JSON.stringify(statement) };
    }),
    RemovePermission: operation((context, input: RemovePermissionCommandInput) => {
      const { holder } = findFunction(context, input.FunctionName, input.Qualifier);
      if (!input.StatementId) throw validationError('statementId', undefined, 'Member must not be null');
      checkRevision(holder, input.RevisionId);
      if (!holder.statements || holder.statements.length === 0) throw notFound('No policy is associated with the given resource.');
      if (!holder.statements.some((s) => s.Sid === input.StatementId)) throw notFound(`Statement ${input.StatementId} is not found in resource policy.`);
      holder.statements = holder.statements.filter((s) => s.Sid !== input.StatementId);
      holder.revisionId = randomUUID();
      return {};
    }),

    CreateFunctionUrlConfig: operation((context, input: CreateFunctionUrlConfigCommandInput): Output<CreateFunctionUrlConfigCommandOutput> => {
      const { name, qualifier, holder } = findFunction(context, input.FunctionName, input.Qualifier);
      if (input.AuthType !== 'NONE' && input.AuthType !== 'AWS_IAM') throw validationError('authType', input.AuthType, 'Member must satisfy enum value set: [NONE, AWS_IAM]');
      const arn = functionArn(context, name, qualifier);
      if (holder.url) {
        throw serviceError('ResourceConflictException', 409, `Failed to create function url config for [functionArn = ${arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
      }
      const now = context.now().toISOString();
      const urlId = createHash('sha256').update(arn).digest('hex').slice(0, 32);
      holder.url = { urlId, authType: input.AuthType, invokeMode: input.InvokeMode ?? 'BUFFERED', createdAt: now, modifiedAt: now };
      return { FunctionUrl: urlOf(context, urlId), FunctionArn: arn, AuthType: holder.url.authType, CreationTime: now, InvokeMode: holder.url.invokeMode };
    }),
    GetFunctionUrlConfig: operation((context, input: GetFunctionUrlConfigCommandInput): Output<GetFunctionUrlConfigCommandOutput> => {
      const { name, qualifier, holder } = findFunction(context, input.FunctionName, input.Qualifier);
      if (!holder.url) throw notFound();
      return {
        FunctionUrl: urlOf(context, holder.url.urlId),
        FunctionArn: functionArn(context, name, qualifier),
        AuthType: holder.url.authType,
        CreationTime: holder.url.createdAt,
        LastModifiedTime: holder.url.modifiedAt,
        InvokeMode: holder.url.invokeMode,
      };
    }),

    CreateAlias: operation((context, input: CreateAliasCommandInput): Output<CreateAliasCommandOutput> => {
      const { name, record } = findFunction(context, input.FunctionName);
      if (!input.Name || !ALIAS_NAME.test(input.Name)) throw validationError('name', input.Name, 'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)');
      if (!input.FunctionVersion) throw validationError('functionVersion', undefined, 'Member must not be null');
      if (input.FunctionVersion !== '$LATEST') throw notFound(`Function not found: ${functionArn(context, name, input.FunctionVersion)}`);
      const aliases = record.aliases ?? {};
      if (aliases[input.Name]) throw serviceError('ResourceConflictException', 409, `Alias already exists: ${functionArn(context, name, input.Name)}`);
      const alias: AliasRecord = { functionVersion: input.FunctionVersion, description: input.Description ?? '', revisionId: randomUUID() };
      record.aliases = { ...aliases, [input.Name]: alias };
      return aliasConfiguration(context, name, input.Name, alias);
    }),
    ListAliases: operation((context, input: ListAliasesCommandInput): Output<ListAliasesCommandOutput> => {
      const { name, record } = findFunction(context, input.FunctionName);
      const all = Object.entries(record.aliases ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([aliasName, alias]) => aliasConfiguration(context, name, aliasName, alias));
      const { items, next } = page(all, input.Marker, Math.min(input.MaxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS));
      return { Aliases: items, ...(next ? { NextMarker: next } : {}) };
    }),
    DeleteAlias: operation((context, input: DeleteAliasCommandInput) => {
      const { record } = findFunction(context, input.FunctionName);
      if (input.Name && record.aliases?.[input.Name]) {
        const kept = { ...record.aliases };
        delete kept[input.Name];
        record.aliases = kept;
      }
      return {};
    }),
  },
};
