import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteRoleCommand,
  DeleteUserCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListGroupsCommand,
  ListMFADevicesCommand,
  ListRolesCommand,
  ListUsersCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
  paginateListRoles,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IamState } from '../../sandbox/services/iamState.ts';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const PASSWORD = 'Correct-Horse-Battery-9';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Anyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

let org: SandboxOrganization;
let iam: IAMClient;

function iamStateOf(account = ACCOUNT): IamState {
  return org.sandbox.state.accounts[account]?.global.iam as IamState;
}

beforeEach(() => {
  org = sandboxOrganization();
  iam = org.clients().get(IAMClient);
});

describe('IAM users', () => {
  it('creates a user shaped as IAM returns it, visible from every region of the account only', async () => {
    // Prepare / Act
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'payments' }] }));

    // Assess
    expect(User).toEqual({
      Path: '/',
      UserName: 'alice',
      UserId: expect.stringMatching(/^AIDA[0-9A-F]{17}$/),
      Arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      CreateDate: org.clock.now(),
      Tags: [{ Key: 'team', Value: 'payments' }],
    });
    const fromOtherRegion = await org.clients(ACCOUNT, OTHER_REGION).get(IAMClient).send(new GetUserCommand({ UserName: 'alice' }));
    expect(fromOtherRegion.User?.UserId).toBe(User?.UserId);
    await expectAwsError(org.clients(OTHER_ACCOUNT).get(IAMClient).send(new GetUserCommand({ UserName: 'alice' })), {
      name: 'NoSuchEntityException',
      code: 'NoSuchEntity',
      status: 404,
      message: /The user with name alice cannot be found/,
    });
  });

  it('answers EntityAlreadyExists (409) for a second user of the same name, ValidationError (400) for a missing or bad name', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));

    await expectAwsError(iam.send(new CreateUserCommand({ UserName: 'alice' })), { name: 'EntityAlreadyExistsException', code: 'EntityAlreadyExists', status: 409 });
    await expectAwsError(iam.send(new CreateUserCommand({ UserName: undefined })), { name: 'ValidationError', status: 400 });
    await expectAwsError(iam.send(new CreateUserCommand({ UserName: 'not a name' })), { name: 'ValidationError', status: 400 });
  });

  it('lists users in pages: IsTruncated and an opaque Marker, no Tags', async () => {
    for (const name of ['carol', 'alice', 'bob']) await iam.send(new CreateUserCommand({ UserName: name, Tags: [{ Key: 'k', Value: 'v' }] }));

    const first = await iam.send(new ListUsersCommand({ MaxItems: 2 }));
    const second = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: first.Marker }));

    expect(first.Users?.map((u) => u.UserName)).toEqual(['alice', 'bob']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toEqual(expect.any(String));
    expect(second.Users?.map((u) => u.UserName)).toEqual(['carol']);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
    expect(first.Users?.[0]).not.toHaveProperty('Tags');
    const all: string[] = [];
    for await (const page of paginateListUsers({ client: iam, pageSize: 1 }, {})) all.push(...(page.Users ?? []).map((u) => u.UserName ?? ''));
    expect(all).toEqual(['alice', 'bob', 'carol']);
  });

  it('keeps a console password: NoSuchEntity (404) before, the profile after, EntityAlreadyExists on a second one', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await expectAwsError(iam.send(new GetLoginProfileCommand({ UserName: 'alice' })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404, message: /Login Profile for User alice/ });

    const created = await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: PASSWORD, PasswordResetRequired: true }));
    const read = await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }));

    expect(created.LoginProfile).toEqual({ UserName: 'alice', CreateDate: org.clock.now(), PasswordResetRequired: true });
    expect(read.LoginProfile).toEqual(created.LoginProfile);
    await expectAwsError(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: PASSWORD })), { name: 'EntityAlreadyExistsException', code: 'EntityAlreadyExists', status: 409 });
    await iam.send(new DeleteLoginProfileCommand({ UserName: 'alice' }));
    await expectAwsError(iam.send(new DeleteLoginProfileCommand({ UserName: 'alice' })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404 });
  });

  it('refuses a password the default password policy refuses', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));

    await expectAwsError(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'short' })), { name: 'PasswordPolicyViolationException', code: 'PasswordPolicyViolation', status: 400 });
  });

  it('lists MFA devices (none until one is enabled) and NoSuchEntity for an unknown user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    expect((await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices).toEqual([]);
    const enabledAt = '2026-01-02T03:04:05.000Z';
    iamStateOf().users.alice?.mfaDevices.push({ serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`, enabledAt });

    const { MFADevices, IsTruncated } = await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }));

    expect(MFADevices).toEqual([{ UserName: 'alice', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`, EnableDate: new Date(enabledAt) }]);
    expect(IsTruncated).toBe(false);
    await expectAwsError(iam.send(new ListMFADevicesCommand({ UserName: 'nobody' })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404 });
  });
});

describe('IAM access keys', () => {
  beforeEach(async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  });

  it('creates at most two keys, returning the secret once; lists them without it', async () => {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));

    expect(AccessKey).toEqual({ UserName: 'alice', AccessKeyId: expect.stringMatching(/^AKIA[0-9A-F]{16}$/), Status: 'Active', SecretAccessKey: expect.stringMatching(/^.{40}$/), CreateDate: org.clock.now() });
    const { AccessKeyMetadata, IsTruncated } = await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }));
    expect(AccessKeyMetadata).toHaveLength(2);
    expect(AccessKeyMetadata?.[0]).toEqual({ UserName: 'alice', AccessKeyId: AccessKey?.AccessKeyId, Status: 'Active', CreateDate: org.clock.now() });
    expect(IsTruncated).toBe(false);
    // The SDK treats LimitExceededException as throttling and retries it: one attempt here.
    const once = new IAMClient({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIASANDBOX', secretAccessKey: 'sandbox' } });
    org.sandbox.attach(once, ACCOUNT, 'us-east-1');
    await expectAwsError(once.send(new CreateAccessKeyCommand({ UserName: 'alice' })), { name: 'LimitExceededException', code: 'LimitExceeded', status: 409 });
  });

  it('reports a never-used key as IAM does: no LastUsedDate, ServiceName and Region N/A', async () => {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));

    const { UserName, AccessKeyLastUsed } = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey?.AccessKeyId }));

    expect(UserName).toBe('alice');
    expect(AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
  });

  it('reports the last use of a used key, and AccessDenied (403) for a key it cannot attribute to the account', async () => {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    const key = iamStateOf().users.alice?.accessKeys[0];
    if (key) key.lastUsed = { date: '2026-10-01T10:00:00.000Z', serviceName: 's3', region: 'eu-west-1' };

    const { AccessKeyLastUsed } = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey?.AccessKeyId }));

    expect(AccessKeyLastUsed).toEqual({ LastUsedDate: new Date('2026-10-01T10:00:00.000Z'), ServiceName: 's3', Region: 'eu-west-1' });
    await expectAwsError(org.clients(OTHER_ACCOUNT).get(IAMClient).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey?.AccessKeyId })), { name: 'AccessDenied', status: 403 });
  });

  it('deactivates and deletes a key; NoSuchEntity (404) for a key the user does not have', async () => {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    const id = AccessKey?.AccessKeyId;

    await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: id, Status: 'Inactive' }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata?.[0]?.Status).toBe('Inactive');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: id }));

    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata).toEqual([]);
    await expectAwsError(iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: id, Status: 'Inactive' })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404 });
  });

  it('refuses to delete a user that still has a password or keys (DeleteConflict, 409)', async () => {
    await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: PASSWORD }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));

    await expectAwsError(iam.send(new DeleteUserCommand({ UserName: 'alice' })), { name: 'DeleteConflictException', code: 'DeleteConflict', status: 409, message: /login profile/ });
    await iam.send(new DeleteLoginProfileCommand({ UserName: 'alice' }));
    await expectAwsError(iam.send(new DeleteUserCommand({ UserName: 'alice' })), { name: 'DeleteConflictException', code: 'DeleteConflict', status: 409, message: /access keys/ });
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey?.AccessKeyId }));
    await iam.send(new DeleteUserCommand({ UserName: 'alice' }));

    await expectAwsError(iam.send(new GetUserCommand({ UserName: 'alice' })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404 });
  });
});

describe('IAM roles', () => {
  it('returns the trust policy URL-encoded as IAM does (RFC 3986: * is %2A) from CreateRole, GetRole and ListRoles', async () => {
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'k', Value: 'v' }] }));
    const read = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
    const listed = await iam.send(new ListRolesCommand({}));

    for (const document of [created.Role?.AssumeRolePolicyDocument, read.Role?.AssumeRolePolicyDocument, listed.Roles?.[0]?.AssumeRolePolicyDocument]) {
      expect(document).toMatch(/^%7B%22Version%22%3A%222012-10-17%22/);
      expect(document).toContain('%22AWS%22%3A%22%2A%22');
      expect(decodeURIComponent(document ?? '')).toBe(TRUST);
    }
    expect(read.Role).toEqual({
      Path: '/',
      RoleName: 'deployer',
      RoleId: expect.stringMatching(/^AROA[0-9A-F]{17}$/),
      Arn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
      CreateDate: org.clock.now(),
      AssumeRolePolicyDocument: expect.any(String),
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'k', Value: 'v' }],
      RoleLastUsed: {},
    });
    expect(listed.Roles?.[0]).not.toHaveProperty('Tags');
    expect(listed.Roles?.[0]).not.toHaveProperty('RoleLastUsed');
  });

  it('lists roles in pages with a Marker', async () => {
    for (const name of ['a-role', 'b-role', 'c-role']) await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST, Path: '/service/' }));

    const first = await iam.send(new ListRolesCommand({ MaxItems: 2 }));
    const second = await iam.send(new ListRolesCommand({ MaxItems: 2, Marker: first.Marker }));

    expect(first).toMatchObject({ IsTruncated: true, Marker: expect.any(String) });
    expect(second.IsTruncated).toBe(false);
    expect([...(first.Roles ?? []), ...(second.Roles ?? [])].map((r) => r.Arn)).toEqual(['a-role', 'b-role', 'c-role'].map((n) => `arn:aws:iam::${ACCOUNT}:role/service/${n}`));
    const names: string[] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 2 }, { PathPrefix: '/service/' })) names.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ''));
    expect(names).toHaveLength(3);
  });

  it('replaces the trust policy, validating it as IAM does (MalformedPolicyDocument, 400)', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }));
    const narrowed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });

    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'deployer', PolicyDocument: narrowed }));

    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
    expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')).toBe(narrowed);
    const malformed = { name: 'MalformedPolicyDocumentException', code: 'MalformedPolicyDocument', status: 400 };
    await expectAwsError(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'deployer', PolicyDocument: '{not json' })), malformed);
    const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
    await expectAwsError(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'deployer', PolicyDocument: noPrincipal })), { ...malformed, message: /no principals/ });
    const missingRole = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/nobody` }, Action: 'sts:AssumeRole' }] });
    await expectAwsError(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'deployer', PolicyDocument: missingRole })), { ...malformed, message: /Invalid principal in policy/ });
    await expectAwsError(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'nobody', PolicyDocument: narrowed })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404 });
  });

  it('deletes a role; NoSuchEntity (404) afterwards; EntityAlreadyExists (409) for a duplicate', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }));
    await expectAwsError(iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST })), { name: 'EntityAlreadyExistsException', code: 'EntityAlreadyExists', status: 409 });

    await iam.send(new DeleteRoleCommand({ RoleName: 'deployer' }));

    await expectAwsError(iam.send(new GetRoleCommand({ RoleName: 'deployer' })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404, message: /The role with name deployer cannot be found/ });
    await expectAwsError(iam.send(new DeleteRoleCommand({ RoleName: 'deployer' })), { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404 });
  });
});

describe('IAM customer managed policies', () => {
  const ADMIN = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' }] });
  const arnOf = (name: string): string => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
  const noSuchEntity = { name: 'NoSuchEntityException', code: 'NoSuchEntity', status: 404 };
  const deleteConflict = { name: 'DeleteConflictException', code: 'DeleteConflict', status: 409 };

  it('creates a policy (v1 default) and returns its document URL-encoded from GetPolicyVersion', async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'break-glass', PolicyDocument: ADMIN }));
    expect(Policy).toMatchObject({ PolicyName: 'break-glass', Arn: arnOf('break-glass'), Path: '/', DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true });
    expect(Policy?.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/);
    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arnOf('break-glass'), VersionId: 'v1' }));
    expect(PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    expect(PolicyVersion?.Document).toContain('%22Action%22%3A%22%2A%22');
    expect(decodeURIComponent(PolicyVersion?.Document ?? '')).toBe(ADMIN);
    await expectAwsError(iam.send(new GetPolicyVersionCommand({ PolicyArn: arnOf('break-glass'), VersionId: 'v2' })), { ...noSuchEntity, message: /version v2 does not exist/ });
    await expectAwsError(iam.send(new CreatePolicyCommand({ PolicyName: 'break-glass', PolicyDocument: ADMIN })), { name: 'EntityAlreadyExistsException', code: 'EntityAlreadyExists', status: 409 });
    await expectAwsError(iam.send(new CreatePolicyCommand({ PolicyName: 'broken', PolicyDocument: '{' })), { name: 'MalformedPolicyDocumentException', code: 'MalformedPolicyDocument', status: 400 });
  });

  it('attaches to users and roles, lists attachments in pages, and detaches', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }));
    for (const name of ['a-policy', 'b-policy']) {
      await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: ADMIN }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arnOf(name) }));
    }
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arnOf('a-policy') }));

    const first = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice', MaxItems: 1 }));
    expect(first).toMatchObject({ AttachedPolicies: [{ PolicyName: 'a-policy', PolicyArn: arnOf('a-policy') }], IsTruncated: true });
    const second = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice', MaxItems: 1, Marker: first.Marker }));
    expect(second).toMatchObject({ AttachedPolicies: [{ PolicyName: 'b-policy' }], IsTruncated: false });
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'deployer' }))).AttachedPolicies).toEqual([{ PolicyName: 'a-policy', PolicyArn: arnOf('a-policy') }]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arnOf('a-policy') }))).Policy?.AttachmentCount).toBe(2);

    await iam.send(new DetachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arnOf('a-policy') }));
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'deployer' }))).AttachedPolicies).toEqual([]);
    await expectAwsError(iam.send(new DetachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arnOf('a-policy') })), { ...noSuchEntity, message: /was not found/ });
    await expectAwsError(iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })), { ...noSuchEntity, message: /does not exist or is not attachable/ });
    await expectAwsError(iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'nobody' })), noSuchEntity);
  });

  it('refuses to delete an attached policy, or a user or role with policies attached (DeleteConflict, 409)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'break-glass', PolicyDocument: ADMIN }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arnOf('break-glass') }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arnOf('break-glass') }));

    await expectAwsError(iam.send(new DeletePolicyCommand({ PolicyArn: arnOf('break-glass') })), deleteConflict);
    await expectAwsError(iam.send(new DeleteUserCommand({ UserName: 'alice' })), { ...deleteConflict, message: /must detach all policies first/ });
    await expectAwsError(iam.send(new DeleteRoleCommand({ RoleName: 'deployer' })), { ...deleteConflict, message: /must detach all policies first/ });

    await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: arnOf('break-glass') }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arnOf('break-glass') }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arnOf('break-glass') }));
    await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
    await expectAwsError(iam.send(new GetPolicyCommand({ PolicyArn: arnOf('break-glass') })), noSuchEntity);
  });
});

describe('IAM operations the sandbox does not implement', () => {
  it('fail loudly, naming the operation', async () => {
    await expect(iam.send(new ListGroupsCommand({}))).rejects.toThrow(/does not implement IAM ListGroups/);
  });
});
