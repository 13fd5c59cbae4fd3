/**
 * One IAM role, `misconfiguration-maker-role-<account>`, whose trust policy
 * lets anyone (principal {"AWS": "*"}, no condition: public_trust) and the
 * nonexistent account 000000000000 (untrusted_account_trust) assume it.
 * Harmless because the role has no permissions at all: no managed or inline
 * policy, so a session on it can do nothing that needs a permission.
 *
 * Real AWS: IAM is free; IAM Access Analyzer, if enabled, reports the role
 * as publicly accessible until --teardown.
 */
import { CreateRoleCommand, DeleteRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { hasErrorName } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export function makerRoleName(account: string): string {
  return makerName('role', account);
}

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
  provokes: (config) => ['iam_role.public_trust', ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['iam_role.untrusted_account_trust'])],
  plan: (account) => [`IAM role ${makerRoleName(account)}: no permissions; trust policy lets anyone and account ${NONEXISTENT_ACCOUNT} assume it`],
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
    return [roleName];
  },
  async teardown(context) {
    const roleName = makerRoleName(context.account);
    const deleted = await unlessGone(() => context.clients.get(IAMClient).send(new DeleteRoleCommand({ RoleName: roleName })), ['NoSuchEntity'], undefined);
    return deleted ? [roleName] : [];
  },
};
