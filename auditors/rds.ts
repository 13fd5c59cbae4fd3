/**
 * rds: DB instances and DB clusters (Aurora, Multi-AZ DB clusters): storage
 * encryption, public accessibility, required tags.
 *
 * APIs: DescribeDBInstances, DescribeDBClusters; remediation:
 * ModifyDBInstance, StopDBInstance, StopDBCluster.
 *
 * Ids: one id names an instance or a cluster (DBInstanceIdentifier or
 * DBClusterIdentifier), as the poller lists both and CloudTrail gives either.
 * `collect` asks for an instance first and, when there is none, for a
 * cluster. Instance and cluster identifiers are separate namespaces: a
 * cluster that shares its identifier with an instance is judged as the
 * instance (AWS's own consoles name cluster members `<cluster>-instance-1`,
 * so this is rare).
 *
 * An instance that belongs to a cluster (Aurora) takes its encryption from
 * the cluster: encryption is judged on the cluster, not on each member.
 *
 * Public accessibility is judged where AWS sets it: on each instance, except
 * in a Multi-AZ DB cluster (the non-Aurora kind, with a DBClusterInstanceClass),
 * whose instances cannot be modified: there it is the cluster's
 * PubliclyAccessible, read with DescribeDBClusters. Aurora clusters have no
 * such setting. ModifyDBCluster takes no PubliclyAccessible (the API
 * reference and the SDK's ModifyDBClusterMessage list none), so a public
 * Multi-AZ DB cluster is reported, not changed (it is set at creation or
 * restore only).
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/modify-multi-az-db-cluster.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html
 *
 * A database whose status is not settled (creating, modifying, backing-up,
 * ...) is not judged: `collect` returns NotReady and the message is
 * re-queued. Settled statuses (available, stopped, storage-full, failed,
 * incompatible-*, ...) are judged: they last, and re-queueing them would
 * never end.
 */
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  StopDBClusterCommand,
  StopDBInstanceCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';
import type { Config } from '../services/core/config.ts';
import { ComplianceError, hasErrorName } from '../services/core/errors.ts';
import {
  GONE,
  NotReady,
  defineAuditor,
  tagsToRecord,
  type CheckContext,
  type Gone,
  type Remediation,
  type ResourceContext,
} from './contract.ts';
import { rdsTriggers } from './triggers/rds.ts';
import { missingRequiredTags, requiredTagsCheck } from './requiredTags.ts';

export type DatabaseKind = 'instance' | 'cluster';

export interface DatabaseState {
  kind: DatabaseKind;
  id: string;
  /** DBInstanceStatus or the cluster's Status. */
  status: string;
  engine?: string;
  storageEncrypted: boolean;
  /**
   * PubliclyAccessible where it is judged: an instance's own flag (false for
   * the instances of a Multi-AZ DB cluster), a Multi-AZ DB cluster's flag
   * (false for Aurora clusters, whose instances carry it).
   */
  publiclyAccessible: boolean;
  /** The cluster an instance belongs to (Aurora, Multi-AZ DB cluster). */
  clusterId?: string;
  /** A Multi-AZ DB cluster, or an instance of one. */
  multiAzCluster: boolean;
  tags: Record<string, string>;
}

/** Statuses that last: a database in one of them is judged now. Anything else is in transition. */
export const SETTLED_STATUSES: ReadonlySet<string> = new Set([
  'available',
  'stopped',
  'storage-full',
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'insufficient-capacity',
  'restore-error',
  'cloning-failed',
  'migration-failed',
]);

/** A database that is stopped, or on its way there, needs no stop call. */
const STOPPED_STATUSES: ReadonlySet<string> = new Set(['stopped', 'stopping']);

// ---------- pure helpers (shared by checks and remediations) ----------

/**
 * Engines of Multi-AZ DB clusters: RDS for MySQL and PostgreSQL. An instance
 * of such an engine in a cluster is a Multi-AZ DB cluster's; Aurora, Neptune
 * and DocumentDB members have engines of their own.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/multi-az-db-clusters-concepts.html
 */
const MULTI_AZ_CLUSTER_ENGINES: ReadonlySet<string> = new Set(['mysql', 'postgres']);

/** A Multi-AZ DB cluster: a non-Aurora engine with a DB instance class set on the cluster. */
export function isMultiAzDbCluster(cluster: DBCluster): boolean {
  return cluster.DBClusterInstanceClass !== undefined && MULTI_AZ_CLUSTER_ENGINES.has(cluster.Engine ?? '');
}

export function instanceState(instance: DBInstance): DatabaseState {
  const multiAzCluster = instance.DBClusterIdentifier !== undefined && MULTI_AZ_CLUSTER_ENGINES.has(instance.Engine ?? '');
  return {
    kind: 'instance',
    id: instance.DBInstanceIdentifier ?? '',
    status: instance.DBInstanceStatus ?? 'unknown',
    engine: instance.Engine,
    storageEncrypted: instance.StorageEncrypted === true,
    publiclyAccessible: instance.PubliclyAccessible === true && !multiAzCluster,
    ...(instance.DBClusterIdentifier ? { clusterId: instance.DBClusterIdentifier } : {}),
    multiAzCluster,
    tags: tagsToRecord(instance.TagList),
  };
}

export function clusterState(cluster: DBCluster): DatabaseState {
  const multiAzCluster = isMultiAzDbCluster(cluster);
  return {
    kind: 'cluster',
    id: cluster.DBClusterIdentifier ?? '',
    status: cluster.Status ?? 'unknown',
    engine: cluster.Engine,
    storageEncrypted: cluster.StorageEncrypted === true,
    // "This setting is only for non-Aurora Multi-AZ DB clusters." https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBCluster.html
    publiclyAccessible: multiAzCluster && cluster.PubliclyAccessible === true,
    multiAzCluster,
    tags: tagsToRecord(cluster.TagList),
  };
}

/** Unencrypted storage, judged where encryption is set: on the cluster for cluster members. */
export function isUnencrypted(db: DatabaseState): boolean {
  return !db.storageEncrypted && db.clusterId === undefined;
}

export function isPublicDatabase(db: DatabaseState): boolean {
  return db.publiclyAccessible;
}

export function missingTags(db: DatabaseState, config: Config): string[] {
  return missingRequiredTags(db.tags, config.requiredTags);
}

function label(db: DatabaseState): string {
  return db.kind === 'instance' ? 'DB instance' : 'DB cluster';
}

// ---------- reads (collect and the read half of remediations) ----------

function rds(context: ResourceContext): RDSClient {
  return context.clients.get(RDSClient);
}

async function readInstance(context: ResourceContext): Promise<DatabaseState | Gone> {
  try {
    const { DBInstances } = await rds(context).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: context.id }));
    const instance = DBInstances?.[0];
    return instance ? instanceState(instance) : GONE;
  } catch (error) {
    if (hasErrorName(error, 'DBInstanceNotFound', 'DBInstanceNotFoundFault')) return GONE;
    throw error;
  }
}

async function readCluster(context: ResourceContext): Promise<DatabaseState | Gone> {
  try {
    const { DBClusters } = await rds(context).send(new DescribeDBClustersCommand({ DBClusterIdentifier: context.id }));
    const cluster = DBClusters?.[0];
    return cluster ? clusterState(cluster) : GONE;
  } catch (error) {
    if (hasErrorName(error, 'DBClusterNotFoundFault', 'DBClusterNotFound')) return GONE;
    throw error;
  }
}

/** The instance with this id, else the cluster with this id, else GONE. */
async function readDatabase(context: ResourceContext): Promise<DatabaseState | Gone> {
  const instance = await readInstance(context);
  return instance === GONE ? readCluster(context) : instance;
}

/** Re-read the kind that was judged: an instance stays an instance. */
function readKind(context: ResourceContext, kind: DatabaseKind): Promise<DatabaseState | Gone> {
  return kind === 'instance' ? readInstance(context) : readCluster(context);
}

/**
 * A remediation that stops the database while `stillWrong` holds. An instance that belongs to a cluster
 * cannot be stopped on its own (AWS stops clusters whole): that is an error
 * that says what to do, not a call that AWS would refuse.
 */
function stopDatabase(description: string, stillWrong: (db: DatabaseState, checkContext: CheckContext) => boolean): Remediation<DatabaseState> {
  return {
    description,
    risk: 'disruptive',
    mitigates: true,
    permissions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'rds:StopDBInstance', 'rds:StopDBCluster'],
    async apply(context, state, checkContext) {
      const db = await readKind(context, state.kind);
      if (db === GONE) return 'gone';
      if (!stillWrong(db, checkContext) || STOPPED_STATUSES.has(db.status)) return 'already_compliant';
      // Multi-AZ DB clusters cannot be stopped: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/multi-az-db-clusters-concepts.Limitations.html
      if (db.kind === 'cluster' && db.multiAzCluster) {
        throw new ComplianceError(`DB cluster ${db.id} is a Multi-AZ DB cluster, which AWS cannot stop: fix it, or delete it`, {
          account: context.account,
          region: context.region,
          type: 'rds',
          id: db.id,
        });
      }
      if (db.kind === 'instance' && db.clusterId !== undefined) {
        throw new ComplianceError(
          `DB instance ${db.id} belongs to DB cluster ${db.clusterId} and cannot be stopped on its own: fix the instance, or stop the cluster`,
          { account: context.account, region: context.region, type: 'rds', id: db.id },
        );
      }
      if (db.kind === 'instance') {
        await rds(context).send(new StopDBInstanceCommand({ DBInstanceIdentifier: db.id }));
      } else {
        await rds(context).send(new StopDBClusterCommand({ DBClusterIdentifier: db.id }));
      }
      return 'applied';
    },
  };
}

// ---------- the auditor ----------

export const rdsAuditor = defineAuditor<DatabaseState>({
  type: 'rds',
  scope: 'regional',
  description: 'RDS DB instances and DB clusters: storage encryption, public accessibility, required tags',
  permissions: {
    list: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
    collect: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
  },
  identity: (state) => ({ tags: state.tags }),
  triggers: rdsTriggers,

  /** Instances, then clusters; both answer with their tags. */
  async *list({ clients }) {
    const client = clients.get(RDSClient);
    for await (const page of paginateDescribeDBInstances({ client, pageSize: 100 }, {})) {
      for (const instance of page.DBInstances ?? []) {
        const id = instance.DBInstanceIdentifier;
        if (id) yield { id, name: id, tags: tagsToRecord(instance.TagList) };
      }
    }
    for await (const page of paginateDescribeDBClusters({ client, pageSize: 100 }, {})) {
      for (const cluster of page.DBClusters ?? []) {
        const id = cluster.DBClusterIdentifier;
        if (id) yield { id, name: id, tags: tagsToRecord(cluster.TagList) };
      }
    }
  },

  async collect(context) {
    const db = await readDatabase(context);
    if (db === GONE) return GONE;
    if (!SETTLED_STATUSES.has(db.status)) return new NotReady(`status ${db.status}`, 300);
    return db;
  },

  // rds.public comes before rds.unencrypted: findings are remediated in this
  // order, and AWS cannot modify an instance once it is stopped.
  checks: [
    {
      id: 'rds.public',
      title: 'DB instance or Multi-AZ DB cluster is publicly accessible',
      severity: 'high',
      rationale: 'A publicly accessible database gets a public DNS name and IP address, so its security groups are the only thing between the database and the internet.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html
      controls: { fsbp: ['RDS.2'], cis: ['2.3.3'] },
      evaluate(db) {
        return isPublicDatabase(db) ? { detail: `${label(db)} ${db.id} has PubliclyAccessible true` } : undefined;
      },
    },
    {
      id: 'rds.unencrypted',
      title: 'Database storage is not encrypted',
      severity: 'high',
      rationale: 'Unencrypted storage leaves the data, its automated backups, snapshots and read replicas readable to anyone who gets the underlying volumes or snapshots.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html
      controls: { fsbp: ['RDS.3', 'RDS.27'], cis: ['2.3.1'] },
      evaluate(db) {
        return isUnencrypted(db) ? { detail: `${label(db)} ${db.id} has StorageEncrypted false` } : undefined;
      },
    },
    requiredTagsCheck({
      id: 'rds.missing_required_tags',
      title: 'Database lacks required tags',
      rationale: 'Required tags say who owns a database and what data it holds.',
      detail: (db, missing) => `${label(db)} ${db.id} is missing tags: ${missing.join(', ')}`,
    }),
  ],

  remediations: {
    'rds.public': {
      description:
        'Turn PubliclyAccessible off on the instance, without ApplyImmediately: it applies at once anyway, and ApplyImmediately would also apply every pending modification, reboots included. A Multi-AZ DB cluster is notify-only: ModifyDBCluster cannot change it.',
      risk: 'disruptive',
      permissions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
      // ModifyDBCluster has no PubliclyAccessible (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html), and the
      // instances of a Multi-AZ DB cluster cannot be modified (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/modify-multi-az-db-cluster.html).
      applicable: (db) => db.kind === 'instance',
      async apply(context) {
        const db = await readInstance(context);
        if (db === GONE) return 'gone';
        if (!isPublicDatabase(db)) return 'already_compliant';
        if (db.status !== 'available') {
          throw new ComplianceError(
            `DB instance ${db.id} is ${db.status}: AWS modifies only available instances, so PubliclyAccessible is turned off at the first audit that finds it available`,
            { account: context.account, region: context.region, type: 'rds', id: db.id },
          );
        }
        // "Changes to the PubliclyAccessible parameter are applied immediately regardless of the value of the ApplyImmediately parameter."
        // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html
        await rds(context).send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: db.id, PubliclyAccessible: false }));
        return 'applied';
      },
    },
    'rds.unencrypted': stopDatabase(
      'Stop the unencrypted instance or cluster; encryption itself needs a snapshot copy and a restore.',
      (db) => isUnencrypted(db),
    ),
    'rds.missing_required_tags': stopDatabase(
      'Stop the untagged instance or cluster.',
      (db, { config }) => missingTags(db, config).length > 0,
    ),
  },
});
