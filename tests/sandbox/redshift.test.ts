import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClusterParametersCommand,
  DescribeClustersCommand,
  ModifyClusterCommand,
  RedshiftClient,
  paginateDescribeClusters,
  type CreateClusterCommandInput,
} from '@aws-sdk/client-redshift';
import { beforeEach, describe, expect, it } from 'vitest';
import { redshiftAuditor } from '../../auditors/redshift.ts';
import type { RedshiftClusterRecord } from '../../sandbox/services/redshift.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { seedLegacyRedshiftCluster } from '../helpers/legacyRedshiftCluster.ts';
import { rejection } from '../helpers/rejection.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedIds, makerContext } from '../maker/makerHarness.ts';

function clusterInput(id: string, overrides: Partial<CreateClusterCommandInput> = {}): CreateClusterCommandInput {
  return { ClusterIdentifier: id, NodeType: 'ra3.large', ClusterType: 'single-node', MasterUsername: 'awsuser', MasterUserPassword: 'NotReal-Passw0rd', ...overrides };
}

/** An unencrypted cluster from before AWS's 2025 secure defaults, in the test account and region. */
function seedLegacyCluster(organization: SandboxOrganization, id: string, overrides: Partial<RedshiftClusterRecord> = {}): void {
  seedLegacyRedshiftCluster(organization.sandbox.state, { account: ACCOUNT, region: REGION }, id, overrides);
}

describe('sandbox Redshift', () => {
  let organization: SandboxOrganization;
  let redshift: RedshiftClient;

  beforeEach(() => {
    organization = sandboxOrganization();
    redshift = organization.clients().get(RedshiftClient);
  });

  describe('CreateCluster', () => {
    it('answers a Cluster shaped as Redshift returns it: available at once, encrypted, on default.redshift-2.0', async () => {
      const { Cluster: cluster } = await redshift.send(new CreateClusterCommand(clusterInput('Analytics', { Tags: [{ Key: 'owner', Value: 'data' }] })));

      expect(cluster).toMatchObject({
        ClusterIdentifier: 'analytics',
        NodeType: 'ra3.large',
        ClusterStatus: 'available',
        NumberOfNodes: 1,
        MasterUsername: 'awsuser',
        DBName: 'dev',
        PubliclyAccessible: false,
        Encrypted: true,
        ClusterParameterGroups: [{ ParameterGroupName: 'default.redshift-2.0', ParameterApplyStatus: 'in-sync' }],
        PendingModifiedValues: {},
        Tags: [{ Key: 'owner', Value: 'data' }],
        Endpoint: { Port: 5439 },
      });
      expect(cluster?.ClusterCreateTime).toBeInstanceOf(Date);
      expect(cluster?.ClusterNamespaceArn).toMatch(new RegExp(`^arn:aws:redshift:${REGION}:${ACCOUNT}:namespace:`));
      expect(JSON.stringify(organization.sandbox.state)).not.toContain('NotReal-Passw0rd');
    });

    it('uses the parameter group it names', async () => {
      const { Cluster: cluster } = await redshift.send(new CreateClusterCommand(clusterInput('analytics', { ClusterParameterGroupName: 'default.redshift-1.0', PubliclyAccessible: true })));

      expect(cluster?.ClusterParameterGroups?.map((g) => g.ParameterGroupName)).toEqual(['default.redshift-1.0']);
      expect(cluster?.PubliclyAccessible).toBe(true);
    });

    it.each([
      ['an existing identifier', clusterInput('analytics'), 'ClusterAlreadyExists', 'ClusterAlreadyExistsFault', 400],
      ['Encrypted false (AWS creates encrypted clusters only)', clusterInput('plain', { Encrypted: false }), 'InvalidParameterValue', 'InvalidParameterValue', 400],
      ['an unknown parameter group', clusterInput('other', { ClusterParameterGroupName: 'tls-please' }), 'ClusterParameterGroupNotFound', 'ClusterParameterGroupNotFoundFault', 404],
      ['no NodeType', { ...clusterInput('other'), NodeType: undefined }, 'MissingParameter', 'MissingParameter', 400],
      ['a password and ManageMasterPassword', clusterInput('other', { ManageMasterPassword: true }), 'InvalidParameterCombination', 'InvalidParameterCombination', 400],
      ['an identifier ending in a hyphen', clusterInput('other-'), 'InvalidParameterValue', 'InvalidParameterValue', 400],
    ] as const)('with %s fails with %s', async (_case, input, code, sdkName, status) => {
      await redshift.send(new CreateClusterCommand(clusterInput('analytics')));

      const error = await rejection(redshift.send(new CreateClusterCommand(input)));

      expect(error).toMatchObject({ Code: code, name: sdkName, status });
    });
  });

  describe('DescribeClusters', () => {
    it('an unknown cluster is ClusterNotFound (404), raised as the SDK raises it', async () => {
      const error = await rejection(redshift.send(new DescribeClustersCommand({ ClusterIdentifier: 'missing' })));

      expect(error).toEqual({ Code: 'ClusterNotFound', name: 'ClusterNotFoundFault', status: 404, message: 'Cluster missing not found.' });
    });

    it('pages with MaxRecords and Marker, and the SDK paginator follows the Marker', async () => {
      // Prepare
      for (let n = 0; n < 21; n += 1) await redshift.send(new CreateClusterCommand(clusterInput(`warehouse-${String(n).padStart(2, '0')}`)));

      // Act
      const first = await redshift.send(new DescribeClustersCommand({ MaxRecords: 20 }));
      const second = await redshift.send(new DescribeClustersCommand({ MaxRecords: 20, Marker: first.Marker }));
      let viaPaginator = 0;
      for await (const page of paginateDescribeClusters({ client: redshift, pageSize: 20 }, {})) viaPaginator += page.Clusters?.length ?? 0;

      // Assess
      expect(first.Clusters).toHaveLength(20);
      expect(first.Marker).toEqual(expect.any(String));
      expect(second.Clusters?.map((c) => c.ClusterIdentifier)).toEqual(['warehouse-20']);
      expect(second.Marker).toBeUndefined();
      expect(viaPaginator).toBe(21);
    });

    it('refuses MaxRecords outside 20..100', async () => {
      const error = await rejection(redshift.send(new DescribeClustersCommand({ MaxRecords: 101 })));

      expect(error).toMatchObject({ Code: 'InvalidParameterValue', status: 400 });
    });

    it('keeps each account and region apart', async () => {
      await redshift.send(new CreateClusterCommand(clusterInput('analytics')));

      const elsewhere = [
        organization.clients(ACCOUNT, 'eu-west-1').get(RedshiftClient),
        organization.clients(OTHER_ACCOUNT, REGION).get(RedshiftClient),
      ];

      for (const client of elsewhere) expect((await client.send(new DescribeClustersCommand({}))).Clusters).toEqual([]);
    });
  });

  describe('DescribeClusterParameters', () => {
    it.each([
      ['default.redshift-1.0', 'false'],
      ['default.redshift-2.0', 'true'],
    ])('%s answers require_ssl = %s, from the engine defaults', async (group, value) => {
      const { Parameters, Marker } = await redshift.send(new DescribeClusterParametersCommand({ ParameterGroupName: group }));

      expect(Parameters?.find((p) => p.ParameterName === 'require_ssl')).toMatchObject({ ParameterValue: value, Source: 'engine-default', DataType: 'boolean' });
      expect(Parameters?.every((p) => p.Source === 'engine-default')).toBe(true);
      expect(Marker).toBeUndefined();
    });

    it('Source user answers nothing for a default group', async () => {
      const { Parameters } = await redshift.send(new DescribeClusterParametersCommand({ ParameterGroupName: 'default.redshift-1.0', Source: 'user' }));

      expect(Parameters).toEqual([]);
    });

    it('an unknown group is ClusterParameterGroupNotFound (404)', async () => {
      const error = await rejection(redshift.send(new DescribeClusterParametersCommand({ ParameterGroupName: 'missing' })));

      expect(error).toMatchObject({ Code: 'ClusterParameterGroupNotFound', name: 'ClusterParameterGroupNotFoundFault', status: 404 });
    });
  });

  describe('ModifyCluster', () => {
    it('turns PubliclyAccessible off', async () => {
      await redshift.send(new CreateClusterCommand(clusterInput('analytics', { PubliclyAccessible: true })));

      const { Cluster: cluster } = await redshift.send(new ModifyClusterCommand({ ClusterIdentifier: 'analytics', PubliclyAccessible: false }));

      expect(cluster).toMatchObject({ PubliclyAccessible: false, ClusterStatus: 'available' });
    });

    it('encrypts a legacy unencrypted cluster', async () => {
      seedLegacyCluster(organization, 'legacy');

      const { Cluster: cluster } = await redshift.send(new ModifyClusterCommand({ ClusterIdentifier: 'legacy', Encrypted: true }));

      expect(cluster?.Encrypted).toBe(true);
    });

    it.each([
      ['a cluster that is not available', 'resizing', 'InvalidClusterState', 400],
      ['a cluster that does not exist', undefined, 'ClusterNotFound', 404],
    ] as const)('refuses %s', async (_case, status, code, httpStatus) => {
      if (status) seedLegacyCluster(organization, 'legacy', { status });

      const error = await rejection(redshift.send(new ModifyClusterCommand({ ClusterIdentifier: 'legacy', PubliclyAccessible: false })));

      expect(error).toMatchObject({ Code: code, status: httpStatus });
    });
  });

  describe('DeleteCluster', () => {
    it('needs SkipFinalClusterSnapshot or a final snapshot identifier', async () => {
      await redshift.send(new CreateClusterCommand(clusterInput('analytics')));

      const error = await rejection(redshift.send(new DeleteClusterCommand({ ClusterIdentifier: 'analytics' })));

      expect(error).toMatchObject({ Code: 'InvalidParameterCombination', status: 400 });
    });

    it('removes the cluster', async () => {
      await redshift.send(new CreateClusterCommand(clusterInput('analytics')));

      const { Cluster: deleted } = await redshift.send(new DeleteClusterCommand({ ClusterIdentifier: 'analytics', SkipFinalClusterSnapshot: true }));

      expect(deleted?.ClusterStatus).toBe('deleting');
      expect((await rejection(redshift.send(new DescribeClustersCommand({ ClusterIdentifier: 'analytics' })))).Code).toBe('ClusterNotFound');
    });

    it('says loudly that final cluster snapshots are not modelled', async () => {
      await redshift.send(new CreateClusterCommand(clusterInput('analytics')));

      const error = await rejection(redshift.send(new DeleteClusterCommand({ ClusterIdentifier: 'analytics', FinalClusterSnapshotIdentifier: 'analytics-final' })));

      expect(error.name).toBe('SandboxNotImplemented');
    });
  });

  it('the redshift auditor judges and fixes a legacy unencrypted cluster in the sandbox', async () => {
    // Prepare
    seedLegacyCluster(organization, 'legacy', { publiclyAccessible: true });
    const context = makerContext(organization, makeConfig({ encryptRedshiftClusters: true }));

    // Act
    const [before] = await auditListed(redshiftAuditor, context);
    const outcomes: string[] = [];
    for (const failed of before?.failed ?? []) if (failed.remediate) outcomes.push(await failed.remediate());
    const [after] = await auditListed(redshiftAuditor, context);

    // Assess
    expect(failedIds(before)).toEqual(['redshift.public', 'redshift.tls_not_required', 'redshift.unencrypted']);
    expect(outcomes).toEqual(['applied', 'applied']);
    expect(failedIds(after)).toEqual(['redshift.tls_not_required']);
  });
});
