/**
 * IAM roles and their trust policies: what the iam_role auditor reads and
 * remediates, and what the misconfiguration maker creates and removes (the
 * maker's role and the lambda_function entry's execution role). Trust
 * policies come back URL-encoded, as IAM returns them.
 */
import type {
  CreateRoleCommandInput,
  CreateRoleCommandOutput,
  DeleteRoleCommandInput,
  GetRoleCommandInput,
  GetRoleCommandOutput,
  ListRolesCommandInput,
  ListRolesCommandOutput,
  Role,
  UpdateAssumeRolePolicyCommandInput,
} from '@aws-sdk/client-iam';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { iamArn, iamEncode, iamError, iamId, iamPage, iamState, roleOf, validName, validPath, type IamState, type RoleRecord } from './iamState.ts';
import { refuseWhilePoliciesAttached } from './iamPolicies.ts';

const ENTITY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/;

/** A role as IAM answers it; `detail` (GetRole) adds its tags and RoleLastUsed. */
export function roleOutput(context: OperationContext, name: string, role: RoleRecord, detail: boolean): Role {
  return {
    Path: role.path,
    RoleName: name,
    RoleId: role.roleId,
    Arn: iamArn(context, 'role', role.path, name),
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: iamEncode(role.trustPolicy),
    ...(role.description !== undefined ? { Description: role.description } : {}),
    MaxSessionDuration: role.maxSessionDuration,
    ...(detail && role.tags.length > 0 ? { Tags: role.tags } : {}),
    ...(detail ? { RoleLastUsed: {} } : {}),
  };
}

function malformed(message: string): Error {
  return iamError('MalformedPolicyDocument', 400, message);
}

function principalEntries(principal: unknown): string[] {
  if (typeof principal === 'string') return [principal];
  if (typeof principal !== 'object' || principal === null) return [];
  const aws = (principal as { AWS?: unknown }).AWS;
  if (typeof aws === 'string') return [aws];
  return Array.isArray(aws) ? aws.filter((entry): entry is string => typeof entry === 'string') : [];
}

/**
 * A trust policy as IAM validates it: JSON, statements with an Effect and a
 * principal; a user or role ARN must name an existing entity (IAM stores its
 * unique id), which the sandbox can tell for its own accounts.
 */
function validTrustPolicy(context: OperationContext, text: string | undefined, parameter: string): string {
  if (text === undefined || text === '') throw iamError('ValidationError', 400, `The request must contain the parameter ${parameter}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  const list: unknown[] = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  if (list.length === 0) throw malformed('Syntax errors in policy.');
  for (const statement of list) {
    const { Effect, Principal, NotPrincipal } = (statement ?? {}) as { Effect?: unknown; Principal?: unknown; NotPrincipal?: unknown };
    if (Effect !== 'Allow' && Effect !== 'Deny') throw malformed('Syntax errors in policy.');
    if (Principal === undefined && NotPrincipal === undefined) {
      throw malformed('Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!');
    }
    for (const entry of principalEntries(Principal)) {
      const match = ENTITY_ARN.exec(entry);
      if (!match) continue;
      const [, account, kind, name] = match;
      const owner = account ? (context.state.accounts[account]?.global.iam as IamState | undefined) : undefined;
      const known = account !== undefined && account in context.state.accounts;
      const exists = name !== undefined && (kind === 'user' ? owner?.users[name] : owner?.roles[name]) !== undefined;
      if (known && !exists) throw malformed(`Invalid principal in policy: "AWS":"${entry}"`);
    }
  }
  return text;
}

export const roleOperations: Readonly<Record<string, OperationHandler>> = {
  ListRoles: operation((context, input: ListRolesCommandInput): Output<ListRolesCommandOutput> => {
    const prefix = input.PathPrefix ?? '/';
    const roles = Object.entries(iamState(context).roles)
      .filter(([, role]) => role.path.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, role]) => roleOutput(context, name, role, false));
    const { items, ...rest } = iamPage(roles, input.Marker, input.MaxItems);
    return { Roles: items, ...rest };
  }),
  GetRole: operation((context, input: GetRoleCommandInput): Output<GetRoleCommandOutput> => {
    return { Role: roleOutput(context, validName(input.RoleName, 'RoleName'), roleOf(context, input.RoleName), true) };
  }),
  CreateRole: operation((context, input: CreateRoleCommandInput): Output<CreateRoleCommandOutput> => {
    const name = validName(input.RoleName, 'RoleName');
    const roles = iamState(context).roles;
    if (roles[name]) throw iamError('EntityAlreadyExists', 409, `Role with name ${name} already exists.`);
    const maxSessionDuration = input.MaxSessionDuration ?? 3600;
    if (maxSessionDuration < 3600 || maxSessionDuration > 43_200) {
      throw iamError('ValidationError', 400, `1 validation error detected: Value '${maxSessionDuration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`);
    }
    const role: RoleRecord = {
      roleId: iamId(context, 'AROA'),
      path: validPath(input.Path),
      createdAt: context.now().toISOString(),
      trustPolicy: validTrustPolicy(context, input.AssumeRolePolicyDocument, 'AssumeRolePolicyDocument'),
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      maxSessionDuration,
      tags: input.Tags ?? [],
    };
    roles[name] = role;
    return { Role: roleOutput(context, name, role, true) };
  }),
  UpdateAssumeRolePolicy: operation((context, input: UpdateAssumeRolePolicyCommandInput) => {
    const role = roleOf(context, input.RoleName);
    role.trustPolicy = validTrustPolicy(context, input.PolicyDocument, 'PolicyDocument');
    return {};
  }),
  DeleteRole: operation((context, input: DeleteRoleCommandInput) => {
    roleOf(context, input.RoleName);
    refuseWhilePoliciesAttached(context, 'roles', validName(input.RoleName, 'RoleName'));
    delete iamState(context).roles[validName(input.RoleName, 'RoleName')];
    return {};
  }),
};
