/**
 * region.password_policy_weak (account level, home region only): the IAM
 * password policy meets passwordMinLength, all four character classes,
 * passwordReusePrevention and passwordMaxAgeDays.
 *
 * APIs: GetAccountPasswordPolicy; enablement: UpdateAccountPasswordPolicy.
 */
import { GetAccountPasswordPolicyCommand, IAMClient, UpdateAccountPasswordPolicyCommand, type PasswordPolicy } from '@aws-sdk/client-iam';
import type { Config } from '../../services/core/config.ts';
import { hasErrorName } from '../../services/core/errors.ts';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

const CHARACTER_CLASSES = [
  ['RequireUppercaseCharacters', 'uppercase letters'],
  ['RequireLowercaseCharacters', 'lowercase letters'],
  ['RequireNumbers', 'numbers'],
  ['RequireSymbols', 'symbols'],
] as const;

export interface PasswordPolicyState {
  /** undefined: the account has no password policy (IAM's defaults apply). */
  policy?: PasswordPolicy;
}

// ---------- pure ----------

export function passwordPolicyProblems(policy: PasswordPolicy | undefined, config: Config): string[] {
  if (!policy) return ['no password policy'];
  const problems: string[] = [];
  const length = policy.MinimumPasswordLength ?? 0;
  if (length < config.passwordMinLength) problems.push(`minimum length ${length} < ${config.passwordMinLength}`);
  const missing = CHARACTER_CLASSES.filter(([flag]) => policy[flag] !== true).map(([, name]) => name);
  if (missing.length > 0) problems.push(`does not require ${missing.join(', ')}`);
  const reuse = policy.PasswordReusePrevention;
  if (reuse === undefined || reuse < config.passwordReusePrevention) problems.push(`reuse prevention ${reuse ?? 'off'} < ${config.passwordReusePrevention}`);
  const age = policy.ExpirePasswords ? policy.MaxPasswordAge : undefined;
  if (age === undefined || age > config.passwordMaxAgeDays) problems.push(age === undefined ? `passwords never expire (max ${config.passwordMaxAgeDays} days)` : `max age ${age} days > ${config.passwordMaxAgeDays}`);
  return problems;
}

export function judgePasswordPolicy(state: PasswordPolicyState, config: Config): Verdict {
  const problems = passwordPolicyProblems(state.policy, config);
  if (problems.length > 0) return { status: 'disabled', detail: problems.join('; ') };
  return { status: 'enabled', detail: `length >= ${state.policy?.MinimumPasswordLength}, all character classes, reuse prevention ${state.policy?.PasswordReusePrevention}, max age ${state.policy?.MaxPasswordAge} days` };
}

/** The policy raised to the thresholds: stricter existing settings are kept, other settings too. */
export function strengthenedPolicy(policy: PasswordPolicy | undefined, config: Config) {
  const age = policy?.ExpirePasswords && policy.MaxPasswordAge !== undefined ? Math.min(policy.MaxPasswordAge, config.passwordMaxAgeDays) : config.passwordMaxAgeDays;
  return {
    MinimumPasswordLength: Math.max(policy?.MinimumPasswordLength ?? 0, config.passwordMinLength),
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
    RequireNumbers: true,
    RequireSymbols: true,
    PasswordReusePrevention: Math.max(policy?.PasswordReusePrevention ?? 0, config.passwordReusePrevention),
    MaxPasswordAge: age,
    AllowUsersToChangePassword: policy?.AllowUsersToChangePassword ?? true,
    HardExpiry: policy?.HardExpiry ?? false,
  };
}

// ---------- reads ----------

async function readPasswordPolicy(client: IAMClient): Promise<PasswordPolicyState> {
  try {
    const { PasswordPolicy: policy } = await client.send(new GetAccountPasswordPolicyCommand({}));
    return policy ? { policy } : {};
  } catch (error) {
    if (hasErrorName(error, 'NoSuchEntity', 'NoSuchEntityException')) return {};
    throw error;
  }
}

// ---------- the control ----------

export const passwordPolicyControl: RegionControl<PasswordPolicyState> = {
  key: 'password_policy',
  check: 'password_policy_weak',
  label: 'Password policy',
  level: REGION_CONTROL_TRIGGERS.passwordPolicy.level,
  title: 'IAM password policy is weak or missing',
  severity: 'medium',
  rationale: 'Short, simple, reused or never-expiring passwords of IAM users fall to guessing and credential stuffing.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html (CIS 1.8 / 1.9 are IAM.15 / IAM.16: length 14, reuse 24, the defaults here)
  controls: { fsbp: ['IAM.7'], cis: ['1.8', '1.9'] },
  reads: 'GetAccountPasswordPolicy: length >= passwordMinLength, all four character classes, reuse prevention >= passwordReusePrevention, max age <= passwordMaxAgeDays',
  permissions: ['iam:GetAccountPasswordPolicy'],
  triggers: REGION_CONTROL_TRIGGERS.passwordPolicy.triggers,

  collect: (context) => readPasswordPolicy(context.clients.get(IAMClient)),
  judge: (state, context) => judgePasswordPolicy(state, context.config),

  enablement: {
    description: 'Raise the password policy to the configured thresholds; stricter existing settings and the other settings are kept.',
    permissions: ['iam:GetAccountPasswordPolicy', 'iam:UpdateAccountPasswordPolicy'],
    enabled: (config) => config.enablePasswordPolicy,
    async apply(context) {
      const client = context.clients.get(IAMClient);
      const { policy } = await readPasswordPolicy(client);
      if (passwordPolicyProblems(policy, context.config).length === 0) return 'already_compliant';
      await client.send(new UpdateAccountPasswordPolicyCommand(strengthenedPolicy(policy, context.config)));
      return 'applied';
    },
  },
};
