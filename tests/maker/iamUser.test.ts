import { GetLoginProfileCommand, GetUserCommand, IAMClient, ListAccessKeysCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { iamUserAuditor } from '../../auditors/iamUser.ts';
import { iamUserMaker, makerUserName } from '../../misconfiguration-maker/entries/iamUser.ts';
import { ACCOUNT, OTHER_ACCOUNT, makeConfig } from '../helpers/context.ts';
import { CREATED_AT, sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, remediateAll } from './makerHarness.ts';

const USER = makerUserName(ACCOUNT);

describe('iam_user maker', () => {
  it('makes a tagged user with a console password (reset required), no MFA and no access key', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    const iam = context.clients.get(IAMClient);

    const ids = await iamUserMaker.create(context);

    expect(ids).toEqual([`misconfiguration-maker-user-${ACCOUNT}`]);
    const { User } = await iam.send(new GetUserCommand({ UserName: USER }));
    expect(User?.Tags).toEqual([{ Key: 'created-by', Value: 'misconfiguration-maker' }]);
    expect((await iam.send(new GetLoginProfileCommand({ UserName: USER }))).LoginProfile).toEqual({ UserName: USER, CreateDate: CREATED_AT, PasswordResetRequired: true });
    expect((await iam.send(new ListMFADevicesCommand({ UserName: USER }))).MFADevices).toEqual([]);
    expect((await iam.send(new ListAccessKeysCommand({ UserName: USER }))).AccessKeyMetadata).toEqual([]);
  });

  it('provokes nothing right after creation under the default 24 h MFA grace period, and the audit agrees', async () => {
    const config = makeConfig();
    const context = makerContext(sandboxOrganization(), config);
    await iamUserMaker.create(context);

    const audited = await auditListed(iamUserAuditor, context);

    expect(iamUserMaker.provokes(config)).toEqual([]);
    expect(audited.map((a) => a.id)).toEqual([USER]);
    expect(failedCheckIds(audited)).toEqual([]);
  });

  it('with mfaGraceHours 0: fails exactly console_without_mfa, once; remediation deletes the password and nothing remains', async () => {
    // Prepare
    const config = makeConfig({ mfaGraceHours: 0 });
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    await iamUserMaker.create(context);
    expect(await iamUserMaker.create(context)).toEqual([USER]);

    // Act
    const before = await auditListed(iamUserAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(iamUserAuditor, context);
    const again = await remediateAll(before);

    // Assess
    expect(failedCheckIds(before)).toEqual([...iamUserMaker.provokes(config)].sort());
    expect(failedCheckIds(before)).toEqual(['iam_user.console_without_mfa']);
    expect(outcomes).toEqual(['iam_user.console_without_mfa=applied']);
    expect(failedCheckIds(after)).toEqual([]);
    expect(again).toEqual(['iam_user.console_without_mfa=already_compliant']);
    expect(await auditListed(iamUserAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('re-creating restores the password a remediation removed, without a second user', async () => {
    const config = makeConfig({ mfaGraceHours: 0 });
    const context = makerContext(sandboxOrganization(), config);
    await iamUserMaker.create(context);
    await remediateAll(await auditListed(iamUserAuditor, context));

    await iamUserMaker.create(context);

    const audited = await auditListed(iamUserAuditor, context);
    expect(audited.map((a) => a.id)).toEqual([USER]);
    expect(failedCheckIds(audited)).toEqual(['iam_user.console_without_mfa']);
  });

  it('tears down exactly its user (password and any access key first), idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await iamUserMaker.create(context);

    const removed = await iamUserMaker.teardown(context);
    const removedAgain = await iamUserMaker.teardown(context);

    expect(removed).toEqual([USER]);
    expect(removedAgain).toEqual([]);
    expect(await makerResourcesListed(iamUserAuditor, context)).toEqual([]);
  });

  it('plans one user per account, in the home region only (global scope)', () => {
    expect(iamUserMaker.scope).toBe('global');
    expect(iamUserMaker.plan(ACCOUNT, 'us-east-1')).toEqual([expect.stringContaining(USER)]);
  });
});
