/**
 * The sandbox's RDS state (one slice per account x region) and what the
 * RDS operations share: lookups that fail as RDS fails, RDS's faults, and
 * paging with MaxRecords / Marker.
 */
import type { Tag } from '@aws-sdk/client-rds';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { serviceError, type SandboxServiceError } from '../sandboxErrors.ts';
import type { OperationContext } from '../serviceModel.ts';

export interface DbInstanceRecord {
  identifier: string;
  instanceClass: string;
  engine: string;
  engineVersion: string;
  status: string;
  masterUsername?: string;
  dbName?: string;
  allocatedStorage: number;
  storageType: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  publiclyAccessible: boolean;
  multiAz: boolean;
  backupRetentionPeriod: number;
  /** The Aurora / Multi-AZ DB cluster the instance belongs to. */
  clusterId?: string;
  port: number;
  availabilityZone: string;
  resourceId: string;
  createdAt: string;
  tags: Tag[];
}

export interface DbClusterRecord {
  identifier: string;
  engine: string;
  engineVersion: string;
  status: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  port: number;
  resourceId: string;
  members: string[];
  createdAt: string;
  tags: Tag[];
}

export type SnapshotType = 'manual' | 'automated';

export interface DbSnapshotRecord {
  identifier: string;
  instanceId: string;
  snapshotType: SnapshotType;
  status: string;
  engine: string;
  engineVersion: string;
  allocatedStorage: number;
  storageType: string;
  encrypted: boolean;
  kmsKeyId?: string;
  port: number;
  availabilityZone: string;
  masterUsername?: string;
  instanceCreatedAt: string;
  createdAt: string;
  resourceId: string;
  /** The `restore` attribute: account ids, or "all". */
  restore: string[];
  tags: Tag[];
}

export interface DbClusterSnapshotRecord {
  identifier: string;
  clusterId: string;
  snapshotType: SnapshotType;
  status: string;
  engine: string;
  engineVersion: string;
  encrypted: boolean;
  kmsKeyId?: string;
  port: number;
  clusterCreatedAt: string;
  createdAt: string;
  resourceId: string;
  restore: string[];
  tags: Tag[];
}

/** Keyed by lower-case identifier: RDS identifiers are case-insensitive and stored in lower case. */
export interface RdsState {
  instances: Record<string, DbInstanceRecord>;
  clusters: Record<string, DbClusterRecord>;
  snapshots: Record<string, DbSnapshotRecord>;
  clusterSnapshots: Record<string, DbClusterSnapshotRecord>;
}

export function rdsState(context: OperationContext): RdsState {
  return context.regional<RdsState>('rds', () => ({ instances: {}, clusters: {}, snapshots: {}, clusterSnapshots: {} }));
}

// ---------- faults ----------

/**
 * RDS's modelled faults: the code AWS sends (what `Code` and the project's
 * error matching read), its HTTP status, and the name the SDK gives the
 * exception it raises for it (`DBInstanceNotFoundFault` for code
 * `DBInstanceNotFound`).
 */
export const RDS_FAULTS = {
  DBInstanceNotFound: { status: 404, sdkName: 'DBInstanceNotFoundFault' },
  DBInstanceAlreadyExists: { status: 400, sdkName: 'DBInstanceAlreadyExistsFault' },
  InvalidDBInstanceState: { status: 400, sdkName: 'InvalidDBInstanceStateFault' },
  DBClusterNotFoundFault: { status: 404, sdkName: 'DBClusterNotFoundFault' },
  InvalidDBClusterStateFault: { status: 400, sdkName: 'InvalidDBClusterStateFault' },
  DBSnapshotNotFound: { status: 404, sdkName: 'DBSnapshotNotFoundFault' },
  DBSnapshotAlreadyExists: { status: 400, sdkName: 'DBSnapshotAlreadyExistsFault' },
  InvalidDBSnapshotState: { status: 400, sdkName: 'InvalidDBSnapshotStateFault' },
  DBClusterSnapshotNotFoundFault: { status: 404, sdkName: 'DBClusterSnapshotNotFoundFault' },
  InvalidDBClusterSnapshotStateFault: { status: 400, sdkName: 'InvalidDBClusterSnapshotStateFault' },
  SharedSnapshotQuotaExceeded: { status: 400, sdkName: 'SharedSnapshotQuotaExceededFault' },
  // Common errors of the RDS API: the SDK names them by their code.
  InvalidParameterValue: { status: 400, sdkName: 'InvalidParameterValue' },
  InvalidParameterCombination: { status: 400, sdkName: 'InvalidParameterCombination' },
  MissingParameter: { status: 400, sdkName: 'MissingParameter' },
} as const;

export type RdsFaultCode = keyof typeof RDS_FAULTS;

export function rdsFault(code: RdsFaultCode, message: string): SandboxServiceError {
  const fault = RDS_FAULTS[code];
  const error = serviceError(code, fault.status, message);
  error.name = fault.sdkName;
  return error;
}

/** The input field, or MissingParameter as RDS answers a missing required parameter. */
export function requiredParameter<T>(value: T | undefined | null, name: string): T {
  if (value === undefined || value === null || value === '') throw rdsFault('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

/** Letters, digits or hyphens; a letter first; no trailing hyphen nor two hyphens in a row. */
const IDENTIFIER = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*(?<!-)$/;

/** Instance and cluster identifiers have at most 63 characters, snapshot identifiers 255. */
export function validIdentifier(value: string | undefined, name: string, maxLength = 63): string {
  const identifier = requiredParameter(value, name);
  if (!IDENTIFIER.test(identifier) || identifier.length > maxLength) {
    throw rdsFault(
      'InvalidParameterValue',
      `The parameter ${name} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  return identifier.toLowerCase();
}

// ---------- lookups ----------

export function instanceOf(context: OperationContext, identifier: string | undefined): DbInstanceRecord {
  const id = requiredParameter(identifier, 'DBInstanceIdentifier');
  const instance = rdsState(context).instances[id.toLowerCase()];
  if (!instance) throw rdsFault('DBInstanceNotFound', `DBInstance ${id} not found.`);
  return instance;
}

export function clusterOf(context: OperationContext, identifier: string | undefined): DbClusterRecord {
  const id = requiredParameter(identifier, 'DBClusterIdentifier');
  const cluster = rdsState(context).clusters[id.toLowerCase()];
  if (!cluster) throw rdsFault('DBClusterNotFoundFault', `DBCluster ${id} not found.`);
  return cluster;
}

export function snapshotOf(context: OperationContext, identifier: string | undefined): DbSnapshotRecord {
  const id = requiredParameter(identifier, 'DBSnapshotIdentifier');
  const snapshot = rdsState(context).snapshots[id.toLowerCase()];
  if (!snapshot) throw rdsFault('DBSnapshotNotFound', `DBSnapshot ${id} not found.`);
  return snapshot;
}

export function clusterSnapshotOf(context: OperationContext, identifier: string | undefined): DbClusterSnapshotRecord {
  const id = requiredParameter(identifier, 'DBClusterSnapshotIdentifier');
  const snapshot = rdsState(context).clusterSnapshots[id.toLowerCase()];
  if (!snapshot) throw rdsFault('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`);
  return snapshot;
}

// ---------- ids, ARNs, paging ----------

export function rdsArn(context: OperationContext, kind: 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot', identifier: string): string {
  return `arn:${partitionOf(context.region)}:rds:${context.region}:${context.account}:${kind}:${identifier}`;
}

/** `db-` + 26 upper-case letters and digits, like DbiResourceId. */
export function resourceId(context: OperationContext, prefix: 'db' | 'cluster'): string {
  return `${prefix}-${`SANDBOX${context.nextId()}`.toUpperCase().padEnd(26, '0').slice(0, 26)}`;
}

/** The host part RDS gives every endpoint of an account in a region. */
export function endpointHost(context: OperationContext): string {
  return `c${context.account.slice(-6)}sbx.${context.region}.rds.amazonaws.com`;
}

export function kmsKeyArn(context: OperationContext): string {
  return `arn:${partitionOf(context.region)}:kms:${context.region}:${context.account}:key/00000000-0000-4000-8000-${context.account}`;
}

/** MaxRecords is 20 to 100 (default 100); Marker is the opaque token of the previous page. */
export function rdsPage<T>(items: readonly T[], marker: string | undefined, maxRecords: number | undefined): { items: T[]; Marker?: string } {
  const size = maxRecords ?? 100;
  if (!Number.isInteger(size) || size < 20 || size > 100) {
    throw rdsFault('InvalidParameterValue', `Invalid value ${String(maxRecords)} for MaxRecords. Must be between 20 and 100`);
  }
  const { items: pageItems, next } = page(items, marker, size);
  return { items: pageItems, ...(next ? { Marker: next } : {}) };
}

export function byIdentifier<T extends { identifier: string }>(records: Record<string, T>): T[] {
  return Object.values(records).sort((a, b) => a.identifier.localeCompare(b.identifier));
}
