/**
 * EFS file systems and their file system policies: what the
 * efs_file_system auditor reads and remediates, and what the
 * misconfiguration maker creates and removes. A file system is `creating`
 * in CreateFileSystem's answer and `available` from then on; mount targets
 * are not modelled (the maker makes none). Errors are EFS's:
 * https://docs.aws.amazon.com/efs/latest/ug/API_Operations.html
 */
import type {
  CreateFileSystemCommandInput,
  CreateFileSystemCommandOutput,
  DeleteFileSystemCommandInput,
  DeleteFileSystemPolicyCommandInput,
  DescribeFileSystemPolicyCommandInput,
  DescribeFileSystemPolicyCommandOutput,
  DescribeFileSystemsCommandInput,
  DescribeFileSystemsCommandOutput,
  FileSystemDescription,
  PutFileSystemPolicyCommandInput,
  PutFileSystemPolicyCommandOutput,
  Tag,
} from '@aws-sdk/client-efs';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface FileSystemRecord {
  fileSystemId: string;
  creationToken: string;
  createdAt: string;
  encrypted: boolean;
  kmsKeyId?: string;
  tags: Tag[];
  policy?: string;
}

interface EfsState {
  fileSystems: Record<string, FileSystemRecord>;
}

/** DescribeFileSystems MaxItems: 100 at most, the default: https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystems.html */
const MAX_ITEMS = 100;
/** A file system policy is at most 20,000 characters: https://docs.aws.amazon.com/efs/latest/ug/create-file-system-policy.html */
const MAX_POLICY_LENGTH = 20_000;

function efs(context: OperationContext): EfsState {
  return context.regional<EfsState>('efs', () => ({ fileSystems: {} }));
}

const badRequest = (message: string): Error => serviceError('BadRequest', 400, message);

function fileSystemOf(context: OperationContext, id: string | undefined): FileSystemRecord {
  if (!id) throw badRequest('FileSystemId is required');
  const fileSystem = efs(context).fileSystems[id];
  if (!fileSystem) throw serviceError('FileSystemNotFound', 404, `File system '${id}' does not exist.`);
  return fileSystem;
}

function describe(context: OperationContext, fileSystem: FileSystemRecord, state: 'creating' | 'available'): FileSystemDescription {
  const name = fileSystem.tags.find((tag) => tag.Key === 'Name')?.Value;
  return {
    OwnerId: context.account,
    CreationToken: fileSystem.creationToken,
    FileSystemId: fileSystem.fileSystemId,
    FileSystemArn: `arn:${partitionOf(context.region)}:elasticfilesystem:${context.region}:${context.account}:file-system/${fileSystem.fileSystemId}`,
    CreationTime: new Date(fileSystem.createdAt),
    LifeCycleState: state,
    ...(name !== undefined ? { Name: name } : {}),
    NumberOfMountTargets: 0,
    SizeInBytes: { Value: 6144, Timestamp: new Date(fileSystem.createdAt), ValueInIA: 0, ValueInStandard: 6144, ValueInArchive: 0 },
    PerformanceMode: 'generalPurpose',
    Encrypted: fileSystem.encrypted,
    ...(fileSystem.kmsKeyId ? { KmsKeyId: fileSystem.kmsKeyId } : {}),
    ThroughputMode: 'elastic',
    Tags: fileSystem.tags.map((tag) => ({ ...tag })),
    FileSystemProtection: { ReplicationOverwriteProtection: 'ENABLED' },
  };
}

/** A policy EFS accepts: JSON with at least one statement, at most 20,000 characters. */
function validPolicy(policy: string | undefined): string {
  if (!policy) throw badRequest('Policy is required');
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw serviceError('InvalidPolicyException', 400, 'Policy is not valid JSON.');
  }
  const statements = (parsed as { Statement?: unknown }).Statement;
  if (policy.length > MAX_POLICY_LENGTH || (Array.isArray(statements) ? statements.length === 0 : typeof statements !== 'object' || statements === null)) {
    throw serviceError('InvalidPolicyException', 400, 'Policy is malformed: it needs at least one statement.');
  }
  return policy;
}

export const efsService: SandboxService = {
  serviceId: 'EFS',
  operations: {
    CreateFileSystem: operation((context, input: CreateFileSystemCommandInput): Output<CreateFileSystemCommandOutput> => {
      if (!input.CreationToken) throw badRequest('CreationToken is required');
      const state = efs(context);
      const existing = Object.values(state.fileSystems).find((fileSystem) => fileSystem.creationToken === input.CreationToken);
      if (existing) {
        throw Object.assign(serviceError('FileSystemAlreadyExists', 409, `File system '${existing.fileSystemId}' already exists with creation token '${input.CreationToken}'`), { FileSystemId: existing.fileSystemId });
      }
      if (input.KmsKeyId && input.Encrypted !== true) throw badRequest('KmsKeyId requires Encrypted to be true');
      const fileSystemId = `fs-${context.nextId()}`;
      const encrypted = input.Encrypted === true;
      const record: FileSystemRecord = {
        fileSystemId,
        creationToken: input.CreationToken,
        createdAt: context.now().toISOString(),
        encrypted,
        // Encrypted without a key: the AWS managed key aws/elasticfilesystem.
        ...(encrypted ? { kmsKeyId: input.KmsKeyId ?? `arn:${partitionOf(context.region)}:kms:${context.region}:${context.account}:key/${context.nextId()}` } : {}),
        tags: (input.Tags ?? []).map((tag) => ({ ...tag })),
      };
      state.fileSystems[fileSystemId] = record;
      return describe(context, record, 'creating');
    }),
    DescribeFileSystems: operation((context, input: DescribeFileSystemsCommandInput): Output<DescribeFileSystemsCommandOutput> => {
      if (input.FileSystemId && input.CreationToken) throw badRequest('Request cannot contain both a file system ID and a creation token.');
      const maxItems = input.MaxItems ?? MAX_ITEMS;
      if (maxItems < 1) throw badRequest('MaxItems must be at least 1');
      const all = Object.values(efs(context).fileSystems).sort((a, b) => a.fileSystemId.localeCompare(b.fileSystemId));
      const selected = input.FileSystemId ? [fileSystemOf(context, input.FileSystemId)] : all.filter((fileSystem) => !input.CreationToken || fileSystem.creationToken === input.CreationToken);
      const { items, next } = page(selected, input.Marker, Math.min(maxItems, MAX_ITEMS));
      return { FileSystems: items.map((fileSystem) => describe(context, fileSystem, 'available')), ...(input.Marker ? { Marker: input.Marker } : {}), ...(next ? { NextMarker: next } : {}) };
    }),
    DeleteFileSystem: operation((context, input: DeleteFileSystemCommandInput) => {
      const fileSystem = fileSystemOf(context, input.FileSystemId);
      delete efs(context).fileSystems[fileSystem.fileSystemId];
      return {};
    }),
    /** PolicyNotFound when the default policy applies (no policy set). */
    DescribeFileSystemPolicy: operation((context, input: DescribeFileSystemPolicyCommandInput): Output<DescribeFileSystemPolicyCommandOutput> => {
      const fileSystem = fileSystemOf(context, input.FileSystemId);
      if (fileSystem.policy === undefined) throw serviceError('PolicyNotFound', 404, 'No file system policy found.');
      return { FileSystemId: fileSystem.fileSystemId, Policy: fileSystem.policy };
    }),
    PutFileSystemPolicy: operation((context, input: PutFileSystemPolicyCommandInput): Output<PutFileSystemPolicyCommandOutput> => {
      const fileSystem = fileSystemOf(context, input.FileSystemId);
      fileSystem.policy = validPolicy(input.Policy);
      return { FileSystemId: fileSystem.fileSystemId, Policy: fileSystem.policy };
    }),
    DeleteFileSystemPolicy: operation((context, input: DeleteFileSystemPolicyCommandInput) => {
      delete fileSystemOf(context, input.FileSystemId).policy;
      return {};
    }),
  },
};
