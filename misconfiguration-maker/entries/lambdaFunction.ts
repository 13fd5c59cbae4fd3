/**
 * One Lambda function, `misconfiguration-maker-lambda-<account>-<region>`
 * (nodejs22.x, arm64, 128 MB, a handler that returns 'ok'), with:
 * - a resource policy statement letting anyone (principal "*", no
 *   condition) call lambda:GetFunctionConfiguration: public_policy, and all
 *   it exposes is the configuration of a function with no environment;
 * - a function URL with AuthType NONE: public_url (notify-only). No
 *   statement grants lambda:InvokeFunctionUrl (the console adds one, the
 *   API does not), so the URL answers 403 Forbidden to everyone.
 * Its execution role, `misconfiguration-maker-lambda-role-<account>-<region>`
 * (IAM, trusted by lambda.amazonaws.com), has no policy: the function
 * cannot even write logs.
 *
 * Real AWS: no invocation, so no charge beyond the (free) stored code. A
 * new role takes a few seconds to be usable by Lambda: CreateFunction is
 * retried while Lambda answers "cannot be assumed" (up to ~30 s).
 */
import { CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { hasErrorName } from '../../services/core/errors.ts';
import { MAKER_TAGS, MAKER_TAG_RECORD, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';
import { MAKER_HANDLER, makerFunctionPackage } from './lambdaFunctionCode.ts';

export const PUBLIC_STATEMENT_ID = 'MisconfigurationMakerPublicConfiguration';
const ROLE_PROPAGATION = { attempts: 12, delayMs: 2500 } as const;

export function makerFunctionName(account: string, region: string): string {
  return makerName('lambda', account, region);
}

export function makerExecutionRoleName(account: string, region: string): string {
  return makerName('lambda-role', account, region);
}

const LAMBDA_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** The execution role's ARN, creating the role (no policy) when missing. */
async function ensureExecutionRole(context: MakerContext): Promise<string> {
  const iam = context.clients.get(IAMClient);
  const roleName = makerExecutionRoleName(context.account, context.region);
  const existing = await unlessGone(() => iam.send(new GetRoleCommand({ RoleName: roleName })), ['NoSuchEntity'], undefined);
  if (existing?.Role?.Arn) return existing.Role.Arn;
  const { Role } = await iam.send(
    new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: LAMBDA_TRUST_POLICY, Description: 'misconfiguration-maker: execution role, no permissions', Tags: [...MAKER_TAGS] }),
  );
  if (!Role?.Arn) throw new Error(`CreateRole ${roleName} returned no ARN`);
  return Role.Arn;
}

/** CreateFunction, retried while a just-created role is not yet visible to Lambda. */
async function createFunction(context: MakerContext, functionName: string, roleArn: string): Promise<void> {
  const lambda = context.clients.get(LambdaClient);
  const command = new CreateFunctionCommand({
    FunctionName: functionName,
    Runtime: 'nodejs22.x',
    Handler: MAKER_HANDLER,
    Role: roleArn,
    Code: { ZipFile: makerFunctionPackage() },
    Architectures: ['arm64'],
    MemorySize: 128,
    Timeout: 3,
    Description: 'misconfiguration-maker: returns ok; public read of its configuration, unauthenticated URL nobody may invoke',
    Tags: { ...MAKER_TAG_RECORD },
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      await lambda.send(command);
      return;
    } catch (error) {
      const propagating = hasErrorName(error, 'InvalidParameterValueException') && error instanceof Error && /cannot be assumed/.test(error.message);
      if (!propagating || attempt >= ROLE_PROPAGATION.attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, ROLE_PROPAGATION.delayMs));
    }
  }
}

async function hasPublicStatement(context: MakerContext, functionName: string): Promise<boolean> {
  const found = await unlessGone(() => context.clients.get(LambdaClient).send(new GetPolicyCommand({ FunctionName: functionName })), ['ResourceNotFoundException'], undefined);
  const statements = found?.Policy ? (JSON.parse(found.Policy) as { Statement?: { Sid?: string }[] }).Statement : undefined;
  return (statements ?? []).some((statement) => statement.Sid === PUBLIC_STATEMENT_ID);
}

export const lambdaFunctionMaker: MisconfigurationEntry = {
  type: 'lambda_function',
  scope: 'regional',
  provokes: () => ['lambda_function.public_policy', 'lambda_function.public_url'],
  plan: (account, region) => [
    `IAM role ${makerExecutionRoleName(account, region)}: Lambda execution role, no policy`,
    `Lambda function ${makerFunctionName(account, region)}: returns 'ok'; anyone may read its configuration; function URL with AuthType NONE that nobody may invoke`,
  ],
  async create(context) {
    const lambda = context.clients.get(LambdaClient);
    const functionName = makerFunctionName(context.account, context.region);
    const roleArn = await ensureExecutionRole(context);
    if (!(await unlessGone(() => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })), ['ResourceNotFoundException'], undefined))) {
      await createFunction(context, functionName, roleArn);
    }
    if (!(await hasPublicStatement(context, functionName))) {
      await lambda.send(new AddPermissionCommand({ FunctionName: functionName, StatementId: PUBLIC_STATEMENT_ID, Action: 'lambda:GetFunctionConfiguration', Principal: '*' }));
    }
    if (!(await unlessGone(() => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: functionName })), ['ResourceNotFoundException'], undefined))) {
      await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: functionName, AuthType: 'NONE' }));
    }
    return [functionName];
  },
  async teardown(context) {
    const functionName = makerFunctionName(context.account, context.region);
    const roleName = makerExecutionRoleName(context.account, context.region);
    const removed: string[] = [];
    const lambda = context.clients.get(LambdaClient);
    const iam = context.clients.get(IAMClient);
    if (await unlessGone(() => lambda.send(new DeleteFunctionCommand({ FunctionName: functionName })), ['ResourceNotFoundException'], undefined)) removed.push(functionName);
    if (await unlessGone(() => iam.send(new DeleteRoleCommand({ RoleName: roleName })), ['NoSuchEntity'], undefined)) removed.push(roleName);
    return removed;
  },
};
