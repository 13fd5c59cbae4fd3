import { CreateClusterCommand, DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { beforeEach, describe, expect, it } from 'vitest';
import { redshiftAuditor } from '../../auditors/redshift.ts';
import { makerClusterId, redshiftMaker } from '../../misconfiguration-maker/entries/redshift.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, REGION, collectAll, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedIds, makerContext } from './makerHarness.ts';

const CLUSTER = makerClusterId(ACCOUNT, REGION);

describe('redshift maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  it('names the cluster misconfiguration-maker-redshift-<account>-<region>, a valid cluster identifier', () => {
    expect(CLUSTER).toBe(`misconfiguration-maker-redshift-${ACCOUNT}-${REGION}`);
    expect(CLUSTER.length).toBeLessThanOrEqual(63);
    expect(redshiftMaker.plan(ACCOUNT, REGION)).toEqual([expect.stringContaining(CLUSTER)]);
  });

  it.each<[string, Partial<ConfigInput>]>([
    ['no required tags', {}],
    ['required tags the maker does not carry', { requiredTags: ['owner'] }],
    ['only the maker tag required', { requiredTags: ['created-by'] }],
    ['encryptRedshiftClusters on', { encryptRedshiftClusters: true }],
  ])('with %s, the cluster fails exactly what provokes() says', async (_case, overrides) => {
    // Prepare
    const context = makerContext(organization, makeConfig(overrides));

    // Act
    const ids = await redshiftMaker.create(context);
    const audited = await auditListed(redshiftAuditor, context);

    // Assess
    expect(ids).toEqual([CLUSTER]);
    expect(audited.map((r) => r.id)).toEqual([CLUSTER]);
    expect(failedIds(audited[0])).toEqual([...redshiftMaker.provokes(context.config)].sort());
  });

  it('makes one public ra3.large node on default.redshift-1.0 with the maker tag (encrypted: AWS makes no other kind)', async () => {
    const context = makerContext(organization);

    await redshiftMaker.create(context);
    const { Clusters } = await context.clients.get(RedshiftClient).send(new DescribeClustersCommand({ ClusterIdentifier: CLUSTER }));

    expect(Clusters?.[0]).toMatchObject({
      NodeType: 'ra3.large',
      NumberOfNodes: 1,
      PubliclyAccessible: true,
      Encrypted: true,
      ClusterParameterGroups: [expect.objectContaining({ ParameterGroupName: 'default.redshift-1.0' })],
      Tags: [{ Key: 'created-by', Value: 'misconfiguration-maker' }],
    });
  });

  it('is idempotent: a second create reuses the cluster', async () => {
    const context = makerContext(organization);

    await redshiftMaker.create(context);
    const again = await redshiftMaker.create(context);

    expect(again).toEqual([CLUSTER]);
    expect(await collectAll(redshiftAuditor.list(context))).toHaveLength(1);
  });

  it('remediation leaves only the notify-only redshift.tls_not_required; a second remediation changes nothing', async () => {
    // Prepare
    const context = makerContext(organization);
    await redshiftMaker.create(context);
    const [before] = await auditListed(redshiftAuditor, context);

    // Act
    const remediable = (before?.failed ?? []).filter((f) => f.remediate);
    const first: string[] = [];
    for (const failed of remediable) first.push((await failed.remediate?.()) ?? 'none');
    const second: string[] = [];
    for (const failed of remediable) second.push((await failed.remediate?.()) ?? 'none');
    const [after] = await auditListed(redshiftAuditor, context);

    // Assess
    expect(remediable.map((f) => f.check.id)).toEqual(['redshift.public']);
    expect(first).toEqual(['applied']);
    expect(second).toEqual(['already_compliant']);
    expect(failedIds(after)).toEqual(['redshift.tls_not_required']);
    expect(after?.failed.every((f) => f.remediate === undefined)).toBe(true);
  });

  it('a re-run after remediation makes the reused cluster public again', async () => {
    const context = makerContext(organization);
    await redshiftMaker.create(context);
    const [before] = await auditListed(redshiftAuditor, context);
    for (const failed of before?.failed ?? []) await failed.remediate?.();

    await redshiftMaker.create(context);
    const [after] = await auditListed(redshiftAuditor, context);

    expect(failedIds(after)).toEqual(['redshift.public', 'redshift.tls_not_required']);
  });

  it('teardown removes exactly the cluster, and a second teardown finds nothing to do', async () => {
    // Prepare
    const context = makerContext(organization);
    await redshiftMaker.create(context);
    await context.clients
      .get(RedshiftClient)
      .send(new CreateClusterCommand({ ClusterIdentifier: 'analytics', NodeType: 'ra3.large', MasterUsername: 'awsuser', MasterUserPassword: 'NotReal-Passw0rd' }));

    // Act
    const removed = await redshiftMaker.teardown(context);
    const listed = await collectAll(redshiftAuditor.list(context));
    const again = await redshiftMaker.teardown(context);

    // Assess
    expect(removed).toEqual([CLUSTER]);
    expect(listed.map((r) => r.id)).toEqual(['analytics']);
    expect(again).toEqual([]);
  });
});
