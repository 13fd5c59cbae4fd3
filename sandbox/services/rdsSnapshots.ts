/**
 * RDS DB snapshots and DB cluster snapshots in the sandbox: describe
 * (SnapshotType really filters: `manual` leaves out the automated
 * snapshots CreateDBInstance takes when BackupRetentionPeriod > 0), the
 * `restore` attribute (who may copy or restore a manual snapshot), and
 * CreateDBSnapshot / DeleteDBSnapshot. A new snapshot is `available` at
 * once (AWS: `creating` for minutes). Snapshots shared by other accounts
 * (SnapshotType shared / public) are not modelled: those types answer an
 * empty list. DB cluster snapshots are never created here; a test seeds them
 * in the state (`RdsState.clusterSnapshots`).
 */
import type {
  CreateDBSnapshotCommandInput,
  CreateDBSnapshotCommandOutput,
  DBClusterSnapshot,
  DBSnapshot,
  DeleteDBSnapshotCommandInput,
  DeleteDBSnapshotCommandOutput,
  DescribeDBClusterSnapshotAttributesCommandInput,
  DescribeDBClusterSnapshotAttributesCommandOutput,
  DescribeDBClusterSnapshotsCommandInput,
  DescribeDBClusterSnapshotsCommandOutput,
  DescribeDBSnapshotAttributesCommandInput,
  DescribeDBSnapshotAttributesCommandOutput,
  DescribeDBSnapshotsCommandInput,
  DescribeDBSnapshotsCommandOutput,
  ModifyDBClusterSnapshotAttributeCommandInput,
  ModifyDBClusterSnapshotAttributeCommandOutput,
  ModifyDBSnapshotAttributeCommandInput,
  ModifyDBSnapshotAttributeCommandOutput,
  Tag,
} from '@aws-sdk/client-rds';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import {
  byIdentifier,
  clusterSnapshotOf,
  instanceOf,
  rdsArn,
  rdsFault,
  rdsPage,
  rdsState,
  requiredParameter,
  snapshotOf,
  validIdentifier,
  type DbClusterSnapshotRecord,
  type DbInstanceRecord,
  type DbSnapshotRecord,
  type SnapshotType,
} from './rdsState.ts';

/** The only attribute of a snapshot: who may copy or restore it. */
const RESTORE = 'restore';
/** AWS lets a manual snapshot be shared with at most 20 accounts. */
const MAX_SHARED_ACCOUNTS = 20;
const RESTORE_VALUE = /^(all|\d{12})$/;

function toDBSnapshot(context: OperationContext, snapshot: DbSnapshotRecord): DBSnapshot {
  return {
    DBSnapshotIdentifier: snapshot.identifier,
    DBInstanceIdentifier: snapshot.instanceId,
    SnapshotCreateTime: new Date(snapshot.createdAt),
    Engine: snapshot.engine,
    AllocatedStorage: snapshot.allocatedStorage,
    Status: snapshot.status,
    Port: snapshot.port,
    AvailabilityZone: snapshot.availabilityZone,
    InstanceCreateTime: new Date(snapshot.instanceCreatedAt),
    ...(snapshot.masterUsername ? { MasterUsername: snapshot.masterUsername } : {}),
    EngineVersion: snapshot.engineVersion,
    SnapshotType: snapshot.snapshotType,
    PercentProgress: 100,
    StorageType: snapshot.storageType,
    Encrypted: snapshot.encrypted,
    ...(snapshot.kmsKeyId ? { KmsKeyId: snapshot.kmsKeyId } : {}),
    DBSnapshotArn: rdsArn(context, 'snapshot', snapshot.identifier),
    IAMDatabaseAuthenticationEnabled: false,
    DbiResourceId: snapshot.resourceId,
    TagList: snapshot.tags,
    OriginalSnapshotCreateTime: new Date(snapshot.createdAt),
    SnapshotTarget: 'region',
  };
}

function toDBClusterSnapshot(context: OperationContext, snapshot: DbClusterSnapshotRecord): DBClusterSnapshot {
  return {
    DBClusterSnapshotIdentifier: snapshot.identifier,
    DBClusterIdentifier: snapshot.clusterId,
    SnapshotCreateTime: new Date(snapshot.createdAt),
    Engine: snapshot.engine,
    EngineMode: 'provisioned',
    Status: snapshot.status,
    Port: snapshot.port,
    ClusterCreateTime: new Date(snapshot.clusterCreatedAt),
    EngineVersion: snapshot.engineVersion,
    SnapshotType: snapshot.snapshotType,
    PercentProgress: 100,
    StorageEncrypted: snapshot.encrypted,
    ...(snapshot.kmsKeyId ? { KmsKeyId: snapshot.kmsKeyId } : {}),
    DBClusterSnapshotArn: rdsArn(context, 'cluster-snapshot', snapshot.identifier),
    DbClusterResourceId: snapshot.resourceId,
    TagList: snapshot.tags,
  };
}

/** Owned snapshots of the requested type; no type: the automated and manual ones. */
function ofType<T extends { snapshotType: SnapshotType }>(snapshots: T[], type: string | undefined): T[] {
  if (type === undefined) return snapshots;
  return snapshots.filter((snapshot) => snapshot.snapshotType === type);
}

/** Add, then remove, the restore values: what both Modify*SnapshotAttribute do. */
function modifyRestore(
  snapshot: { identifier: string; snapshotType: SnapshotType; status: string; restore: string[] },
  input: { AttributeName?: string; ValuesToAdd?: string[]; ValuesToRemove?: string[] },
  invalidState: 'InvalidDBSnapshotState' | 'InvalidDBClusterSnapshotStateFault',
): void {
  const attribute = requiredParameter(input.AttributeName, 'AttributeName');
  if (attribute !== RESTORE) throw rdsFault('InvalidParameterValue', `Invalid snapshot attribute name: ${attribute}. The only valid attribute name is restore.`);
  if (snapshot.snapshotType !== 'manual') throw rdsFault(invalidState, `Only manual snapshots can be shared: ${snapshot.identifier} is ${snapshot.snapshotType}.`);
  if (snapshot.status !== 'available') throw rdsFault(invalidState, `Snapshot ${snapshot.identifier} is not in available state.`);
  const added = input.ValuesToAdd ?? [];
  const bad = [...added, ...(input.ValuesToRemove ?? [])].find((value) => !RESTORE_VALUE.test(value));
  if (bad !== undefined) throw rdsFault('InvalidParameterValue', `Invalid value ${bad} for the restore attribute: use an AWS account id or all.`);
  const removed = new Set(input.ValuesToRemove ?? []);
  const values = [...new Set([...snapshot.restore, ...added])].filter((value) => !removed.has(value));
  if (values.filter((value) => value !== 'all').length > MAX_SHARED_ACCOUNTS) {
    throw rdsFault('SharedSnapshotQuotaExceeded', `You have exceeded the maximum number of accounts (${MAX_SHARED_ACCOUNTS}) you can share a snapshot with.`);
  }
  snapshot.restore = values;
}

/** A snapshot of the instance as it is now; what CreateDBSnapshot, a final snapshot and an automated backup take. */
export function takeDbSnapshot(context: OperationContext, instance: DbInstanceRecord, identifier: string, type: SnapshotType, tags: Tag[]): DbSnapshotRecord {
  const snapshots = rdsState(context).snapshots;
  if (snapshots[identifier]) {
    throw rdsFault('DBSnapshotAlreadyExists', `Cannot create the snapshot because a snapshot with the identifier ${identifier} already exists.`);
  }
  const snapshot: DbSnapshotRecord = {
    identifier,
    instanceId: instance.identifier,
    snapshotType: type,
    status: 'available',
    engine: instance.engine,
    engineVersion: instance.engineVersion,
    allocatedStorage: instance.allocatedStorage,
    storageType: instance.storageType,
    encrypted: instance.storageEncrypted,
    ...(instance.kmsKeyId ? { kmsKeyId: instance.kmsKeyId } : {}),
    port: instance.port,
    availabilityZone: instance.availabilityZone,
    ...(instance.masterUsername ? { masterUsername: instance.masterUsername } : {}),
    instanceCreatedAt: instance.createdAt,
    createdAt: context.now().toISOString(),
    resourceId: instance.resourceId,
    restore: [],
    tags,
  };
  snapshots[identifier] = snapshot;
  return snapshot;
}

export const rdsSnapshotOperations: Readonly<Record<string, OperationHandler>> = {
  DescribeDBSnapshots: operation((context, input: DescribeDBSnapshotsCommandInput): Output<DescribeDBSnapshotsCommandOutput> => {
    let snapshots = input.DBSnapshotIdentifier ? [snapshotOf(context, input.DBSnapshotIdentifier)] : byIdentifier(rdsState(context).snapshots);
    if (input.DBInstanceIdentifier) snapshots = snapshots.filter((s) => s.instanceId === input.DBInstanceIdentifier?.toLowerCase());
    const { items, Marker } = rdsPage(ofType(snapshots, input.SnapshotType), input.Marker, input.MaxRecords);
    return { DBSnapshots: items.map((s) => toDBSnapshot(context, s)), ...(Marker ? { Marker } : {}) };
  }),
  DescribeDBClusterSnapshots: operation((context, input: DescribeDBClusterSnapshotsCommandInput): Output<DescribeDBClusterSnapshotsCommandOutput> => {
    let snapshots = input.DBClusterSnapshotIdentifier
      ? [clusterSnapshotOf(context, input.DBClusterSnapshotIdentifier)]
      : byIdentifier(rdsState(context).clusterSnapshots);
    if (input.DBClusterIdentifier) snapshots = snapshots.filter((s) => s.clusterId === input.DBClusterIdentifier?.toLowerCase());
    const { items, Marker } = rdsPage(ofType(snapshots, input.SnapshotType), input.Marker, input.MaxRecords);
    return { DBClusterSnapshots: items.map((s) => toDBClusterSnapshot(context, s)), ...(Marker ? { Marker } : {}) };
  }),
  DescribeDBSnapshotAttributes: operation((context, input: DescribeDBSnapshotAttributesCommandInput): Output<DescribeDBSnapshotAttributesCommandOutput> => {
    const snapshot = snapshotOf(context, input.DBSnapshotIdentifier);
    return {
      DBSnapshotAttributesResult: {
        DBSnapshotIdentifier: snapshot.identifier,
        DBSnapshotAttributes: [{ AttributeName: RESTORE, AttributeValues: snapshot.restore }],
      },
    };
  }),
  DescribeDBClusterSnapshotAttributes: operation(
    (context, input: DescribeDBClusterSnapshotAttributesCommandInput): Output<DescribeDBClusterSnapshotAttributesCommandOutput> => {
      const snapshot = clusterSnapshotOf(context, input.DBClusterSnapshotIdentifier);
      return {
        DBClusterSnapshotAttributesResult: {
          DBClusterSnapshotIdentifier: snapshot.identifier,
          DBClusterSnapshotAttributes: [{ AttributeName: RESTORE, AttributeValues: snapshot.restore }],
        },
      };
    },
  ),
  ModifyDBSnapshotAttribute: operation((context, input: ModifyDBSnapshotAttributeCommandInput): Output<ModifyDBSnapshotAttributeCommandOutput> => {
    const snapshot = snapshotOf(context, input.DBSnapshotIdentifier);
    modifyRestore(snapshot, input, 'InvalidDBSnapshotState');
    return {
      DBSnapshotAttributesResult: {
        DBSnapshotIdentifier: snapshot.identifier,
        DBSnapshotAttributes: [{ AttributeName: RESTORE, AttributeValues: snapshot.restore }],
      },
    };
  }),
  ModifyDBClusterSnapshotAttribute: operation(
    (context, input: ModifyDBClusterSnapshotAttributeCommandInput): Output<ModifyDBClusterSnapshotAttributeCommandOutput> => {
      const snapshot = clusterSnapshotOf(context, input.DBClusterSnapshotIdentifier);
      modifyRestore(snapshot, input, 'InvalidDBClusterSnapshotStateFault');
      return {
        DBClusterSnapshotAttributesResult: {
          DBClusterSnapshotIdentifier: snapshot.identifier,
          DBClusterSnapshotAttributes: [{ AttributeName: RESTORE, AttributeValues: snapshot.restore }],
        },
      };
    },
  ),
  CreateDBSnapshot: operation((context, input: CreateDBSnapshotCommandInput): Output<CreateDBSnapshotCommandOutput> => {
    const identifier = validIdentifier(input.DBSnapshotIdentifier, 'DBSnapshotIdentifier', 255);
    const instance = instanceOf(context, input.DBInstanceIdentifier);
    if (instance.status !== 'available') {
      throw rdsFault('InvalidDBInstanceState', `Cannot create a snapshot because the database instance ${instance.identifier} is not currently in the available state.`);
    }
    return { DBSnapshot: toDBSnapshot(context, takeDbSnapshot(context, instance, identifier, 'manual', input.Tags ?? [])) };
  }),
  DeleteDBSnapshot: operation((context, input: DeleteDBSnapshotCommandInput): Output<DeleteDBSnapshotCommandOutput> => {
    const snapshot = snapshotOf(context, input.DBSnapshotIdentifier);
    if (snapshot.snapshotType !== 'manual') throw rdsFault('InvalidDBSnapshotState', `Only manual snapshots may be deleted: ${snapshot.identifier} is ${snapshot.snapshotType}.`);
    if (snapshot.status !== 'available') throw rdsFault('InvalidDBSnapshotState', `Snapshot ${snapshot.identifier} is not in available state.`);
    delete rdsState(context).snapshots[snapshot.identifier];
    return { DBSnapshot: toDBSnapshot(context, { ...snapshot, status: 'deleted' }) };
  }),
};
