/** Root MFA, the password policy and the account-level S3 Public Access Block: once per account, in the home region. */
import { describe, expect, it } from 'vitest';
import type { ResourceContext } from '../../../auditors/contract.ts';
import { passwordPolicyControl, passwordPolicyProblems, strengthenedPolicy } from '../../../auditors/region/passwordPolicy.ts';
import { readControl } from '../../../auditors/region/readControl.ts';
import { judgeRootAccessKeys, rootAccessKeysControl } from '../../../auditors/region/rootAccessKeys.ts';
import { judgeRootMfa, rootMfaControl } from '../../../auditors/region/rootMfa.ts';
import { judgeAccountPublicAccessBlock, s3AccountPublicAccessBlockControl } from '../../../auditors/region/s3AccountPublicAccessBlock.ts';
import { ACCOUNT, makeConfig } from '../../helpers/context.ts';
import { FakePosture, compliantAccount, type FakeAccount } from '../../helpers/fakePosture.ts';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
const STRONG = {
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  ExpirePasswords: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 24,
};

function fakeAccount(overrides: Partial<FakeAccount>): FakePosture {
  return new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER], overrides) });
}

describe('region.root_mfa_off', () => {
  it.each([
    [1, 'enabled', 'the root user has MFA'],
    [0, 'disabled', 'the root user has no MFA device (AccountMFAEnabled = 0)'],
  ])('AccountMFAEnabled %s', (accountMfaEnabled, status, detail) => {
    expect(judgeRootMfa({ accountMfaEnabled })).toEqual({ status, detail });
  });

  it('is notify-only', () => {
    expect(rootMfaControl.enablement).toBeUndefined();
  });
});

describe('region.password_policy_weak', () => {
  const config = makeConfig();
  it.each([
    ['the baseline', STRONG, []],
    ['stricter than the baseline', { ...STRONG, MinimumPasswordLength: 20, MaxPasswordAge: 30 }, []],
    ['no policy', undefined, ['no password policy']],
    ['short', { ...STRONG, MinimumPasswordLength: 8 }, ['minimum length 8 < 14']],
    ['no symbols or numbers', { ...STRONG, RequireSymbols: false, RequireNumbers: undefined }, ['does not require numbers, symbols']],
    ['reuse prevention off', { ...STRONG, PasswordReusePrevention: undefined }, ['reuse prevention off < 24']],
    ['reuse prevention low', { ...STRONG, PasswordReusePrevention: 5 }, ['reuse prevention 5 < 24']],
    ['never expiring', { ...STRONG, ExpirePasswords: false, MaxPasswordAge: undefined }, ['passwords never expire (max 90 days)']],
    ['expiring late', { ...STRONG, MaxPasswordAge: 365 }, ['max age 365 days > 90']],
  ])('%s', (_name, policy, problems) => {
    expect(passwordPolicyProblems(policy, config)).toEqual(problems);
  });

  it('thresholds are configurable', () => {
    const lenient = makeConfig({ passwordMinLength: 8, passwordReusePrevention: 5, passwordMaxAgeDays: 365 });
    expect(passwordPolicyProblems({ ...STRONG, MinimumPasswordLength: 8, PasswordReusePrevention: 5, MaxPasswordAge: 365 }, lenient)).toEqual([]);
  });

  it('strengthening keeps stricter settings and the other settings', () => {
    expect(strengthenedPolicy({ MinimumPasswordLength: 20, MaxPasswordAge: 30, ExpirePasswords: true, PasswordReusePrevention: 3, AllowUsersToChangePassword: false, HardExpiry: true }, config)).toEqual({
      MinimumPasswordLength: 20,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      RequireNumbers: true,
      RequireSymbols: true,
      PasswordReusePrevention: 24,
      MaxPasswordAge: 30,
      AllowUsersToChangePassword: false,
      HardExpiry: true,
    });
  });

  it('enablement writes the strengthened policy once; a second run changes nothing', async () => {
    const fake = fakeAccount({ passwordPolicy: undefined });
    const withSwitch = makeConfig({ enablePasswordPolicy: true });
    const apply = () => passwordPolicyControl.enablement?.apply(fake.resourceContext(ACCOUNT, HOME, withSwitch), fake.checkContext(ACCOUNT, HOME, withSwitch));
    expect([await apply(), await apply()]).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => c.operation)).toEqual(['UpdateAccountPasswordPolicy']);
    expect(fake.mutatingCalls()[0]?.input).toMatchObject({ MinimumPasswordLength: 14, PasswordReusePrevention: 24, MaxPasswordAge: 90, AllowUsersToChangePassword: true });
  });
});

describe('region.s3_account_public_access_block_off', () => {
  it.each([
    [{ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }, 'enabled', 'all four account-level flags on'],
    [{}, 'disabled', 'no account-level Public Access Block (all four flags off)'],
    [{ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false }, 'disabled', 'off or unset: BlockPublicPolicy, RestrictPublicBuckets'],
  ])('%o', (block, status, detail) => {
    expect(judgeAccountPublicAccessBlock({ block })).toEqual({ status, detail });
  });

  it('reads a missing configuration as all off', async () => {
    const fake = fakeAccount({ publicAccessBlock: undefined });
    expect(await readControl(s3AccountPublicAccessBlockControl, fake.resourceContext(ACCOUNT, HOME, makeConfig()))).toEqual({ outcome: 'read', value: { block: {} } });
  });

  it('enablement turns the four flags on once, for the account', async () => {
    const fake = fakeAccount({ publicAccessBlock: { BlockPublicAcls: true } });
    const withSwitch = makeConfig({ enableS3AccountPublicAccessBlock: true });
    const apply = () => s3AccountPublicAccessBlockControl.enablement?.apply(fake.resourceContext(ACCOUNT, HOME, withSwitch), fake.checkContext(ACCOUNT, HOME, withSwitch));
    expect([await apply(), await apply()]).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => [c.operation, c.input])).toEqual([
      ['PutPublicAccessBlock', { AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }],
    ]);
  });
});

describe('region.root_access_keys (IAM.4, CIS 1.4)', () => {
  it.each([
    [0, 'enabled', 'the root user has no access keys'],
    [1, 'disabled', 'the root user has access keys (AccountAccessKeysPresent = 1)'],
  ])('AccountAccessKeysPresent %s', (accountAccessKeysPresent, status, detail) => {
    expect(judgeRootAccessKeys({ accountAccessKeysPresent })).toEqual({ status, detail });
  });

  it.each<[0 | 1, unknown]>([
    [0, { outcome: 'read', value: { accountAccessKeysPresent: 0 } }],
    [1, { outcome: 'read', value: { accountAccessKeysPresent: 1 } }],
  ])('reads AccountAccessKeysPresent %s from GetAccountSummary in the home region', async (rootAccessKeys, reading) => {
    const fake = fakeAccount({ rootAccessKeys });
    expect(await readControl(rootAccessKeysControl, fake.resourceContext(ACCOUNT, HOME, makeConfig()))).toEqual(reading);
  });

  it('is notify-only (only the root user can delete its keys), declared as FSBP IAM.4 and CIS 1.4', () => {
    expect(rootAccessKeysControl.enablement).toBeUndefined();
    expect(rootAccessKeysControl.controls).toEqual({ fsbp: ['IAM.4'], cis: ['1.4'] });
  });
});

describe('account-level controls outside the home region', () => {
  it.each([
    ['root_mfa_off', (context: ResourceContext) => readControl(rootMfaControl, context)],
    ['root_access_keys', (context: ResourceContext) => readControl(rootAccessKeysControl, context)],
    ['password_policy_weak', (context: ResourceContext) => readControl(passwordPolicyControl, context)],
    ['s3_account_public_access_block_off', (context: ResourceContext) => readControl(s3AccountPublicAccessBlockControl, context)],
  ] as const)('%s makes no call there', async (_name, read) => {
    const fake = fakeAccount({ rootMfa: 0, passwordPolicy: undefined, publicAccessBlock: undefined });
    expect(await read(fake.resourceContext(ACCOUNT, OTHER, makeConfig()))).toEqual({ outcome: 'not_applicable', detail: 'account-level control, judged in the home region us-east-1' });
    expect(fake.calls).toEqual([]);
  });
});
