/**
 * Secrets Manager secrets of member accounts: what the secret auditor reads
 * and remediates, and what the misconfiguration maker creates and removes.
 * A secret is named by its name or its ARN (the name, a hyphen and six
 * random characters); ListSecrets pages with MaxResults and NextToken and
 * leaves out secrets scheduled for deletion. Errors by Secrets Manager's
 * names: ResourceNotFoundException, ResourceExistsException,
 * InvalidRequestException (a secret scheduled for deletion),
 * InvalidParameterException, MalformedPolicyDocumentException.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Operations.html
 */
import type {
  CreateSecretCommandInput,
  CreateSecretCommandOutput,
  DeleteResourcePolicyCommandInput,
  DeleteResourcePolicyCommandOutput,
  DeleteSecretCommandInput,
  DeleteSecretCommandOutput,
  DescribeSecretCommandInput,
  DescribeSecretCommandOutput,
  GetResourcePolicyCommandInput,
  GetResourcePolicyCommandOutput,
  ListSecretsCommandInput,
  ListSecretsCommandOutput,
  PutResourcePolicyCommandInput,
  PutResourcePolicyCommandOutput,
  SecretListEntry,
} from '@aws-sdk/client-secrets-manager';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { derivedUuid } from './loadBalancerNetwork.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, required, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface SecretRecord {
  arn: string;
  name: string;
  createdAt: string;
  lastChangedAt: string;
  description?: string;
  policy?: string;
  tags: { Key: string; Value: string }[];
  deletedAt?: string;
}

interface SecretsState {
  /** By ARN. */
  secrets: Record<string, SecretRecord>;
}

const DAY_MS = 86_400_000;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const NOT_FOUND = "Secrets Manager can't find the specified secret.";

function secretsState(context: OperationContext): SecretsState {
  return context.regional<SecretsState>('secretsmanager', () => ({ secrets: {} }));
}

function notFound(): Error {
  return serviceError('ResourceNotFoundException', 400, NOT_FOUND);
}

/** The secret a SecretId names: its ARN, or the name of a secret not yet deleted for good. */
function secretOf(context: OperationContext, secretId: string | undefined): SecretRecord {
  const id = required(secretId, 'SecretId', 'InvalidParameterException');
  const secrets = Object.values(secretsState(context).secrets);
  const secret = id.startsWith('arn:') ? secrets.find((s) => s.arn === id) : secrets.find((s) => s.name === id);
  if (!secret) throw notFound();
  return secret;
}

function notScheduledForDeletion(secret: SecretRecord, operationName: string): void {
  if (secret.deletedAt) throw serviceError('InvalidRequestException', 400, `You can't perform this operation on the secret because it was marked for deletion. (${operationName})`);
}

/** Six random characters after the name: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html */
function arnSuffix(context: OperationContext): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  // Hashed, so that consecutive secrets do not share a suffix (nextId is a counter).
  const hex = derivedUuid('secret-arn', context.nextId()).replace(/-/g, '');
  return Array.from({ length: 6 }, (_, i) => alphabet[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % alphabet.length]).join('');
}

function validPolicy(policy: string | undefined): string {
  const text = required(policy, 'ResourcePolicy', 'InvalidParameterException');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || !('Statement' in parsed)) throw new Error('no Statement');
  } catch {
    throw serviceError('MalformedPolicyDocumentException', 400, 'This resource policy contains a syntax error.');
  }
  return text;
}

function entryOf(secret: SecretRecord): SecretListEntry {
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description ? { Description: secret.description } : {}),
    LastChangedDate: new Date(secret.lastChangedAt),
    CreatedDate: new Date(secret.createdAt),
    ...(secret.deletedAt ? { DeletedDate: new Date(secret.deletedAt) } : {}),
    ...(secret.tags.length > 0 ? { Tags: secret.tags } : {}),
  };
}

export const secretsManagerService: SandboxService = {
  serviceId: 'Secrets Manager',
  operations: {
    CreateSecret: operation((context, input: CreateSecretCommandInput): Output<CreateSecretCommandOutput> => {
      const name = required(input.Name, 'Name', 'InvalidParameterException');
      if (!SECRET_NAME.test(name)) throw serviceError('InvalidParameterException', 400, 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
      const state = secretsState(context);
      const existing = Object.values(state.secrets).find((s) => s.name === name);
      if (existing) {
        throw existing.deletedAt
          ? serviceError('InvalidRequestException', 400, `You can't create this secret because a secret with this name is already scheduled for deletion.`)
          : serviceError('ResourceExistsException', 400, `The operation failed because the secret ${name} already exists.`);
      }
      const now = context.now().toISOString();
      const arn = `arn:${partitionOf(context.region)}:secretsmanager:${context.region}:${context.account}:secret:${name}-${arnSuffix(context)}`;
      const hasValue = input.SecretString !== undefined || input.SecretBinary !== undefined;
      state.secrets[arn] = {
        arn,
        name,
        createdAt: now,
        lastChangedAt: now,
        ...(input.Description ? { description: input.Description } : {}),
        tags: (input.Tags ?? []).map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' })),
      };
      // The value itself is not kept: nothing here reads it.
      return { ARN: arn, Name: name, ...(hasValue ? { VersionId: derivedUuid('secret-version', context.nextId()) } : {}) };
    }),
    /** The sandbox never rotates: no RotationEnabled (never configured), no LastRotatedDate. */
    DescribeSecret: operation((context, input: DescribeSecretCommandInput): Output<DescribeSecretCommandOutput> => entryOf(secretOf(context, input.SecretId))),
    ListSecrets: operation((context, input: ListSecretsCommandInput): Output<ListSecretsCommandOutput> => {
      const maxResults = input.MaxResults ?? 100;
      if (maxResults < 1 || maxResults > 100) throw serviceError('InvalidParameterException', 400, 'MaxResults must be between 1 and 100.');
      const secrets = Object.values(secretsState(context).secrets)
        .filter((secret) => input.IncludePlannedDeletion === true || !secret.deletedAt)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name))
        .map(entryOf);
      const { items, next } = page(secrets, input.NextToken, maxResults);
      return { SecretList: items, ...(next ? { NextToken: next } : {}) };
    }),
    GetResourcePolicy: operation((context, input: GetResourcePolicyCommandInput): Output<GetResourcePolicyCommandOutput> => {
      const secret = secretOf(context, input.SecretId);
      return { ARN: secret.arn, Name: secret.name, ...(secret.policy ? { ResourcePolicy: secret.policy } : {}) };
    }),
    PutResourcePolicy: operation((context, input: PutResourcePolicyCommandInput): Output<PutResourcePolicyCommandOutput> => {
      const secret = secretOf(context, input.SecretId);
      notScheduledForDeletion(secret, 'PutResourcePolicy');
      secret.policy = validPolicy(input.ResourcePolicy);
      secret.lastChangedAt = context.now().toISOString();
      return { ARN: secret.arn, Name: secret.name };
    }),
    DeleteResourcePolicy: operation((context, input: DeleteResourcePolicyCommandInput): Output<DeleteResourcePolicyCommandOutput> => {
      const secret = secretOf(context, input.SecretId);
      notScheduledForDeletion(secret, 'DeleteResourcePolicy');
      delete secret.policy;
      secret.lastChangedAt = context.now().toISOString();
      return { ARN: secret.arn, Name: secret.name };
    }),
    /** A recovery window of 7 to 30 days (30 by default), or ForceDeleteWithoutRecovery: gone at once. */
    DeleteSecret: operation((context, input: DeleteSecretCommandInput): Output<DeleteSecretCommandOutput> => {
      const secret = secretOf(context, input.SecretId);
      if (input.ForceDeleteWithoutRecovery === true && input.RecoveryWindowInDays !== undefined) {
        throw serviceError('InvalidParameterException', 400, "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
      }
      const now = context.now();
      if (input.ForceDeleteWithoutRecovery === true) {
        delete secretsState(context).secrets[secret.arn];
        return { ARN: secret.arn, Name: secret.name, DeletionDate: now };
      }
      const days = input.RecoveryWindowInDays ?? 30;
      if (days < 7 || days > 30) throw serviceError('InvalidParameterException', 400, 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
      notScheduledForDeletion(secret, 'DeleteSecret');
      secret.deletedAt = now.toISOString();
      return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(now.getTime() + days * DAY_MS) };
    }),
  },
};
