/**
 * iam_user: console passwords without MFA, unused console passwords, unused
 * active access keys, active access keys older than accessKeyMaxAgeDays
 * (not rotated; notify-only: rotating needs the key's owner to put a new key
 * in place, and deactivating one in use breaks what uses it).
 *
 * APIs: ListUsers, GetUser, GetLoginProfile, ListMFADevices, ListAccessKeys,
 * GetAccessKeyLastUsed, ListAttachedUserPolicies, GetPolicy, GetPolicyVersion; remediation: DeleteLoginProfile, UpdateAccessKey
 * (Status=Inactive: reversible, keys are never deleted).
 */
import {
  DeleteLoginProfileCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  UpdateAccessKeyCommand,
  paginateListAccessKeys,
  paginateListMFADevices,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import type { Config } from '../services/core/config.ts';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type RemediationOutcome, type ResourceContext } from './contract.ts';
import { iamUserTriggers } from './triggers/iamUser.ts';
import { ADMIN_POLICY_PERMISSIONS, adminPolicyCheck, readAdminPolicies, type AdminPolicy } from './adminPolicies.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface AccessKeyState {
  accessKeyId: string;
  /** Active or Inactive. */
  status: string;
  createDate?: Date;
  /** Only read for Active keys; undefined: never used. */
  lastUsedDate?: Date;
}

export interface UserState {
  userName: string;
  passwordLastUsed?: Date;
  /** undefined: the user has no console password. */
  loginProfileCreated?: Date;
  mfaDevices: string[];
  accessKeys: AccessKeyState[];
  /** Attached customer managed policies allowing "*" on "*" (IAM.1). */
  adminPolicies: AdminPolicy[];
  tags: Record<string, string>;
}

/** The part of the state the console remediations re-read. */
type ConsoleState = Pick<UserState, 'userName' | 'passwordLastUsed' | 'loginProfileCreated' | 'mfaDevices'>;

// ---------- pure helpers (shared by checks and remediations) ----------

function isoDate(date: Date): string {
  return date.toISOString();
}

/** A console password older than the grace period and no MFA device. */
export function consoleWithoutMfa(state: ConsoleState, config: Config, now: Date): boolean {
  if (!state.loginProfileCreated || state.mfaDevices.length > 0) return false;
  return now.getTime() - state.loginProfileCreated.getTime() > config.mfaGraceHours * HOUR_MS;
}

/**
 * The last console activity: the last password use, or the password's
 * creation when later (a password re-created after the last sign-in, or never used).
 */
export function lastConsoleActivity(state: ConsoleState): Date | undefined {
  if (!state.loginProfileCreated) return undefined;
  const used = state.passwordLastUsed;
  return used && used > state.loginProfileCreated ? used : state.loginProfileCreated;
}

export function consoleUnused(state: ConsoleState, config: Config, now: Date): boolean {
  const last = lastConsoleActivity(state);
  return last !== undefined && now.getTime() - last.getTime() > config.consoleUnusedDays * DAY_MS;
}

/** Active keys last used (or, never used, created) more than accessKeyUnusedDays ago. */
export function unusedAccessKeys(keys: readonly AccessKeyState[], config: Config, now: Date): AccessKeyState[] {
  return keys.filter((key) => {
    if (key.status !== 'Active') return false;
    const last = key.lastUsedDate ?? key.createDate;
    return last !== undefined && now.getTime() - last.getTime() > config.accessKeyUnusedDays * DAY_MS;
  });
}

/** Active keys created more than accessKeyMaxAgeDays ago (ListAccessKeys CreateDate). */
export function oldAccessKeys(keys: readonly AccessKeyState[], config: Config, now: Date): AccessKeyState[] {
  return keys.filter((key) => key.status === 'Active' && key.createDate !== undefined && now.getTime() - key.createDate.getTime() > config.accessKeyMaxAgeDays * DAY_MS);
}

function describeKey(key: AccessKeyState): string {
  if (key.lastUsedDate) return `${key.accessKeyId} last used ${isoDate(key.lastUsedDate)}`;
  return `${key.accessKeyId} never used since ${key.createDate ? isoDate(key.createDate) : 'creation'}`;
}

// ---------- reads (collect and the read half of remediations) ----------

function iam(context: ResourceContext): IAMClient {
  return context.clients.get(IAMClient);
}

async function readUser(context: ResourceContext): Promise<{ passwordLastUsed?: Date; tags: Record<string, string> } | Gone> {
  try {
    const { User } = await iam(context).send(new GetUserCommand({ UserName: context.id }));
    if (!User) return GONE;
    return { passwordLastUsed: User.PasswordLastUsed, tags: tagsToRecord(User.Tags) };
  } catch (error) {
    if (hasErrorName(error, 'NoSuchEntity')) return GONE;
    throw error;
  }
}

/** When the console password was created; undefined when the user has none (NoSuchEntity). */
async function readLoginProfileCreated(context: ResourceContext): Promise<Date | undefined> {
  try {
    const { LoginProfile } = await iam(context).send(new GetLoginProfileCommand({ UserName: context.id }));
    return LoginProfile?.CreateDate;
  } catch (error) {
    if (hasErrorName(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

async function readMfaDevices(context: ResourceContext): Promise<string[]> {
  const serials: string[] = [];
  for await (const page of paginateListMFADevices({ client: iam(context) }, { UserName: context.id })) {
    for (const device of page.MFADevices ?? []) if (device.SerialNumber) serials.push(device.SerialNumber);
  }
  return serials;
}

/** Every key of the user, with last use for the Active ones; GONE when the user vanished. */
async function readAccessKeys(context: ResourceContext): Promise<AccessKeyState[] | Gone> {
  const keys: AccessKeyState[] = [];
  try {
    for await (const page of paginateListAccessKeys({ client: iam(context) }, { UserName: context.id })) {
      for (const key of page.AccessKeyMetadata ?? []) {
        if (key.AccessKeyId) keys.push({ accessKeyId: key.AccessKeyId, status: key.Status ?? 'Active', createDate: key.CreateDate });
      }
    }
  } catch (error) {
    if (hasErrorName(error, 'NoSuchEntity')) return GONE;
    throw error;
  }
  for (const key of keys) {
    if (key.status !== 'Active') continue;
    const { AccessKeyLastUsed } = await iam(context).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId }));
    key.lastUsedDate = AccessKeyLastUsed?.LastUsedDate;
  }
  return keys;
}

/** Delete the console password if the re-read state still fails `stillWrong`. */
async function deleteLoginProfileIf(
  context: ResourceContext,
  read: (context: ResourceContext) => Promise<ConsoleState | Gone>,
  stillWrong: (state: ConsoleState) => boolean,
): Promise<RemediationOutcome> {
  const state = await read(context);
  if (state === GONE) return 'gone';
  if (!stillWrong(state)) return 'already_compliant';
  try {
    await iam(context).send(new DeleteLoginProfileCommand({ UserName: context.id }));
  } catch (error) {
    if (hasErrorName(error, 'NoSuchEntity')) return 'already_compliant';
    throw error;
  }
  return 'applied';
}

async function readConsole(context: ResourceContext, withMfa: boolean): Promise<ConsoleState | Gone> {
  const user = await readUser(context);
  if (user === GONE) return GONE;
  const loginProfileCreated = await readLoginProfileCreated(context);
  const mfaDevices = withMfa && loginProfileCreated ? await readMfaDevices(context) : [];
  return { userName: context.id, passwordLastUsed: user.passwordLastUsed, loginProfileCreated, mfaDevices };
}

// ---------- the auditor ----------

export const iamUserAuditor = defineAuditor<UserState>({
  type: 'iam_user',
  scope: 'global',
  description: 'IAM users: console access without MFA, unused console passwords, unused access keys',
  permissions: {
    list: ['iam:ListUsers'],
    collect: ['iam:GetUser', 'iam:GetLoginProfile', 'iam:ListMFADevices', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', ...ADMIN_POLICY_PERMISSIONS.user],
  },
  identity: (state) => ({ tags: state.tags }),
  triggers: iamUserTriggers,

  async *list({ clients }) {
    const client = clients.get(IAMClient);
    for await (const page of paginateListUsers({ client, pageSize: 1000 }, {})) {
      for (const user of page.Users ?? []) {
        if (user.UserName) yield { id: user.UserName, name: user.UserName };
      }
    }
  },

  async collect(context) {
    const user = await readUser(context);
    if (user === GONE) return GONE;
    const loginProfileCreated = await readLoginProfileCreated(context);
    const mfaDevices = await readMfaDevices(context);
    const accessKeys = await readAccessKeys(context);
    if (accessKeys === GONE) return GONE;
    const adminPolicies = await readAdminPolicies(iam(context), 'user', context.id);
    if (adminPolicies === GONE) return GONE;
    return { userName: context.id, passwordLastUsed: user.passwordLastUsed, loginProfileCreated, mfaDevices, accessKeys, adminPolicies, tags: user.tags };
  },

  checks: [
    {
      id: 'iam_user.console_without_mfa',
      title: 'User can sign in to the console without MFA',
      severity: 'high',
      rationale: 'A console password without a second factor falls to phishing, reuse or guessing; the grace period lets new users enrol a device.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html
      controls: { fsbp: ['IAM.5'], cis: ['1.10'] },
      evaluate(state, { config, now }) {
        if (!consoleWithoutMfa(state, config, now) || !state.loginProfileCreated) return undefined;
        return { detail: `console password created ${isoDate(state.loginProfileCreated)}, no MFA device (grace period ${config.mfaGraceHours} h)` };
      },
    },
    {
      id: 'iam_user.console_unused',
      title: 'Console password unused',
      severity: 'medium',
      rationale: 'A password nobody uses is only an attack surface; deleting it removes console access and nothing else.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html (IAM.8 allows 90 days (consoleUnusedDays default); CIS 1.12 (IAM.22) 45.)
      controls: { fsbp: ['IAM.8'], cis: ['1.12'] },
      evaluate(state, { config, now }) {
        const last = lastConsoleActivity(state);
        if (!consoleUnused(state, config, now) || !last) return undefined;
        const since = last === state.passwordLastUsed ? `last used ${isoDate(last)}` : `never used since it was created ${isoDate(last)}`;
        return { detail: `console password ${since} (more than ${config.consoleUnusedDays} days)` };
      },
    },
    {
      id: 'iam_user.access_key_unused',
      title: 'Active access key unused',
      severity: 'medium',
      rationale: 'An active key nobody uses is a long-lived credential that can only leak; deactivating it is reversible.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html (IAM.8 allows 90 days (accessKeyUnusedDays default); CIS 1.12 (IAM.22) 45.)
      controls: { fsbp: ['IAM.8'], cis: ['1.12'] },
      evaluate(state, { config, now }) {
        const keys = unusedAccessKeys(state.accessKeys, config, now);
        if (keys.length === 0) return undefined;
        return { detail: `active key${keys.length === 1 ? '' : 's'} ${keys.map(describeKey).join(', ')} (more than ${config.accessKeyUnusedDays} days)` };
      },
    },
    {
      id: 'iam_user.access_key_too_old',
      title: 'Active access key not rotated',
      severity: 'medium',
      rationale: 'The older a key, the more places it may have been copied to; rotating it regularly bounds how long a leaked key works.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-3 (IAM.3 is CIS v3.0.0 1.14; both say 90 days, accessKeyMaxAgeDays's default)
      controls: { fsbp: ['IAM.3'], cis: ['1.14'] },
      evaluate(state, { config, now }) {
        const keys = oldAccessKeys(state.accessKeys, config, now);
        if (keys.length === 0) return undefined;
        const created = keys.map((key) => `${key.accessKeyId} created ${key.createDate ? isoDate(key.createDate) : 'unknown'}`);
        return { detail: `active key${keys.length === 1 ? '' : 's'} ${created.join(', ')} (more than ${config.accessKeyMaxAgeDays} days)` };
      },
    },
    adminPolicyCheck<UserState>('iam_user'),
  ],

  remediations: {
    'iam_user.console_without_mfa': {
      description: 'Delete the console password (DeleteLoginProfile); access keys, MFA and policies are left as they are.',
      risk: 'disruptive',
      permissions: ['iam:GetUser', 'iam:GetLoginProfile', 'iam:ListMFADevices', 'iam:DeleteLoginProfile'],
      apply: (context, _state, { config, now }) =>
        deleteLoginProfileIf(context, (c) => readConsole(c, true), (state) => consoleWithoutMfa(state, config, now)),
    },
    'iam_user.console_unused': {
      description: 'Delete the unused console password (DeleteLoginProfile); access keys and policies are left as they are.',
      risk: 'safe',
      permissions: ['iam:GetUser', 'iam:GetLoginProfile', 'iam:DeleteLoginProfile'],
      apply: (context, _state, { config, now }) =>
        deleteLoginProfileIf(context, (c) => readConsole(c, false), (state) => consoleUnused(state, config, now)),
    },
    'iam_user.access_key_unused': {
      description: 'Deactivate (UpdateAccessKey Status=Inactive, never delete) only the unused active keys.',
      risk: 'safe',
      permissions: ['iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:UpdateAccessKey'],
      async apply(context, _state, { config, now }) {
        const keys = await readAccessKeys(context);
        if (keys === GONE) return 'gone';
        const unused = unusedAccessKeys(keys, config, now);
        if (unused.length === 0) return 'already_compliant';
        for (const key of unused) {
          await iam(context).send(new UpdateAccessKeyCommand({ UserName: context.id, AccessKeyId: key.accessKeyId, Status: 'Inactive' }));
        }
        return 'applied';
      },
    },
  },
});
