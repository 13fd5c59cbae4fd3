/**
 * RDS in the sandbox: DB instances and DB clusters (this file), DB snapshots
 * and DB cluster snapshots (rdsSnapshots.ts).
 *
 * The sandbox has no clock-driven transitions: a new instance is
 * `available` at once (AWS: `creating` for ~10 minutes), a stopped one is
 * `stopped` at once (AWS: `stopping` first), and a deleted one is gone at
 * once (AWS: `deleting`). A test that needs another status sets it in the
 * state. ModifyDBInstance models PubliclyAccessible, which AWS applies
 * immediately whatever ApplyImmediately says. DB clusters are never created
 * here; a test seeds them in the state (`RdsState.clusters`).
 */
import type {
  CreateDBInstanceCommandInput,
  CreateDBInstanceCommandOutput,
  DBCluster,
  DBInstance,
  DeleteDBInstanceCommandInput,
  DeleteDBInstanceCommandOutput,
  DescribeDBClustersCommandInput,
  DescribeDBClustersCommandOutput,
  DescribeDBInstancesCommandInput,
  DescribeDBInstancesCommandOutput,
  ModifyDBInstanceCommandInput,
  ModifyDBInstanceCommandOutput,
  StopDBClusterCommandInput,
  StopDBClusterCommandOutput,
  StartDBInstanceCommandInput,
  StartDBInstanceCommandOutput,
  StopDBInstanceCommandInput,
  StopDBInstanceCommandOutput,
} from '@aws-sdk/client-rds';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';
import { rdsSnapshotOperations, takeDbSnapshot } from './rdsSnapshots.ts';
import {
  byIdentifier,
  clusterOf,
  endpointHost,
  instanceOf,
  kmsKeyArn,
  rdsArn,
  rdsFault,
  rdsPage,
  rdsState,
  requiredParameter,
  resourceId,
  validIdentifier,
  type DbClusterRecord,
  type DbInstanceRecord,
} from './rdsState.ts';

const ENGINE_DEFAULTS: Readonly<Record<string, { version: string; port: number }>> = {
  postgres: { version: '17.4', port: 5432 },
  mysql: { version: '8.0.41', port: 3306 },
  mariadb: { version: '11.4.5', port: 3306 },
};

function toDBInstance(context: OperationContext, instance: DbInstanceRecord): DBInstance {
  return {
    DBInstanceIdentifier: instance.identifier,
    DBInstanceClass: instance.instanceClass,
    Engine: instance.engine,
    EngineVersion: instance.engineVersion,
    DBInstanceStatus: instance.status,
    ...(instance.masterUsername ? { MasterUsername: instance.masterUsername } : {}),
    ...(instance.dbName ? { DBName: instance.dbName } : {}),
    Endpoint: { Address: `${instance.identifier}.${endpointHost(context)}`, Port: instance.port, HostedZoneId: 'Z2R2ITUGPM61AM' },
    AllocatedStorage: instance.allocatedStorage,
    InstanceCreateTime: new Date(instance.createdAt),
    PreferredBackupWindow: '06:00-06:30',
    BackupRetentionPeriod: instance.backupRetentionPeriod,
    DBSecurityGroups: [],
    VpcSecurityGroups: [{ VpcSecurityGroupId: `sg-${context.account}0`, Status: 'active' }],
    DBParameterGroups: [{ DBParameterGroupName: `default.${instance.engine}${instance.engineVersion.split('.')[0] ?? ''}`, ParameterApplyStatus: 'in-sync' }],
    AvailabilityZone: instance.availabilityZone,
    PreferredMaintenanceWindow: 'sun:07:00-sun:07:30',
    PendingModifiedValues: {},
    MultiAZ: instance.multiAz,
    AutoMinorVersionUpgrade: true,
    ReadReplicaDBInstanceIdentifiers: [],
    PubliclyAccessible: instance.publiclyAccessible,
    StorageType: instance.storageType,
    DbInstancePort: 0,
    ...(instance.clusterId ? { DBClusterIdentifier: instance.clusterId } : {}),
    StorageEncrypted: instance.storageEncrypted,
    ...(instance.kmsKeyId ? { KmsKeyId: instance.kmsKeyId } : {}),
    DbiResourceId: instance.resourceId,
    CopyTagsToSnapshot: false,
    DBInstanceArn: rdsArn(context, 'db', instance.identifier),
    DeletionProtection: false,
    TagList: instance.tags,
  };
}

function toDBCluster(context: OperationContext, cluster: DbClusterRecord): DBCluster {
  return {
    DBClusterIdentifier: cluster.identifier,
    DBClusterArn: rdsArn(context, 'cluster', cluster.identifier),
    DbClusterResourceId: cluster.resourceId,
    Status: cluster.status,
    Engine: cluster.engine,
    EngineVersion: cluster.engineVersion,
    EngineMode: 'provisioned',
    Endpoint: `${cluster.identifier}.cluster-${endpointHost(context)}`,
    ReaderEndpoint: `${cluster.identifier}.cluster-ro-${endpointHost(context)}`,
    Port: cluster.port,
    ClusterCreateTime: new Date(cluster.createdAt),
    DBClusterMembers: cluster.members.map((member, index) => ({
      DBInstanceIdentifier: member,
      IsClusterWriter: index === 0,
      DBClusterParameterGroupStatus: 'in-sync',
      PromotionTier: 1,
    })),
    StorageEncrypted: cluster.storageEncrypted,
    ...(cluster.kmsKeyId ? { KmsKeyId: cluster.kmsKeyId } : {}),
    DeletionProtection: false,
    TagList: cluster.tags,
  };
}

function createInstance(context: OperationContext, input: CreateDBInstanceCommandInput): DbInstanceRecord {
  const identifier = validIdentifier(input.DBInstanceIdentifier, 'DBInstanceIdentifier');
  const instanceClass = requiredParameter(input.DBInstanceClass, 'DBInstanceClass');
  const engine = requiredParameter(input.Engine, 'Engine');
  if (rdsState(context).instances[identifier]) throw rdsFault('DBInstanceAlreadyExists', 'DB instance already exists');
  if (!input.MasterUsername) throw rdsFault('InvalidParameterValue', 'The parameter MasterUsername must be provided and must not be blank.');
  if (!input.MasterUserPassword && !input.ManageMasterUserPassword) {
    throw rdsFault('InvalidParameterValue', 'The parameter MasterUserPassword must be provided and must not be blank.');
  }
  const defaults = ENGINE_DEFAULTS[engine] ?? { version: '1.0', port: 5432 };
  const storageEncrypted = input.StorageEncrypted === true;
  // The password is never kept: the sandbox state is a plain JSON file.
  return {
    identifier,
    instanceClass,
    engine,
    engineVersion: input.EngineVersion ?? defaults.version,
    status: 'available',
    masterUsername: input.MasterUsername,
    ...(input.DBName ? { dbName: input.DBName } : {}),
    allocatedStorage: input.AllocatedStorage ?? 20,
    storageType: input.StorageType ?? 'gp2',
    storageEncrypted,
    ...(storageEncrypted ? { kmsKeyId: input.KmsKeyId ?? kmsKeyArn(context) } : {}),
    publiclyAccessible: input.PubliclyAccessible === true,
    multiAz: input.MultiAZ === true,
    backupRetentionPeriod: input.BackupRetentionPeriod ?? 1,
    port: input.Port ?? defaults.port,
    availabilityZone: input.AvailabilityZone ?? `${context.region}a`,
    resourceId: resourceId(context, 'db'),
    createdAt: context.now().toISOString(),
    tags: input.Tags ?? [],
  };
}

/** `rds:<instance>-YYYY-MM-DD-HH-MM`, the name AWS gives automated snapshots. */
function automatedSnapshotId(instance: DbInstanceRecord, at: Date): string {
  return `rds:${instance.identifier}-${at.toISOString().slice(0, 16).replace(/[T:]/g, '-')}`;
}

export const rdsService: SandboxService = {
  serviceId: 'RDS',
  operations: {
    DescribeDBInstances: operation((context, input: DescribeDBInstancesCommandInput): Output<DescribeDBInstancesCommandOutput> => {
      const instances = input.DBInstanceIdentifier ? [instanceOf(context, input.DBInstanceIdentifier)] : byIdentifier(rdsState(context).instances);
      const { items, Marker } = rdsPage(instances, input.Marker, input.MaxRecords);
      return { DBInstances: items.map((i) => toDBInstance(context, i)), ...(Marker ? { Marker } : {}) };
    }),
    DescribeDBClusters: operation((context, input: DescribeDBClustersCommandInput): Output<DescribeDBClustersCommandOutput> => {
      const clusters = input.DBClusterIdentifier ? [clusterOf(context, input.DBClusterIdentifier)] : byIdentifier(rdsState(context).clusters);
      const { items, Marker } = rdsPage(clusters, input.Marker, input.MaxRecords);
      return { DBClusters: items.map((c) => toDBCluster(context, c)), ...(Marker ? { Marker } : {}) };
    }),
    CreateDBInstance: operation((context, input: CreateDBInstanceCommandInput): Output<CreateDBInstanceCommandOutput> => {
      const instance = createInstance(context, input);
      rdsState(context).instances[instance.identifier] = instance;
      if (instance.backupRetentionPeriod > 0) {
        takeDbSnapshot(context, instance, automatedSnapshotId(instance, context.now()), 'automated', []);
      }
      return { DBInstance: toDBInstance(context, instance) };
    }),
    ModifyDBInstance: operation((context, input: ModifyDBInstanceCommandInput): Output<ModifyDBInstanceCommandOutput> => {
      const instance = instanceOf(context, input.DBInstanceIdentifier);
      if (instance.status === 'stopped') {
        throw rdsFault('InvalidDBInstanceState', "You can't modify a stopped DB instance. Start the DB instance, and then modify it.");
      }
      if (instance.status !== 'available') throw rdsFault('InvalidDBInstanceState', `Database instance is not in available state.`);
      if (input.PubliclyAccessible !== undefined) instance.publiclyAccessible = input.PubliclyAccessible;
      return { DBInstance: toDBInstance(context, instance) };
    }),
    StopDBInstance: operation((context, input: StopDBInstanceCommandInput): Output<StopDBInstanceCommandOutput> => {
      const instance = instanceOf(context, input.DBInstanceIdentifier);
      if (instance.clusterId) {
        throw rdsFault('InvalidDBClusterStateFault', `DB instance ${instance.identifier} belongs to DB cluster ${instance.clusterId}: use StopDBCluster.`);
      }
      if (instance.status !== 'available') throw rdsFault('InvalidDBInstanceState', `Instance ${instance.identifier} is not in available state.`);
      instance.status = 'stopped';
      return { DBInstance: toDBInstance(context, instance) };
    }),
    // Starts at once here (AWS takes minutes: starting, then available).
    StartDBInstance: operation((context, input: StartDBInstanceCommandInput): Output<StartDBInstanceCommandOutput> => {
      const instance = instanceOf(context, input.DBInstanceIdentifier);
      if (instance.clusterId) {
        throw rdsFault('InvalidDBClusterStateFault', `DB instance ${instance.identifier} belongs to DB cluster ${instance.clusterId}: use StartDBCluster.`);
      }
      if (instance.status !== 'stopped') throw rdsFault('InvalidDBInstanceState', `Instance ${instance.identifier} is not stopped.`);
      instance.status = 'available';
      return { DBInstance: toDBInstance(context, instance) };
    }),
    StopDBCluster: operation((context, input: StopDBClusterCommandInput): Output<StopDBClusterCommandOutput> => {
      const cluster = clusterOf(context, input.DBClusterIdentifier);
      if (cluster.status !== 'available') throw rdsFault('InvalidDBClusterStateFault', `DbCluster ${cluster.identifier} is in ${cluster.status} state but expected it to be one of available.`);
      cluster.status = 'stopped';
      for (const member of cluster.members) {
        const instance = rdsState(context).instances[member];
        if (instance) instance.status = 'stopped';
      }
      return { DBCluster: toDBCluster(context, cluster) };
    }),
    DeleteDBInstance: operation((context, input: DeleteDBInstanceCommandInput): Output<DeleteDBInstanceCommandOutput> => {
      const instance = instanceOf(context, input.DBInstanceIdentifier);
      if (!input.SkipFinalSnapshot && !input.FinalDBSnapshotIdentifier) {
        throw rdsFault('InvalidParameterCombination', 'FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
      }
      if (!input.SkipFinalSnapshot && input.FinalDBSnapshotIdentifier) {
        takeDbSnapshot(context, instance, validIdentifier(input.FinalDBSnapshotIdentifier, 'FinalDBSnapshotIdentifier'), 'manual', []);
      }
      const state = rdsState(context);
      if (input.DeleteAutomatedBackups !== false) {
        for (const [key, snapshot] of Object.entries(state.snapshots)) {
          if (snapshot.snapshotType === 'automated' && snapshot.instanceId === instance.identifier) delete state.snapshots[key];
        }
      }
      delete state.instances[instance.identifier];
      return { DBInstance: { ...toDBInstance(context, { ...instance, status: 'deleting' }) } };
    }),
    ...rdsSnapshotOperations,
  },
};
