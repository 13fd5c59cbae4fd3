import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutRegistryScanningConfigurationCommand,
  SetRepositoryPolicyCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const ARN = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/api`;
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: 'ecr:BatchGetImage' }] });
const NOT_FOUND = { name: 'RepositoryNotFoundException', status: 400, message: /does not exist in the registry/ };
const NO_POLICY = { name: 'RepositoryPolicyNotFoundException', status: 400, message: /Repository policy does not exist/ };

let org: SandboxOrganization;
let ecr: ECRClient;

beforeEach(() => {
  org = sandboxOrganization();
  ecr = org.clients().get(ECRClient);
});

describe('ECR repositories', () => {
  it('creates a repository as ECR does by default: mutable tags, no scan on push, AES256, its tags', async () => {
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/api', tags: [{ Key: 'team', Value: 'payments' }] }));
    expect(repository).toMatchObject({
      repositoryArn: ARN,
      registryId: ACCOUNT,
      repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/team/api`,
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn: ARN }))).tags).toEqual([{ Key: 'team', Value: 'payments' }]);
    await expectAwsError(ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/api' })), { name: 'RepositoryAlreadyExistsException', status: 400 });
  });

  it.each(['A', 'UPPER', 'trailing/', 'a--'])('refuses the repository name %j', async (name) => {
    await expectAwsError(ecr.send(new CreateRepositoryCommand({ repositoryName: name })), { name: 'InvalidParameterException', status: 400 });
  });

  it('policy: RepositoryPolicyNotFoundException until set; set, read, delete; JSON only', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/api' }));
    await expectAwsError(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'team/api' })), NO_POLICY);
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'team/api', policyText: POLICY }));
    expect((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'team/api' }))).policyText).toBe(POLICY);
    await expectAwsError(ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'team/api', policyText: 'nope' })), { name: 'InvalidParameterException', status: 400 });
    await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'team/api' }));
    await expectAwsError(ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'team/api' })), NO_POLICY);
  });

  it('scan on push and tag mutability are set per repository; the registry scanning configuration is BASIC until put', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/api' }));
    await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'team/api', imageScanningConfiguration: { scanOnPush: true } }));
    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'team/api', imageTagMutability: 'IMMUTABLE' }));
    expect((await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/api'] }))).repositories?.[0]).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
    await expectAwsError(ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'team/api', imageTagMutability: 'SOMETIMES' as 'MUTABLE' })), { name: 'InvalidParameterException', status: 400 });

    expect((await ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual({ scanType: 'BASIC', rules: [] });
    const rules = [{ scanFrequency: 'CONTINUOUS_SCAN' as const, repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' as const }] }];
    await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules }));
    expect((await ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual({ scanType: 'ENHANCED', rules });
  });

  it('a repository of another account, another region or none is RepositoryNotFoundException', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/api' }));
    await expectAwsError(org.clients(OTHER_ACCOUNT).get(ECRClient).send(new DescribeRepositoriesCommand({ repositoryNames: ['team/api'] })), NOT_FOUND);
    await expectAwsError(org.clients(ACCOUNT, OTHER_REGION).get(ECRClient).send(new GetRepositoryPolicyCommand({ repositoryName: 'team/api' })), NOT_FOUND);
    await expectAwsError(org.clients(ACCOUNT, OTHER_REGION).get(ECRClient).send(new ListTagsForResourceCommand({ resourceArn: ARN })), NOT_FOUND);
    await expectAwsError(ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'gone', imageTagMutability: 'IMMUTABLE' })), NOT_FOUND);
  });

  it('lists with nextToken and deletes', async () => {
    for (const name of ['a1', 'b2', 'c3']) await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    const pages = [];
    for await (const listed of paginateDescribeRepositories({ client: ecr, pageSize: 2 }, {})) pages.push(listed.repositories?.map((r) => r.repositoryName));
    expect(pages).toEqual([['a1', 'b2'], ['c3']]);
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'a1', force: true }));
    await expectAwsError(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'a1' })), NOT_FOUND);
  });
});
