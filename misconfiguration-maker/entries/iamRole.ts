/**
 * One IAM role, `misconfiguration-maker-role-<account>`, whose trust policy
 * lets anyone (principal {"AWS": "*"}, no condition: public_trust) and the
 * nonexistent account 000000000000 (untrusted_account_trust) assume it.
 * Harmless because the role has no usable permission: no inline policy, and
 * one customer managed policy, `misconfiguration-maker-admin-<account>`,
 * whose only statement allows "*" on "*" (admin_policy_attached, IAM.1) under
 * a condition no request can meet: aws:PrincipalAccount must be the
 * nonexistent account 000000000000 (a session on this role always carries
 * this account) AND aws:SourceIp must be 192.0.2.0/32 (TEST-NET-1, RFC 5737,
 * not routable). IAM.1 (AWS Config's iam-policy-no-statements-with-admin-access,
 * https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-admin-access.html)
 * judges Effect, Action and Resource only, so the condition does not clear
 * the finding. The policy goes on the role, not the maker user: the user has a
 * console password, and the role is anyone's to assume either way, so only
 * the never-true condition keeps it harmless, which is why it has two.
 *
 * Real AWS: IAM is free; IAM Access Analyzer, if enabled, reports the role
 * as publicly accessible until --teardown.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  IAMClient,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { hasErrorName } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export function makerRoleName(account: string): string {
  return makerName('role', account);
}

export function makerAdminPolicyName(account: string): string {
  return makerName('admin', account);
}

export function makerAdminPolicyArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:iam::${account}:policy/${makerAdminPolicyName(account)}`;
}

/** "*" on "*" (what IAM.1 finds) under a condition no request meets (see the header). */
export const MAKER_ADMIN_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'MisconfigurationMakerAdminNeverApplies',
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': NONEXISTENT_ACCOUNT }, IpAddress: { 'aws:SourceIp': '192.0.2.0/32' } },
    },
  ],
});

export function makerTrustPolicy(region: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'MisconfigurationMakerAnyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
      { Sid: 'MisconfigurationMakerUnknownAccount', Effect: 'Allow', Principal: { AWS: `arn:${partitionOf(region)}:iam::${NONEXISTENT_ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
    ],
  });
}

export const iamRoleMaker: MisconfigurationEntry = {
  type: 'iam_role',
  scope: 'global',
  provokes: (config) => [
    'iam_role.public_trust',
    ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['iam_role.untrusted_account_trust']),
    'iam_role.admin_policy_attached',
  ],
  plan: (account) => [
    `IAM role ${makerRoleName(account)}: trust policy lets anyone and account ${NONEXISTENT_ACCOUNT} assume it; attached policy ${makerAdminPolicyName(account)} allows "*" on "*" only under a condition no request meets`,
  ],
  async create(context) {
    const iam = context.clients.get(IAMClient);
    const roleName = makerRoleName(context.account);
    const trustPolicy = makerTrustPolicy(context.region);
    try {
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: trustPolicy,
          Description: 'misconfiguration-maker: trusted by anyone, allowed nothing',
          Tags: [...MAKER_TAGS],
        }),
      );
    } catch (error) {
      if (!hasErrorName(error, 'EntityAlreadyExists')) throw error;
      // Reused: put the misconfiguration back (a remediation may have narrowed it).
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trustPolicy }));
    }
    const policyArn = makerAdminPolicyArn(context.account, context.region);
    await unlessGone(
      () => iam.send(new CreatePolicyCommand({ PolicyName: makerAdminPolicyName(context.account), PolicyDocument: MAKER_ADMIN_POLICY, Tags: [...MAKER_TAGS] })),
      ['EntityAlreadyExists'],
      undefined,
    );
    // Attaching an attached policy again changes nothing.
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
    return [roleName];
  },
  async teardown(context) {
    const iam = context.clients.get(IAMClient);
    const roleName = makerRoleName(context.account);
    const policyArn = makerAdminPolicyArn(context.account, context.region);
    // DeleteRole and DeletePolicy refuse (DeleteConflict) while the policy is attached.
    await unlessGone(() => iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })), ['NoSuchEntity'], undefined);
    const policyDeleted = await unlessGone(() => iam.send(new DeletePolicyCommand({ PolicyArn: policyArn })), ['NoSuchEntity'], undefined);
    const roleDeleted = await unlessGone(() => iam.send(new DeleteRoleCommand({ RoleName: roleName })), ['NoSuchEntity'], undefined);
    return [...(roleDeleted ? [roleName] : []), ...(policyDeleted ? [makerAdminPolicyName(context.account)] : [])];
  },
};
