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
  type RegistryScanningConfiguration,
  type Repository,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { ecrRepositoryAuditor } from '../../auditors/ecrRepository.ts';
import { filterMatches } from '../../auditors/ecrScanning.ts';
import type { PolicyStatement } from '../../auditors/policy/index.ts';
import { SERVICE_STACK_TAG } from '../../services/core/selfProtection.ts';
import { awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const ecr = mockClient(ECRClient);

const NAME = 'orders/api';
const ARN = `arn:aws:ecr:us-east-1:111111111111:repository/${NAME}`;
/** A repository as DescribeRepositories returns it, scanned on push with immutable tags. */
const COMPLIANT: Repository = {
  repositoryArn: ARN,
  registryId: '111111111111',
  repositoryName: NAME,
  repositoryUri: `111111111111.dkr.ecr.us-east-1.amazonaws.com/${NAME}`,
  createdAt: new Date('2026-10-02T09:14:31Z'),
  imageTagMutability: 'IMMUTABLE',
  imageScanningConfiguration: { scanOnPush: true },
  encryptionConfiguration: { encryptionType: 'AES256' },
};
const BASIC: RegistryScanningConfiguration = { scanType: 'BASIC', rules: [] };
const PUBLIC_PULL: PolicyStatement = { Sid: 'PublicPull', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] };
const PARTNER_PULL: PolicyStatement = { Sid: 'PartnerPull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] };
const UNKNOWN_PULL: PolicyStatement = { Sid: 'UnknownPull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'ecr:BatchGetImage' };
const LAMBDA_PULL: PolicyStatement = {
  Sid: 'LambdaECRImageRetrievalPolicy',
  Effect: 'Allow',
  Principal: { Service: 'lambda.amazonaws.com' },
  Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
  Condition: { StringLike: { 'aws:sourceArn': 'arn:aws:lambda:us-east-1:111111111111:function:*' } },
};

const policyText = (...statements: PolicyStatement[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

interface Given {
  repository?: Partial<Repository>;
  policy?: string;
  registry?: RegistryScanningConfiguration;
  tags?: { Key: string; Value: string }[];
}

/** A repository that behaves like ECR: reads answer what the writes last set. */
function givenRepository({ repository = {}, policy, registry = BASIC, tags = [] }: Given = {}): { policy?: string; repository: Repository } {
  const stored: { policy?: string; repository: Repository } = { policy, repository: { ...COMPLIANT, ...repository } };
  ecr.on(DescribeRepositoriesCommand, { repositoryNames: [NAME] }).callsFake(() => ({ repositories: [stored.repository], failures: [] }));
  ecr.on(GetRepositoryPolicyCommand, { repositoryName: NAME }).callsFake(() => {
    if (stored.policy === undefined) throw awsError('RepositoryPolicyNotFoundException');
    return { registryId: '111111111111', repositoryName: NAME, policyText: stored.policy };
  });
  ecr.on(ListTagsForResourceCommand, { resourceArn: ARN }).resolves({ tags });
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({ registryId: '111111111111', scanningConfiguration: registry });
  ecr.on(SetRepositoryPolicyCommand).callsFake((input: { policyText: string }) => ((stored.policy = input.policyText), {}));
  ecr.on(DeleteRepositoryPolicyCommand).callsFake(() => (delete stored.policy, {}));
  ecr.on(PutImageScanningConfigurationCommand).callsFake((input: { imageScanningConfiguration: { scanOnPush: boolean } }) => {
    stored.repository = { ...stored.repository, imageScanningConfiguration: input.imageScanningConfiguration };
    return {};
  });
  ecr.on(PutImageTagMutabilityCommand).callsFake((input: { imageTagMutability: string }) => {
    stored.repository = { ...stored.repository, imageTagMutability: input.imageTagMutability as Repository['imageTagMutability'] };
    return {};
  });
  return stored;
}

async function failedChecks(): Promise<FailedCheck[]> {
  return failedChecksOf(await ecrRepositoryAuditor.audit(makeResourceContext(NAME), makeCheckContext(NAME)));
}
const failedIds = async (): Promise<string[]> => (await failedChecks()).map((f) => f.check.id);
const mutationCount = (): number =>
  ecr.commandCalls(SetRepositoryPolicyCommand).length +
  ecr.commandCalls(DeleteRepositoryPolicyCommand).length +
  ecr.commandCalls(PutImageScanningConfigurationCommand).length +
  ecr.commandCalls(PutImageTagMutabilityCommand).length;

describe('ecr_repository auditor', () => {
  beforeEach(() => ecr.reset());

  it('list follows nextToken with maxResults 1000', async () => {
    ecr.on(DescribeRepositoriesCommand, { nextToken: undefined }).resolves({ repositories: [COMPLIANT], nextToken: 'eyJlbmNyeXB0ZWREYXRhIjpbXX0=' });
    ecr.on(DescribeRepositoriesCommand, { nextToken: 'eyJlbmNyeXB0ZWREYXRhIjpbXX0=' }).resolves({ repositories: [{ ...COMPLIANT, repositoryName: 'base-images' }] });
    expect(await collectAll(ecrRepositoryAuditor.list(makeListContext()))).toEqual([
      { id: NAME, name: NAME },
      { id: 'base-images', name: 'base-images' },
    ]);
    expect(ecr.commandCalls(DescribeRepositoriesCommand)[0]?.args[0].input).toMatchObject({ maxResults: 1000 });
  });

  describe('checks', () => {
    it.each<[string, Given]>([
      ['scan on push, immutable tags, no policy', {}],
      ['IMMUTABLE_WITH_EXCLUSION, a Lambda pull statement and a trusted account', { repository: { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' }, policy: policyText(LAMBDA_PULL, PARTNER_PULL) }],
      ['repository scan off, but a BASIC registry rule scans every repository on push', { repository: { imageScanningConfiguration: { scanOnPush: false } }, registry: { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] } }],
      ['ENHANCED continuous scanning of orders/*', { repository: { imageScanningConfiguration: { scanOnPush: false } }, registry: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'orders/*', filterType: 'WILDCARD' }] }] } }],
    ])('a compliant repository fails no check: %s', async (_name, given) => {
      givenRepository(given);
      expect(await failedIds()).toEqual([]);
    });

    it.each<[string, Given, string, boolean]>([
      ['scanOnPush off, BASIC, no rules', { repository: { imageScanningConfiguration: { scanOnPush: false } } }, 'scanOnPush is off and no registry SCAN_ON_PUSH rule matches this repository', true],
      ['a BASIC rule for other repositories', { repository: { imageScanningConfiguration: { scanOnPush: false } }, registry: { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'payments-*', filterType: 'WILDCARD' }] }] } }, 'scanOnPush is off and no registry SCAN_ON_PUSH rule matches this repository', true],
      ['ENHANCED without a matching rule: the repository setting is ignored, notify-only', { registry: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'payments', filterType: 'WILDCARD' }] }] } }, 'enhanced scanning is on for the registry, but no SCAN_ON_PUSH or CONTINUOUS_SCAN rule matches this repository', false],
    ])('scan_on_push_off: %s', async (_name, given, detail, remediable) => {
      givenRepository(given);
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['ecr_repository.scan_on_push_off']);
      expect(failed[0]?.violation.detail).toBe(detail);
      expect(failed[0]?.remediate !== undefined).toBe(remediable);
      expect(failed[0]?.check.controls).toEqual({ fsbp: ['ECR.1'] });
    });

    it.each([['MUTABLE'], ['MUTABLE_WITH_EXCLUSION']] as const)('tags_mutable: %s, disruptive', async (mutability) => {
      givenRepository({ repository: { imageTagMutability: mutability } });
      const failed = await failedChecks();
      expect(failed.map((f) => [f.check.id, f.violation.detail, f.risk])).toEqual([['ecr_repository.tags_mutable', `imageTagMutability is ${mutability}`, 'disruptive']]);
    });

    it.each<[string, PolicyStatement[], string[]]>([
      ['public pull', [PUBLIC_PULL], ['ecr_repository.public_policy']],
      ['an unknown account', [PARTNER_PULL, UNKNOWN_PULL], ['ecr_repository.shared_unknown_account']],
      ['both', [PUBLIC_PULL, UNKNOWN_PULL], ['ecr_repository.public_policy', 'ecr_repository.shared_unknown_account']],
    ])('policy: %s', async (_name, statements, expected) => {
      givenRepository({ policy: policyText(...statements) });
      expect(await failedIds()).toEqual(expected);
    });

    it("the service's own repository (the stack's tag) is reported and protected", async () => {
      givenRepository({ repository: { imageTagMutability: 'MUTABLE' }, tags: [{ Key: SERVICE_STACK_TAG.key, Value: SERVICE_STACK_TAG.value }] });
      const failed = await failedChecks();
      expect(failed.map((f) => [f.check.id, f.protectedBecause])).toEqual([['ecr_repository.tags_mutable', `carries the service's own tag ${SERVICE_STACK_TAG.key}`]]);
    });

    it('a repository that vanished (RepositoryNotFoundException) is gone; RepositoryPolicyNotFoundException only means no policy', async () => {
      ecr.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
      expect(await ecrRepositoryAuditor.audit(makeResourceContext(NAME), makeCheckContext(NAME))).toBe(GONE);
    });

    it.each([
      ['no filter wildcard: contains', 'orders', 'team/orders/api', true],
      ['wildcard: whole name', 'orders*', 'team/orders/api', false],
      ['wildcard in the middle', 'team/*/api', 'team/orders/api', true],
      ['regex characters are literal', 'a.b', 'axb', false],
    ])('registry filter %s', (_name, filter, repository, matches) => {
      expect(filterMatches(filter, repository)).toBe(matches);
    });
  });

  describe('remediations', () => {
    async function remediation(checkId: string): Promise<() => Promise<string>> {
      const remediate = (await failedChecks()).find((f) => f.check.id === checkId)?.remediate;
      if (!remediate) throw new Error(`${checkId} did not fail or has no remediation`);
      return remediate;
    }

    it('scan_on_push_off turns scan on push on, and nothing else', async () => {
      givenRepository({ repository: { imageScanningConfiguration: { scanOnPush: false } } });
      expect(await (await remediation('ecr_repository.scan_on_push_off'))()).toBe('applied');
      expect(ecr.commandCalls(PutImageScanningConfigurationCommand).map((c) => c.args[0].input)).toEqual([{ repositoryName: NAME, imageScanningConfiguration: { scanOnPush: true } }]);
      expect(mutationCount()).toBe(1);
    });

    it('tags_mutable sets IMMUTABLE', async () => {
      givenRepository({ repository: { imageTagMutability: 'MUTABLE' } });
      expect(await (await remediation('ecr_repository.tags_mutable'))()).toBe('applied');
      expect(ecr.commandCalls(PutImageTagMutabilityCommand).map((c) => c.args[0].input)).toEqual([{ repositoryName: NAME, imageTagMutability: 'IMMUTABLE' }]);
    });

    it('public_policy keeps every other statement', async () => {
      const stored = givenRepository({ policy: policyText(LAMBDA_PULL, PUBLIC_PULL, PARTNER_PULL) });
      expect(await (await remediation('ecr_repository.public_policy'))()).toBe('applied');
      expect(JSON.parse(stored.policy ?? '')).toEqual({ Version: '2012-10-17', Statement: [LAMBDA_PULL, PARTNER_PULL] });
    });

    it('shared_unknown_account deletes the policy when nothing is left', async () => {
      const stored = givenRepository({ policy: policyText(UNKNOWN_PULL) });
      expect(await (await remediation('ecr_repository.shared_unknown_account'))()).toBe('applied');
      expect(ecr.commandCalls(DeleteRepositoryPolicyCommand)).toHaveLength(1);
      expect(ecr.commandCalls(SetRepositoryPolicyCommand)).toHaveLength(0);
      expect(stored.policy).toBeUndefined();
    });

    it.each<[string, Given]>([
      ['ecr_repository.scan_on_push_off', { repository: { imageScanningConfiguration: { scanOnPush: false } } }],
      ['ecr_repository.tags_mutable', { repository: { imageTagMutability: 'MUTABLE' } }],
      ['ecr_repository.public_policy', { policy: policyText(PUBLIC_PULL, PARTNER_PULL) }],
      ['ecr_repository.shared_unknown_account', { policy: policyText(UNKNOWN_PULL, PARTNER_PULL) }],
    ])('%s: a second run makes no mutating call', async (checkId, given) => {
      givenRepository(given);
      const remediate = await remediation(checkId);
      expect(await remediate()).toBe('applied');
      ecr.resetHistory();
      expect(await remediate()).toBe('already_compliant');
      expect(mutationCount()).toBe(0);
    });

    it('a repository deleted before remediation is gone, with no mutating call', async () => {
      givenRepository({ repository: { imageTagMutability: 'MUTABLE' } });
      const remediate = await remediation('ecr_repository.tags_mutable');
      ecr.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
      expect(await remediate()).toBe('gone');
      expect(mutationCount()).toBe(0);
    });
  });
});
