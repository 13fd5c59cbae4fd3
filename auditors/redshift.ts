/**
 * redshift: provisioned clusters: public accessibility, encryption at rest,
 * TLS required by the parameter group, required tags.
 *
 * APIs: DescribeClusters, DescribeClusterParameters; remediation:
 * ModifyCluster.
 *
 * A cluster whose status is not settled (creating, modifying, resizing,
 * rebooting, ...) is not judged: `collect` returns NotReady. Settled statuses
 * (available, paused, storage-full, hardware-failure, incompatible-*) are
 * judged.
 */
import {
  DescribeClustersCommand,
  ModifyClusterCommand,
  RedshiftClient,
  paginateDescribeClusterParameters,
  paginateDescribeClusters,
  type Cluster,
} from '@aws-sdk/client-redshift';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, NotReady, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { redshiftTriggers } from './triggers/redshift.ts';
import { requiredTagsCheck } from './requiredTags.ts';

/** One of the cluster's parameter groups and its require_ssl value (undefined: not found). */
export interface ParameterGroupTls {
  name: string;
  requireSsl?: string;
}

export interface RedshiftClusterState {
  id: string;
  status: string;
  publiclyAccessible: boolean;
  encrypted: boolean;
  parameterGroups: ParameterGroupTls[];
  tags: Record<string, string>;
}

export const SETTLED_STATUSES: ReadonlySet<string> = new Set([
  'available',
  'paused',
  'storage-full',
  'hardware-failure',
  'incompatible-hsm',
  'incompatible-network',
  'incompatible-parameters',
  'incompatible-restore',
]);

export const REQUIRE_SSL = 'require_ssl';

// ---------- pure helpers (shared by checks and remediations) ----------

/** Public now, and no pending change turning it off. */
export function isPublicCluster(cluster: Cluster): boolean {
  return cluster.PubliclyAccessible === true && cluster.PendingModifiedValues?.PubliclyAccessible !== false;
}

/** Unencrypted now, and no pending migration to KMS encryption. */
export function isUnencryptedCluster(cluster: Cluster): boolean {
  return cluster.Encrypted !== true && cluster.PendingModifiedValues?.EncryptionType !== 'KMS';
}

export function requiresTls(group: ParameterGroupTls): boolean {
  return group.requireSsl?.trim().toLowerCase() === 'true';
}

/** Parameter groups that do not set require_ssl to true; a cluster with none at all has nothing requiring TLS. */
export function groupsNotRequiringTls(state: RedshiftClusterState): ParameterGroupTls[] | 'no_parameter_group' {
  if (state.parameterGroups.length === 0) return 'no_parameter_group';
  return state.parameterGroups.filter((group) => !requiresTls(group));
}

// ---------- reads (collect and the read half of remediations) ----------

function redshift(context: ResourceContext): RedshiftClient {
  return context.clients.get(RedshiftClient);
}

async function readCluster(context: ResourceContext): Promise<Cluster | Gone> {
  try {
    const { Clusters } = await redshift(context).send(new DescribeClustersCommand({ ClusterIdentifier: context.id }));
    return Clusters?.[0] ?? GONE;
  } catch (error) {
    if (hasErrorName(error, 'ClusterNotFound', 'ClusterNotFoundFault')) return GONE;
    throw error;
  }
}

/** require_ssl of one parameter group; every source (user and engine-default), every page. */
async function readRequireSsl(context: ResourceContext, groupName: string): Promise<string | undefined> {
  const pages = paginateDescribeClusterParameters({ client: redshift(context), pageSize: 100 }, { ParameterGroupName: groupName });
  for await (const page of pages) {
    const parameter = page.Parameters?.find((p) => p.ParameterName === REQUIRE_SSL);
    if (parameter) return parameter.ParameterValue;
  }
  return undefined;
}

// ---------- the auditor ----------

export const redshiftAuditor = defineAuditor<RedshiftClusterState>({
  type: 'redshift',
  scope: 'regional',
  description: 'Redshift provisioned clusters: public accessibility, encryption at rest, TLS required, required tags',
  permissions: {
    list: ['redshift:DescribeClusters'],
    collect: ['redshift:DescribeClusters', 'redshift:DescribeClusterParameters'],
  },
  identity: (state) => ({ tags: state.tags }),
  triggers: redshiftTriggers,

  async *list({ clients }) {
    const client = clients.get(RedshiftClient);
    for await (const page of paginateDescribeClusters({ client, pageSize: 100 }, {})) {
      for (const cluster of page.Clusters ?? []) {
        const id = cluster.ClusterIdentifier;
        if (id) yield { id, name: id, tags: tagsToRecord(cluster.Tags) };
      }
    }
  },

  async collect(context) {
    const cluster = await readCluster(context);
    if (cluster === GONE) return GONE;
    const status = cluster.ClusterStatus ?? 'unknown';
    if (!SETTLED_STATUSES.has(status)) return new NotReady(`status ${status}`, 300);
    const parameterGroups: ParameterGroupTls[] = [];
    for (const group of cluster.ClusterParameterGroups ?? []) {
      if (!group.ParameterGroupName) continue;
      const requireSsl = await readRequireSsl(context, group.ParameterGroupName);
      parameterGroups.push({ name: group.ParameterGroupName, ...(requireSsl === undefined ? {} : { requireSsl }) });
    }
    return {
      id: cluster.ClusterIdentifier ?? context.id,
      status,
      publiclyAccessible: isPublicCluster(cluster),
      encrypted: !isUnencryptedCluster(cluster),
      parameterGroups,
      tags: tagsToRecord(cluster.Tags),
    };
  },

  checks: [
    {
      id: 'redshift.public',
      title: 'Redshift cluster is publicly accessible',
      severity: 'high',
      rationale: 'A publicly accessible cluster gets a public IP address, so its security groups are the only thing between the data warehouse and the internet.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html
      controls: { fsbp: ['Redshift.1'] },
      evaluate(state) {
        return state.publiclyAccessible ? { detail: `cluster ${state.id} has PubliclyAccessible true` } : undefined;
      },
    },
    {
      id: 'redshift.unencrypted',
      title: 'Redshift cluster is not encrypted at rest',
      severity: 'high',
      rationale: 'An unencrypted cluster leaves its data blocks and snapshots readable to anyone who gets the storage or a copy of a snapshot.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html
      controls: { fsbp: ['Redshift.10'] },
      evaluate(state) {
        return state.encrypted ? undefined : { detail: `cluster ${state.id} has Encrypted false` };
      },
    },
    {
      id: 'redshift.tls_not_required',
      title: 'Redshift cluster does not require TLS',
      severity: 'medium',
      rationale: 'Unless the parameter group sets require_ssl to true, clients may connect without TLS and send credentials and query results in clear text.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html
      controls: { fsbp: ['Redshift.2'] },
      evaluate(state) {
        const offending = groupsNotRequiringTls(state);
        if (offending === 'no_parameter_group') return { detail: `cluster ${state.id} has no parameter group, so nothing sets require_ssl` };
        if (offending.length === 0) return undefined;
        const described = offending.map((g) => `${g.name} (require_ssl ${g.requireSsl === undefined ? 'not found' : `= ${g.requireSsl}`})`);
        return { detail: `parameter group ${described.join(', ')} does not set require_ssl to true` };
      },
    },
    requiredTagsCheck({
      id: 'redshift.missing_required_tags',
      title: 'Redshift cluster lacks required tags',
      rationale: 'Required tags say who owns a cluster and what data it holds.',
    }),
  ],

  remediations: {
    'redshift.public': {
      description: 'Turn PubliclyAccessible off on the cluster.',
      risk: 'disruptive',
      permissions: ['redshift:DescribeClusters', 'redshift:ModifyCluster'],
      async apply(context) {
        const cluster = await readCluster(context);
        if (cluster === GONE) return 'gone';
        if (!isPublicCluster(cluster)) return 'already_compliant';
        await redshift(context).send(new ModifyClusterCommand({ ClusterIdentifier: context.id, PubliclyAccessible: false }));
        return 'applied';
      },
    },
    'redshift.unencrypted': {
      description: 'Turn on encryption at rest with the AWS managed key; Redshift migrates the data, which takes a while.',
      risk: 'disruptive',
      permissions: ['redshift:DescribeClusters', 'redshift:ModifyCluster'],
      async apply(context) {
        const cluster = await readCluster(context);
        if (cluster === GONE) return 'gone';
        if (!isUnencryptedCluster(cluster)) return 'already_compliant';
        await redshift(context).send(new ModifyClusterCommand({ ClusterIdentifier: context.id, Encrypted: true }));
        return 'applied';
      },
    },
  },
});
