/**
 * One Redshift cluster that fails redshift.public and
 * redshift.tls_not_required, harmlessly: a single empty node, publicly
 * accessible, on the default parameter group default.redshift-1.0 (which
 * leaves require_ssl false), with a random master password that is
 * generated here, sent once and never stored or printed.
 *
 * redshift.unencrypted is not provoked: since January 2025 AWS creates
 * encrypted clusters only (CreateCluster with Encrypted false fails), so it
 * cannot be provoked by creating something. Naming default.redshift-1.0 is
 * needed because a cluster that names no group now gets
 * default.redshift-2.0, which requires TLS.
 *
 * Real AWS: the smallest current node type, ra3.large, single-node, in the
 * default VPC (public needs an internet gateway; VPC Block Public Access
 * refuses it). It is billed per node-hour on demand, on the order of
 * US$0.5/hour (check the Redshift pricing page for the region), plus
 * managed storage for an empty database: tear it down when done. Creation
 * takes several minutes: create() returns while the cluster is `creating`,
 * and the remediator re-queues its message (NotReady) until it is
 * `available`. Teardown deletes it without a final snapshot.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  ModifyClusterCommand,
  RedshiftClient,
  type Cluster,
} from '@aws-sdk/client-redshift';
import { MAKER_TAGS, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';
import { requiredTagsMissingFromMaker } from './missingMakerTags.ts';

export const MAKER_NODE_TYPE = 'ra3.large';
/** The default parameter group that does not require TLS. */
export const TLS_OPTIONAL_PARAMETER_GROUP = 'default.redshift-1.0';

export function makerClusterId(account: string, region: string): string {
  return makerName('redshift', account, region);
}

/** A throwaway password Redshift accepts (an upper-case letter, a lower-case letter, a digit), never stored or printed. */
function throwawayPassword(): string {
  return `${randomBytes(18).toString('base64url')}Aa1`;
}

async function findCluster(context: MakerContext, id: string): Promise<Cluster | undefined> {
  const found = await unlessGone(() => context.clients.get(RedshiftClient).send(new DescribeClustersCommand({ ClusterIdentifier: id })), ['ClusterNotFound'], undefined);
  return found?.Clusters?.[0];
}

export const redshiftMaker: MisconfigurationEntry = {
  type: 'redshift',
  scope: 'regional',
  provokes: (config) => [
    'redshift.public',
    'redshift.tls_not_required',
    ...(requiredTagsMissingFromMaker(config).length > 0 ? ['redshift.missing_required_tags'] : []),
  ],
  plan: (account, region) => [
    `Redshift cluster ${makerClusterId(account, region)}: one ${MAKER_NODE_TYPE} node, empty, publicly accessible, parameter group ${TLS_OPTIONAL_PARAMETER_GROUP} (require_ssl false), random unknown master password (real AWS: minutes to create, ~US$0.5/hour)`,
  ],
  async create(context) {
    const redshift = context.clients.get(RedshiftClient);
    const id = makerClusterId(context.account, context.region);
    const existing = await findCluster(context, id);
    if (!existing) {
      const { Cluster: created } = await redshift.send(
        new CreateClusterCommand({
          ClusterIdentifier: id,
          NodeType: MAKER_NODE_TYPE,
          ClusterType: 'single-node',
          // AWS's default now; said explicitly because moto still defaults to unencrypted (gap moto-redshift-unencrypted-default).
          Encrypted: true,
          MasterUsername: 'makeradmin',
          MasterUserPassword: throwawayPassword(),
          DBName: 'dev',
          PubliclyAccessible: true,
          ClusterParameterGroupName: TLS_OPTIONAL_PARAMETER_GROUP,
          Tags: [...MAKER_TAGS],
        }),
      );
      if (created?.ClusterStatus !== 'available') {
        context.log.info(`redshift: ${id} is ${created?.ClusterStatus ?? 'not yet visible'}; AWS takes several minutes to create it, and its audit waits until then`);
      }
      return [id];
    }
    if (existing.ClusterStatus === 'deleting') throw new Error(`redshift: ${id} is being deleted; re-run once it is gone`);
    // Reused: put back what a remediation may have fixed.
    if (existing.PubliclyAccessible !== true) {
      if (existing.ClusterStatus === 'available') {
        await redshift.send(new ModifyClusterCommand({ ClusterIdentifier: id, PubliclyAccessible: true }));
      } else {
        context.log.warn(`redshift: ${id} is ${existing.ClusterStatus ?? 'unknown'}, not available: PubliclyAccessible stays false until a re-run finds it available`);
      }
    }
    return [id];
  },
  async teardown(context) {
    const id = makerClusterId(context.account, context.region);
    const existing = await findCluster(context, id);
    if (!existing) return [];
    if (existing.ClusterStatus === 'deleting') {
      context.log.info(`redshift: ${id} is already being deleted`);
      return [];
    }
    const redshift = context.clients.get(RedshiftClient);
    const deleted = await unlessGone(() => redshift.send(new DeleteClusterCommand({ ClusterIdentifier: id, SkipFinalClusterSnapshot: true })), ['ClusterNotFound'], undefined);
    return deleted ? [id] : [];
  },
};
