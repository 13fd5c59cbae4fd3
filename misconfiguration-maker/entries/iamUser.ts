/**
 * One IAM user, `misconfiguration-maker-user-<account>`, with a console
 * password (random, never printed, PasswordResetRequired) and no MFA device,
 * no access key, no policy and no group: it can sign in and do nothing.
 *
 * Every iam_user check is time-based, so right after creation:
 * - console_without_mfa fires only once the password is older than
 *   mfaGraceHours (24 h by default): provoked at once only with
 *   mfaGraceHours 0 (the demo sets it); with a grace period it appears a
 *   day later, against real AWS.
 * - console_unused and access_key_unused need consoleUnusedDays /
 *   accessKeyUnusedDays (at least 1 day, 90 by default) without use: not
 *   provoked by creating something. The maker creates no access key (a
 *   credential left lying around), so access_key_unused never comes from it.
 *
 * Real AWS: IAM is free; the user exists until --teardown.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  IAMClient,
  paginateListAccessKeys,
} from '@aws-sdk/client-iam';
import { hasErrorName } from '../../services/core/errors.ts';
import { MAKER_TAGS, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';

export function makerUserName(account: string): string {
  return makerName('user', account);
}

/** 32 random characters plus one of each kind, so any account password policy short of a length above 36 accepts it. */
function randomPassword(): string {
  return `${randomBytes(24).toString('base64url')}Aa1!`;
}

function ignoring(...names: string[]): (error: unknown) => void {
  return (error) => {
    if (!hasErrorName(error, ...names)) throw error;
  };
}

async function removeAccessKeys(context: MakerContext, userName: string): Promise<void> {
  const iam = context.clients.get(IAMClient);
  for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
    for (const key of page.AccessKeyMetadata ?? []) {
      if (key.AccessKeyId) await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId }));
    }
  }
}

export const iamUserMaker: MisconfigurationEntry = {
  type: 'iam_user',
  scope: 'global',
  provokes: (config) => (config.mfaGraceHours === 0 ? ['iam_user.console_without_mfa'] : []),
  plan: (account) => [
    `IAM user ${makerUserName(account)}: console password (random, reset required), no MFA, no access key, no policy (console_without_mfa once the password is older than mfaGraceHours)`,
  ],
  async create(context) {
    const iam = context.clients.get(IAMClient);
    const userName = makerUserName(context.account);
    await iam.send(new CreateUserCommand({ UserName: userName, Tags: [...MAKER_TAGS] })).catch(ignoring('EntityAlreadyExists'));
    await iam
      .send(new CreateLoginProfileCommand({ UserName: userName, Password: randomPassword(), PasswordResetRequired: true }))
      .catch(ignoring('EntityAlreadyExists'));
    return [userName];
  },
  async teardown(context) {
    const iam = context.clients.get(IAMClient);
    const userName = makerUserName(context.account);
    try {
      await iam.send(new DeleteLoginProfileCommand({ UserName: userName })).catch(ignoring('NoSuchEntity'));
      await removeAccessKeys(context, userName);
      await iam.send(new DeleteUserCommand({ UserName: userName }));
      return [userName];
    } catch (error) {
      if (hasErrorName(error, 'NoSuchEntity')) return [];
      throw error;
    }
  },
};
