import {
  ListAttachedUserPoliciesCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
  UpdateAccessKeyCommand,
  type User,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { iamUserAuditor } from '../../auditors/iamUser.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, NOW, awsError, collectAll, makeCheckContext, makeConfig, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const iam = mockClient(IAMClient);
const USER = 'alice.martin';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const OTHER_KEY_ID = 'AKIAI44QH8DHBEXAMPLE';
const MFA_SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`;

function hoursAgo(hours: number): Date {
  return new Date(NOW.getTime() - hours * 60 * 60 * 1000);
}
function daysAgo(days: number): Date {
  return hoursAgo(days * 24);
}

// ---------- fixtures shaped like IAM responses (dates are Date objects in SDK v3) ----------

function user(name: string, passwordLastUsed?: Date): User {
  return {
    Path: '/',
    UserName: name,
    UserId: 'AIDACKCEVSQ6C2EXAMPLE',
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    CreateDate: new Date('2024-03-14T09:26:53.000Z'),
    ...(passwordLastUsed ? { PasswordLastUsed: passwordLastUsed } : {}),
  };
}

interface KeyFixture {
  id: string;
  status: 'Active' | 'Inactive';
  created: Date;
  lastUsed?: Date;
}

interface UserFixture {
  /** undefined: no console password (GetLoginProfile NoSuchEntity). */
  loginProfileCreated?: Date;
  passwordLastUsed?: Date;
  mfa?: boolean;
  keys?: KeyFixture[];
}

const RECENT_KEY: KeyFixture = { id: KEY_ID, status: 'Active', created: daysAgo(400), lastUsed: daysAgo(2) };

/** A compliant user (console with MFA, used yesterday; one key used recently), with overrides. */
function givenUser(fixture: UserFixture = {}): void {
  const profileCreated = 'loginProfileCreated' in fixture ? fixture.loginProfileCreated : daysAgo(300);
  const passwordLastUsed = 'passwordLastUsed' in fixture ? fixture.passwordLastUsed : daysAgo(1);
  iam.on(GetUserCommand, { UserName: USER }).resolves({ User: { ...user(USER, passwordLastUsed), Tags: [{ Key: 'team', Value: 'payments' }] } });
  if (profileCreated) {
    iam.on(GetLoginProfileCommand, { UserName: USER }).resolves({ LoginProfile: { UserName: USER, CreateDate: profileCreated, PasswordResetRequired: false } });
  } else {
    iam.on(GetLoginProfileCommand, { UserName: USER }).rejects(awsError('NoSuchEntity', 404, `Login Profile for User ${USER} cannot be found.`));
  }
  iam.on(ListMFADevicesCommand).resolves({
    MFADevices: fixture.mfa === false ? [] : [{ UserName: USER, SerialNumber: MFA_SERIAL, EnableDate: daysAgo(299) }],
    IsTruncated: false,
  });
  const keys = fixture.keys ?? [RECENT_KEY];
  iam.on(ListAccessKeysCommand).resolves({
    AccessKeyMetadata: keys.map((k) => ({ UserName: USER, AccessKeyId: k.id, Status: k.status, CreateDate: k.created })),
    IsTruncated: false,
  });
  for (const key of keys) {
    iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: key.id }).resolves({
      UserName: USER,
      AccessKeyLastUsed: key.lastUsed
        ? { LastUsedDate: key.lastUsed, ServiceName: 's3', Region: 'us-east-1' }
        : { ServiceName: 'N/A', Region: 'N/A' },
    });
  }
}

/** The fixtures' keys are years old: judged by age only where a test asks (accessKeyMaxAgeDays), for use everywhere. */
const KEY_AGE_NOT_JUDGED = { accessKeyMaxAgeDays: 100_000 } satisfies Partial<ConfigInput>;

async function failedChecks(overrides: Partial<ConfigInput> = {}): Promise<FailedCheck[]> {
  const config = makeConfig({ ...KEY_AGE_NOT_JUDGED, ...overrides });
  return failedChecksOf(await iamUserAuditor.audit(makeResourceContext(USER, { config }), makeCheckContext(USER, { config })));
}

async function failedIds(overrides: Partial<ConfigInput> = {}): Promise<string[]> {
  return (await failedChecks(overrides)).map((f) => f.check.id);
}

describe('iam_user auditor', () => {
  beforeEach(() => {
    iam.reset();
    // No managed policy attached unless a test says otherwise (IAM.1 is tested in adminPolicies.test.ts).
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
  });

  describe('list', () => {
    it('follows Marker while IsTruncated and yields user names', async () => {
      // Prepare
      iam.on(ListUsersCommand).resolves({ Users: [user('alice.martin'), user('build-bot')], IsTruncated: true, Marker: 'AAE1YWJjZGVmZ2hpamtsbW5vcA==' });
      iam.on(ListUsersCommand, { Marker: 'AAE1YWJjZGVmZ2hpamtsbW5vcA==' }).resolves({ Users: [user('misconfiguration-maker-no-mfa')], IsTruncated: false });
      // Act
      const listed = await collectAll(iamUserAuditor.list(makeListContext()));
      // Assess
      expect(listed.map((r) => r.id)).toEqual(['alice.martin', 'build-bot', 'misconfiguration-maker-no-mfa']);
      expect(listed[2]?.name).toBe('misconfiguration-maker-no-mfa');
      expect(iam.commandCalls(ListUsersCommand)).toHaveLength(2);
      expect(iamUserAuditor.scope).toBe('global');
    });
  });

  describe('checks', () => {
    it('a user with MFA, a recently used password and a recently used key fails no check', async () => {
      givenUser();
      expect(await failedIds()).toEqual([]);
    });

    it('a user without console access or keys fails no check', async () => {
      givenUser({ loginProfileCreated: undefined, passwordLastUsed: undefined, mfa: false, keys: [] });
      expect(await failedIds()).toEqual([]);
    });

    it.each([
      ['password created 3 days ago, no MFA', { loginProfileCreated: daysAgo(3), mfa: false }, {}, ['iam_user.console_without_mfa']],
      ['password created 25 hours ago, no MFA', { loginProfileCreated: hoursAgo(25), mfa: false }, {}, ['iam_user.console_without_mfa']],
      ['within the 24 h grace period', { loginProfileCreated: hoursAgo(23), mfa: false }, {}, []],
      ['within a configured 72 h grace period', { loginProfileCreated: hoursAgo(48), mfa: false }, { mfaGraceHours: 72 }, []],
      ['an MFA device', { loginProfileCreated: daysAgo(3), mfa: true }, {}, []],
      ['no console password (NoSuchEntity)', { loginProfileCreated: undefined, mfa: false }, {}, []],
    ] as const)('console_without_mfa: %s', async (_name, fixture, overrides, expected) => {
      givenUser(fixture);
      const failed = await failedChecks(overrides);
      expect(failed.map((f) => f.check.id)).toEqual(expected);
      if (expected.length > 0) {
        expect(failed[0]?.check.severity).toBe('high');
        expect(failed[0]?.violation.detail).toContain(`console password created ${fixture.loginProfileCreated?.toISOString()}, no MFA device`);
      }
    });

    it.each([
      ['last used 120 days ago', { passwordLastUsed: daysAgo(120) }, {}, 'last used'],
      ['never used, created 100 days ago', { passwordLastUsed: undefined, loginProfileCreated: daysAgo(100) }, {}, 'never used since it was created'],
      ['last used 40 days ago with a 30-day limit', { passwordLastUsed: daysAgo(40) }, { consoleUnusedDays: 30 }, 'last used'],
    ] as const)('console_unused: %s', async (_name, fixture, overrides, detail) => {
      givenUser(fixture);
      const failed = await failedChecks(overrides);
      expect(failed.map((f) => f.check.id)).toEqual(['iam_user.console_unused']);
      expect(failed[0]?.check.severity).toBe('medium');
      expect(failed[0]?.violation.detail).toContain(detail);
    });

    it.each([
      ['last used 89 days ago', { passwordLastUsed: daysAgo(89) }],
      ['never used, created 10 days ago', { passwordLastUsed: undefined, loginProfileCreated: daysAgo(10) }],
      ['used 2 years ago, but the password was re-created 5 days ago', { passwordLastUsed: daysAgo(730), loginProfileCreated: daysAgo(5) }],
      ['an old PasswordLastUsed without a console password', { passwordLastUsed: daysAgo(730), loginProfileCreated: undefined }],
    ] as const)('console_unused passes: %s', async (_name, fixture) => {
      givenUser(fixture);
      expect(await failedIds()).toEqual([]);
    });

    it.each([
      ['an active key last used 200 days ago', [{ id: KEY_ID, status: 'Active', created: daysAgo(500), lastUsed: daysAgo(200) }], {}, `${KEY_ID} last used`],
      ['an active key never used, created 120 days ago', [{ id: KEY_ID, status: 'Active', created: daysAgo(120) }], {}, `${KEY_ID} never used since`],
      [
        'one of two active keys, with a 30-day limit',
        [RECENT_KEY, { id: OTHER_KEY_ID, status: 'Active', created: daysAgo(60), lastUsed: daysAgo(45) }],
        { accessKeyUnusedDays: 30 },
        `active key ${OTHER_KEY_ID} last used`,
      ],
    ] as const)('access_key_unused: %s', async (_name, keys, overrides, detail) => {
      givenUser({ keys: [...keys] });
      const failed = await failedChecks(overrides);
      expect(failed.map((f) => f.check.id)).toEqual(['iam_user.access_key_unused']);
      expect(failed[0]?.check.severity).toBe('medium');
      expect(failed[0]?.violation.detail).toContain(detail);
    });

    it('access_key_unused names only the unused keys', async () => {
      givenUser({ keys: [RECENT_KEY, { id: OTHER_KEY_ID, status: 'Active', created: daysAgo(200) }] });
      const failed = await failedChecks();
      expect(failed[0]?.violation.detail).toBe(`active key ${OTHER_KEY_ID} never used since ${daysAgo(200).toISOString()} (more than 90 days)`);
    });

    it.each([
      ['an inactive key unused for years', [{ id: KEY_ID, status: 'Inactive', created: daysAgo(900) }]],
      ['an active key never used, created 10 days ago', [{ id: KEY_ID, status: 'Active', created: daysAgo(10) }]],
      ['an active key used 89 days ago', [{ id: KEY_ID, status: 'Active', created: daysAgo(900), lastUsed: daysAgo(89) }]],
    ] as const)('access_key_unused passes: %s', async (_name, keys) => {
      givenUser({ keys: [...keys] });
      expect(await failedIds()).toEqual([]);
    });

    it.each<[string, KeyFixture[], Partial<ConfigInput>, string]>([
      ['an active key created 91 days ago, used yesterday', [{ id: KEY_ID, status: 'Active', created: daysAgo(91), lastUsed: daysAgo(1) }], {}, `active key ${KEY_ID} created ${daysAgo(91).toISOString()} (more than 90 days)`],
      [
        'the older of two active keys, with a 30-day limit',
        [{ id: KEY_ID, status: 'Active', created: daysAgo(10), lastUsed: daysAgo(1) }, { id: OTHER_KEY_ID, status: 'Active', created: daysAgo(45), lastUsed: daysAgo(1) }],
        { accessKeyMaxAgeDays: 30 },
        `active key ${OTHER_KEY_ID} created ${daysAgo(45).toISOString()} (more than 30 days)`,
      ],
      [
        'two old active keys',
        [{ id: KEY_ID, status: 'Active', created: daysAgo(400), lastUsed: daysAgo(1) }, { id: OTHER_KEY_ID, status: 'Active', created: daysAgo(200), lastUsed: daysAgo(2) }],
        {},
        `active keys ${KEY_ID} created ${daysAgo(400).toISOString()}, ${OTHER_KEY_ID} created ${daysAgo(200).toISOString()} (more than 90 days)`,
      ],
    ])('access_key_too_old (IAM.3, CIS 1.14), notify-only: %s', async (_name, keys, overrides, detail) => {
      givenUser({ keys });
      const failed = await failedChecks({ accessKeyMaxAgeDays: 90, ...overrides });
      expect(failed.map((f) => [f.check.id, f.violation.detail])).toEqual([['iam_user.access_key_too_old', detail]]);
      expect(failed[0]?.check).toMatchObject({ severity: 'medium', controls: { fsbp: ['IAM.3'], cis: ['1.14'] } });
      expect(failed[0]?.remediate).toBeUndefined();
    });

    it.each<[string, KeyFixture[]]>([
      ['an active key created 89 days ago', [{ id: KEY_ID, status: 'Active', created: daysAgo(89), lastUsed: daysAgo(1) }]],
      ['an inactive key created years ago', [{ id: KEY_ID, status: 'Inactive', created: daysAgo(900) }]],
      ['no key at all', []],
    ])('access_key_too_old passes: %s', async (_name, keys) => {
      givenUser({ keys });
      expect(await failedIds({ accessKeyMaxAgeDays: 90 })).toEqual([]);
    });

    it('accessKeyMaxAgeDays defaults to 90 and refuses 0', () => {
      expect(makeConfig().accessKeyMaxAgeDays).toBe(90);
      expect(() => makeConfig({ accessKeyMaxAgeDays: 0 })).toThrow(/accessKeyMaxAgeDays/);
    });

    it('reads last use of active keys only', async () => {
      givenUser({ keys: [RECENT_KEY, { id: OTHER_KEY_ID, status: 'Inactive', created: daysAgo(900) }] });
      await failedChecks();
      expect(iam.commandCalls(GetAccessKeyLastUsedCommand).map((c) => c.args[0].input.AccessKeyId)).toEqual([KEY_ID]);
    });

    it('a user that vanished (NoSuchEntity on GetUser) is gone', async () => {
      iam.on(GetUserCommand).rejects(awsError('NoSuchEntity', 404, `The user with name ${USER} cannot be found.`));
      expect(await iamUserAuditor.audit(makeResourceContext(USER), makeCheckContext(USER))).toBe(GONE);
    });

    it('AccessDenied propagates (it is an error, not a finding)', async () => {
      iam.on(GetUserCommand).rejects(awsError('AccessDenied', 403));
      await expect(iamUserAuditor.audit(makeResourceContext(USER), makeCheckContext(USER))).rejects.toThrow('AccessDenied');
    });
  });

  describe('remediations', () => {
    async function remediate(checkId: string): Promise<string | undefined> {
      const failed = (await failedChecks()).find((f) => f.check.id === checkId);
      return failed?.remediate?.();
    }

    it('console_without_mfa deletes only the console password', async () => {
      givenUser({ loginProfileCreated: daysAgo(3), mfa: false });
      expect(await remediate('iam_user.console_without_mfa')).toBe('applied');
      const deletes = iam.commandCalls(DeleteLoginProfileCommand);
      expect(deletes).toHaveLength(1);
      expect(deletes[0]?.args[0].input).toEqual({ UserName: USER });
      expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
      expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
    });

    it('console_unused deletes only the console password', async () => {
      givenUser({ passwordLastUsed: daysAgo(120) });
      expect(await remediate('iam_user.console_unused')).toBe('applied');
      expect(iam.commandCalls(DeleteLoginProfileCommand)[0]?.args[0].input).toEqual({ UserName: USER });
      expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    });

    it('access_key_unused deactivates only the unused active key, never deletes it', async () => {
      // Prepare
      givenUser({ keys: [RECENT_KEY, { id: OTHER_KEY_ID, status: 'Active', created: daysAgo(200) }] });
      // Act
      const outcome = await remediate('iam_user.access_key_unused');
      // Assess
      expect(outcome).toBe('applied');
      const updates = iam.commandCalls(UpdateAccessKeyCommand);
      expect(updates).toHaveLength(1);
      expect(updates[0]?.args[0].input).toEqual({ UserName: USER, AccessKeyId: OTHER_KEY_ID, Status: 'Inactive' });
      expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
      expect(iam.commandCalls(DeleteLoginProfileCommand)).toHaveLength(0);
    });

    it.each<[string, UserFixture]>([
      ['iam_user.console_without_mfa', { loginProfileCreated: daysAgo(3), mfa: true }],
      ['iam_user.console_without_mfa', { loginProfileCreated: undefined }],
      ['iam_user.console_unused', { passwordLastUsed: daysAgo(1) }],
      ['iam_user.console_unused', { loginProfileCreated: undefined }],
      ['iam_user.access_key_unused', { keys: [{ id: KEY_ID, status: 'Inactive', created: daysAgo(400) }] }],
      ['iam_user.access_key_unused', { keys: [{ id: KEY_ID, status: 'Active', created: daysAgo(400), lastUsed: daysAgo(1) }] }],
    ])('%s: a second run against the fixed user makes no mutating call', async (checkId, fixed) => {
      // Prepare: the check failed on the first read, the user was fixed since
      givenUser({ loginProfileCreated: daysAgo(200), passwordLastUsed: undefined, mfa: false, keys: [{ id: KEY_ID, status: 'Active', created: daysAgo(400) }] });
      const failed = (await failedChecks()).find((f) => f.check.id === checkId);
      expect(failed?.remediate).toBeDefined();
      iam.reset();
      givenUser(fixed);
      // Act
      const outcome = await failed?.remediate?.();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(iam.commandCalls(DeleteLoginProfileCommand)).toHaveLength(0);
      expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
      expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
    });

    it.each(['iam_user.console_without_mfa', 'iam_user.console_unused', 'iam_user.access_key_unused'])(
      '%s: a user deleted before remediation is gone, with no mutating call',
      async (checkId) => {
        givenUser({ loginProfileCreated: daysAgo(200), passwordLastUsed: undefined, mfa: false, keys: [{ id: KEY_ID, status: 'Active', created: daysAgo(400) }] });
        const failed = (await failedChecks()).find((f) => f.check.id === checkId);
        iam.reset();
        iam.on(GetUserCommand).rejects(awsError('NoSuchEntity', 404));
        iam.on(ListAccessKeysCommand).rejects(awsError('NoSuchEntity', 404));
        expect(await failed?.remediate?.()).toBe('gone');
        expect(iam.commandCalls(DeleteLoginProfileCommand)).toHaveLength(0);
        expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
      },
    );
  });

  describe('metadata', () => {
    it('declares its permissions and CloudTrail triggers', () => {
      expect(iamUserAuditor.permissions).toEqual({
        list: ['iam:ListUsers'],
        collect: [
          'iam:GetUser',
          'iam:GetLoginProfile',
          'iam:ListMFADevices',
          'iam:ListAccessKeys',
          'iam:GetAccessKeyLastUsed',
          'iam:ListAttachedUserPolicies',
          'iam:GetPolicy',
          'iam:GetPolicyVersion',
        ],
      });
      expect(iamUserAuditor.remediations['iam_user.access_key_unused']?.permissions).toEqual([
        'iam:ListAccessKeys',
        'iam:GetAccessKeyLastUsed',
        'iam:UpdateAccessKey',
      ]);
      expect(iamUserAuditor.triggers).toEqual([
        {
          eventSource: 'iam.amazonaws.com',
          eventNames: ['CreateLoginProfile', 'DeactivateMFADevice', 'UpdateAccessKey', 'AttachUserPolicy'],
          idPath: 'requestParameters.userName',
        },
        { eventSource: 'iam.amazonaws.com', eventNames: ['CreateAccessKey'], idPath: 'responseElements.accessKey.userName', notAudited: expect.any(Function) },
      ]);
    });
  });
});
