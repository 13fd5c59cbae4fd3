/**
 * Lambda's state in the sandbox (per account and region): functions and
 * their aliases, each with its own resource policy and function URL; how a
 * FunctionName (name, partial ARN or ARN, with or without a qualifier) finds
 * one; and FunctionConfiguration as Lambda returns it.
 *
 * An alias has a policy and a URL of its own, as in AWS (AddPermission and
 * CreateFunctionUrlConfig with a Qualifier). moto differs: an alias of
 * $LATEST resolves to the function itself (moto/awslambda/models.py:1646),
 * so its permissions land in the function's policy, and RemovePermission
 * ignores the Qualifier (models.py:2487).
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { partitionOf } from '../../services/core/regions.ts';
import { serviceError } from '../sandboxErrors.ts';
import type { OperationContext } from '../serviceModel.ts';

/** A statement as Lambda writes it into the function policy. */
export interface LambdaStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: '*' | { AWS: string } | { Service: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface FunctionUrlRecord {
  urlId: string;
  authType: 'NONE' | 'AWS_IAM';
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
  createdAt: string;
  modifiedAt: string;
}

export interface FunctionRecord {
  runtime: string;
  role: string;
  handler: string;
  description: string;
  timeout: number;
  memorySize: number;
  architectures: ('x86_64' | 'arm64')[];
  codeSha256: string;
  codeSize: number;
  lastModified: string;
  revisionId: string;
  tags: Record<string, string>;
  /** The unqualified function's resource policy; absent: none. */
  statements?: LambdaStatement[];
  url?: FunctionUrlRecord;
  /** By alias name; absent: none. */
  aliases?: Record<string, AliasRecord>;
}

/** An alias: the version it points to, and its own resource policy and URL. */
export interface AliasRecord {
  functionVersion: string;
  description: string;
  revisionId: string;
  statements?: LambdaStatement[];
  url?: FunctionUrlRecord;
}

/** What holds a resource policy and a URL: the unqualified function or one alias. */
export type PolicyHolder = Pick<FunctionRecord, 'statements' | 'url' | 'revisionId'>;

export interface LambdaState {
  functions: Record<string, FunctionRecord>;
}

export function lambdaState(context: OperationContext): LambdaState {
  return context.regional<LambdaState>('lambda', () => ({ functions: {} }));
}

export function functionArn(context: OperationContext, name: string, qualifier?: string): string {
  return `arn:${partitionOf(context.region)}:lambda:${context.region}:${context.account}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/** Lambda's timestamps: `2026-10-02T08:41:17.000+0000`. */
export function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

export function notFound(message = 'The resource you requested does not exist.'): Error {
  return serviceError('ResourceNotFoundException', 404, message);
}

export function invalidParameter(message: string): Error {
  return serviceError('InvalidParameterValueException', 400, message);
}

/** A missing or malformed parameter, as Lambda's request validation answers it. */
export function validationError(parameter: string, value: unknown, constraint: string): Error {
  return serviceError('ValidationException', 400, `1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${parameter}' failed to satisfy constraint: ${constraint}`);
}

const FUNCTION_NAME = /^(?:(?:arn:aws[a-z-]*:lambda:([a-z0-9-]+):)?(\d{12}):function:)?([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9_$-]{1,128}))?$/;

export interface FunctionTarget {
  name: string;
  record: FunctionRecord;
  /** undefined: the unqualified function (or $LATEST). */
  qualifier?: string;
  /** Where the target's policy and URL live: the alias's own, or the function's. */
  holder: PolicyHolder;
}

/** The function a FunctionName (+ Qualifier) names in this account and region, or ResourceNotFoundException. */
export function findFunction(context: OperationContext, functionName: string | undefined, qualifierParameter?: string): FunctionTarget {
  if (functionName === undefined || functionName === '') throw validationError('functionName', undefined, 'Member must not be null');
  const match = FUNCTION_NAME.exec(functionName);
  if (!match) throw validationError('functionName', functionName, 'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?');
  const [, region, account, name = '', inlineQualifier] = match;
  const qualifier = qualifierParameter ?? inlineQualifier;
  const record = lambdaState(context).functions[name];
  const elsewhere = (region !== undefined && region !== context.region) || (account !== undefined && account !== context.account);
  if (!record || elsewhere) throw notFound(`Function not found: ${functionArn(context, name)}`);
  if (qualifier === undefined || qualifier === '$LATEST') return { name, record, holder: record };
  // Versions are not modelled: a qualifier names an alias or nothing.
  const alias = record.aliases?.[qualifier];
  if (!alias) throw notFound(`Function not found: ${functionArn(context, name, qualifier)}`);
  return { name, record, qualifier, holder: alias };
}

export function configurationOf(context: OperationContext, name: string, record: FunctionRecord): FunctionConfiguration {
  return {
    FunctionName: name,
    FunctionArn: functionArn(context, name),
    Runtime: record.runtime as FunctionConfiguration['Runtime'],
    Role: record.role,
    Handler: record.handler,
    CodeSize: record.codeSize,
    Description: record.description,
    Timeout: record.timeout,
    MemorySize: record.memorySize,
    LastModified: record.lastModified,
    CodeSha256: record.codeSha256,
    Version: '$LATEST',
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: record.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: record.architectures,
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
  };
}
