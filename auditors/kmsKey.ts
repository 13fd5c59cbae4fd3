/**
 * kms_key: customer managed KMS keys: automatic rotation off (symmetric keys
 * with AWS KMS key material, enabled), a key policy open to everyone or
 * shared with an unknown account, and a key pending deletion that aliases or
 * grants still point to. AWS managed keys (KeyManager AWS) are AWS's to
 * manage: collected, judged by no check.
 *
 * APIs: ListKeys, ListAliases (list: a key is named by its first alias, and
 * a key with an alias/aws/* alias is AWS managed, left out); DescribeKey, GetKeyPolicy (PolicyName default),
 * GetKeyRotationStatus (only where rotation applies), ListAliases (KeyId),
 * ListGrants (KeyId, only for a key pending deletion), ListResourceTags
 * (collect); remediation: EnableKeyRotation.
 * CloudTrail: CreateKey (responseElements.keyMetadata.keyId); PutKeyPolicy,
 * EnableKeyRotation, DisableKeyRotation, ScheduleKeyDeletion
 * (requestParameters.keyId, a key id or ARN).
 * https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
 *
 * The policy checks are notify-only: KMS refuses a key policy without
 * statements, and a narrowed key policy can lock the account out of its own
 * key or break a service that encrypts with it in another account; the owner
 * must decide. A key pending deletion is notify-only too: deleting a key may
 * be intended, and cancelling it is the owner's call.
 */
import {
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
  paginateListGrants,
  paginateListKeys,
  paginateListResourceTags,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';
import { GONE, defineAuditor, type Gone, type ResourceContext } from './contract.ts';
import { parsePolicyDocument, publicPolicyViolation, unknownAccountViolation, type PolicyDocument } from './policy/index.ts';
import { kmsKeyTriggers } from './triggers/kmsKey.ts';

/** The states of a key that KMS is deleting (a multi-Region replica has its own). */
const PENDING_DELETION_STATES: ReadonlySet<string> = new Set(['PendingDeletion', 'PendingReplicaDeletion']);

export interface KmsKeyState {
  keyId: string;
  /** CUSTOMER or AWS (AWS managed keys are judged by no check). */
  keyManager: string;
  /** Enabled, Disabled, PendingDeletion, PendingReplicaDeletion, PendingImport, Unavailable, Creating, Updating. */
  keyState: string;
  keySpec: string;
  /** AWS_KMS, EXTERNAL (imported key material), AWS_CLOUDHSM, EXTERNAL_KEY_STORE. */
  origin: string;
  /** A multi-Region replica: its rotation is set on the primary key. */
  replica: boolean;
  deletionDate?: Date;
  /** undefined where automatic rotation does not apply (see rotationApplies). */
  rotationEnabled?: boolean;
  /** undefined for an AWS managed key (not read). */
  policy?: PolicyDocument;
  aliases: string[];
  /** Read only for a key pending deletion. */
  grants: number;
  tags: Readonly<Record<string, string>>;
}

// ---------- pure ----------

export function isCustomerManaged(state: Pick<KmsKeyState, 'keyManager'>): boolean {
  return state.keyManager === 'CUSTOMER';
}

/**
 * Automatic rotation exists only for customer managed symmetric encryption
 * keys with key material from AWS KMS, set on a multi-Region key's primary
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html),
 * and KMS neither rotates nor lets anyone change the setting of a key that is
 * disabled or pending deletion (https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html):
 * the check judges enabled keys only.
 */
export function rotationApplies(state: Pick<KmsKeyState, 'keyManager' | 'keyState' | 'keySpec' | 'origin' | 'replica'>): boolean {
  return isCustomerManaged(state) && state.keyState === 'Enabled' && state.keySpec === 'SYMMETRIC_DEFAULT' && state.origin === 'AWS_KMS' && !state.replica;
}

function metadataState(metadata: KeyMetadata & { KeyId: string }): Omit<KmsKeyState, 'policy' | 'aliases' | 'grants' | 'tags' | 'rotationEnabled'> {
  return {
    keyId: metadata.KeyId,
    keyManager: metadata.KeyManager ?? 'CUSTOMER',
    keyState: metadata.KeyState ?? 'Enabled',
    keySpec: metadata.KeySpec ?? metadata.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
    origin: metadata.Origin ?? 'AWS_KMS',
    replica: metadata.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA',
    ...(metadata.DeletionDate ? { deletionDate: metadata.DeletionDate } : {}),
  };
}

/** What still points at the key: its aliases and grants, as a phrase ("alias/orders, 2 grants"). */
function describeUse(state: Pick<KmsKeyState, 'aliases' | 'grants'>): string {
  return [...state.aliases, ...(state.grants > 0 ? [`${state.grants} grant${state.grants === 1 ? '' : 's'}`] : [])].join(', ');
}

// ---------- reads ----------

function kms(context: ResourceContext): KMSClient {
  return context.clients.get(KMSClient);
}

async function describeKey(context: ResourceContext): Promise<(KeyMetadata & { KeyId: string }) | Gone> {
  const { KeyMetadata: metadata } = await kms(context).send(new DescribeKeyCommand({ KeyId: context.id }));
  return metadata?.KeyId ? { ...metadata, KeyId: metadata.KeyId } : GONE;
}

async function rotationEnabled(context: ResourceContext): Promise<boolean> {
  const { KeyRotationEnabled } = await kms(context).send(new GetKeyRotationStatusCommand({ KeyId: context.id }));
  return KeyRotationEnabled === true;
}

async function readAliases(context: ResourceContext): Promise<string[]> {
  const names: string[] = [];
  // Limit 1 to 100: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html
  for await (const page of paginateListAliases({ client: kms(context), pageSize: 100 }, { KeyId: context.id })) {
    for (const alias of page.Aliases ?? []) if (alias.AliasName) names.push(alias.AliasName);
  }
  return names;
}

/** Every alias of the region, by the key it points to (an alias names nothing while it has no target). */
async function aliasesByKey(client: KMSClient): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  for await (const page of paginateListAliases({ client, pageSize: 100 }, {})) {
    for (const alias of page.Aliases ?? []) {
      if (!alias.AliasName || !alias.TargetKeyId) continue;
      byKey.set(alias.TargetKeyId, [...(byKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
    }
  }
  return byKey;
}

async function countGrants(context: ResourceContext): Promise<number> {
  let count = 0;
  // Limit 1 to 100: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html
  for await (const page of paginateListGrants({ client: kms(context), pageSize: 100 }, { KeyId: context.id })) count += page.Grants?.length ?? 0;
  return count;
}

async function readTags(context: ResourceContext): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  // Limit 1 to 50: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html
  for await (const page of paginateListResourceTags({ client: kms(context), pageSize: 50 }, { KeyId: context.id })) {
    for (const tag of page.Tags ?? []) if (tag.TagKey !== undefined) tags[tag.TagKey] = tag.TagValue ?? '';
  }
  return tags;
}

async function readKey(context: ResourceContext): Promise<KmsKeyState | Gone> {
  try {
    const metadata = await describeKey(context);
    if (metadata === GONE) return GONE;
    const state = metadataState(metadata);
    if (!isCustomerManaged(state)) return { ...state, aliases: [], grants: 0, tags: {} };
    const { Policy } = await kms(context).send(new GetKeyPolicyCommand({ KeyId: context.id, PolicyName: 'default' }));
    const pendingDeletion = PENDING_DELETION_STATES.has(state.keyState);
    return {
      ...state,
      ...(rotationApplies(state) ? { rotationEnabled: await rotationEnabled(context) } : {}),
      ...(Policy ? { policy: parsePolicyDocument(Policy) } : {}),
      aliases: await readAliases(context),
      grants: pendingDeletion ? await countGrants(context) : 0,
      tags: await readTags(context),
    };
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.kms_key)) return GONE;
    throw error;
  }
}

// ---------- the auditor ----------

export const kmsKeyAuditor = defineAuditor<KmsKeyState>({
  type: 'kms_key',
  scope: 'regional',
  description: 'KMS customer managed keys: rotation off, public or unknown-account key policies, keys pending deletion still in use',
  permissions: {
    list: ['kms:ListKeys', 'kms:ListAliases'],
    collect: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListAliases', 'kms:ListGrants', 'kms:ListResourceTags'],
  },
  triggers: kmsKeyTriggers,

  async *list({ clients }) {
    const client = clients.get(KMSClient);
    const aliases = await aliasesByKey(client);
    // Limit 1 to 1000: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html
    for await (const page of paginateListKeys({ client, pageSize: 1000 }, {})) {
      for (const key of page.Keys ?? []) {
        if (!key.KeyId) continue;
        const names = aliases.get(key.KeyId) ?? [];
        // alias/aws/* is reserved for AWS managed keys: https://docs.aws.amazon.com/kms/latest/developerguide/alias-about.html
        if (names.some((name) => name.startsWith('alias/aws/'))) continue;
        const name = names[0]?.slice('alias/'.length);
        yield name ? { id: key.KeyId, name } : { id: key.KeyId };
      }
    }
  },

  collect: readKey,

  identity: (state) => ({ tags: state.tags }),

  checks: [
    {
      id: 'kms_key.rotation_off',
      title: 'Customer managed key does not rotate its key material',
      severity: 'medium',
      rationale:
        'Without automatic rotation a symmetric key encrypts with the same key material for ever, so one exposure of it reaches everything it ever protected; rotation keeps old material for decryption and costs nothing to turn on.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4 (related requirement CIS AWS Foundations Benchmark v3.0.0/3.6)
      controls: { fsbp: ['KMS.4'], cis: ['3.6'] },
      evaluate(state) {
        if (!rotationApplies(state) || state.rotationEnabled !== false) return undefined;
        return { detail: 'automatic key rotation is off' };
      },
    },
    {
      id: 'kms_key.public_policy',
      title: 'Key policy allows access to everyone',
      severity: 'critical',
      rationale:
        'An Allow to principal "*" without a condition limiting it to fixed accounts, an organization, a source or a network lets any AWS account use or manage the key, within what the statement allows.',
      // No FSBP or CIS v3.0.0 control judges key policies (KMS.1 and KMS.2 judge IAM policies): https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html
      controls: { none: 'FSBP KMS.1 and KMS.2 judge IAM policies that allow KMS actions, not key policies; CIS v3.0.0 has no key policy recommendation' },
      evaluate(state) {
        return !isCustomerManaged(state) ? undefined : publicPolicyViolation(state.policy);
      },
    },
    {
      id: 'kms_key.shared_unknown_account',
      title: 'Key policy grants access to an unknown account',
      severity: 'high',
      rationale: 'An account outside the organization and the trusted list can use the key to decrypt what it protects, or manage it.',
      controls: OWN_RULE.sharing,
      evaluate(state, { account, trustedAccounts }) {
        return !isCustomerManaged(state) ? undefined : unknownAccountViolation(state.policy, account, trustedAccounts);
      },
    },
    {
      id: 'kms_key.pending_deletion_in_use',
      title: 'Key pending deletion is still referenced',
      severity: 'low',
      rationale:
        'Once the waiting period ends the key is gone for good, and so is every ciphertext under it. Aliases or grants that still point at the key suggest something still uses it (this service cannot see the key\'s use in CloudTrail): make sure the deletion is meant, or cancel it.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-3 fails every key pending deletion;
      // this check reports only the ones still referenced, where the deletion is least likely to be meant.
      controls: { fsbp: ['KMS.3'] },
      evaluate(state) {
        if (!isCustomerManaged(state) || !PENDING_DELETION_STATES.has(state.keyState)) return undefined;
        const use = describeUse(state);
        if (use === '') return undefined;
        const when = state.deletionDate ? ` on ${state.deletionDate.toISOString().slice(0, 10)}` : '';
        return { detail: `deleted${when}, still referenced by ${use}` };
      },
    },
  ],

  remediations: {
    'kms_key.rotation_off': {
      description: 'Turn on automatic key rotation (yearly, KMS\'s default period).',
      risk: 'safe',
      permissions: ['kms:DescribeKey', 'kms:GetKeyRotationStatus', 'kms:EnableKeyRotation'],
      async apply(context) {
        try {
          const metadata = await describeKey(context);
          if (metadata === GONE) return 'gone';
          if (!rotationApplies(metadataState(metadata)) || (await rotationEnabled(context))) return 'already_compliant';
          await kms(context).send(new EnableKeyRotationCommand({ KeyId: context.id }));
          return 'applied';
        } catch (error) {
          if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.kms_key)) return 'gone';
          throw error;
        }
      },
    },
  },
});
