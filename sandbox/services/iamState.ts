/**
 * IAM's state in the sandbox: users and roles of one account (IAM is
 * global: one slice per account, whatever the client's region), and what
 * the IAM operations share: ARNs, ids, errors as the SDK raises them, and
 * documents URL-encoded as IAM returns them.
 */
import type { Tag } from '@aws-sdk/client-iam';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { serviceError, type SandboxServiceError } from '../sandboxErrors.ts';
import type { OperationContext } from '../serviceModel.ts';

export interface LoginProfileRecord {
  createdAt: string;
  passwordResetRequired: boolean;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createdAt: string;
  /** Absent: never used. */
  lastUsed?: { date: string; serviceName: string; region: string };
}

export interface MfaDeviceRecord {
  serialNumber: string;
  enabledAt: string;
}

export interface UserRecord {
  userId: string;
  path: string;
  createdAt: string;
  passwordLastUsed?: string;
  tags: Tag[];
  loginProfile?: LoginProfileRecord;
  mfaDevices: MfaDeviceRecord[];
  accessKeys: AccessKeyRecord[];
}

export interface RoleRecord {
  roleId: string;
  path: string;
  createdAt: string;
  /** The trust policy as it was sent (IAM keeps the text, and returns it URL-encoded). */
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
}

/** A customer managed policy (one version, v1, the default) and who it is attached to. */
export interface ManagedPolicyRecord {
  name: string;
  policyId: string;
  path: string;
  createdAt: string;
  /** The document as it was sent (IAM keeps the text, and returns it URL-encoded). */
  document: string;
  description?: string;
  users: string[];
  roles: string[];
}

export interface IamState {
  users: Record<string, UserRecord>;
  roles: Record<string, RoleRecord>;
  /** Customer managed policies by ARN. */
  policies: Record<string, ManagedPolicyRecord>;
}

export function iamState(context: OperationContext): IamState {
  const state = context.global<IamState>('iam', () => ({ users: {}, roles: {}, policies: {} }));
  // A sandbox state file saved before managed policies were modelled has none.
  state.policies ??= {};
  return state;
}

const MODELLED_ERRORS = new Set(['NoSuchEntity', 'EntityAlreadyExists', 'DeleteConflict', 'LimitExceeded', 'MalformedPolicyDocument', 'PasswordPolicyViolation']);

/**
 * An IAM error as the SDK raises it for IAM's query protocol: `Code` is the
 * wire code (NoSuchEntity), `name` the SDK's exception class
 * (NoSuchEntityException) for the modelled errors.
 */
export function iamError(code: string, httpStatus: number, message: string): SandboxServiceError {
  const error = serviceError(code, httpStatus, message);
  if (MODELLED_ERRORS.has(code)) error.name = `${code}Exception`;
  return error;
}

export function iamArn(context: OperationContext, kind: 'user' | 'role' | 'policy', path: string, name: string): string {
  return `arn:${partitionOf(context.region)}:iam::${context.account}:${kind}${path}${name}`;
}

/** IAM ids: a 4-letter prefix (AIDA user, AROA role, ANPA policy: 21 characters; AKIA access key: 20) and upper-case characters. */
export function iamId(context: OperationContext, prefix: 'AIDA' | 'AROA' | 'ANPA' | 'AKIA'): string {
  const digits = context.nextId().toUpperCase();
  return prefix + (prefix === 'AKIA' ? digits.slice(1) : digits);
}

/** IAM percent-encodes documents as RFC 3986 does (`*` becomes %2A, a space %20). */
export function iamEncode(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const NAME = /^[\w+=,.@-]{1,64}$/;
const PATH = /^\/(?:[\x21-\x7e]*\/)?$/;

/** A user or role name, validated as IAM does. */
export function validName(value: string | undefined, parameter: string): string {
  if (value === undefined || value === '') throw iamError('ValidationError', 400, `The request must contain the parameter ${parameter}`);
  if (!NAME.test(value)) {
    throw iamError('ValidationError', 400, `1 validation error detected: Value '${value}' at '${parameter.charAt(0).toLowerCase()}${parameter.slice(1)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
  }
  return value;
}

export function validPath(value: string | undefined): string {
  const path = value ?? '/';
  if (!PATH.test(path) || path.length > 512) {
    throw iamError('ValidationError', 400, `1 validation error detected: Value '${path}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)`);
  }
  return path;
}

export function userOf(context: OperationContext, name: string | undefined): UserRecord {
  const userName = validName(name, 'UserName');
  const user = iamState(context).users[userName];
  if (!user) throw iamError('NoSuchEntity', 404, `The user with name ${userName} cannot be found.`);
  return user;
}

export function roleOf(context: OperationContext, name: string | undefined): RoleRecord {
  const roleName = validName(name, 'RoleName');
  const role = iamState(context).roles[roleName];
  if (!role) throw iamError('NoSuchEntity', 404, `The role with name ${roleName} cannot be found.`);
  return role;
}

/** IAM lists answer 100 items unless MaxItems says otherwise. */
const IAM_DEFAULT_PAGE_SIZE = 100;

/** IAM's list shape: the page, IsTruncated always, Marker when more remain. */
export function iamPage<T>(items: readonly T[], marker: string | undefined, maxItems: number | undefined): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const { items: pageItems, next } = page(items, marker, maxItems ?? IAM_DEFAULT_PAGE_SIZE);
  return { items: pageItems, IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}) };
}
