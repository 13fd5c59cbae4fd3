/**
 * IAM users, their console passwords (login profiles), MFA devices and
 * access keys: what the iam_user auditor reads and remediates, and what the
 * misconfiguration maker creates and removes.
 */
import { randomBytes } from 'node:crypto';
import type {
  CreateAccessKeyCommandInput,
  CreateAccessKeyCommandOutput,
  CreateLoginProfileCommandInput,
  CreateLoginProfileCommandOutput,
  CreateUserCommandInput,
  CreateUserCommandOutput,
  DeleteAccessKeyCommandInput,
  DeleteLoginProfileCommandInput,
  DeleteUserCommandInput,
  GetAccessKeyLastUsedCommandInput,
  GetAccessKeyLastUsedCommandOutput,
  GetLoginProfileCommandInput,
  GetLoginProfileCommandOutput,
  GetUserCommandInput,
  GetUserCommandOutput,
  ListAccessKeysCommandInput,
  ListAccessKeysCommandOutput,
  ListMFADevicesCommandInput,
  ListMFADevicesCommandOutput,
  ListUsersCommandInput,
  ListUsersCommandOutput,
  UpdateAccessKeyCommandInput,
  User,
} from '@aws-sdk/client-iam';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import {
  iamArn,
  iamError,
  iamId,
  iamPage,
  iamState,
  userOf,
  validName,
  validPath,
  type AccessKeyRecord,
  type UserRecord,
} from './iamState.ts';
import { refuseWhilePoliciesAttached } from './iamPolicies.ts';

const ACCESS_KEYS_PER_USER = 2;

function userOutput(context: OperationContext, name: string, user: UserRecord, withTags: boolean): User {
  return {
    Path: user.path,
    UserName: name,
    UserId: user.userId,
    Arn: iamArn(context, 'user', user.path, name),
    CreateDate: new Date(user.createdAt),
    ...(user.passwordLastUsed ? { PasswordLastUsed: new Date(user.passwordLastUsed) } : {}),
    ...(withTags && user.tags.length > 0 ? { Tags: user.tags } : {}),
  };
}

/** The account's default password policy: at least 8 characters, of three of the four kinds. */
function checkPassword(password: string): void {
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((kind) => kind.test(password)).length;
  if (password.length < 8 || kinds < 3) {
    throw iamError('PasswordPolicyViolation', 400, 'Password should have a minimum length of 8 and include characters of at least three of: upper case, lower case, numbers, symbols');
  }
}

function keyOf(user: UserRecord, accessKeyId: string | undefined): AccessKeyRecord {
  const id = validName(accessKeyId, 'AccessKeyId');
  const key = user.accessKeys.find((candidate) => candidate.accessKeyId === id);
  if (!key) throw iamError('NoSuchEntity', 404, `The Access Key with id ${id} cannot be found.`);
  return key;
}

export const userOperations: Readonly<Record<string, OperationHandler>> = {
  ListUsers: operation((context, input: ListUsersCommandInput): Output<ListUsersCommandOutput> => {
    const prefix = input.PathPrefix ?? '/';
    const users = Object.entries(iamState(context).users)
      .filter(([, user]) => user.path.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, user]) => userOutput(context, name, user, false));
    const { items, ...rest } = iamPage(users, input.Marker, input.MaxItems);
    return { Users: items, ...rest };
  }),
  GetUser: operation((context, input: GetUserCommandInput): Output<GetUserCommandOutput> => {
    if (!input.UserName) throw iamError('ValidationError', 400, 'Must specify userName when calling with non-User credentials');
    return { User: userOutput(context, input.UserName, userOf(context, input.UserName), true) };
  }),
  CreateUser: operation((context, input: CreateUserCommandInput): Output<CreateUserCommandOutput> => {
    const name = validName(input.UserName, 'UserName');
    const users = iamState(context).users;
    if (users[name]) throw iamError('EntityAlreadyExists', 409, `User with name ${name} already exists.`);
    const user: UserRecord = {
      userId: iamId(context, 'AIDA'),
      path: validPath(input.Path),
      createdAt: context.now().toISOString(),
      tags: input.Tags ?? [],
      mfaDevices: [],
      accessKeys: [],
    };
    users[name] = user;
    return { User: userOutput(context, name, user, true) };
  }),
  DeleteUser: operation((context, input: DeleteUserCommandInput) => {
    const user = userOf(context, input.UserName);
    if (user.loginProfile) throw iamError('DeleteConflict', 409, 'Cannot delete entity, must delete login profile first.');
    if (user.accessKeys.length > 0) throw iamError('DeleteConflict', 409, 'Cannot delete entity, must delete access keys first.');
    if (user.mfaDevices.length > 0) throw iamError('DeleteConflict', 409, 'Cannot delete entity, must delete MFA device first.');
    refuseWhilePoliciesAttached(context, 'users', validName(input.UserName, 'UserName'));
    delete iamState(context).users[validName(input.UserName, 'UserName')];
    return {};
  }),

  GetLoginProfile: operation((context, input: GetLoginProfileCommandInput): Output<GetLoginProfileCommandOutput> => {
    const user = userOf(context, input.UserName);
    if (!user.loginProfile) throw iamError('NoSuchEntity', 404, `Login Profile for User ${input.UserName} cannot be found.`);
    return { LoginProfile: { UserName: input.UserName, CreateDate: new Date(user.loginProfile.createdAt), PasswordResetRequired: user.loginProfile.passwordResetRequired } };
  }),
  CreateLoginProfile: operation((context, input: CreateLoginProfileCommandInput): Output<CreateLoginProfileCommandOutput> => {
    const user = userOf(context, input.UserName);
    const password = input.Password;
    if (!password) throw iamError('ValidationError', 400, 'The request must contain the parameter Password');
    if (user.loginProfile) throw iamError('EntityAlreadyExists', 409, `Login Profile for user ${input.UserName} already exists.`);
    checkPassword(password);
    user.loginProfile = { createdAt: context.now().toISOString(), passwordResetRequired: input.PasswordResetRequired ?? false };
    return { LoginProfile: { UserName: input.UserName, CreateDate: new Date(user.loginProfile.createdAt), PasswordResetRequired: user.loginProfile.passwordResetRequired } };
  }),
  DeleteLoginProfile: operation((context, input: DeleteLoginProfileCommandInput) => {
    const user = userOf(context, input.UserName);
    if (!user.loginProfile) throw iamError('NoSuchEntity', 404, `Login Profile for User ${input.UserName} cannot be found.`);
    delete user.loginProfile;
    return {};
  }),

  ListMFADevices: operation((context, input: ListMFADevicesCommandInput): Output<ListMFADevicesCommandOutput> => {
    const user = userOf(context, input.UserName);
    const devices = user.mfaDevices.map((device) => ({ UserName: input.UserName, SerialNumber: device.serialNumber, EnableDate: new Date(device.enabledAt) }));
    const { items, ...rest } = iamPage(devices, input.Marker, input.MaxItems);
    return { MFADevices: items, ...rest };
  }),

  ListAccessKeys: operation((context, input: ListAccessKeysCommandInput): Output<ListAccessKeysCommandOutput> => {
    const user = userOf(context, input.UserName);
    const keys = user.accessKeys.map((key) => ({ UserName: input.UserName, AccessKeyId: key.accessKeyId, Status: key.status, CreateDate: new Date(key.createdAt) }));
    const { items, ...rest } = iamPage(keys, input.Marker, input.MaxItems);
    return { AccessKeyMetadata: items, ...rest };
  }),
  CreateAccessKey: operation((context, input: CreateAccessKeyCommandInput): Output<CreateAccessKeyCommandOutput> => {
    const user = userOf(context, input.UserName);
    if (user.accessKeys.length >= ACCESS_KEYS_PER_USER) throw iamError('LimitExceeded', 409, `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
    const key: AccessKeyRecord = { accessKeyId: iamId(context, 'AKIA'), status: 'Active', createdAt: context.now().toISOString() };
    user.accessKeys.push(key);
    // The secret is returned once and never kept, as in IAM.
    const secret = randomBytes(30).toString('base64');
    return { AccessKey: { UserName: input.UserName, AccessKeyId: key.accessKeyId, Status: key.status, SecretAccessKey: secret, CreateDate: new Date(key.createdAt) } };
  }),
  UpdateAccessKey: operation((context, input: UpdateAccessKeyCommandInput) => {
    const key = keyOf(userOf(context, input.UserName), input.AccessKeyId);
    if (input.Status !== 'Active' && input.Status !== 'Inactive') {
      throw iamError('ValidationError', 400, `1 validation error detected: Value '${input.Status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
    }
    key.status = input.Status;
    return {};
  }),
  DeleteAccessKey: operation((context, input: DeleteAccessKeyCommandInput) => {
    const user = userOf(context, input.UserName);
    const key = keyOf(user, input.AccessKeyId);
    user.accessKeys = user.accessKeys.filter((candidate) => candidate !== key);
    return {};
  }),
  /**
   * A key IAM cannot attribute to the caller's account answers AccessDenied
   * (the API has no not-found error); a never-used key has no LastUsedDate
   * and ServiceName / Region 'N/A'.
   */
  GetAccessKeyLastUsed: operation((context, input: GetAccessKeyLastUsedCommandInput): Output<GetAccessKeyLastUsedCommandOutput> => {
    const id = validName(input.AccessKeyId, 'AccessKeyId');
    for (const [userName, user] of Object.entries(iamState(context).users)) {
      const key = user.accessKeys.find((candidate) => candidate.accessKeyId === id);
      if (!key) continue;
      const used = key.lastUsed;
      return {
        UserName: userName,
        AccessKeyLastUsed: used ? { LastUsedDate: new Date(used.date), ServiceName: used.serviceName, Region: used.region } : { ServiceName: 'N/A', Region: 'N/A' },
      };
    }
    throw serviceError('AccessDenied', 403, `User is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${id}`);
  }),
};
