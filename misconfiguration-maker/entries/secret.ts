/**
 * One Secrets Manager secret, `misconfiguration-maker-secret-<account>-<region>`,
 * tagged, holding a placeholder that is no credential, with rotation off
 * (rotation_off) and a resource policy that lets anyone call
 * secretsmanager:DescribeSecret (public_policy: it reveals the secret's
 * metadata, not its value) and lets principal "*" limited by
 * aws:PrincipalAccount to the nonexistent account 000000000000 read the value
 * (shared_unknown_account: nobody can act as that account; the grant goes
 * through the condition, as Secrets Manager may refuse a principal that does
 * not exist). rotation_overdue is not provoked: it takes a secret 90 days old.
 *
 * Real AWS: a secret costs $0.40 a month, prorated, while it exists
 * (https://aws.amazon.com/secrets-manager/pricing/). Teardown deletes it
 * without a recovery window, so the name is free again at once.
 */
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export function makerSecretName(account: string, region: string): string {
  return makerName('secret', account, region);
}

export function makerSecretPolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'MisconfigurationMakerPublicDescribe', Effect: 'Allow', Principal: '*', Action: 'secretsmanager:DescribeSecret', Resource: '*' },
      {
        Sid: 'MisconfigurationMakerUnknownAccount',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': NONEXISTENT_ACCOUNT } },
      },
    ],
  });
}

/** The maker's secret: its ARN, and whether it is scheduled for deletion. */
async function findSecret(context: MakerContext): Promise<{ arn: string; scheduledForDeletion: boolean } | undefined> {
  const found = await unlessGone(
    () => context.clients.get(SecretsManagerClient).send(new DescribeSecretCommand({ SecretId: makerSecretName(context.account, context.region) })),
    RESOURCE_GONE_ERRORS.secret,
    undefined,
  );
  return found?.ARN ? { arn: found.ARN, scheduledForDeletion: found.DeletedDate !== undefined } : undefined;
}

export const secretMaker: MisconfigurationEntry = {
  type: 'secret',
  scope: 'regional',
  provokes: (config) => [
    'secret.public_policy',
    ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['secret.shared_unknown_account']),
    'secret.rotation_off',
  ],
  plan: (account, region) => [
    `Secrets Manager secret ${makerSecretName(account, region)}: a placeholder value, rotation off; its policy lets anyone describe it and account ${NONEXISTENT_ACCOUNT} read it ($0.40/month prorated while it exists)`,
  ],
  async create(context) {
    const client = context.clients.get(SecretsManagerClient);
    const name = makerSecretName(context.account, context.region);
    const existing = await findSecret(context);
    if (existing?.scheduledForDeletion) throw new Error(`secret ${name} is scheduled for deletion: restore it (RestoreSecret) or delete it for good before making it again`);
    let arn = existing?.arn;
    if (!arn) {
      const created = await client.send(
        new CreateSecretCommand({ Name: name, Description: 'misconfiguration-maker: no credential', SecretString: 'not a credential: made by misconfiguration-maker', Tags: [...MAKER_TAGS] }),
      );
      if (!created.ARN) throw new Error('CreateSecret returned no ARN');
      arn = created.ARN;
    }
    // Made or reused: (re)put the policy (a remediation may have narrowed it).
    await client.send(new PutResourcePolicyCommand({ SecretId: arn, ResourcePolicy: makerSecretPolicy(), BlockPublicPolicy: false }));
    return [arn];
  },
  async teardown(context) {
    const existing = await findSecret(context);
    if (!existing) return [];
    const deleted = await unlessGone(
      () => context.clients.get(SecretsManagerClient).send(new DeleteSecretCommand({ SecretId: existing.arn, ForceDeleteWithoutRecovery: true })),
      RESOURCE_GONE_ERRORS.secret,
      undefined,
    );
    return deleted ? [existing.arn] : [];
  },
};
