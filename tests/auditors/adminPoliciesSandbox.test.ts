/**
 * IAM.1 end to end on the sandbox: users and roles with customer managed
 * policies attached, read as IAM answers them (ListAttached*Policies,
 * GetPolicy, GetPolicyVersion URL-encoded). Apart from adminPolicies.test.ts,
 * whose mocked IAMClient would intercept the sandbox's.
 */
import { AttachRolePolicyCommand, AttachUserPolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { iamRoleAuditor } from '../../auditors/iamRole.ts';
import { iamUserAuditor } from '../../auditors/iamUser.ts';
import { OWNER_TRUST, trustPolicy } from '../fixtures/iamRole.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, makerContext } from '../maker/makerHarness.ts';

const document = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ADMIN = { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' };
describe('admin_policy_attached on the sandbox (what IAM answers, end to end)', () => {
  const SCOPED = document({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' });

  it.each<[string, string[], boolean]>([
    ['no attachment: both pass', [], false],
    ['a scoped policy: both pass', [SCOPED], false],
    ['a scoped policy and one allowing "*" on "*": both fail', [SCOPED, document(ADMIN)], true],
  ])('iam_user and iam_role with %s', async (_case, documents, fails) => {
    const context = makerContext(sandboxOrganization());
    const sandboxIam = context.clients.get(IAMClient);
    await sandboxIam.send(new CreateUserCommand({ UserName: 'alice' }));
    await sandboxIam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: trustPolicy(OWNER_TRUST) }));
    for (const [i, text] of documents.entries()) {
      const { Policy } = await sandboxIam.send(new CreatePolicyCommand({ PolicyName: `policy-${i}`, PolicyDocument: text }));
      await sandboxIam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: Policy?.Arn }));
      await sandboxIam.send(new AttachRolePolicyCommand({ RoleName: 'ops', PolicyArn: Policy?.Arn }));
    }

    const audited = [...(await auditListed(iamUserAuditor, context)), ...(await auditListed(iamRoleAuditor, context))];

    const admin = audited.flatMap((resource) => resource.failed.filter((f) => f.check.id.endsWith('.admin_policy_attached')).map((f) => `${f.check.id} ${resource.id}`));
    expect(admin).toEqual(fails ? ['iam_user.admin_policy_attached alice', 'iam_role.admin_policy_attached ops'] : []);
  });
});
