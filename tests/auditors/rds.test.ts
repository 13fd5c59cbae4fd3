import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  StopDBClusterCommand,
  StopDBInstanceCommand,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { rdsAuditor } from '../../auditors/rds.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { awsError, collectAll, makeCheckContext, makeConfig, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { OWNER_TAGS, auroraInstance, dbCluster, dbInstance, multiAzCluster, multiAzClusterInstance } from '../fixtures/rds.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const rds = mockClient(RDSClient);
const INSTANCE = 'orders-db-prod';
const CLUSTER = 'analytics-aurora';
const MEMBER = 'analytics-aurora-instance-1';

function givenInstance(instance: DBInstance): void {
  rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: instance.DBInstanceIdentifier }).resolves({ DBInstances: [instance] });
}

/** A cluster id: DescribeDBInstances answers DBInstanceNotFound, as AWS does. */
function givenCluster(cluster: DBCluster): void {
  rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: cluster.DBClusterIdentifier }).rejects(awsError('DBInstanceNotFound', 404));
  rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: cluster.DBClusterIdentifier }).resolves({ DBClusters: [cluster] });
}

async function audit(id: string, overrides: Partial<ConfigInput> = {}): Promise<FailedCheck[] | typeof GONE | NotReady> {
  const config = makeConfig(overrides);
  return rdsAuditor.audit(makeResourceContext(id, { config }), makeCheckContext(id, { config }));
}

async function failedChecks(id: string, overrides: Partial<ConfigInput> = {}): Promise<FailedCheck[]> {
  return failedChecksOf(await audit(id, overrides));
}

async function failedIds(id: string, overrides: Partial<ConfigInput> = {}): Promise<string[]> {
  return (await failedChecks(id, overrides)).map((f) => f.check.id);
}

function mutatingCalls(): number {
  return (
    rds.commandCalls(ModifyDBInstanceCommand).length +
    rds.commandCalls(StopDBInstanceCommand).length +
    rds.commandCalls(StopDBClusterCommand).length
  );
}

describe('rds auditor', () => {
  beforeEach(() => rds.reset());

  describe('list', () => {
    it('follows Marker through DB instances, then lists DB clusters, with their tags', async () => {
      // Prepare
      rds.on(DescribeDBInstancesCommand, { Marker: undefined }).resolves({
        DBInstances: [dbInstance('orders-db-prod'), auroraInstance(MEMBER, CLUSTER)],
        Marker: 'eyJNYXJrZXIiOiAib3JkZXJzLWRiLXByb2QifQ==',
      });
      rds.on(DescribeDBInstancesCommand, { Marker: 'eyJNYXJrZXIiOiAib3JkZXJzLWRiLXByb2QifQ==' }).resolves({
        DBInstances: [dbInstance('misconfiguration-maker-rds-public', { TagList: [{ Key: 'created-by', Value: 'misconfiguration-maker' }] })],
      });
      rds.on(DescribeDBClustersCommand, { Marker: undefined }).resolves({ DBClusters: [dbCluster(CLUSTER)], Marker: 'Y2x1c3Rlci1wYWdlLTI=' });
      rds.on(DescribeDBClustersCommand, { Marker: 'Y2x1c3Rlci1wYWdlLTI=' }).resolves({ DBClusters: [dbCluster('reporting-aurora', { TagList: [] })] });
      // Act
      const listed = await collectAll(rdsAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: 'orders-db-prod', name: 'orders-db-prod', tags: { owner: 'payments-team', 'data-classification': 'confidential' } },
        { id: MEMBER, name: MEMBER, tags: { owner: 'payments-team', 'data-classification': 'confidential' } },
        { id: 'misconfiguration-maker-rds-public', name: 'misconfiguration-maker-rds-public', tags: { 'created-by': 'misconfiguration-maker' } },
        { id: CLUSTER, name: CLUSTER, tags: { owner: 'payments-team', 'data-classification': 'confidential' } },
        { id: 'reporting-aurora', name: 'reporting-aurora', tags: {} },
      ]);
      expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(2);
      expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(2);
    });
  });

  describe('collect', () => {
    it('an instance id is judged as the instance, without asking for a cluster', async () => {
      givenInstance(dbInstance(INSTANCE));
      expect(await failedIds(INSTANCE)).toEqual([]);
      expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
    });

    it.each(['DBInstanceNotFound', 'DBInstanceNotFoundFault'])('a cluster id (instance lookup: %s) is judged as the cluster', async (name) => {
      rds.on(DescribeDBInstancesCommand).rejects(awsError(name, 404));
      rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: CLUSTER }).resolves({ DBClusters: [dbCluster(CLUSTER)] });
      expect(await failedIds(CLUSTER)).toEqual([]);
    });

    it.each([
      ['DBInstanceNotFound then DBClusterNotFoundFault', () => {
        rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFound', 404));
        rds.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFoundFault', 404));
      }],
      ['DBInstanceNotFoundFault then DBClusterNotFound', () => {
        rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFoundFault', 404));
        rds.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFound', 404));
      }],
      ['empty lists', () => {
        rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
        rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
      }],
    ])('a database that vanished (%s) is gone: no finding, no error', async (_name, given) => {
      given();
      expect(await audit(INSTANCE)).toBe(GONE);
    });

    it.each(['creating', 'modifying', 'backing-up', 'rebooting', 'starting', 'stopping', 'upgrading', 'configuring-enhanced-monitoring'])(
      'an instance with status %s is not ready: re-queued, not judged',
      async (status) => {
        givenInstance(dbInstance(INSTANCE, { DBInstanceStatus: status, StorageEncrypted: false, PubliclyAccessible: true }));
        const result = await audit(INSTANCE);
        expect(result).toBeInstanceOf(NotReady);
        expect(result).toMatchObject({ reason: `status ${status}`, delaySeconds: 300 });
      },
    );

    it.each(['creating', 'modifying', 'backing-up', 'failing-over', 'migrating'])('a cluster with status %s is not ready', async (status) => {
      givenCluster(dbCluster(CLUSTER, { Status: status, StorageEncrypted: false }));
      expect(await audit(CLUSTER)).toMatchObject({ reason: `status ${status}`, delaySeconds: 300 });
    });

    it.each(['stopped', 'storage-full', 'incompatible-parameters', 'inaccessible-encryption-credentials'])(
      'an instance with the settled status %s is judged',
      async (status) => {
        givenInstance(dbInstance(INSTANCE, { DBInstanceStatus: status, StorageEncrypted: false }));
        expect(await failedIds(INSTANCE)).toEqual(['rds.unencrypted']);
      },
    );

    it('AccessDenied propagates (it is an error, not a finding)', async () => {
      rds.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied', 403));
      await expect(audit(INSTANCE)).rejects.toThrow('AccessDenied');
    });
  });

  describe('checks', () => {
    it.each([
      ['a standalone instance', INSTANCE, () => givenInstance(dbInstance(INSTANCE))],
      ['an Aurora cluster', CLUSTER, () => givenCluster(dbCluster(CLUSTER))],
      ['an Aurora member instance', MEMBER, () => givenInstance(auroraInstance(MEMBER, CLUSTER))],
    ])('%s that complies fails no check', async (_name, id, given) => {
      given();
      expect(await failedIds(id, { requiredTags: ['owner', 'data-classification'] })).toEqual([]);
    });

    it.each([
      ['an instance', INSTANCE, () => givenInstance(dbInstance(INSTANCE, { StorageEncrypted: false, KmsKeyId: undefined })), `DB instance ${INSTANCE} has StorageEncrypted false`],
      ['a cluster', CLUSTER, () => givenCluster(dbCluster(CLUSTER, { StorageEncrypted: false, KmsKeyId: undefined })), `DB cluster ${CLUSTER} has StorageEncrypted false`],
      ['a read replica', 'orders-db-replica', () => givenInstance(dbInstance('orders-db-replica', { StorageEncrypted: false, ReadReplicaSourceDBInstanceIdentifier: INSTANCE })), 'DB instance orders-db-replica has StorageEncrypted false'],
    ])('unencrypted: %s', async (_name, id, given, detail) => {
      given();
      const failed = await failedChecks(id);
      expect(failed.map((f) => f.check.id)).toEqual(['rds.unencrypted']);
      expect(failed[0]?.violation.detail).toBe(detail);
    });

    it('unencrypted: an Aurora member instance is judged via its cluster, not on its own', async () => {
      givenInstance(auroraInstance(MEMBER, CLUSTER, { StorageEncrypted: false, KmsKeyId: undefined }));
      expect(await failedIds(MEMBER)).toEqual([]);
    });

    it.each([
      ['a standalone instance', INSTANCE, dbInstance(INSTANCE, { PubliclyAccessible: true })],
      ['an Aurora member instance', MEMBER, auroraInstance(MEMBER, CLUSTER, { PubliclyAccessible: true })],
    ])('public: %s', async (_name, id, instance) => {
      givenInstance(instance);
      const failed = await failedChecks(id);
      expect(failed.map((f) => f.check.id)).toEqual(['rds.public']);
      expect(failed[0]?.violation.detail).toBe(`DB instance ${id} has PubliclyAccessible true`);
    });

    describe('Multi-AZ DB clusters: PubliclyAccessible is the cluster\'s (DescribeDBClusters), not its instances\'', () => {
      const MULTI_AZ = 'orders-multiaz';
      const MULTI_AZ_MEMBER = 'orders-multiaz-instance-1';

      it.each([
        ['a public Multi-AZ DB cluster', MULTI_AZ, () => givenCluster(multiAzCluster(MULTI_AZ, { PubliclyAccessible: true })), ['rds.public']],
        ['a private Multi-AZ DB cluster', MULTI_AZ, () => givenCluster(multiAzCluster(MULTI_AZ)), []],
        // DescribeDBClusters answers PubliclyAccessible only for Multi-AZ DB clusters; an Aurora cluster's flag (if any) means nothing
        ['an Aurora cluster (its instances carry the flag)', CLUSTER, () => givenCluster(dbCluster(CLUSTER, { PubliclyAccessible: true })), []],
        ['an instance of a public Multi-AZ DB cluster (judged on the cluster)', MULTI_AZ_MEMBER, () => givenInstance(multiAzClusterInstance(MULTI_AZ_MEMBER, MULTI_AZ, { PubliclyAccessible: true })), []],
      ])('%s', async (_name, id, given, expected) => {
        given();
        expect(await failedIds(id)).toEqual(expected);
      });

      it('names the cluster in the detail', async () => {
        givenCluster(multiAzCluster(MULTI_AZ, { PubliclyAccessible: true }));
        expect((await failedChecks(MULTI_AZ))[0]?.violation.detail).toBe(`DB cluster ${MULTI_AZ} has PubliclyAccessible true`);
      });

      it('is notify-only: ModifyDBCluster has no PubliclyAccessible, and the instances of a Multi-AZ DB cluster cannot be modified', async () => {
        givenCluster(multiAzCluster(MULTI_AZ, { PubliclyAccessible: true }));
        const failed = await failedChecks(MULTI_AZ);
        expect(failed[0]?.check.id).toBe('rds.public');
        expect(failed[0]?.remediate).toBeUndefined();
      });

      it('an unencrypted Multi-AZ DB cluster is not stopped (AWS cannot stop one): an error that says what to do', async () => {
        givenCluster(multiAzCluster(MULTI_AZ, { StorageEncrypted: false, KmsKeyId: undefined }));
        const failed = (await failedChecks(MULTI_AZ, { stopNonCompliantDatabases: true })).find((f) => f.check.id === 'rds.unencrypted');
        await expect(failed?.remediate?.()).rejects.toThrow(/Multi-AZ DB cluster, which AWS cannot stop/);
        expect(mutatingCalls()).toBe(0);
      });
    });

    it('public and unencrypted: both are reported', async () => {
      givenInstance(dbInstance(INSTANCE, { PubliclyAccessible: true, StorageEncrypted: false }));
      expect(await failedIds(INSTANCE)).toEqual(['rds.public', 'rds.unencrypted']);
    });

    it.each([
      ['no required tags configured checks nothing', INSTANCE, [], [], []],
      ['all present on an instance', INSTANCE, ['owner'], OWNER_TAGS, []],
      ['one missing on an instance', INSTANCE, ['owner', 'cost-center'], OWNER_TAGS, ['rds.missing_required_tags']],
      ['an empty value counts as missing', INSTANCE, ['owner'], [{ Key: 'owner', Value: '' }], ['rds.missing_required_tags']],
      ['no tags at all on a cluster', CLUSTER, ['owner'], [], ['rds.missing_required_tags']],
      ['all present on a cluster', CLUSTER, ['owner', 'data-classification'], OWNER_TAGS, []],
    ])('missing_required_tags: %s', async (_name, id, requiredTags, tags, expected) => {
      if (id === CLUSTER) givenCluster(dbCluster(CLUSTER, { TagList: tags }));
      else givenInstance(dbInstance(INSTANCE, { TagList: tags }));
      expect(await failedIds(id, { requiredTags })).toEqual(expected);
    });

    it('missing_required_tags names the missing keys', async () => {
      givenCluster(dbCluster(CLUSTER, { TagList: [{ Key: 'owner', Value: 'data-platform' }] }));
      const failed = await failedChecks(CLUSTER, { requiredTags: ['owner', 'cost-center', 'data-classification'] });
      expect(failed[0]?.violation.detail).toBe(`DB cluster ${CLUSTER} is missing tags: cost-center, data-classification`);
    });
  });

  describe('remediations', () => {
    type Overrides = Partial<ConfigInput>;
    const STOP_ON: Overrides = { stopNonCompliantDatabases: true };

    async function remediation(id: string, checkId: string, overrides: Partial<ConfigInput> = {}): Promise<FailedCheck | undefined> {
      return (await failedChecks(id, overrides)).find((f) => f.check.id === checkId);
    }

    it('public turns PubliclyAccessible off without ApplyImmediately (it applies at once; ApplyImmediately would apply pending changes too), and changes nothing else', async () => {
      givenInstance(dbInstance(INSTANCE, { PubliclyAccessible: true }));
      const failed = await remediation(INSTANCE, 'rds.public');
      expect(await failed?.remediate?.()).toBe('applied');
      const calls = rds.commandCalls(ModifyDBInstanceCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toStrictEqual({ DBInstanceIdentifier: INSTANCE, PubliclyAccessible: false });
      expect(rds.commandCalls(StopDBInstanceCommand)).toHaveLength(0);
    });

    it('public works on an Aurora member instance too', async () => {
      givenInstance(auroraInstance(MEMBER, CLUSTER, { PubliclyAccessible: true }));
      expect(await (await remediation(MEMBER, 'rds.public'))?.remediate?.()).toBe('applied');
      expect(rds.commandCalls(ModifyDBInstanceCommand)[0]?.args[0].input).toStrictEqual({ DBInstanceIdentifier: MEMBER, PubliclyAccessible: false });
    });

    it.each<[string, Overrides, DBInstance]>([
      ['rds.unencrypted', {}, dbInstance(INSTANCE, { StorageEncrypted: false })],
      ['rds.missing_required_tags', { requiredTags: ['cost-center'] }, dbInstance(INSTANCE)],
    ])('%s stops the database: disruptive, so it runs only when remediateChecks lists it', async (checkId, overrides, instance) => {
      givenInstance(instance);
      const failed = await remediation(INSTANCE, checkId, overrides);
      expect(failed?.check.id).toBe(checkId);
      expect(failed?.risk).toBe('disruptive');
    });

    it.each<[string, Overrides, DBInstance]>([
      ['rds.unencrypted', {}, dbInstance(INSTANCE, { StorageEncrypted: false })],
      ['rds.missing_required_tags', { requiredTags: ['cost-center'] }, dbInstance(INSTANCE)],
    ])('%s stops the instance when stopNonCompliantDatabases is on', async (checkId, overrides, instance) => {
      givenInstance(instance);
      const failed = await remediation(INSTANCE, checkId, { ...STOP_ON, ...overrides });
      expect(await failed?.remediate?.()).toBe('applied');
      expect(rds.commandCalls(StopDBInstanceCommand).map((c) => c.args[0].input)).toEqual([{ DBInstanceIdentifier: INSTANCE }]);
      expect(rds.commandCalls(StopDBClusterCommand)).toHaveLength(0);
      expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
    });

    it.each<[string, Overrides, DBCluster]>([
      ['rds.unencrypted', {}, dbCluster(CLUSTER, { StorageEncrypted: false })],
      ['rds.missing_required_tags', { requiredTags: ['cost-center'] }, dbCluster(CLUSTER)],
    ])('%s stops the cluster when stopNonCompliantDatabases is on', async (checkId, overrides, cluster) => {
      givenCluster(cluster);
      const failed = await remediation(CLUSTER, checkId, { ...STOP_ON, ...overrides });
      expect(await failed?.remediate?.()).toBe('applied');
      expect(rds.commandCalls(StopDBClusterCommand).map((c) => c.args[0].input)).toEqual([{ DBClusterIdentifier: CLUSTER }]);
      expect(rds.commandCalls(StopDBInstanceCommand)).toHaveLength(0);
    });

    it('missing_required_tags on an Aurora member instance fails with what to do, and stops nothing', async () => {
      givenInstance(auroraInstance(MEMBER, CLUSTER, { TagList: [] }));
      const failed = await remediation(MEMBER, 'rds.missing_required_tags', { ...STOP_ON, requiredTags: ['owner'] });
      await expect(failed?.remediate?.()).rejects.toThrow(`belongs to DB cluster ${CLUSTER} and cannot be stopped on its own`);
      expect(mutatingCalls()).toBe(0);
    });

    const instanceNow = (overrides: Partial<DBInstance>) => () => givenInstance(dbInstance(INSTANCE, overrides));
    const clusterNow = (overrides: Partial<DBCluster>) => () => givenCluster(dbCluster(CLUSTER, overrides));
    it.each<[string, string, string, Overrides, () => void, () => void]>([
      ['rds.public', 'made private', INSTANCE, {}, instanceNow({ PubliclyAccessible: true }), instanceNow({ PubliclyAccessible: false })],
      ['rds.unencrypted', 'stopped', INSTANCE, STOP_ON, instanceNow({ StorageEncrypted: false }), instanceNow({ StorageEncrypted: false, DBInstanceStatus: 'stopped' })],
      ['rds.unencrypted', 'stopping', INSTANCE, STOP_ON, instanceNow({ StorageEncrypted: false }), instanceNow({ StorageEncrypted: false, DBInstanceStatus: 'stopping' })],
      ['rds.missing_required_tags', 'tagged', INSTANCE, { ...STOP_ON, requiredTags: ['owner'] }, instanceNow({ TagList: [] }), instanceNow({})],
      ['rds.unencrypted', 'cluster stopped', CLUSTER, STOP_ON, clusterNow({ StorageEncrypted: false }), clusterNow({ StorageEncrypted: false, Status: 'stopped' })],
      ['rds.missing_required_tags', 'cluster tagged', CLUSTER, { ...STOP_ON, requiredTags: ['owner'] }, clusterNow({ TagList: [] }), clusterNow({})],
    ])('%s (%s since): a second run makes no mutating call', async (checkId, _since, id, overrides, givenBroken, givenFixed) => {
      // Prepare: the check failed on the first read, the database was fixed (or stopped) since
      givenBroken();
      const failed = await remediation(id, checkId, overrides);
      expect(failed?.remediate).toBeDefined();
      rds.reset();
      givenFixed();
      // Act
      const outcome = await failed?.remediate?.();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(mutatingCalls()).toBe(0);
    });

    it.each<[string, Overrides, DBInstance]>([
      ['rds.public', {}, dbInstance(INSTANCE, { PubliclyAccessible: true })],
      ['rds.unencrypted', STOP_ON, dbInstance(INSTANCE, { StorageEncrypted: false })],
    ])('%s: an instance deleted before remediation is gone, with no mutating call', async (checkId, overrides, instance) => {
      givenInstance(instance);
      const failed = await remediation(INSTANCE, checkId, overrides);
      rds.reset();
      rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFound', 404));
      expect(await failed?.remediate?.()).toBe('gone');
      expect(mutatingCalls()).toBe(0);
    });

    it('a cluster deleted before remediation is gone, with no mutating call', async () => {
      givenCluster(dbCluster(CLUSTER, { StorageEncrypted: false }));
      const failed = await remediation(CLUSTER, 'rds.unencrypted', STOP_ON);
      rds.reset();
      rds.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFoundFault', 404));
      expect(await failed?.remediate?.()).toBe('gone');
      expect(mutatingCalls()).toBe(0);
      expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(0);
    });
  });

  describe('metadata', () => {
    it('declares every action it calls, and only those', () => {
      expect(rdsAuditor.permissions).toEqual({
        list: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
        collect: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
      });
      expect(rdsAuditor.remediations['rds.public']?.permissions).toEqual(['rds:DescribeDBInstances', 'rds:ModifyDBInstance']);
      for (const checkId of ['rds.unencrypted', 'rds.missing_required_tags']) {
        expect(rdsAuditor.remediations[checkId]?.permissions).toEqual([
          'rds:DescribeDBInstances',
          'rds:DescribeDBClusters',
          'rds:StopDBInstance',
          'rds:StopDBCluster',
        ]);
      }
    });

    it('creation events wait before the audit; ids come from the request, lower-cased as RDS stores them', () => {
      const creation = rdsAuditor.triggers.find((t) => t.eventNames.includes('CreateDBInstance'));
      expect(creation).toMatchObject({ idPath: 'requestParameters.dBInstanceIdentifier', delaySeconds: 600 });
      expect(rdsAuditor.triggers.every((t) => t.transformId?.('Orders-DB', {}) === 'orders-db')).toBe(true);
      expect(rdsAuditor.triggers.filter((t) => t.eventNames.includes('ModifyDBCluster')).map((t) => [t.idPath, t.delaySeconds])).toEqual([
        ['requestParameters.dBClusterIdentifier', undefined],
        ['requestParameters.newDBClusterIdentifier', 300],
      ]);
    });
  });
});
