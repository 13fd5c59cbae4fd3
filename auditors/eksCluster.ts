/**
 * eks_cluster: EKS clusters whose Kubernetes API endpoint is public and open
 * to 0.0.0.0/0 (part of FSBP EKS.1), and clusters that do not send the
 * control plane's audit log to CloudWatch Logs (EKS.8).
 * https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html
 *
 * Remediation: turn on the audit log type (UpdateClusterConfig logging,
 * only the audit type; the others keep their state): safe, nothing running
 * changes, and CloudWatch Logs bills the log's ingestion and storage. The
 * public endpoint is notify-only: restricting it (private endpoint, or
 * publicAccessCidrs) can lock out the operators and CI systems that reach
 * the API server from the internet, and only the team knows their ranges.
 *
 * APIs: ListClusters (list: nextToken, 100 a page), DescribeCluster
 * (collect; its tags too). CloudTrail: CreateCluster, UpdateClusterConfig
 * (requestParameters.name).
 */
import { DescribeClusterCommand, EKSClient, UpdateClusterConfigCommand, paginateListClusters, type Cluster } from '@aws-sdk/client-eks';
import { ComplianceError, RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { GONE, NotReady, defineAuditor, type Gone, type ResourceContext } from './contract.ts';
import { eksClusterTriggers } from './triggers/eksCluster.ts';

const OPEN_RANGES: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);
const AUDIT_LOG = 'audit';

export interface ClusterState {
  name: string;
  status: string;
  endpointPublicAccess: boolean;
  publicAccessCidrs: readonly string[];
  /** The control plane log types that are on (api, audit, authenticator, controllerManager, scheduler). */
  enabledLogTypes: readonly string[];
  tags: Readonly<Record<string, string>>;
}

// ---------- pure ----------

/** The log types whose clusterLogging entry is enabled. */
export function enabledLogTypes(cluster: Pick<Cluster, 'logging'>): string[] {
  return (cluster.logging?.clusterLogging ?? []).flatMap((setup) => (setup.enabled === true ? (setup.types ?? []) : []));
}

export function clusterStateOf(cluster: Cluster & { name: string }): ClusterState {
  const vpc = cluster.resourcesVpcConfig;
  return {
    name: cluster.name,
    status: cluster.status ?? 'ACTIVE',
    endpointPublicAccess: vpc?.endpointPublicAccess === true,
    publicAccessCidrs: vpc?.publicAccessCidrs ?? [],
    enabledLogTypes: enabledLogTypes(cluster),
    tags: { ...cluster.tags },
  };
}

// ---------- reads ----------

function eks(context: ResourceContext): EKSClient {
  return context.clients.get(EKSClient);
}

/** The cluster now: GONE when deleted or deleting, NotReady while it is created. */
async function readCluster(context: ResourceContext): Promise<ClusterState | Gone | NotReady> {
  try {
    const { cluster } = await eks(context).send(new DescribeClusterCommand({ name: context.id }));
    if (!cluster?.name || cluster.status === 'DELETING') return GONE;
    if (cluster.status === 'CREATING') return new NotReady(`cluster ${context.id} is still CREATING`, 300);
    return clusterStateOf({ ...cluster, name: cluster.name });
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.eks_cluster)) return GONE;
    throw error;
  }
}

// ---------- the auditor ----------

export const eksClusterAuditor = defineAuditor<ClusterState>({
  type: 'eks_cluster',
  scope: 'regional',
  description: 'EKS clusters: a public API endpoint open to the internet, the control plane audit log',
  permissions: {
    list: ['eks:ListClusters'],
    collect: ['eks:DescribeCluster'],
  },
  triggers: eksClusterTriggers,

  async *list({ clients }) {
    const client = clients.get(EKSClient);
    // maxResults 1 to 100: https://docs.aws.amazon.com/eks/latest/APIReference/API_ListClusters.html
    for await (const page of paginateListClusters({ client, pageSize: 100 }, {})) {
      for (const name of page.clusters ?? []) yield { id: name, name };
    }
  },

  collect: readCluster,

  identity: (state) => ({ tags: state.tags }),

  checks: [
    {
      id: 'eks_cluster.public_endpoint_open',
      title: 'EKS cluster API endpoint is public and open to the internet',
      severity: 'high',
      rationale:
        'With public access on and 0.0.0.0/0 among publicAccessCidrs, anyone on the internet can reach the Kubernetes API server and try its authentication; a leaked token or a vulnerability in the API server is then exploitable from anywhere.',
      // EKS.1 fails on any public endpoint; this check only on one open to every address.
      controls: { fsbp: ['EKS.1'] },
      evaluate(state) {
        const open = state.publicAccessCidrs.filter((cidr) => OPEN_RANGES.has(cidr));
        if (!state.endpointPublicAccess || open.length === 0) return undefined;
        return { detail: `endpointPublicAccess is true and publicAccessCidrs includes ${open.join(', ')}` };
      },
    },
    {
      id: 'eks_cluster.audit_logging_off',
      title: 'EKS control plane audit log is off',
      severity: 'medium',
      rationale: 'Without the audit log, nobody can tell afterwards who did what through the Kubernetes API (created a privileged pod, read a secret, changed RBAC).',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html#eks-8
      controls: { fsbp: ['EKS.8'] },
      evaluate(state) {
        if (state.enabledLogTypes.includes(AUDIT_LOG)) return undefined;
        return { detail: state.enabledLogTypes.length === 0 ? 'no control plane log type is enabled' : `enabled log types: ${state.enabledLogTypes.join(', ')} (not audit)` };
      },
    },
  ],

  remediations: {
    'eks_cluster.audit_logging_off': {
      description: 'Turn on the control plane audit log (CloudWatch Logs /aws/eks/<cluster>/cluster; ingestion and storage are billed); the other log types stay as they are.',
      risk: 'safe',
      permissions: ['eks:DescribeCluster', 'eks:UpdateClusterConfig'],
      async apply(context) {
        const cluster = await readCluster(context);
        if (cluster === GONE) return 'gone';
        if (cluster instanceof NotReady) throw new ComplianceError(`${cluster.reason}: try again when it is ACTIVE`, { account: context.account, region: context.region, type: 'eks_cluster', id: context.id });
        if (cluster.enabledLogTypes.includes(AUDIT_LOG)) return 'already_compliant';
        await eks(context).send(new UpdateClusterConfigCommand({ name: context.id, logging: { clusterLogging: [{ types: [AUDIT_LOG], enabled: true }] } }));
        return 'applied';
      },
    },
  },
});
