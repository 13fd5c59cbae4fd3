/**
 * The account-level IAM settings of one account (global, like the rest of
 * IAM): whether the root user has an MFA device and the password policy.
 * A new account in an organization has neither: AWS creates member accounts
 * with a root user that has no MFA and no password policy.
 */
import type { OperationContext } from '../serviceModel.ts';

export interface PasswordPolicyRecord {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  allowUsersToChangePassword: boolean;
  /** 0: passwords never expire. */
  maxPasswordAge: number;
  /** 0: reuse is not prevented. */
  passwordReusePrevention: number;
  hardExpiry: boolean;
}

export interface IamAccountState {
  rootMfa: boolean;
  /** Whether the root user has an access key (only the root user can make one: seeds and tests set it). */
  rootAccessKeys?: boolean;
  passwordPolicy?: PasswordPolicyRecord;
}

export function iamAccountStateOf(context: OperationContext): IamAccountState {
  return context.global<IamAccountState>('iamaccount', () => ({ rootMfa: false }));
}

/** The root user's access keys: no API but the root user's own can create one; seeds and tests set it here. */
export function setRootAccessKeys(context: OperationContext, present: boolean): void {
  iamAccountStateOf(context).rootAccessKeys = present;
}

/** The root user's MFA device: no API can add one but the root user's console; seeds and tests set it here. */
export function setRootMfa(context: OperationContext, enabled: boolean): void {
  iamAccountStateOf(context).rootMfa = enabled;
}
