/**
 * IAM's account-level operations, spread into the IAM service (iam.ts):
 * GetAccountSummary (root MFA, counts), the account password policy
 * (NoSuchEntity when there is none, as IAM answers), and the service-linked
 * roles the posture enablements create (iamServiceLinkedRoles.ts).
 */
import type {
  GetAccountPasswordPolicyCommandOutput,
  GetAccountSummaryCommandOutput,
  PasswordPolicy,
  SummaryKeyType,
  UpdateAccountPasswordPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { iamAccountStateOf, type PasswordPolicyRecord } from './iamAccountState.ts';
import { serviceLinkedRoleOperations } from './iamServiceLinkedRoles.ts';
import { iamError, iamState } from './iamState.ts';

/** IAM's default quotas, as GetAccountSummary reports them. */
const QUOTAS: Partial<Record<SummaryKeyType, number>> = {
  AccessKeysPerUserQuota: 2,
  AssumeRolePolicySizeQuota: 2048,
  AttachedPoliciesPerGroupQuota: 10,
  AttachedPoliciesPerRoleQuota: 10,
  AttachedPoliciesPerUserQuota: 10,
  GlobalEndpointTokenVersion: 1,
  GroupPolicySizeQuota: 5120,
  GroupsPerUserQuota: 10,
  GroupsQuota: 300,
  InstanceProfilesQuota: 1000,
  PoliciesQuota: 1500,
  PolicySizeQuota: 6144,
  PolicyVersionsInUseQuota: 10000,
  RolePolicySizeQuota: 10240,
  RolesQuota: 1000,
  ServerCertificatesQuota: 20,
  SigningCertificatesPerUserQuota: 2,
  UserPolicySizeQuota: 2048,
  UsersQuota: 5000,
  VersionsPerPolicyQuota: 5,
};

function summaryOf(context: OperationContext): Partial<Record<SummaryKeyType, number>> {
  const { users, roles } = iamState(context);
  const rootMfa = iamAccountStateOf(context).rootMfa;
  const userDevices = Object.values(users).reduce((sum, user) => sum + user.mfaDevices.length, 0);
  return {
    ...QUOTAS,
    Users: Object.keys(users).length,
    Roles: Object.keys(roles).length,
    Groups: 0,
    Policies: 0,
    PolicyVersionsInUse: 0,
    InstanceProfiles: 0,
    Providers: 0,
    ServerCertificates: 0,
    MFADevices: userDevices + (rootMfa ? 1 : 0),
    MFADevicesInUse: userDevices + (rootMfa ? 1 : 0),
    AccountMFAEnabled: rootMfa ? 1 : 0,
    AccountAccessKeysPresent: iamAccountStateOf(context).rootAccessKeys === true ? 1 : 0,
    AccountPasswordPresent: 1,
    AccountSigningCertificatesPresent: 0,
  };
}

function inRange(value: number | undefined, name: string, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    const bound = value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
    throw iamError('ValidationError', 400, `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value ${bound}`);
  }
}

function policyOutput(policy: PasswordPolicyRecord): PasswordPolicy {
  return {
    MinimumPasswordLength: policy.minimumPasswordLength,
    RequireSymbols: policy.requireSymbols,
    RequireNumbers: policy.requireNumbers,
    RequireUppercaseCharacters: policy.requireUppercaseCharacters,
    RequireLowercaseCharacters: policy.requireLowercaseCharacters,
    AllowUsersToChangePassword: policy.allowUsersToChangePassword,
    ExpirePasswords: policy.maxPasswordAge > 0,
    ...(policy.maxPasswordAge > 0 ? { MaxPasswordAge: policy.maxPasswordAge } : {}),
    ...(policy.passwordReusePrevention > 0 ? { PasswordReusePrevention: policy.passwordReusePrevention } : {}),
    ...(policy.hardExpiry ? { HardExpiry: true } : {}),
  };
}

export const accountOperations: Readonly<Record<string, OperationHandler>> = {
  GetAccountSummary: operation((context): Output<GetAccountSummaryCommandOutput> => ({ SummaryMap: summaryOf(context) })),

  GetAccountPasswordPolicy: operation((context): Output<GetAccountPasswordPolicyCommandOutput> => {
    const policy = iamAccountStateOf(context).passwordPolicy;
    if (!policy) throw iamError('NoSuchEntity', 404, `The Password Policy with domain name ${context.account} cannot be found.`);
    return { PasswordPolicy: policyOutput(policy) };
  }),

  /** Replaces the whole policy: a setting left out takes IAM's default (length 8, nothing required, no expiry, no reuse prevention). */
  UpdateAccountPasswordPolicy: operation((context, input: UpdateAccountPasswordPolicyCommandInput) => {
    inRange(input.MinimumPasswordLength, 'minimumPasswordLength', 6, 128);
    inRange(input.MaxPasswordAge, 'maxPasswordAge', 1, 1095);
    inRange(input.PasswordReusePrevention, 'passwordReusePrevention', 1, 24);
    iamAccountStateOf(context).passwordPolicy = {
      minimumPasswordLength: input.MinimumPasswordLength ?? 8,
      requireSymbols: input.RequireSymbols ?? false,
      requireNumbers: input.RequireNumbers ?? false,
      requireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
      requireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
      allowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
      maxPasswordAge: input.MaxPasswordAge ?? 0,
      passwordReusePrevention: input.PasswordReusePrevention ?? 0,
      hardExpiry: input.HardExpiry ?? false,
    };
    return {};
  }),

  ...serviceLinkedRoleOperations,
};
