/**
 * ecr_repository: private ECR repositories whose images are not scanned
 * (FSBP ECR.1), whose tags can be overwritten (ECR.2), or whose repository
 * policy is public or shared with an unknown account.
 *
 * APIs: DescribeRepositories (list: up to 1,000 a page; collect:
 * repositoryNames=[id]), GetRepositoryPolicy (RepositoryPolicyNotFoundException:
 * no policy), ListTagsForResource (the stack's own tag protects the service's
 * own repositories), GetRegistryScanningConfiguration (auditors/ecrScanning.ts).
 * Remediations: PutImageScanningConfiguration scanOnPush (safe; only where the
 * registry uses BASIC scanning, under ENHANCED only a registry rule helps);
 * PutImageTagMutability IMMUTABLE (disruptive: a pipeline that re-pushes a tag
 * such as "latest" fails from then on); SetRepositoryPolicy with only the
 * public statements or unknown accounts removed, DeleteRepositoryPolicy when
 * nothing is left (safe).
 * CloudTrail: CreateRepository (responseElements.repository.repositoryName),
 * SetRepositoryPolicy, PutImageScanningConfiguration, PutImageTagMutability
 * (requestParameters.repositoryName).
 */
import {
  DeleteRepositoryPolicyCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  SetRepositoryPolicyCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { isScanned, registryScanningOf, type RegistryScanning } from './ecrScanning.ts';
import { parsePolicyDocument, serialisePolicyDocument, type PolicyDocument } from './policy/index.ts';
import { resourcePolicyChecks, resourcePolicyRemediations } from './resourcePolicyExposure.ts';
import { ecrRepositoryTriggers } from './triggers/ecrRepository.ts';

/** GetRepositoryPolicy's answer for a repository without a policy (not a deletion). */
export const NO_REPOSITORY_POLICY = 'RepositoryPolicyNotFoundException';
/** The tag mutability settings under which a pushed tag cannot be overwritten (the *_WITH_EXCLUSION forms keep exceptions). */
const IMMUTABLE_SETTINGS: ReadonlySet<string> = new Set(['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION']);

export interface RepositoryState {
  name: string;
  arn: string;
  scanOnPush: boolean;
  tagMutability: string;
  registryScanning: RegistryScanning;
  /** undefined: the repository has no policy. */
  policy?: PolicyDocument;
  tags: Readonly<Record<string, string>>;
}

// ---------- reads ----------

function ecr(context: ResourceContext): ECRClient {
  return context.clients.get(ECRClient);
}

async function readPolicy(context: ResourceContext): Promise<PolicyDocument | undefined> {
  try {
    const { policyText } = await ecr(context).send(new GetRepositoryPolicyCommand({ repositoryName: context.id }));
    return policyText ? parsePolicyDocument(policyText) : undefined;
  } catch (error) {
    if (hasErrorName(error, NO_REPOSITORY_POLICY)) return undefined;
    throw error;
  }
}

async function readRepository(context: ResourceContext): Promise<RepositoryState | Gone> {
  try {
    const { repositories } = await ecr(context).send(new DescribeRepositoriesCommand({ repositoryNames: [context.id] }));
    const repository = repositories?.find((r) => r.repositoryName === context.id);
    if (!repository?.repositoryArn) return GONE;
    const policy = await readPolicy(context);
    const { tags } = await ecr(context).send(new ListTagsForResourceCommand({ resourceArn: repository.repositoryArn }));
    const { scanningConfiguration } = await ecr(context).send(new GetRegistryScanningConfigurationCommand({}));
    return {
      name: context.id,
      arn: repository.repositoryArn,
      scanOnPush: repository.imageScanningConfiguration?.scanOnPush === true,
      tagMutability: repository.imageTagMutability ?? 'MUTABLE',
      registryScanning: registryScanningOf(scanningConfiguration),
      policy,
      tags: tagsToRecord(tags),
    };
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.ecr_repository)) return GONE;
    throw error;
  }
}

/** Write the narrowed policy, or delete it when nothing is left. */
async function writePolicy(context: ResourceContext, policy: PolicyDocument): Promise<void> {
  if (policy.Statement.length === 0) await ecr(context).send(new DeleteRepositoryPolicyCommand({ repositoryName: context.id }));
  else await ecr(context).send(new SetRepositoryPolicyCommand({ repositoryName: context.id, policyText: serialisePolicyDocument(policy) }));
}

const READ_PERMISSIONS = ['ecr:DescribeRepositories', 'ecr:GetRepositoryPolicy', 'ecr:ListTagsForResource', 'ecr:GetRegistryScanningConfiguration'] as const;

// ---------- the auditor ----------

export const ecrRepositoryAuditor = defineAuditor<RepositoryState>({
  type: 'ecr_repository',
  scope: 'regional',
  description: 'ECR private repositories: image scanning, tag immutability, public policies, policies shared with unknown accounts',
  permissions: { list: ['ecr:DescribeRepositories'], collect: [...READ_PERMISSIONS] },
  triggers: ecrRepositoryTriggers,

  async *list({ clients }) {
    // maxResults 1 to 1,000: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html
    for await (const page of paginateDescribeRepositories({ client: clients.get(ECRClient), pageSize: 1000 }, {})) {
      for (const repository of page.repositories ?? []) if (repository.repositoryName) yield { id: repository.repositoryName, name: repository.repositoryName };
    }
  },

  collect: readRepository,

  identity: (state) => ({ tags: state.tags }),

  checks: [
    {
      id: 'ecr_repository.scan_on_push_off',
      title: 'Repository images are not scanned for vulnerabilities',
      severity: 'high',
      rationale: 'Images pushed without a scan (on push, or continuous with enhanced scanning) can carry known vulnerabilities into every task or pod that pulls them, unnoticed.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html#ecr-1 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['ECR.1'] },
      evaluate(state) {
        if (isScanned(state.name, state.scanOnPush, state.registryScanning)) return undefined;
        return state.registryScanning.scanType === 'ENHANCED'
          ? { detail: 'enhanced scanning is on for the registry, but no SCAN_ON_PUSH or CONTINUOUS_SCAN rule matches this repository' }
          : { detail: 'scanOnPush is off and no registry SCAN_ON_PUSH rule matches this repository' };
      },
    },
    {
      id: 'ecr_repository.tags_mutable',
      title: 'Repository image tags can be overwritten',
      severity: 'medium',
      rationale: 'With mutable tags, anyone who can push can replace the image behind a tag a deployment already trusts ("v1.2.3", "prod") without its name changing.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html#ecr-2 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['ECR.2'] },
      evaluate(state) {
        return IMMUTABLE_SETTINGS.has(state.tagMutability) ? undefined : { detail: `imageTagMutability is ${state.tagMutability}` };
      },
    },
    ...resourcePolicyChecks<RepositoryState>({
      type: 'ecr_repository',
      noun: 'Repository',
      publicRisk: 'pull its images, or push and delete them where the policy allows',
      foreignRisk: 'pull its images, or push and delete them where the policy allows',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html: no ECR control judges repository policies.
      publicControls: { none: "no FSBP or CIS v3.0.0 control judges ECR repository policies (Security Hub's ECR controls cover scanning, tag immutability, lifecycle policies, tagging and encryption)" },
    }),
  ],

  remediations: {
    'ecr_repository.scan_on_push_off': {
      description: 'Turn on scan on push for the repository (basic scanning); under enhanced scanning only a registry rule helps, so the finding is notify-only there.',
      risk: 'safe',
      permissions: [...READ_PERMISSIONS, 'ecr:PutImageScanningConfiguration'],
      applicable: (state) => state.registryScanning.scanType === 'BASIC',
      async apply(context) {
        const repository = await readRepository(context);
        if (repository === GONE) return 'gone';
        if (isScanned(repository.name, repository.scanOnPush, repository.registryScanning)) return 'already_compliant';
        await ecr(context).send(new PutImageScanningConfigurationCommand({ repositoryName: context.id, imageScanningConfiguration: { scanOnPush: true } }));
        return 'applied';
      },
    },
    'ecr_repository.tags_mutable': {
      description: 'Make the repository\'s tags immutable; a pipeline that re-pushes a tag such as "latest" fails from then on.',
      risk: 'disruptive',
      permissions: [...READ_PERMISSIONS, 'ecr:PutImageTagMutability'],
      async apply(context) {
        const repository = await readRepository(context);
        if (repository === GONE) return 'gone';
        if (IMMUTABLE_SETTINGS.has(repository.tagMutability)) return 'already_compliant';
        await ecr(context).send(new PutImageTagMutabilityCommand({ repositoryName: context.id, imageTagMutability: 'IMMUTABLE' }));
        return 'applied';
      },
    },
    ...resourcePolicyRemediations<RepositoryState>('ecr_repository', {
      read: async (context) => {
        const repository = await readRepository(context);
        return repository === GONE ? GONE : repository.policy;
      },
      write: writePolicy,
      permissions: [...READ_PERMISSIONS, 'ecr:SetRepositoryPolicy', 'ecr:DeleteRepositoryPolicy'],
      whenEmptied: 'delete the policy',
    }),
  },
});
