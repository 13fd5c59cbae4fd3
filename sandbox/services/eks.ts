/**
 * EKS clusters (control planes only; node groups are not modelled): what
 * the eks_cluster auditor reads and remediates, and what the
 * misconfiguration maker creates and removes. A cluster is CREATING in
 * CreateCluster's answer and ACTIVE from then on. As in EKS, the endpoint
 * is public and open to 0.0.0.0/0 and every control plane log type is off
 * unless the request says otherwise, and UpdateClusterConfig's logging
 * changes only the types it names:
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterConfig.html
 */
import { randomUUID } from 'node:crypto';
import type {
  Cluster,
  CreateClusterCommandInput,
  CreateClusterCommandOutput,
  DeleteClusterCommandInput,
  DeleteClusterCommandOutput,
  DescribeClusterCommandInput,
  DescribeClusterCommandOutput,
  ListClustersCommandInput,
  ListClustersCommandOutput,
  LogType,
  UpdateClusterConfigCommandInput,
  UpdateClusterConfigCommandOutput,
  UpdateParam,
} from '@aws-sdk/client-eks';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';
import { iamState } from './iamState.ts';

const LOG_TYPES: readonly LogType[] = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
/** ListClusters maxResults: 1 to 100, default 100. */
const MAX_RESULTS = 100;

interface ClusterRecord {
  name: string;
  roleArn: string;
  version: string;
  createdAt: string;
  subnetIds: string[];
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  publicAccessCidrs: string[];
  enabledLogTypes: Set<LogType>;
  tags: Record<string, string>;
}

interface EksState {
  clusters: Record<string, ClusterRecord>;
}

function eks(context: OperationContext): EksState {
  return context.regional<EksState>('eks', () => ({ clusters: {} }));
}

const invalidParameter = (message: string): Error => serviceError('InvalidParameterException', 400, message);

function clusterOf(context: OperationContext, name: string | undefined): ClusterRecord {
  const cluster = name ? eks(context).clusters[name] : undefined;
  if (!cluster) throw serviceError('ResourceNotFoundException', 404, `No cluster found for name: ${name ?? ''}.`);
  return cluster;
}

/** The role must exist in the account and trust eks.amazonaws.com. */
function checkClusterRole(context: OperationContext, roleArn: string | undefined): string {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn ?? '');
  const role = match?.[1] === context.account && match[2] ? iamState(context).roles[match[2]] : undefined;
  if (!roleArn || !role || !decodeURIComponent(role.trustPolicy).includes('eks.amazonaws.com')) {
    throw invalidParameter(`Role with arn: ${roleArn ?? ''}, could not be assumed because it does not exist or the trusted entity is not correct`);
  }
  return roleArn;
}

function describe(context: OperationContext, cluster: ClusterRecord, status: Cluster['status']): Cluster {
  return {
    name: cluster.name,
    arn: `arn:${partitionOf(context.region)}:eks:${context.region}:${context.account}:cluster/${cluster.name}`,
    createdAt: new Date(cluster.createdAt),
    version: cluster.version,
    ...(status === 'ACTIVE' ? { endpoint: `https://${cluster.createdAt.replace(/\D/g, '').slice(0, 14)}A1B2C3D4E5F6.gr7.${context.region}.eks.amazonaws.com` } : {}),
    roleArn: cluster.roleArn,
    resourcesVpcConfig: {
      subnetIds: [...cluster.subnetIds],
      securityGroupIds: [],
      vpcId: 'vpc-0sandboxdefault',
      endpointPublicAccess: cluster.endpointPublicAccess,
      endpointPrivateAccess: cluster.endpointPrivateAccess,
      publicAccessCidrs: cluster.endpointPublicAccess ? [...cluster.publicAccessCidrs] : [],
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: '10.100.0.0/16', ipFamily: 'ipv4' },
    logging: {
      clusterLogging: [
        ...(cluster.enabledLogTypes.size > 0 ? [{ types: LOG_TYPES.filter((type) => cluster.enabledLogTypes.has(type)), enabled: true }] : []),
        ...(cluster.enabledLogTypes.size < LOG_TYPES.length ? [{ types: LOG_TYPES.filter((type) => !cluster.enabledLogTypes.has(type)), enabled: false }] : []),
      ],
    },
    status,
    platformVersion: 'eks.20',
    tags: { ...cluster.tags },
  };
}

export const eksService: SandboxService = {
  serviceId: 'EKS',
  operations: {
    CreateCluster: operation((context, input: CreateClusterCommandInput): Output<CreateClusterCommandOutput> => {
      if (!input.name || !CLUSTER_NAME.test(input.name)) throw invalidParameter('The cluster name must be 1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit.');
      const state = eks(context);
      if (state.clusters[input.name]) throw serviceError('ResourceInUseException', 409, `Cluster already exists with name: ${input.name}`);
      const subnetIds = [...new Set(input.resourcesVpcConfig?.subnetIds ?? [])];
      if (subnetIds.length < 2) throw invalidParameter('Subnets specified must be in at least two different AZs');
      const cluster: ClusterRecord = {
        name: input.name,
        roleArn: checkClusterRole(context, input.roleArn),
        version: input.version ?? '1.33',
        createdAt: context.now().toISOString(),
        subnetIds,
        endpointPublicAccess: input.resourcesVpcConfig?.endpointPublicAccess ?? true,
        endpointPrivateAccess: input.resourcesVpcConfig?.endpointPrivateAccess ?? false,
        publicAccessCidrs: input.resourcesVpcConfig?.publicAccessCidrs ?? ['0.0.0.0/0'],
        enabledLogTypes: new Set((input.logging?.clusterLogging ?? []).flatMap((setup) => (setup.enabled === true ? (setup.types ?? []) : []))),
        tags: { ...input.tags },
      };
      state.clusters[cluster.name] = cluster;
      return { cluster: describe(context, cluster, 'CREATING') };
    }),
    DescribeCluster: operation((context, input: DescribeClusterCommandInput): Output<DescribeClusterCommandOutput> => ({ cluster: describe(context, clusterOf(context, input.name), 'ACTIVE') })),
    ListClusters: operation((context, input: ListClustersCommandInput): Output<ListClustersCommandOutput> => {
      const maxResults = input.maxResults ?? MAX_RESULTS;
      if (maxResults < 1 || maxResults > MAX_RESULTS) throw invalidParameter('maxResults must be between 1 and 100');
      const { items, next } = page(Object.keys(eks(context).clusters).sort(), input.nextToken, maxResults);
      return { clusters: items, ...(next ? { nextToken: next } : {}) };
    }),
    /** One kind of change a call: logging (the types named) or the endpoint access. */
    UpdateClusterConfig: operation((context, input: UpdateClusterConfigCommandInput): Output<UpdateClusterConfigCommandOutput> => {
      const cluster = clusterOf(context, input.name);
      if (input.logging && input.resourcesVpcConfig) throw invalidParameter('Only one type of update can be allowed.');
      const params: UpdateParam[] = [];
      for (const setup of input.logging?.clusterLogging ?? []) {
        for (const type of setup.types ?? []) {
          if (setup.enabled === true) cluster.enabledLogTypes.add(type);
          else cluster.enabledLogTypes.delete(type);
        }
        params.push({ type: 'ClusterLogging', value: JSON.stringify({ clusterLogging: [setup] }) });
      }
      const vpc = input.resourcesVpcConfig;
      if (vpc) {
        if (vpc.endpointPublicAccess !== undefined) cluster.endpointPublicAccess = vpc.endpointPublicAccess;
        if (vpc.endpointPrivateAccess !== undefined) cluster.endpointPrivateAccess = vpc.endpointPrivateAccess;
        if (vpc.publicAccessCidrs !== undefined) cluster.publicAccessCidrs = [...vpc.publicAccessCidrs];
        if (!cluster.endpointPublicAccess && !cluster.endpointPrivateAccess) throw invalidParameter('The cluster endpoint must be public, private or both.');
      }
      if (!input.logging && !vpc) throw invalidParameter('No changes needed for the logging config provided');
      return { update: { id: randomUUID(), status: 'InProgress', type: input.logging ? 'LoggingUpdate' : 'EndpointAccessUpdate', params, createdAt: context.now(), errors: [] } };
    }),
    DeleteCluster: operation((context, input: DeleteClusterCommandInput): Output<DeleteClusterCommandOutput> => {
      const cluster = clusterOf(context, input.name);
      delete eks(context).clusters[cluster.name];
      return { cluster: describe(context, cluster, 'DELETING') };
    }),
  },
};
