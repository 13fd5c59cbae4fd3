import { DescribeDomainCommand, OpenSearchClient, UpdateDomainConfigCommand } from '@aws-sdk/client-opensearch';
import { describe, expect, it } from 'vitest';
import { openSearchDomainAuditor } from '../../auditors/openSearchDomain.ts';
import { checkIdsWithRisk } from '../../auditors/registry.ts';
import { MAKER_DOMAIN_NAME, openSearchDomainMaker } from '../../misconfiguration-maker/entries/openSearchDomain.ts';
import { OTHER_ACCOUNT, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, notifyOnlyIds, remediateAll } from './makerHarness.ts';

describe('opensearch_domain maker', () => {
  it('fails exactly the provoked checks; the disruptive remediations fix the policy and HTTPS, the encryption checks stay notify-only; a second run makes no change', async () => {
    const config = makeConfig({ remediateChecks: checkIdsWithRisk('disruptive') });
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    expect(await openSearchDomainMaker.create(context)).toEqual([MAKER_DOMAIN_NAME]);

    const before = await auditListed(openSearchDomainAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(openSearchDomainAuditor, context);
    const again = await remediateAll(before);

    expect(before.map((r) => [r.id, r.maker])).toEqual([[MAKER_DOMAIN_NAME, true]]);
    expect(failedCheckIds(before)).toEqual([...openSearchDomainMaker.provokes(config)].sort());
    expect(notifyOnlyIds(before)).toEqual(['opensearch_domain.encryption_at_rest_off', 'opensearch_domain.node_to_node_encryption_off']);
    expect(outcomes).toEqual(['opensearch_domain.https_not_enforced=applied', 'opensearch_domain.public_access_policy=applied']);
    expect(failedCheckIds(after)).toEqual(['opensearch_domain.encryption_at_rest_off', 'opensearch_domain.node_to_node_encryption_off']);
    expect(again.every((outcome) => outcome.endsWith('=already_compliant'))).toBe(true);
    const { DomainStatus } = await context.clients.get(OpenSearchClient).send(new DescribeDomainCommand({ DomainName: MAKER_DOMAIN_NAME }));
    expect(JSON.parse(DomainStatus?.AccessPolicies ?? '{}')).toMatchObject({ Statement: [{ Sid: 'MisconfigurationMakerAccount' }] });
    expect(await auditListed(openSearchDomainAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('re-creating puts the policy and plain HTTP back, but refuses a domain someone made encrypt between nodes (irreversible)', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await openSearchDomainMaker.create(context);
    const first = await auditListed(openSearchDomainAuditor, context);
    const byId = (id: string) => first[0]?.failed.find((f) => f.check.id === id);
    await byId('opensearch_domain.public_access_policy')?.remediate?.();
    await byId('opensearch_domain.https_not_enforced')?.remediate?.();
    expect(await openSearchDomainMaker.create(context)).toEqual([MAKER_DOMAIN_NAME]);
    expect(failedCheckIds(await auditListed(openSearchDomainAuditor, context))).toEqual([...openSearchDomainMaker.provokes(context.config)].sort());

    await context.clients.get(OpenSearchClient).send(new UpdateDomainConfigCommand({ DomainName: MAKER_DOMAIN_NAME, NodeToNodeEncryptionOptions: { Enabled: true } }));
    await expect(openSearchDomainMaker.create(context)).rejects.toThrow(/cannot be turned off: run --teardown/);
  });

  it('tears down exactly its domain, idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await openSearchDomainMaker.create(context);
    expect(await openSearchDomainMaker.teardown(context)).toEqual([MAKER_DOMAIN_NAME]);
    expect(await openSearchDomainMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(openSearchDomainAuditor, context)).toEqual([]);
  });
});
