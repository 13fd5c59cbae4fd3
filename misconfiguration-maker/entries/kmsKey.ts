/**
 * One customer managed symmetric KMS key, found again by its alias
 * `alias/misconfiguration-maker-key-<account>-<region>`, tagged, encrypting
 * nothing, with automatic rotation off (rotation_off) and a key policy that
 * keeps the account's full access and adds two harmless grants: anyone may
 * call kms:DescribeKey (public_policy: it reveals the key's metadata only),
 * and principal "*" limited by kms:CallerAccount to the nonexistent account
 * 000000000000 may call kms:Decrypt (shared_unknown_account: nobody can act
 * as that account; KMS rejects a key policy that names an account principal
 * that does not exist, so the grant goes through the condition).
 * pending_deletion_in_use is not provoked: it takes a key scheduled for
 * deletion that something still references.
 *
 * Real AWS: a customer managed key costs $1 a month, prorated by the hour,
 * while it exists: a demo run costs a fraction of a cent. Teardown removes
 * the alias and schedules the key's deletion with the shortest waiting
 * period, 7 days; KMS does not charge for a key pending deletion
 * (https://aws.amazon.com/kms/pricing/).
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

/** The shortest waiting period KMS allows: https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html */
const DELETION_WINDOW_DAYS = 7;

export function makerKeyAlias(account: string, region: string): string {
  return `alias/${makerName('key', account, region)}`;
}

export function makerKeyPolicy(account: string, region: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'misconfiguration-maker',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:${partitionOf(region)}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'MisconfigurationMakerPublicDescribe', Effect: 'Allow', Principal: '*', Action: 'kms:DescribeKey', Resource: '*' },
      {
        Sid: 'MisconfigurationMakerUnknownAccount',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': NONEXISTENT_ACCOUNT } },
      },
    ],
  });
}

/** The key the alias points to, unless it is gone or on its way out. */
async function findKey(context: MakerContext): Promise<{ keyId: string; pendingDeletion: boolean } | undefined> {
  const found = await unlessGone(
    () => context.clients.get(KMSClient).send(new DescribeKeyCommand({ KeyId: makerKeyAlias(context.account, context.region) })),
    RESOURCE_GONE_ERRORS.kms_key,
    undefined,
  );
  const metadata = found?.KeyMetadata;
  return metadata?.KeyId ? { keyId: metadata.KeyId, pendingDeletion: metadata.KeyState === 'PendingDeletion' } : undefined;
}

async function deleteAlias(context: MakerContext): Promise<void> {
  await unlessGone(() => context.clients.get(KMSClient).send(new DeleteAliasCommand({ AliasName: makerKeyAlias(context.account, context.region) })), RESOURCE_GONE_ERRORS.kms_key, undefined);
}

export const kmsKeyMaker: MisconfigurationEntry = {
  type: 'kms_key',
  scope: 'regional',
  provokes: (config) => [
    'kms_key.rotation_off',
    'kms_key.public_policy',
    ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['kms_key.shared_unknown_account']),
  ],
  plan: (account, region) => [
    `KMS key ${makerKeyAlias(account, region)}: symmetric, encrypts nothing, rotation off; its policy lets anyone describe it and account ${NONEXISTENT_ACCOUNT} decrypt ($1/month prorated while it exists; teardown schedules deletion in ${DELETION_WINDOW_DAYS} days)`,
  ],
  async create(context) {
    const kms = context.clients.get(KMSClient);
    const policy = makerKeyPolicy(context.account, context.region);
    const existing = await findKey(context);
    if (existing && !existing.pendingDeletion) {
      // Reused: put the misconfiguration back (a remediation may have fixed it).
      await kms.send(new PutKeyPolicyCommand({ KeyId: existing.keyId, PolicyName: 'default', Policy: policy }));
      await kms.send(new DisableKeyRotationCommand({ KeyId: existing.keyId }));
      return [existing.keyId];
    }
    // An alias left on a key pending deletion (a teardown cut short) moves to the new key.
    if (existing) await deleteAlias(context);
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({
        Description: 'misconfiguration-maker: rotation off, public DescribeKey, decrypt for a nonexistent account',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Policy: policy,
        Tags: MAKER_TAGS.map((tag) => ({ TagKey: tag.Key, TagValue: tag.Value })),
      }),
    );
    if (!KeyMetadata?.KeyId) throw new Error('CreateKey returned no KeyId');
    await kms.send(new CreateAliasCommand({ AliasName: makerKeyAlias(context.account, context.region), TargetKeyId: KeyMetadata.KeyId }));
    return [KeyMetadata.KeyId];
  },
  async teardown(context) {
    const existing = await findKey(context);
    if (!existing) return [];
    await deleteAlias(context);
    if (existing.pendingDeletion) return [];
    await context.clients.get(KMSClient).send(new ScheduleKeyDeletionCommand({ KeyId: existing.keyId, PendingWindowInDays: DELETION_WINDOW_DAYS }));
    return [existing.keyId];
  },
};
