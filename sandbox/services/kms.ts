/**
 * KMS keys of member accounts: what the kms_key auditor reads and
 * remediates, and what the misconfiguration maker creates and removes.
 * Customer managed keys only (the sandbox makes no AWS managed keys). Pages
 * as KMS pages: Limit, Marker, NextMarker and Truncated. Errors by KMS's
 * names: NotFoundException, KMSInvalidStateException (a key pending
 * deletion), UnsupportedOperationException (rotation of a key that cannot
 * rotate), AlreadyExistsException, MalformedPolicyDocumentException.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html
 */
import type {
  CreateAliasCommandInput,
  CreateKeyCommandInput,
  CreateKeyCommandOutput,
  DeleteAliasCommandInput,
  DescribeKeyCommandInput,
  DescribeKeyCommandOutput,
  EnableKeyRotationCommandInput,
  GetKeyPolicyCommandInput,
  GetKeyPolicyCommandOutput,
  GetKeyRotationStatusCommandInput,
  GetKeyRotationStatusCommandOutput,
  KeyMetadata,
  ListAliasesCommandInput,
  ListAliasesCommandOutput,
  ListGrantsCommandInput,
  ListGrantsCommandOutput,
  ListKeysCommandInput,
  ListKeysCommandOutput,
  ListResourceTagsCommandInput,
  ListResourceTagsCommandOutput,
  PutKeyPolicyCommandInput,
  ScheduleKeyDeletionCommandInput,
  ScheduleKeyDeletionCommandOutput,
  CancelKeyDeletionCommandInput,
  CancelKeyDeletionCommandOutput,
} from '@aws-sdk/client-kms';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { derivedUuid } from './loadBalancerNetwork.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, required, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface KeyRecord {
  keyId: string;
  createdAt: string;
  description: string;
  keySpec: string;
  keyUsage: string;
  origin: string;
  /** Enabled | Disabled | PendingDeletion */
  keyState: string;
  /** Set while the key is pending deletion. */
  deletionDate?: string;
  policy: string;
  rotation: boolean;
  tags: Record<string, string>;
}

interface KmsState {
  keys: Record<string, KeyRecord>;
  /** alias name -> target key id */
  aliases: Record<string, string>;
}

const DAY_MS = 86_400_000;

function kmsState(context: OperationContext): KmsState {
  return context.regional<KmsState>('kms', () => ({ keys: {}, aliases: {} }));
}

function keyArn(context: OperationContext, keyId: string): string {
  return `arn:${partitionOf(context.region)}:kms:${context.region}:${context.account}:key/${keyId}`;
}

/** `alias/orders` -> its ARN. */
function aliasArn(context: OperationContext, aliasName: string): string {
  return `arn:${partitionOf(context.region)}:kms:${context.region}:${context.account}:${aliasName}`;
}

/** The default key policy: the account (through IAM) may do everything. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html */
function defaultPolicy(context: OperationContext): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:${partitionOf(context.region)}:iam::${context.account}:root` }, Action: 'kms:*', Resource: '*' }],
  });
}

/** A key id or key ARN of this account and region (aliases are not accepted where these operations need a key). */
function keyOf(context: OperationContext, keyIdOrArn: string | undefined): KeyRecord {
  const given = required(keyIdOrArn, 'KeyId', 'ValidationException');
  const arnPrefix = `arn:${partitionOf(context.region)}:kms:${context.region}:${context.account}:key/`;
  const keyId = given.startsWith('arn:') ? (given.startsWith(arnPrefix) ? given.slice(arnPrefix.length) : '') : given;
  const key = kmsState(context).keys[keyId];
  if (!key) throw serviceError('NotFoundException', 400, `Key '${given.startsWith('arn:') ? given : arnPrefix + given}' does not exist`);
  return key;
}

function notPendingDeletion(context: OperationContext, key: KeyRecord): void {
  if (key.keyState === 'PendingDeletion') throw serviceError('KMSInvalidStateException', 400, `${keyArn(context, key.keyId)} is pending deletion.`);
}

function validPolicy(policy: string): string {
  try {
    const parsed: unknown = JSON.parse(policy);
    if (typeof parsed !== 'object' || parsed === null || !('Statement' in parsed)) throw new Error('no Statement');
  } catch {
    throw serviceError('MalformedPolicyDocumentException', 400, 'The new key policy will not allow you to update the key policy in the future.');
  }
  return policy;
}

function metadataOf(context: OperationContext, key: KeyRecord): KeyMetadata {
  return {
    AWSAccountId: context.account,
    KeyId: key.keyId,
    Arn: keyArn(context, key.keyId),
    CreationDate: new Date(key.createdAt),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage as KeyMetadata['KeyUsage'],
    KeyState: key.keyState as KeyMetadata['KeyState'],
    Origin: key.origin as KeyMetadata['Origin'],
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec as KeyMetadata['CustomerMasterKeySpec'],
    KeySpec: key.keySpec as KeyMetadata['KeySpec'],
    MultiRegion: false,
    ...(key.keySpec === 'SYMMETRIC_DEFAULT' ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } : {}),
    ...(key.deletionDate ? { DeletionDate: new Date(key.deletionDate) } : {}),
  };
}

/** Limit 1 to `max` (default 100 for most list operations): Marker in, NextMarker and Truncated out. */
function kmsPage<T>(items: readonly T[], marker: string | undefined, limit: number | undefined, max: number): { items: T[]; NextMarker?: string; Truncated: boolean } {
  if (limit !== undefined && (limit < 1 || limit > max)) throw serviceError('ValidationException', 400, `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  const { items: slice, next } = page(items, marker, limit ?? 100);
  return { items: slice, ...(next ? { NextMarker: next } : {}), Truncated: next !== undefined };
}

const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

export const kmsService: SandboxService = {
  serviceId: 'KMS',
  operations: {
    CreateKey: operation((context, input: CreateKeyCommandInput): Output<CreateKeyCommandOutput> => {
      const keyId = derivedUuid('kms', context.nextId());
      const key: KeyRecord = {
        keyId,
        createdAt: context.now().toISOString(),
        description: input.Description ?? '',
        keySpec: input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
        keyUsage: input.KeyUsage ?? 'ENCRYPT_DECRYPT',
        origin: input.Origin ?? 'AWS_KMS',
        keyState: input.Origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
        policy: input.Policy ? validPolicy(input.Policy) : defaultPolicy(context),
        rotation: false,
        tags: Object.fromEntries((input.Tags ?? []).map((tag) => [tag.TagKey ?? '', tag.TagValue ?? ''])),
      };
      kmsState(context).keys[keyId] = key;
      return { KeyMetadata: metadataOf(context, key) };
    }),
    /** DescribeKey also takes an alias name. */
    DescribeKey: operation((context, input: DescribeKeyCommandInput): Output<DescribeKeyCommandOutput> => {
      const given = required(input.KeyId, 'KeyId', 'ValidationException');
      if (given.startsWith('alias/')) {
        const target = kmsState(context).aliases[given];
        if (!target) throw serviceError('NotFoundException', 400, `Alias ${aliasArn(context, given)} is not found.`);
        return { KeyMetadata: metadataOf(context, keyOf(context, target)) };
      }
      return { KeyMetadata: metadataOf(context, keyOf(context, given)) };
    }),
    /** Up to 1,000 a page. */
    ListKeys: operation((context, input: ListKeysCommandInput): Output<ListKeysCommandOutput> => {
      const keys = Object.values(kmsState(context).keys).map((key) => ({ KeyId: key.keyId, KeyArn: keyArn(context, key.keyId) }));
      const { items, ...rest } = kmsPage(keys, input.Marker, input.Limit, 1000);
      return { Keys: items, ...rest };
    }),
    GetKeyPolicy: operation((context, input: GetKeyPolicyCommandInput): Output<GetKeyPolicyCommandOutput> => {
      const key = keyOf(context, input.KeyId);
      if ((input.PolicyName ?? 'default') !== 'default') throw serviceError('NotFoundException', 400, 'No such policy exists');
      return { Policy: key.policy, PolicyName: 'default' };
    }),
    PutKeyPolicy: operation((context, input: PutKeyPolicyCommandInput) => {
      const key = keyOf(context, input.KeyId);
      notPendingDeletion(context, key);
      key.policy = validPolicy(required(input.Policy, 'Policy', 'ValidationException'));
      return {};
    }),
    GetKeyRotationStatus: operation((context, input: GetKeyRotationStatusCommandInput): Output<GetKeyRotationStatusCommandOutput> => {
      const key = keyOf(context, input.KeyId);
      if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.origin !== 'AWS_KMS') throw serviceError('UnsupportedOperationException', 400, `${keyArn(context, key.keyId)} origin or key spec does not support rotation.`);
      return { KeyRotationEnabled: key.rotation, KeyId: keyArn(context, key.keyId) };
    }),
    EnableKeyRotation: operation((context, input: EnableKeyRotationCommandInput) => {
      const key = keyOf(context, input.KeyId);
      if (key.keyState !== 'Enabled') throw serviceError('KMSInvalidStateException', 400, `${keyArn(context, key.keyId)} is ${key.keyState === 'PendingDeletion' ? 'pending deletion' : 'disabled'}.`);
      if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.origin !== 'AWS_KMS') throw serviceError('UnsupportedOperationException', 400, `${keyArn(context, key.keyId)} origin or key spec does not support rotation.`);
      key.rotation = true;
      return {};
    }),
    DisableKeyRotation: operation((context, input: EnableKeyRotationCommandInput) => {
      const key = keyOf(context, input.KeyId);
      notPendingDeletion(context, key);
      key.rotation = false;
      return {};
    }),
    CreateAlias: operation((context, input: CreateAliasCommandInput) => {
      const name = required(input.AliasName, 'AliasName', 'ValidationException');
      if (!ALIAS_NAME.test(name) || name.startsWith('alias/aws/')) throw serviceError('ValidationException', 400, `Alias must start with the prefix "alias/" and may not begin with "alias/aws/": ${name}`);
      const key = keyOf(context, input.TargetKeyId);
      notPendingDeletion(context, key);
      const state = kmsState(context);
      if (state.aliases[name]) throw serviceError('AlreadyExistsException', 400, `An alias with the name ${aliasArn(context, name)} already exists`);
      state.aliases[name] = key.keyId;
      return {};
    }),
    DeleteAlias: operation((context, input: DeleteAliasCommandInput) => {
      const name = required(input.AliasName, 'AliasName', 'ValidationException');
      const state = kmsState(context);
      if (!state.aliases[name]) throw serviceError('NotFoundException', 400, `Alias ${aliasArn(context, name)} is not found.`);
      delete state.aliases[name];
      return {};
    }),
    ListAliases: operation((context, input: ListAliasesCommandInput): Output<ListAliasesCommandOutput> => {
      const state = kmsState(context);
      const keyId = input.KeyId === undefined ? undefined : keyOf(context, input.KeyId).keyId;
      const aliases = Object.entries(state.aliases)
        .filter(([, target]) => keyId === undefined || target === keyId)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, target]) => ({ AliasName: name, AliasArn: aliasArn(context, name), TargetKeyId: target }));
      const { items, ...rest } = kmsPage(aliases, input.Marker, input.Limit, 100);
      return { Aliases: items, ...rest };
    }),
    /** The sandbox makes no grants: every key lists none. */
    ListGrants: operation((context, input: ListGrantsCommandInput): Output<ListGrantsCommandOutput> => {
      keyOf(context, input.KeyId);
      return { Grants: [], Truncated: false };
    }),
    ListResourceTags: operation((context, input: ListResourceTagsCommandInput): Output<ListResourceTagsCommandOutput> => {
      const key = keyOf(context, input.KeyId);
      const tags = Object.entries(key.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
      const { items, ...rest } = kmsPage(tags, input.Marker, input.Limit, 50);
      return { Tags: items, ...rest };
    }),
    /** 7 to 30 days, 30 by default. */
    ScheduleKeyDeletion: operation((context, input: ScheduleKeyDeletionCommandInput): Output<ScheduleKeyDeletionCommandOutput> => {
      const key = keyOf(context, input.KeyId);
      notPendingDeletion(context, key);
      const days = input.PendingWindowInDays ?? 30;
      if (days < 7 || days > 30) throw serviceError('ValidationException', 400, `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`);
      key.keyState = 'PendingDeletion';
      key.deletionDate = new Date(context.now().getTime() + days * DAY_MS).toISOString();
      return { KeyId: keyArn(context, key.keyId), DeletionDate: new Date(key.deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days };
    }),
    /** A cancelled deletion leaves the key Disabled. */
    CancelKeyDeletion: operation((context, input: CancelKeyDeletionCommandInput): Output<CancelKeyDeletionCommandOutput> => {
      const key = keyOf(context, input.KeyId);
      if (key.keyState !== 'PendingDeletion') throw serviceError('KMSInvalidStateException', 400, `${keyArn(context, key.keyId)} is not pending deletion.`);
      key.keyState = 'Disabled';
      delete key.deletionDate;
      return { KeyId: keyArn(context, key.keyId) };
    }),
  },
};
