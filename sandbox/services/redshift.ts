/**
 * Redshift provisioned clusters in the sandbox: DescribeClusters,
 * DescribeClusterParameters (the default parameter groups, see
 * redshiftParameters.ts), ModifyCluster (PubliclyAccessible, Encrypted
 * true), CreateCluster and DeleteCluster.
 *
 * As AWS since January 2025, CreateCluster makes encrypted clusters only
 * (Encrypted false is refused) and a cluster that names no parameter group
 * gets default.redshift-2.0 (require_ssl true). Unencrypted clusters that
 * predate this exist in real accounts: a test seeds one in the state
 * (`RedshiftState.clusters`). No clock: a new cluster is `available` at
 * once (AWS: `creating` for minutes) and a deleted one is gone at once.
 */
import type {
  Cluster,
  CreateClusterCommandInput,
  CreateClusterCommandOutput,
  DeleteClusterCommandInput,
  DeleteClusterCommandOutput,
  DescribeClusterParametersCommandInput,
  DescribeClusterParametersCommandOutput,
  DescribeClustersCommandInput,
  DescribeClustersCommandOutput,
  ModifyClusterCommandInput,
  ModifyClusterCommandOutput,
  Tag,
} from '@aws-sdk/client-redshift';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { SandboxNotImplementedError, serviceError, type SandboxServiceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';
import { DEFAULT_PARAMETER_GROUP, DEFAULT_PARAMETER_GROUPS } from './redshiftParameters.ts';

export interface RedshiftClusterRecord {
  identifier: string;
  nodeType: string;
  numberOfNodes: number;
  status: string;
  masterUsername: string;
  dbName: string;
  port: number;
  publiclyAccessible: boolean;
  encrypted: boolean;
  kmsKeyId?: string;
  parameterGroup: string;
  availabilityZone: string;
  namespaceId: string;
  createdAt: string;
  tags: Tag[];
}

export interface RedshiftState {
  /** Keyed by identifier, stored in lower case as Redshift does. */
  clusters: Record<string, RedshiftClusterRecord>;
}

/**
 * Redshift's modelled faults: code AWS sends, HTTP status, and the name of
 * the exception the SDK raises for it.
 */
const REDSHIFT_FAULTS = {
  ClusterNotFound: { status: 404, sdkName: 'ClusterNotFoundFault' },
  ClusterAlreadyExists: { status: 400, sdkName: 'ClusterAlreadyExistsFault' },
  ClusterParameterGroupNotFound: { status: 404, sdkName: 'ClusterParameterGroupNotFoundFault' },
  InvalidClusterState: { status: 400, sdkName: 'InvalidClusterStateFault' },
  // Common errors of the Redshift API: the SDK names them by their code.
  InvalidParameterValue: { status: 400, sdkName: 'InvalidParameterValue' },
  InvalidParameterCombination: { status: 400, sdkName: 'InvalidParameterCombination' },
  MissingParameter: { status: 400, sdkName: 'MissingParameter' },
} as const;

function redshiftFault(code: keyof typeof REDSHIFT_FAULTS, message: string): SandboxServiceError {
  const fault = REDSHIFT_FAULTS[code];
  const error = serviceError(code, fault.status, message);
  error.name = fault.sdkName;
  return error;
}

function requiredParameter<T>(value: T | undefined | null, name: string): T {
  if (value === undefined || value === null || value === '') throw redshiftFault('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

const IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;

function redshiftState(context: OperationContext): RedshiftState {
  return context.regional<RedshiftState>('redshift', () => ({ clusters: {} }));
}

function clusterOf(context: OperationContext, identifier: string | undefined): RedshiftClusterRecord {
  const id = requiredParameter(identifier, 'ClusterIdentifier');
  const cluster = redshiftState(context).clusters[id.toLowerCase()];
  if (!cluster) throw redshiftFault('ClusterNotFound', `Cluster ${id} not found.`);
  return cluster;
}

/** MaxRecords is 20 to 100 (default 100); Marker is the opaque token of the previous page. */
function redshiftPage<T>(items: readonly T[], marker: string | undefined, maxRecords: number | undefined): { items: T[]; Marker?: string } {
  const size = maxRecords ?? 100;
  if (!Number.isInteger(size) || size < 20 || size > 100) {
    throw redshiftFault('InvalidParameterValue', `MaxRecords must be between 20 and 100: ${String(maxRecords)}`);
  }
  const { items: pageItems, next } = page(items, marker, size);
  return { items: pageItems, ...(next ? { Marker: next } : {}) };
}

function toCluster(context: OperationContext, cluster: RedshiftClusterRecord): Cluster {
  const partition = partitionOf(context.region);
  return {
    ClusterIdentifier: cluster.identifier,
    NodeType: cluster.nodeType,
    ClusterStatus: cluster.status,
    ClusterAvailabilityStatus: cluster.status === 'available' ? 'Available' : 'Modifying',
    MasterUsername: cluster.masterUsername,
    DBName: cluster.dbName,
    Endpoint: { Address: `${cluster.identifier}.c${context.account.slice(-6)}sbx.${context.region}.redshift.amazonaws.com`, Port: cluster.port },
    ClusterCreateTime: new Date(cluster.createdAt),
    AutomatedSnapshotRetentionPeriod: 1,
    ManualSnapshotRetentionPeriod: -1,
    ClusterSecurityGroups: [],
    VpcSecurityGroups: [{ VpcSecurityGroupId: `sg-${context.account}0`, Status: 'active' }],
    ClusterParameterGroups: [{ ParameterGroupName: cluster.parameterGroup, ParameterApplyStatus: 'in-sync' }],
    ClusterSubnetGroupName: 'default',
    VpcId: `vpc-${context.account}0`,
    AvailabilityZone: cluster.availabilityZone,
    PreferredMaintenanceWindow: 'sun:07:00-sun:07:30',
    PendingModifiedValues: {},
    ClusterVersion: '1.0',
    AllowVersionUpgrade: true,
    NumberOfNodes: cluster.numberOfNodes,
    PubliclyAccessible: cluster.publiclyAccessible,
    Encrypted: cluster.encrypted,
    ...(cluster.kmsKeyId ? { KmsKeyId: cluster.kmsKeyId } : {}),
    Tags: cluster.tags,
    EnhancedVpcRouting: false,
    ClusterNamespaceArn: `arn:${partition}:redshift:${context.region}:${context.account}:namespace:${cluster.namespaceId}`,
  };
}

function createCluster(context: OperationContext, input: CreateClusterCommandInput): RedshiftClusterRecord {
  const identifier = requiredParameter(input.ClusterIdentifier, 'ClusterIdentifier').toLowerCase();
  const nodeType = requiredParameter(input.NodeType, 'NodeType');
  const masterUsername = requiredParameter(input.MasterUsername, 'MasterUsername');
  if (!IDENTIFIER.test(identifier)) {
    throw redshiftFault('InvalidParameterValue', 'The parameter ClusterIdentifier must be 1-63 lowercase letters, digits or hyphens, begin with a letter, and not end with a hyphen or contain two consecutive hyphens.');
  }
  if (input.MasterUserPassword && input.ManageMasterPassword) {
    throw redshiftFault('InvalidParameterCombination', "You can't use MasterUserPassword if ManageMasterPassword is true.");
  }
  if (!input.MasterUserPassword && !input.ManageMasterPassword) requiredParameter(input.MasterUserPassword, 'MasterUserPassword');
  if (redshiftState(context).clusters[identifier]) throw redshiftFault('ClusterAlreadyExists', 'Cluster already exists');
  if (input.Encrypted === false) {
    throw redshiftFault('InvalidParameterValue', 'Amazon Redshift no longer creates unencrypted clusters: omit Encrypted or set it to true.');
  }
  const parameterGroup = input.ClusterParameterGroupName ?? DEFAULT_PARAMETER_GROUP;
  if (!DEFAULT_PARAMETER_GROUPS[parameterGroup]) throw redshiftFault('ClusterParameterGroupNotFound', `ParameterGroup not found: ${parameterGroup}`);
  // The password is never kept: the sandbox state is a plain JSON file.
  return {
    identifier,
    nodeType,
    numberOfNodes: input.ClusterType === 'single-node' ? 1 : (input.NumberOfNodes ?? 1),
    status: 'available',
    masterUsername,
    dbName: input.DBName ?? 'dev',
    port: input.Port ?? 5439,
    publiclyAccessible: input.PubliclyAccessible === true,
    encrypted: true,
    ...(input.KmsKeyId ? { kmsKeyId: input.KmsKeyId } : {}),
    parameterGroup,
    availabilityZone: input.AvailabilityZone ?? `${context.region}a`,
    namespaceId: `00000000-0000-4000-8000-${context.nextId().slice(-12)}`,
    createdAt: context.now().toISOString(),
    tags: input.Tags ?? [],
  };
}

export const redshiftService: SandboxService = {
  serviceId: 'Redshift',
  operations: {
    DescribeClusters: operation((context, input: DescribeClustersCommandInput): Output<DescribeClustersCommandOutput> => {
      const clusters = input.ClusterIdentifier
        ? [clusterOf(context, input.ClusterIdentifier)]
        : Object.values(redshiftState(context).clusters).sort((a, b) => a.identifier.localeCompare(b.identifier));
      const { items, Marker } = redshiftPage(clusters, input.Marker, input.MaxRecords);
      return { Clusters: items.map((c) => toCluster(context, c)), ...(Marker ? { Marker } : {}) };
    }),
    DescribeClusterParameters: operation((_context, input: DescribeClusterParametersCommandInput): Output<DescribeClusterParametersCommandOutput> => {
      const name = requiredParameter(input.ParameterGroupName, 'ParameterGroupName');
      const parameters = DEFAULT_PARAMETER_GROUPS[name];
      if (!parameters) throw redshiftFault('ClusterParameterGroupNotFound', `ParameterGroup not found: ${name}`);
      const selected = input.Source ? parameters.filter((p) => p.Source === input.Source) : parameters;
      const { items, Marker } = redshiftPage(selected, input.Marker, input.MaxRecords);
      return { Parameters: items, ...(Marker ? { Marker } : {}) };
    }),
    ModifyCluster: operation((context, input: ModifyClusterCommandInput): Output<ModifyClusterCommandOutput> => {
      const cluster = clusterOf(context, input.ClusterIdentifier);
      if (cluster.status !== 'available') {
        throw redshiftFault('InvalidClusterState', `There is an operation running on the Cluster (status ${cluster.status}). Please try to modify it later.`);
      }
      if (input.Encrypted === false) throw redshiftFault('InvalidParameterValue', 'The sandbox does not model decrypting a cluster: Encrypted false is refused.');
      if (input.PubliclyAccessible !== undefined) cluster.publiclyAccessible = input.PubliclyAccessible;
      if (input.Encrypted === true && !cluster.encrypted) {
        cluster.encrypted = true;
        if (input.KmsKeyId) cluster.kmsKeyId = input.KmsKeyId;
      }
      return { Cluster: toCluster(context, cluster) };
    }),
    CreateCluster: operation((context, input: CreateClusterCommandInput): Output<CreateClusterCommandOutput> => {
      const cluster = createCluster(context, input);
      redshiftState(context).clusters[cluster.identifier] = cluster;
      return { Cluster: toCluster(context, cluster) };
    }),
    DeleteCluster: operation((context, input: DeleteClusterCommandInput): Output<DeleteClusterCommandOutput> => {
      const cluster = clusterOf(context, input.ClusterIdentifier);
      if (!input.SkipFinalClusterSnapshot && !input.FinalClusterSnapshotIdentifier) {
        throw redshiftFault('InvalidParameterCombination', 'FinalClusterSnapshotIdentifier is required unless SkipFinalClusterSnapshot is specified.');
      }
      if (!input.SkipFinalClusterSnapshot) throw new SandboxNotImplementedError('Redshift', 'DeleteCluster with a final cluster snapshot');
      delete redshiftState(context).clusters[cluster.identifier];
      return { Cluster: toCluster(context, { ...cluster, status: 'deleting' }) };
    }),
  },
};
