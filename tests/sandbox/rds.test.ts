import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBInstanceCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
  StopDBClusterCommand,
  StopDBInstanceCommand,
  paginateDescribeDBInstances,
  paginateDescribeDBSnapshots,
  type CreateDBInstanceCommandInput,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RdsState } from '../../sandbox/services/rdsState.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import { rejection } from '../helpers/rejection.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

function instanceInput(id: string, overrides: Partial<CreateDBInstanceCommandInput> = {}): CreateDBInstanceCommandInput {
  return {
    DBInstanceIdentifier: id,
    DBInstanceClass: 'db.t4g.micro',
    Engine: 'postgres',
    AllocatedStorage: 20,
    MasterUsername: 'admin1',
    MasterUserPassword: 'not-a-real-password-1',
    BackupRetentionPeriod: 0,
    ...overrides,
  };
}

/** The account x region's RDS state, for what only a test can set (clusters, statuses). */
function rdsStateOf(organization: SandboxOrganization, account = ACCOUNT, region = REGION): RdsState {
  const regionState = organization.sandbox.state.accounts[account]?.regions[region];
  if (!regionState) throw new Error(`no sandbox region ${account}/${region}`);
  regionState.rds ??= { instances: {}, clusters: {}, snapshots: {}, clusterSnapshots: {} };
  return regionState.rds as RdsState;
}

function seedCluster(organization: SandboxOrganization, id: string): void {
  const state = rdsStateOf(organization);
  state.clusters[id] = {
    identifier: id,
    engine: 'aurora-postgresql',
    engineVersion: '16.4',
    status: 'available',
    storageEncrypted: false,
    port: 5432,
    resourceId: 'cluster-SANDBOXSEEDED000000000000',
    members: [`${id}-instance-1`],
    createdAt: '2025-03-04T10:15:30.123Z',
    tags: [{ Key: 'owner', Value: 'payments-team' }],
  };
  state.clusterSnapshots[`${id}-manual`] = {
    identifier: `${id}-manual`,
    clusterId: id,
    snapshotType: 'manual',
    status: 'available',
    engine: 'aurora-postgresql',
    engineVersion: '16.4',
    encrypted: false,
    port: 5432,
    clusterCreatedAt: '2025-03-04T10:15:30.123Z',
    createdAt: '2025-03-05T10:15:30.123Z',
    resourceId: 'cluster-SANDBOXSEEDED000000000000',
    restore: [],
    tags: [],
  };
  state.clusterSnapshots[`rds:${id}-2025-03-05-06-00`] = { ...state.clusterSnapshots[`${id}-manual`]!, identifier: `rds:${id}-2025-03-05-06-00`, snapshotType: 'automated' };
}

describe('sandbox RDS', () => {
  let organization: SandboxOrganization;
  let rds: RDSClient;

  beforeEach(() => {
    organization = sandboxOrganization();
    rds = organization.clients().get(RDSClient);
  });

  describe('DB instances', () => {
    it('CreateDBInstance answers a DBInstance shaped as RDS returns it, available at once', async () => {
      // Act
      const { DBInstance: instance } = await rds.send(
        new CreateDBInstanceCommand(instanceInput('orders-db', { PubliclyAccessible: true, Tags: [{ Key: 'owner', Value: 'payments' }] })),
      );

      // Assess
      expect(instance).toMatchObject({
        DBInstanceIdentifier: 'orders-db',
        DBInstanceClass: 'db.t4g.micro',
        Engine: 'postgres',
        DBInstanceStatus: 'available',
        MasterUsername: 'admin1',
        AllocatedStorage: 20,
        BackupRetentionPeriod: 0,
        PubliclyAccessible: true,
        StorageEncrypted: false,
        MultiAZ: false,
        DBInstanceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-db`,
        TagList: [{ Key: 'owner', Value: 'payments' }],
        Endpoint: { Port: 5432 },
      });
      expect(instance?.InstanceCreateTime).toBeInstanceOf(Date);
      expect(instance?.DbiResourceId).toMatch(/^db-[A-Z0-9]{26}$/);
      expect(instance?.KmsKeyId).toBeUndefined();
      expect(JSON.stringify(organization.sandbox.state)).not.toContain('not-a-real-password-1');
    });

    it('encrypted storage carries a KMS key ARN of the account and region', async () => {
      const { DBInstance: instance } = await rds.send(new CreateDBInstanceCommand(instanceInput('vault-db', { StorageEncrypted: true })));

      expect(instance?.StorageEncrypted).toBe(true);
      expect(instance?.KmsKeyId).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${ACCOUNT}:key/`));
    });

    it('identifiers are case-insensitive and kept in lower case', async () => {
      await rds.send(new CreateDBInstanceCommand(instanceInput('Orders-DB')));

      const { DBInstances } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'ORDERS-db' }));

      expect(DBInstances?.map((i) => i.DBInstanceIdentifier)).toEqual(['orders-db']);
    });

    it.each([
      ['an existing identifier', instanceInput('orders-db'), 'DBInstanceAlreadyExists', 'DBInstanceAlreadyExistsFault', 400],
      ['an identifier with two hyphens in a row', instanceInput('orders--db'), 'InvalidParameterValue', 'InvalidParameterValue', 400],
      ['an identifier that starts with a digit', instanceInput('1orders'), 'InvalidParameterValue', 'InvalidParameterValue', 400],
      ['no Engine', { ...instanceInput('no-engine'), Engine: undefined }, 'MissingParameter', 'MissingParameter', 400],
      ['no master password', { ...instanceInput('no-password'), MasterUserPassword: undefined }, 'InvalidParameterValue', 'InvalidParameterValue', 400],
    ] as const)('CreateDBInstance with %s fails with %s', async (_case, input, code, sdkName, status) => {
      // Prepare
      await rds.send(new CreateDBInstanceCommand(instanceInput('orders-db')));

      // Act
      const error = await rejection(rds.send(new CreateDBInstanceCommand(input)));

      // Assess
      expect(error).toMatchObject({ Code: code, name: sdkName, status });
    });

    it('an unknown instance is DBInstanceNotFound (404), raised as the SDK raises it', async () => {
      const error = await rejection(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'missing-db' })));

      expect(error).toEqual({ Code: 'DBInstanceNotFound', name: 'DBInstanceNotFoundFault', status: 404, message: 'DBInstance missing-db not found.' });
    });

    it('pages with MaxRecords and Marker, and the SDK paginator follows the Marker', async () => {
      // Prepare
      for (let n = 0; n < 25; n += 1) await rds.send(new CreateDBInstanceCommand(instanceInput(`db-${String(n).padStart(2, '0')}`)));

      // Act
      const first = await rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20 }));
      const second = await rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20, Marker: first.Marker }));
      const all: string[] = [];
      for await (const page of paginateDescribeDBInstances({ client: rds, pageSize: 20 }, {})) {
        all.push(...(page.DBInstances ?? []).map((i) => i.DBInstanceIdentifier ?? ''));
      }

      // Assess
      expect(first.DBInstances).toHaveLength(20);
      expect(first.Marker).toEqual(expect.any(String));
      expect(second.DBInstances?.map((i) => i.DBInstanceIdentifier)).toEqual(['db-20', 'db-21', 'db-22', 'db-23', 'db-24']);
      expect(second.Marker).toBeUndefined();
      expect(all).toHaveLength(25);
    });

    it('refuses MaxRecords outside 20..100', async () => {
      const error = await rejection(rds.send(new DescribeDBInstancesCommand({ MaxRecords: 5 })));

      expect(error).toMatchObject({ Code: 'InvalidParameterValue', status: 400 });
    });

    it('keeps each account and region apart', async () => {
      await rds.send(new CreateDBInstanceCommand(instanceInput('orders-db')));

      const otherRegion = organization.clients(ACCOUNT, 'eu-west-1').get(RDSClient);
      const otherAccount = organization.clients(OTHER_ACCOUNT, REGION).get(RDSClient);

      expect((await otherRegion.send(new DescribeDBInstancesCommand({}))).DBInstances).toEqual([]);
      expect((await otherAccount.send(new DescribeDBInstancesCommand({}))).DBInstances).toEqual([]);
    });

    it('ModifyDBInstance turns PubliclyAccessible off at once, whatever ApplyImmediately says', async () => {
      await rds.send(new CreateDBInstanceCommand(instanceInput('orders-db', { PubliclyAccessible: true })));

      const { DBInstance: modified } = await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', PubliclyAccessible: false }));

      expect(modified).toMatchObject({ PubliclyAccessible: false, DBInstanceStatus: 'available' });
    });

    it('StopDBInstance stops an available instance; a stopped one can be neither stopped again nor modified', async () => {
      // Prepare
      await rds.send(new CreateDBInstanceCommand(instanceInput('orders-db', { PubliclyAccessible: true })));

      // Act
      const { DBInstance: stopped } = await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' }));
      const stopAgain = await rejection(rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' })));
      const modify = await rejection(rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', PubliclyAccessible: false, ApplyImmediately: true })));

      // Assess
      expect(stopped?.DBInstanceStatus).toBe('stopped');
      expect(stopAgain).toMatchObject({ Code: 'InvalidDBInstanceState', name: 'InvalidDBInstanceStateFault', status: 400 });
      expect(modify).toMatchObject({ Code: 'InvalidDBInstanceState', status: 400, message: expect.stringContaining("can't modify a stopped DB instance") });
    });

    it('DeleteDBInstance needs SkipFinalSnapshot or a final snapshot identifier', async () => {
      await rds.send(new CreateDBInstanceCommand(instanceInput('orders-db')));

      const error = await rejection(rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-db' })));

      expect(error).toMatchObject({ Code: 'InvalidParameterCombination', status: 400 });
    });

    it('DeleteDBInstance removes the instance and its automated snapshots, and can take a final snapshot', async () => {
      // Prepare
      await rds.send(new CreateDBInstanceCommand(instanceInput('orders-db', { BackupRetentionPeriod: 7 })));

      // Act
      const { DBInstance: deleted } = await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-db', FinalDBSnapshotIdentifier: 'orders-db-final' }));
      const gone = await rejection(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-db' })));
      const { DBSnapshots } = await rds.send(new DescribeDBSnapshotsCommand({}));

      // Assess
      expect(deleted?.DBInstanceStatus).toBe('deleting');
      expect(gone.Code).toBe('DBInstanceNotFound');
      expect(DBSnapshots?.map((s) => [s.DBSnapshotIdentifier, s.SnapshotType])).toEqual([['orders-db-final', 'manual']]);
    });
  });

  describe('DB clusters (seeded: the sandbox does not create them)', () => {
    it('DescribeDBClusters answers the cluster with its members and tags', async () => {
      seedCluster(organization, 'ledger');

      const { DBClusters } = await rds.send(new DescribeDBClustersCommand({}));

      expect(DBClusters).toEqual([
        expect.objectContaining({
          DBClusterIdentifier: 'ledger',
          Status: 'available',
          StorageEncrypted: false,
          DBClusterArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:ledger`,
          DBClusterMembers: [expect.objectContaining({ DBInstanceIdentifier: 'ledger-instance-1', IsClusterWriter: true })],
          TagList: [{ Key: 'owner', Value: 'payments-team' }],
        }),
      ]);
      expect(DBClusters?.[0]?.ClusterCreateTime).toBeInstanceOf(Date);
    });

    it('an unknown cluster is DBClusterNotFoundFault (404)', async () => {
      const error = await rejection(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'missing' })));

      expect(error).toMatchObject({ Code: 'DBClusterNotFoundFault', name: 'DBClusterNotFoundFault', status: 404 });
    });

    it('StopDBCluster stops an available cluster, and refuses a stopped one', async () => {
      seedCluster(organization, 'ledger');

      const { DBCluster: stopped } = await rds.send(new StopDBClusterCommand({ DBClusterIdentifier: 'ledger' }));
      const again = await rejection(rds.send(new StopDBClusterCommand({ DBClusterIdentifier: 'ledger' })));

      expect(stopped?.Status).toBe('stopped');
      expect(again).toMatchObject({ Code: 'InvalidDBClusterStateFault', status: 400 });
    });
  });

  describe('DB snapshots', () => {
    beforeEach(async () => {
      await rds.send(new CreateDBInstanceCommand(instanceInput('orders-db', { BackupRetentionPeriod: 1 })));
    });

    it('CreateDBInstance with backups takes an automated snapshot; SnapshotType really filters', async () => {
      // Prepare
      await rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-manual', DBInstanceIdentifier: 'orders-db' }));

      // Act
      const all = await rds.send(new DescribeDBSnapshotsCommand({}));
      const manual = await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }));
      const automated = await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'automated' }));
      const shared = await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'shared' }));

      // Assess
      expect(all.DBSnapshots).toHaveLength(2);
      expect(manual.DBSnapshots?.map((s) => s.DBSnapshotIdentifier)).toEqual(['orders-manual']);
      expect(automated.DBSnapshots?.map((s) => s.DBSnapshotIdentifier)).toEqual([expect.stringMatching(/^rds:orders-db-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$/)]);
      expect(shared.DBSnapshots).toEqual([]);
    });

    it('CreateDBSnapshot answers a DBSnapshot shaped as RDS returns it', async () => {
      const { DBSnapshot: snapshot } = await rds.send(
        new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-manual', DBInstanceIdentifier: 'orders-db', Tags: [{ Key: 'k', Value: 'v' }] }),
      );

      expect(snapshot).toMatchObject({
        DBSnapshotIdentifier: 'orders-manual',
        DBInstanceIdentifier: 'orders-db',
        SnapshotType: 'manual',
        Status: 'available',
        Engine: 'postgres',
        Encrypted: false,
        DBSnapshotArn: `arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:orders-manual`,
        TagList: [{ Key: 'k', Value: 'v' }],
      });
      expect(snapshot?.SnapshotCreateTime).toBeInstanceOf(Date);
    });

    it.each([
      ['an existing identifier', 'orders-manual', 'orders-db', 'DBSnapshotAlreadyExists', 400],
      ['an unknown instance', 'other-manual', 'missing-db', 'DBInstanceNotFound', 404],
    ] as const)('CreateDBSnapshot of %s fails with %s', async (_case, snapshotId, instanceId, code, status) => {
      await rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-manual', DBInstanceIdentifier: 'orders-db' }));

      const error = await rejection(rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: snapshotId, DBInstanceIdentifier: instanceId })));

      expect(error).toMatchObject({ Code: code, status });
    });

    it('CreateDBSnapshot needs the instance available', async () => {
      rdsStateOf(organization).instances['orders-db']!.status = 'creating';

      const error = await rejection(rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'too-early', DBInstanceIdentifier: 'orders-db' })));

      expect(error).toMatchObject({ Code: 'InvalidDBInstanceState', status: 400 });
    });

    it('pages snapshots with MaxRecords and Marker', async () => {
      for (let n = 0; n < 21; n += 1) {
        await rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: `orders-manual-${String(n).padStart(2, '0')}`, DBInstanceIdentifier: 'orders-db' }));
      }

      const first = await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 20 }));
      const second = await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 20, Marker: first.Marker }));
      let viaPaginator = 0;
      for await (const page of paginateDescribeDBSnapshots({ client: rds, pageSize: 20 }, { SnapshotType: 'manual' })) viaPaginator += page.DBSnapshots?.length ?? 0;

      expect(first.DBSnapshots).toHaveLength(20);
      expect(second.DBSnapshots?.map((s) => s.DBSnapshotIdentifier)).toEqual(['orders-manual-20']);
      expect(second.Marker).toBeUndefined();
      expect(viaPaginator).toBe(21);
    });

    it('the restore attribute adds and removes exactly the values given', async () => {
      // Prepare
      await rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-manual', DBInstanceIdentifier: 'orders-db' }));
      const before = await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: 'orders-manual' }));

      // Act
      await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'orders-manual', AttributeName: 'restore', ValuesToAdd: ['000000000000', 'all'] }));
      const { DBSnapshotAttributesResult: removed } = await rds.send(
        new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'orders-manual', AttributeName: 'restore', ValuesToRemove: ['all'] }),
      );
      const after = await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: 'orders-manual' }));

      // Assess
      expect(before.DBSnapshotAttributesResult).toEqual({
        DBSnapshotIdentifier: 'orders-manual',
        DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [] }],
      });
      expect(removed?.DBSnapshotAttributes).toEqual([{ AttributeName: 'restore', AttributeValues: ['000000000000'] }]);
      expect(after.DBSnapshotAttributesResult?.DBSnapshotAttributes).toEqual([{ AttributeName: 'restore', AttributeValues: ['000000000000'] }]);
    });

    it.each([
      ['an attribute other than restore', { AttributeName: 'copy', ValuesToAdd: ['000000000000'] }, 'InvalidParameterValue', 400],
      ['a value that is no account id', { AttributeName: 'restore', ValuesToAdd: ['everyone'] }, 'InvalidParameterValue', 400],
      [
        'more than 20 accounts',
        { AttributeName: 'restore', ValuesToAdd: Array.from({ length: 21 }, (_, n) => String(100000000000 + n)) },
        'SharedSnapshotQuotaExceeded',
        400,
      ],
    ] as const)('ModifyDBSnapshotAttribute with %s fails with %s', async (_case, change, code, status) => {
      await rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-manual', DBInstanceIdentifier: 'orders-db' }));

      const error = await rejection(rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'orders-manual', ...change, ValuesToAdd: [...change.ValuesToAdd] })));

      expect(error).toMatchObject({ Code: code, status });
    });

    it('an automated snapshot can be neither shared nor deleted', async () => {
      const { DBSnapshots } = await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'automated' }));
      const automated = DBSnapshots?.[0]?.DBSnapshotIdentifier;

      const share = await rejection(rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: automated, AttributeName: 'restore', ValuesToAdd: ['000000000000'] })));
      const remove = await rejection(rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: automated })));

      expect(share).toMatchObject({ Code: 'InvalidDBSnapshotState', name: 'InvalidDBSnapshotStateFault', status: 400 });
      expect(remove).toMatchObject({ Code: 'InvalidDBSnapshotState', status: 400 });
    });

    it('an unknown snapshot is DBSnapshotNotFound (404) for describe, attributes and delete', async () => {
      const errors = await Promise.all([
        rejection(rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'missing' }))),
        rejection(rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: 'missing' }))),
        rejection(rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'missing', AttributeName: 'restore', ValuesToRemove: ['all'] }))),
        rejection(rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'missing' }))),
      ]);

      for (const error of errors) expect(error).toMatchObject({ Code: 'DBSnapshotNotFound', name: 'DBSnapshotNotFoundFault', status: 404 });
    });

    it('DeleteDBSnapshot removes a manual snapshot', async () => {
      await rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-manual', DBInstanceIdentifier: 'orders-db' }));

      const { DBSnapshot: deleted } = await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-manual' }));

      expect(deleted?.Status).toBe('deleted');
      expect((await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }))).DBSnapshots).toEqual([]);
    });
  });

  describe('DB cluster snapshots (seeded)', () => {
    beforeEach(() => seedCluster(organization, 'ledger'));

    it('SnapshotType really filters DB cluster snapshots', async () => {
      const manual = await rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }));
      const all = await rds.send(new DescribeDBClusterSnapshotsCommand({}));

      expect(manual.DBClusterSnapshots?.map((s) => s.DBClusterSnapshotIdentifier)).toEqual(['ledger-manual']);
      expect(manual.DBClusterSnapshots?.[0]).toMatchObject({ DBClusterIdentifier: 'ledger', SnapshotType: 'manual', StorageEncrypted: false });
      expect(all.DBClusterSnapshots).toHaveLength(2);
    });

    it('the restore attribute of a DB cluster snapshot is read and changed with its own API', async () => {
      await rds.send(
        new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: 'ledger-manual', AttributeName: 'restore', ValuesToAdd: ['all', '000000000000'] }),
      );
      await rds.send(new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: 'ledger-manual', AttributeName: 'restore', ValuesToRemove: ['all'] }));

      const { DBClusterSnapshotAttributesResult } = await rds.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: 'ledger-manual' }));

      expect(DBClusterSnapshotAttributesResult).toEqual({
        DBClusterSnapshotIdentifier: 'ledger-manual',
        DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['000000000000'] }],
      });
    });

    it('an unknown DB cluster snapshot is DBClusterSnapshotNotFoundFault (404)', async () => {
      const error = await rejection(rds.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: 'missing' })));

      expect(error).toMatchObject({ Code: 'DBClusterSnapshotNotFoundFault', status: 404 });
    });
  });

  it('keeps its state plain JSON (dates as ISO strings)', async () => {
    await rds.send(new CreateDBInstanceCommand(instanceInput('orders-db', { BackupRetentionPeriod: 1 })));
    await rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'orders-manual', DBInstanceIdentifier: 'orders-db' }));

    expect(JSON.parse(JSON.stringify(organization.sandbox.state))).toEqual(organization.sandbox.state);
  });
});
