/**
 * ECR private repositories of member accounts: what the ecr_repository
 * auditor reads and remediates, and what the misconfiguration maker creates
 * and removes; the registry's scanning configuration (BASIC, no rules, until
 * PutRegistryScanningConfiguration). ECR speaks JSON: an error's name and
 * code are the exception's name.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_Operations.html
 */
import type {
  CreateRepositoryCommandInput,
  CreateRepositoryCommandOutput,
  DeleteRepositoryCommandInput,
  DeleteRepositoryCommandOutput,
  DeleteRepositoryPolicyCommandInput,
  DeleteRepositoryPolicyCommandOutput,
  DescribeRepositoriesCommandInput,
  DescribeRepositoriesCommandOutput,
  GetRegistryScanningConfigurationCommandOutput,
  GetRepositoryPolicyCommandInput,
  GetRepositoryPolicyCommandOutput,
  ListTagsForResourceCommandInput,
  ListTagsForResourceCommandOutput,
  PutImageScanningConfigurationCommandInput,
  PutImageScanningConfigurationCommandOutput,
  PutImageTagMutabilityCommandInput,
  PutImageTagMutabilityCommandOutput,
  PutRegistryScanningConfigurationCommandInput,
  PutRegistryScanningConfigurationCommandOutput,
  RegistryScanningConfiguration,
  Repository,
  SetRepositoryPolicyCommandInput,
  SetRepositoryPolicyCommandOutput,
  Tag,
} from '@aws-sdk/client-ecr';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface RepositoryRecord {
  repository: Repository;
  policy?: string;
  tags: Tag[];
}

interface EcrState {
  repositories: Record<string, RepositoryRecord>;
  scanning: RegistryScanningConfiguration;
}

/** 2 to 256 characters, lower case, namespaces separated by "/": https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html */
const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG_MUTABILITY = new Set(['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION']);
const DEFAULT_PAGE_SIZE = 100;

function ecr(context: OperationContext): EcrState {
  return context.regional<EcrState>('ecr', () => ({ repositories: {}, scanning: { scanType: 'BASIC', rules: [] } }));
}

const invalidParameter = (message: string): Error => serviceError('InvalidParameterException', 400, message);

/** The repository of this account (registryId, when given, must be it: other registries are not modelled). */
function recordOf(context: OperationContext, name: string | undefined, registryId?: string): RepositoryRecord {
  if (!name) throw invalidParameter("1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null");
  const record = registryId === undefined || registryId === context.account ? ecr(context).repositories[name] : undefined;
  if (!record) throw repositoryNotFound(name, registryId ?? context.account);
  return record;
}

function repositoryNotFound(name: string, registryId: string): Error {
  return serviceError('RepositoryNotFoundException', 400, `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);
}

function validPolicy(text: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(text ?? '');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return text ?? '';
  } catch {
    // answered below
  }
  throw invalidParameter('Invalid parameter at \'PolicyText\' failed to satisfy constraint: \'Invalid repository policy provided\'');
}

export const ecrService: SandboxService = {
  serviceId: 'ECR',
  operations: {
    CreateRepository: operation((context, input: CreateRepositoryCommandInput): Output<CreateRepositoryCommandOutput> => {
      const name = input.repositoryName ?? '';
      if (!REPOSITORY_NAME.test(name)) throw invalidParameter(`Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`);
      const state = ecr(context);
      if (state.repositories[name]) throw serviceError('RepositoryAlreadyExistsException', 400, `The repository with name '${name}' already exists in the registry with id '${context.account}'`);
      const mutability = input.imageTagMutability ?? 'MUTABLE';
      if (!TAG_MUTABILITY.has(mutability)) throw invalidParameter(`Invalid parameter at 'imageTagMutability': ${mutability}`);
      const repository: Repository = {
        repositoryArn: `arn:${partitionOf(context.region)}:ecr:${context.region}:${context.account}:repository/${name}`,
        registryId: context.account,
        repositoryName: name,
        repositoryUri: `${context.account}.dkr.ecr.${context.region}.amazonaws.com/${name}`,
        createdAt: context.now(),
        imageTagMutability: mutability,
        imageScanningConfiguration: { scanOnPush: input.imageScanningConfiguration?.scanOnPush === true },
        encryptionConfiguration: input.encryptionConfiguration ?? { encryptionType: 'AES256' },
      };
      state.repositories[name] = { repository, tags: [...(input.tags ?? [])] };
      return { repository };
    }),
    /** A repository with images needs force; the sandbox holds no images, so force changes nothing. */
    DeleteRepository: operation((context, input: DeleteRepositoryCommandInput): Output<DeleteRepositoryCommandOutput> => {
      const { repository } = recordOf(context, input.repositoryName, input.registryId);
      delete ecr(context).repositories[input.repositoryName ?? ''];
      return { repository };
    }),
    DescribeRepositories: operation((context, input: DescribeRepositoriesCommandInput): Output<DescribeRepositoriesCommandOutput> => {
      if (input.repositoryNames) return { repositories: input.repositoryNames.map((name) => recordOf(context, name, input.registryId).repository) };
      const all = Object.keys(ecr(context).repositories)
        .sort()
        .map((name) => ecr(context).repositories[name]?.repository)
        .filter((repository): repository is Repository => repository !== undefined);
      const { items, next } = page(all, input.nextToken, input.maxResults ?? DEFAULT_PAGE_SIZE);
      return { repositories: items, ...(next ? { nextToken: next } : {}) };
    }),
    GetRepositoryPolicy: operation((context, input: GetRepositoryPolicyCommandInput): Output<GetRepositoryPolicyCommandOutput> => {
      const record = recordOf(context, input.repositoryName, input.registryId);
      if (record.policy === undefined) {
        throw serviceError('RepositoryPolicyNotFoundException', 400, `Repository policy does not exist for the repository with name '${input.repositoryName}' in the registry with id '${context.account}'`);
      }
      return { registryId: context.account, repositoryName: input.repositoryName, policyText: record.policy };
    }),
    SetRepositoryPolicy: operation((context, input: SetRepositoryPolicyCommandInput): Output<SetRepositoryPolicyCommandOutput> => {
      const record = recordOf(context, input.repositoryName, input.registryId);
      record.policy = validPolicy(input.policyText);
      return { registryId: context.account, repositoryName: input.repositoryName, policyText: record.policy };
    }),
    DeleteRepositoryPolicy: operation((context, input: DeleteRepositoryPolicyCommandInput): Output<DeleteRepositoryPolicyCommandOutput> => {
      const record = recordOf(context, input.repositoryName, input.registryId);
      const policyText = record.policy;
      if (policyText === undefined) {
        throw serviceError('RepositoryPolicyNotFoundException', 400, `Repository policy does not exist for the repository with name '${input.repositoryName}' in the registry with id '${context.account}'`);
      }
      delete record.policy;
      return { registryId: context.account, repositoryName: input.repositoryName, policyText };
    }),
    ListTagsForResource: operation((context, input: ListTagsForResourceCommandInput): Output<ListTagsForResourceCommandOutput> => {
      const [, region, account, name] = /^arn:[a-z-]+:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(input.resourceArn ?? '') ?? [];
      if (!name) throw invalidParameter(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN ${input.resourceArn}'`);
      if (region !== context.region) throw repositoryNotFound(name, account ?? context.account);
      const record = recordOf(context, name, account);
      return { tags: record.tags.map((tag) => ({ ...tag })) };
    }),
    PutImageScanningConfiguration: operation((context, input: PutImageScanningConfigurationCommandInput): Output<PutImageScanningConfigurationCommandOutput> => {
      const { repository } = recordOf(context, input.repositoryName, input.registryId);
      repository.imageScanningConfiguration = { scanOnPush: input.imageScanningConfiguration?.scanOnPush === true };
      return { registryId: context.account, repositoryName: input.repositoryName, imageScanningConfiguration: repository.imageScanningConfiguration };
    }),
    PutImageTagMutability: operation((context, input: PutImageTagMutabilityCommandInput): Output<PutImageTagMutabilityCommandOutput> => {
      const { repository } = recordOf(context, input.repositoryName, input.registryId);
      if (!input.imageTagMutability || !TAG_MUTABILITY.has(input.imageTagMutability)) throw invalidParameter(`Invalid parameter at 'imageTagMutability': ${input.imageTagMutability}`);
      repository.imageTagMutability = input.imageTagMutability;
      return { registryId: context.account, repositoryName: input.repositoryName, imageTagMutability: input.imageTagMutability };
    }),
    GetRegistryScanningConfiguration: operation((context): Output<GetRegistryScanningConfigurationCommandOutput> => ({
      registryId: context.account,
      scanningConfiguration: structuredClone(ecr(context).scanning),
    })),
    PutRegistryScanningConfiguration: operation((context, input: PutRegistryScanningConfigurationCommandInput): Output<PutRegistryScanningConfigurationCommandOutput> => {
      const scanning: RegistryScanningConfiguration = { scanType: input.scanType ?? 'BASIC', rules: structuredClone(input.rules ?? []) };
      ecr(context).scanning = scanning;
      return { registryScanningConfiguration: structuredClone(scanning) };
    }),
  },
};
