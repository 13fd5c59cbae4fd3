import { ECRClient, GetRepositoryPolicyCommand, PutRegistryScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { ecrRepositoryAuditor } from '../../auditors/ecrRepository.ts';
import { ecrRepositoryMaker, makerRepositoryName } from '../../misconfiguration-maker/entries/ecrRepository.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, remediateAll } from './makerHarness.ts';

const NAME = `misconfiguration-maker-repo-${ACCOUNT}-${REGION}`;
const EVERY_CHECK = ['ecr_repository.public_policy', 'ecr_repository.scan_on_push_off', 'ecr_repository.shared_unknown_account', 'ecr_repository.tags_mutable'];

describe('ecr_repository maker', () => {
  it('makes an empty repository with mutable tags, no scan on push, listable by anyone and pullable by the nonexistent account', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    expect(await ecrRepositoryMaker.create(context)).toEqual([NAME]);
    expect(makerRepositoryName(ACCOUNT, REGION)).toBe(NAME);
    const { policyText } = await context.clients.get(ECRClient).send(new GetRepositoryPolicyCommand({ repositoryName: NAME }));
    expect(JSON.parse(policyText ?? '').Statement).toMatchObject([
      { Principal: '*', Action: 'ecr:ListImages' },
      { Principal: { AWS: `arn:aws:iam::${NONEXISTENT_ACCOUNT}:root` } },
    ]);
  });

  it('fails exactly the provoked checks; remediation (disruptive included) fixes them all; a second run changes nothing', async () => {
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    await ecrRepositoryMaker.create(context);
    await ecrRepositoryMaker.create(context);

    const before = await auditListed(ecrRepositoryAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(ecrRepositoryAuditor, context);
    const again = await remediateAll(before);

    expect(before.map((a) => [a.id, a.maker])).toEqual([[NAME, true]]);
    expect(failedCheckIds(before)).toEqual([...ecrRepositoryMaker.provokes(config)].sort());
    expect(failedCheckIds(before)).toEqual(EVERY_CHECK);
    expect(outcomes).toEqual(EVERY_CHECK.map((id) => `${id}=applied`));
    expect(failedCheckIds(after)).toEqual([]);
    expect(again).toEqual(EVERY_CHECK.map((id) => `${id}=already_compliant`));
    expect(await auditListed(ecrRepositoryAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('re-creating puts the misconfiguration back on the same repository', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await ecrRepositoryMaker.create(context);
    await remediateAll(await auditListed(ecrRepositoryAuditor, context));
    await ecrRepositoryMaker.create(context);
    expect(failedCheckIds(await auditListed(ecrRepositoryAuditor, context))).toEqual(EVERY_CHECK);
  });

  it('says so, rather than claim scan_on_push_off, when a registry rule scans the repository', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await context.clients.get(ECRClient).send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'misconfiguration-maker', filterType: 'WILDCARD' }] }] }));
    await expect(ecrRepositoryMaker.create(context)).rejects.toThrow(/scans misconfiguration-maker-repo-.*nothing provokes ecr_repository.scan_on_push_off/);
  });

  it('tears down exactly its repository, idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await ecrRepositoryMaker.create(context);
    expect(await ecrRepositoryMaker.teardown(context)).toEqual([NAME]);
    expect(await ecrRepositoryMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(ecrRepositoryAuditor, context)).toEqual([]);
  });
});
