/**
 * Customer managed IAM policies and their attachment to users and roles:
 * what the IAM.1 check reads (ListAttached*Policies, GetPolicy,
 * GetPolicyVersion: the document URL-encoded, as IAM returns it) and what
 * the misconfiguration maker creates and removes. One version per policy
 * (v1, the default); AWS managed policies are not modelled (attaching one is
 * NoSuchEntity). Messages as IAM words them (moto/iam/models.py:1938, 2046, 2120).
 */
import type {
  AttachRolePolicyCommandInput,
  AttachUserPolicyCommandInput,
  AttachedPolicy,
  CreatePolicyCommandInput,
  CreatePolicyCommandOutput,
  DeletePolicyCommandInput,
  DetachRolePolicyCommandInput,
  DetachUserPolicyCommandInput,
  GetPolicyCommandInput,
  GetPolicyCommandOutput,
  GetPolicyVersionCommandInput,
  GetPolicyVersionCommandOutput,
  ListAttachedRolePoliciesCommandInput,
  ListAttachedRolePoliciesCommandOutput,
  ListAttachedUserPoliciesCommandInput,
  ListAttachedUserPoliciesCommandOutput,
  Policy,
} from '@aws-sdk/client-iam';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { iamArn, iamEncode, iamError, iamId, iamPage, iamState, roleOf, userOf, validName, validPath, type ManagedPolicyRecord } from './iamState.ts';

const DEFAULT_VERSION = 'v1';

function policyOf(context: OperationContext, arn: string | undefined): ManagedPolicyRecord {
  if (!arn) throw iamError('ValidationError', 400, 'The request must contain the parameter PolicyArn');
  const policy = iamState(context).policies[arn];
  if (!policy) throw iamError('NoSuchEntity', 404, `Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

function policyOutput(arn: string, policy: ManagedPolicyRecord): Policy {
  return {
    PolicyName: policy.name,
    PolicyId: policy.policyId,
    Arn: arn,
    Path: policy.path,
    DefaultVersionId: DEFAULT_VERSION,
    AttachmentCount: policy.users.length + policy.roles.length,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(policy.description !== undefined ? { Description: policy.description } : {}),
    CreateDate: new Date(policy.createdAt),
    UpdateDate: new Date(policy.createdAt),
  };
}

/** An identity policy as IAM validates it: JSON with at least one statement, each with an Effect. */
function validDocument(text: string | undefined): string {
  if (!text) throw iamError('ValidationError', 400, 'The request must contain the parameter PolicyDocument');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw iamError('MalformedPolicyDocument', 400, 'This policy contains invalid Json');
  }
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  const list: unknown[] = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  const effects = list.map((statement) => (statement as { Effect?: unknown } | null)?.Effect);
  if (list.length === 0 || effects.some((effect) => effect !== 'Allow' && effect !== 'Deny')) throw iamError('MalformedPolicyDocument', 400, 'Syntax errors in policy.');
  return text;
}

function attachedTo(context: OperationContext, kind: 'users' | 'roles', name: string): AttachedPolicy[] {
  return Object.entries(iamState(context).policies)
    .filter(([, policy]) => policy[kind].includes(name))
    .map(([arn, policy]) => ({ PolicyName: policy.name, PolicyArn: arn }));
}

function attach(context: OperationContext, kind: 'users' | 'roles', name: string, arn: string | undefined): void {
  const policy = policyOf(context, arn);
  if (!policy[kind].includes(name)) policy[kind].push(name);
}

function detach(context: OperationContext, kind: 'users' | 'roles', name: string, arn: string | undefined): void {
  const policy = arn ? iamState(context).policies[arn] : undefined;
  if (!policy?.[kind].includes(name)) throw iamError('NoSuchEntity', 404, `Policy ${arn ?? ''} was not found.`);
  policy[kind] = policy[kind].filter((entry) => entry !== name);
}

/** DeleteUser / DeleteRole refuse while managed policies are attached, as IAM does. */
export function refuseWhilePoliciesAttached(context: OperationContext, kind: 'users' | 'roles', name: string): void {
  if (attachedTo(context, kind, name).length > 0) throw iamError('DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
}

export const policyOperations: Readonly<Record<string, OperationHandler>> = {
  CreatePolicy: operation((context, input: CreatePolicyCommandInput): Output<CreatePolicyCommandOutput> => {
    const name = validName(input.PolicyName, 'PolicyName');
    const path = validPath(input.Path);
    const arn = iamArn(context, 'policy', path, name);
    const policies = iamState(context).policies;
    if (Object.values(policies).some((policy) => policy.name === name)) {
      throw iamError('EntityAlreadyExists', 409, `A policy called ${name} already exists. Duplicate names are not allowed.`);
    }
    const policy: ManagedPolicyRecord = {
      name,
      policyId: iamId(context, 'ANPA'),
      path,
      createdAt: context.now().toISOString(),
      document: validDocument(input.PolicyDocument),
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      users: [],
      roles: [],
    };
    policies[arn] = policy;
    return { Policy: policyOutput(arn, policy) };
  }),
  GetPolicy: operation((context, input: GetPolicyCommandInput): Output<GetPolicyCommandOutput> => {
    return { Policy: policyOutput(input.PolicyArn ?? '', policyOf(context, input.PolicyArn)) };
  }),
  GetPolicyVersion: operation((context, input: GetPolicyVersionCommandInput): Output<GetPolicyVersionCommandOutput> => {
    const policy = policyOf(context, input.PolicyArn);
    if (input.VersionId !== DEFAULT_VERSION) throw iamError('NoSuchEntity', 404, `Policy ${input.PolicyArn ?? ''} version ${input.VersionId ?? ''} does not exist or is not attachable.`);
    return { PolicyVersion: { Document: iamEncode(policy.document), VersionId: DEFAULT_VERSION, IsDefaultVersion: true, CreateDate: new Date(policy.createdAt) } };
  }),
  DeletePolicy: operation((context, input: DeletePolicyCommandInput) => {
    const policy = policyOf(context, input.PolicyArn);
    if (policy.users.length + policy.roles.length > 0) throw iamError('DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
    delete iamState(context).policies[input.PolicyArn ?? ''];
    return {};
  }),
  AttachUserPolicy: operation((context, input: AttachUserPolicyCommandInput) => {
    userOf(context, input.UserName);
    attach(context, 'users', validName(input.UserName, 'UserName'), input.PolicyArn);
    return {};
  }),
  AttachRolePolicy: operation((context, input: AttachRolePolicyCommandInput) => {
    roleOf(context, input.RoleName);
    attach(context, 'roles', validName(input.RoleName, 'RoleName'), input.PolicyArn);
    return {};
  }),
  DetachUserPolicy: operation((context, input: DetachUserPolicyCommandInput) => {
    userOf(context, input.UserName);
    detach(context, 'users', validName(input.UserName, 'UserName'), input.PolicyArn);
    return {};
  }),
  DetachRolePolicy: operation((context, input: DetachRolePolicyCommandInput) => {
    roleOf(context, input.RoleName);
    detach(context, 'roles', validName(input.RoleName, 'RoleName'), input.PolicyArn);
    return {};
  }),
  ListAttachedUserPolicies: operation((context, input: ListAttachedUserPoliciesCommandInput): Output<ListAttachedUserPoliciesCommandOutput> => {
    userOf(context, input.UserName);
    const { items, ...rest } = iamPage(attachedTo(context, 'users', validName(input.UserName, 'UserName')), input.Marker, input.MaxItems);
    return { AttachedPolicies: items, ...rest };
  }),
  ListAttachedRolePolicies: operation((context, input: ListAttachedRolePoliciesCommandInput): Output<ListAttachedRolePoliciesCommandOutput> => {
    roleOf(context, input.RoleName);
    const { items, ...rest } = iamPage(attachedTo(context, 'roles', validName(input.RoleName, 'RoleName')), input.Marker, input.MaxItems);
    return { AttachedPolicies: items, ...rest };
  }),
};
