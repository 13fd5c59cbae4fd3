/**
 * IAM.1 (auditors/adminPolicies.ts): attached customer managed policies whose
 * default version allows "*" on "*", on iam_user and iam_role; IAM answers
 * documents URL-encoded and attachment lists with Marker/IsTruncated.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  type AttachedPolicy,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE } from '../../auditors/contract.ts';
import { adminStatements, isAwsManaged, readAdminPolicies } from '../../auditors/adminPolicies.ts';
import { iamRoleAuditor } from '../../auditors/iamRole.ts';
import { parsePolicyDocument } from '../../auditors/policy/index.ts';
import { awsError, makeCheckContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';
import { OWNER_TRUST, iamEncode, role, trustPolicy } from '../fixtures/iamRole.ts';

const iam = mockClient(IAMClient);
const client = new IAMClient({ region: 'us-east-1' });
const ACCOUNT = '111111111111';
const policyArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

const document = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ADMIN = { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' };

/** A customer managed policy as IAM answers it: GetPolicy names the default version, GetPolicyVersion returns it URL-encoded. */
function givenPolicy(name: string, text: string, defaultVersion = 'v2'): AttachedPolicy {
  const arn = policyArn(name);
  iam.on(GetPolicyCommand, { PolicyArn: arn }).resolves({ Policy: { PolicyName: name, Arn: arn, DefaultVersionId: defaultVersion, AttachmentCount: 1 } });
  iam.on(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: defaultVersion }).resolves({
    PolicyVersion: { Document: iamEncode(text), VersionId: defaultVersion, IsDefaultVersion: true },
  });
  return { PolicyName: name, PolicyArn: arn };
}

describe('adminStatements: the IAM.1 rule on one document', () => {
  it.each<[string, object[], string[]]>([
    ['Action "*" on Resource "*"', [ADMIN], ['statement "Everything"']],
    ['Action ["*"] on Resource ["*"], no Sid', [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }], ['statement #1']],
    ['"*" among other actions', [{ Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: '*' }], ['statement #1']],
    ['with a condition (IAM.1 does not read conditions)', [{ ...ADMIN, Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/32' } } }], ['statement "Everything"']],
    ['Action ["s3:*"]: one service, not IAM.1', [{ Effect: 'Allow', Action: ['s3:*'], Resource: '*' }], []],
    ['Resource an ARN', [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::orders-archive/*' }], []],
    ['NotAction: not this control', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], []],
    ['Deny "*" on "*"', [{ Effect: 'Deny', Action: '*', Resource: '*' }], []],
    ['the second statement of two', [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }], ['statement #2']],
  ])('%s', (_case, statements, expected) => {
    expect(adminStatements(parsePolicyDocument(iamEncode(document(...statements))))).toEqual(expected);
  });

  it.each([
    [ADMINISTRATOR_ACCESS, true],
    ['arn:aws-us-gov:iam::aws:policy/PowerUserAccess', true],
    [policyArn('AdministratorAccess'), false],
  ])('isAwsManaged(%s) is %s', (arn, expected) => {
    expect(isAwsManaged(arn)).toBe(expected);
  });
});

describe('readAdminPolicies', () => {
  beforeEach(() => iam.reset());

  it('with no attachment finds nothing', async () => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    expect(await readAdminPolicies(client, 'user', 'alice')).toEqual([]);
  });

  it('skips AWS managed policies (AdministratorAccess is not IAM.1) without reading them', async () => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMINISTRATOR_ACCESS }], IsTruncated: false });
    expect(await readAdminPolicies(client, 'user', 'alice')).toEqual([]);
    expect(iam.commandCalls(GetPolicyCommand)).toHaveLength(0);
  });

  it('reads the default version, not v1, and follows Marker across attachment pages', async () => {
    const scoped = givenPolicy('orders-read', document({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }));
    const admin = givenPolicy('break-glass', document(ADMIN), 'v3');
    iam.on(GetPolicyVersionCommand, { PolicyArn: policyArn('break-glass'), VersionId: 'v1' }).resolves({ PolicyVersion: { Document: iamEncode(document({ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' })), VersionId: 'v1' } });
    iam.on(ListAttachedRolePoliciesCommand, { RoleName: 'ops', Marker: undefined }).resolves({ AttachedPolicies: [scoped], IsTruncated: true, Marker: 'AAQAAAAAAAAABBx0dRQ2' });
    iam.on(ListAttachedRolePoliciesCommand, { RoleName: 'ops', Marker: 'AAQAAAAAAAAABBx0dRQ2' }).resolves({ AttachedPolicies: [admin], IsTruncated: false });
    expect(await readAdminPolicies(client, 'role', 'ops')).toEqual([{ arn: policyArn('break-glass'), name: 'break-glass', statements: ['statement "Everything"'] }]);
    expect(iam.commandCalls(ListAttachedRolePoliciesCommand)).toHaveLength(2);
  });

  it('skips a policy deleted between the list and the read', async () => {
    const admin = givenPolicy('break-glass', document(ADMIN));
    iam.on(GetPolicyCommand, { PolicyArn: policyArn('deleted') }).rejects(awsError('NoSuchEntity', 404));
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'deleted', PolicyArn: policyArn('deleted') }, admin], IsTruncated: false });
    expect(await readAdminPolicies(client, 'user', 'alice')).toEqual([{ arn: policyArn('break-glass'), name: 'break-glass', statements: ['statement "Everything"'] }]);
  });

  it('is GONE when the identity vanished', async () => {
    iam.on(ListAttachedUserPoliciesCommand).rejects(awsError('NoSuchEntity', 404));
    expect(await readAdminPolicies(client, 'user', 'alice')).toBe(GONE);
  });

  it('lets any other error through (the batch reports it)', async () => {
    iam.on(ListAttachedUserPoliciesCommand).rejects(awsError('AccessDenied', 403));
    await expect(readAdminPolicies(client, 'user', 'alice')).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe('iam_role.admin_policy_attached', () => {
  beforeEach(() => iam.reset());

  it.each<[string, string[], boolean]>([
    ['a customer managed policy allowing "*" on "*": fails', [document(ADMIN)], true],
    ['only scoped policies: passes', [document({ Effect: 'Allow', Action: 's3:*', Resource: '*' })], false],
  ])('%s', async (_case, documents, fails) => {
    const attached = documents.map((text, i) => givenPolicy(`policy-${i}`, text));
    iam.on(GetRoleCommand).resolves({ Role: role('ops', trustPolicy(OWNER_TRUST)) });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: attached, IsTruncated: false });
    const failed = failedChecksOf(await iamRoleAuditor.audit(makeResourceContext('ops'), makeCheckContext('ops'))).filter((f) => f.check.id === 'iam_role.admin_policy_attached');
    expect(failed.map((f) => f.violation.detail)).toEqual(fails ? [`customer managed policy allowing "*" on "*" attached: policy-0 (${policyArn('policy-0')}, statement "Everything")`] : []);
    // Notify-only: detaching could break what relies on the rights.
    expect(failed.every((f) => f.remediate === undefined)).toBe(true);
  });
});
