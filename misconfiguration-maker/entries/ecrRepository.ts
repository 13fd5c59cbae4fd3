/**
 * One empty private ECR repository, `misconfiguration-maker-repo-<account>-<region>`,
 * as CreateRepository makes it by default (mutable tags, no scan on push),
 * with a repository policy that lets anyone list its images (public_policy:
 * there are none) and the nonexistent account 000000000000 pull
 * (shared_unknown_account: nobody can act as that account). In a registry
 * whose scanning configuration scans every repository (a SCAN_ON_PUSH or
 * enhanced rule matching the name), scan_on_push_off is not provoked: create
 * reads the registry's configuration and provokes() cannot, so create says so.
 *
 * Real AWS: an empty repository costs nothing (storage is billed per image).
 * Tagged with the maker's tag; teardown deletes it (force: true).
 */
import { CreateRepositoryCommand, DeleteRepositoryCommand, DescribeRepositoriesCommand, ECRClient, GetRegistryScanningConfigurationCommand, PutImageScanningConfigurationCommand, PutImageTagMutabilityCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { isScanned, registryScanningOf } from '../../auditors/ecrScanning.ts';
import { ComplianceError, RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export function makerRepositoryName(account: string, region: string): string {
  return makerName('repo', account, region);
}

export function makerRepositoryPolicy(region: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'MisconfigurationMakerPublicList', Effect: 'Allow', Principal: '*', Action: 'ecr:ListImages' },
      { Sid: 'MisconfigurationMakerUnknownAccount', Effect: 'Allow', Principal: { AWS: `arn:${partitionOf(region)}:iam::${NONEXISTENT_ACCOUNT}:root` }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] },
    ],
  });
}

async function repositoryExists(context: MakerContext): Promise<boolean> {
  const name = makerRepositoryName(context.account, context.region);
  const found = await unlessGone(() => context.clients.get(ECRClient).send(new DescribeRepositoriesCommand({ repositoryNames: [name] })), RESOURCE_GONE_ERRORS.ecr_repository, undefined);
  return (found?.repositories ?? []).length > 0;
}

export const ecrRepositoryMaker: MisconfigurationEntry = {
  type: 'ecr_repository',
  scope: 'regional',
  provokes: (config) => [
    'ecr_repository.scan_on_push_off',
    'ecr_repository.tags_mutable',
    'ecr_repository.public_policy',
    ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['ecr_repository.shared_unknown_account']),
  ],
  plan: (account, region) => [
    `ECR repository ${makerRepositoryName(account, region)}: empty; mutable tags; no scan on push; policy lets anyone list its images and account ${NONEXISTENT_ACCOUNT} pull`,
  ],
  async create(context) {
    const ecr = context.clients.get(ECRClient);
    const name = makerRepositoryName(context.account, context.region);
    const { scanningConfiguration } = await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    if (isScanned(name, false, registryScanningOf(scanningConfiguration))) {
      throw new ComplianceError(`the registry's scanning configuration scans ${name} (a rule matches it): nothing provokes ecr_repository.scan_on_push_off`, { account: context.account, region: context.region });
    }
    if (await repositoryExists(context)) {
      // Reused: put the misconfiguration back (a remediation may have fixed it).
      await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: name, imageScanningConfiguration: { scanOnPush: false } }));
      await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: name, imageTagMutability: 'MUTABLE' }));
    } else {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: name, imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false }, tags: [...MAKER_TAGS] }));
    }
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: name, policyText: makerRepositoryPolicy(context.region) }));
    return [name];
  },
  async teardown(context) {
    const name = makerRepositoryName(context.account, context.region);
    const deleted = await unlessGone(() => context.clients.get(ECRClient).send(new DeleteRepositoryCommand({ repositoryName: name, force: true })), RESOURCE_GONE_ERRORS.ecr_repository, undefined);
    return deleted ? [name] : [];
  },
};
