/**
 * One EKS cluster, `misconfiguration-maker-eks-<account>-<region>`: a
 * control plane only (no node group, no Fargate profile, so nothing runs in
 * it and nothing can be scheduled), in two of the default VPC's default
 * subnets, with what EKS gives a cluster by default: a public API endpoint
 * open to 0.0.0.0/0 (public_endpoint_open; the API server still requires
 * IAM-authenticated Kubernetes credentials, and only the maker's caller has
 * any) and every control plane log type off (audit_logging_off). The
 * defaults are sent explicitly (moto stores only what is sent: gap
 * moto-eks-vpc-config-defaults), which EKS accepts as well.
 *
 * Its cluster role, `misconfiguration-maker-eks-role-<account>-<region>`,
 * trusts eks.amazonaws.com and has no policy: a cluster without nodes or
 * load balancers uses none of AmazonEKSClusterPolicy's permissions (EKS
 * places the control plane's network interfaces through its service-linked
 * role). Not verified on a real account: if CreateCluster or the cluster
 * fails there for the missing policy, attach AmazonEKSClusterPolicy to the
 * role (the sandbox models no policy attachment yet).
 *
 * Real AWS: US$0.10 per cluster-hour (about US$2.40 a day) plus the
 * audit log's CloudWatch Logs ingestion once remediated; creation takes
 * 10 to 15 minutes: create() returns while the cluster is CREATING, and the
 * remediator re-queues its message (NotReady) until it is ACTIVE. Teardown
 * deletes the cluster (minutes) and the role.
 */
import { CreateClusterCommand, DeleteClusterCommand, DescribeClusterCommand, EKSClient, UpdateClusterConfigCommand, type LogType } from '@aws-sdk/client-eks';
import { CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { enabledLogTypes } from '../../auditors/eksCluster.ts';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../../services/core/errors.ts';
import { MAKER_TAGS, MAKER_TAG_RECORD, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { defaultSubnets } from './defaultSubnets.ts';
import { unlessGone } from './unlessGone.ts';

const LOG_TYPES: readonly LogType[] = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const EKS_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
/** A just-created role takes a few seconds to be assumable by EKS. */
const ROLE_PROPAGATION = { attempts: 6, delayMs: 5_000 } as const;

export function makerClusterName(account: string, region: string): string {
  return makerName('eks', account, region);
}

export function makerClusterRoleName(account: string, region: string): string {
  return makerName('eks-role', account, region);
}

async function ensureClusterRole(context: MakerContext): Promise<string> {
  const iam = context.clients.get(IAMClient);
  const roleName = makerClusterRoleName(context.account, context.region);
  const existing = await unlessGone(() => iam.send(new GetRoleCommand({ RoleName: roleName })), ['NoSuchEntity'], undefined);
  if (existing?.Role?.Arn) return existing.Role.Arn;
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: EKS_TRUST_POLICY, Description: 'misconfiguration-maker: EKS cluster role, no policy', Tags: [...MAKER_TAGS] }));
  if (!Role?.Arn) throw new Error(`CreateRole ${roleName} returned no ARN`);
  return Role.Arn;
}

async function createCluster(context: MakerContext, name: string, roleArn: string): Promise<void> {
  const subnets = await defaultSubnets(context, 2);
  const command = new CreateClusterCommand({
    name,
    roleArn,
    resourcesVpcConfig: { subnetIds: subnets.slice(0, 2).map((subnet) => subnet.subnetId), endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    logging: { clusterLogging: [{ types: [...LOG_TYPES], enabled: false }] },
    tags: { ...MAKER_TAG_RECORD },
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      await context.clients.get(EKSClient).send(command);
      return;
    } catch (error) {
      const propagating = hasErrorName(error, 'InvalidParameterException') && error instanceof Error && /could not be assumed/.test(error.message);
      if (!propagating || attempt >= ROLE_PROPAGATION.attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, ROLE_PROPAGATION.delayMs));
    }
  }
}

export const eksClusterMaker: MisconfigurationEntry = {
  type: 'eks_cluster',
  scope: 'regional',
  provokes: () => ['eks_cluster.audit_logging_off', 'eks_cluster.public_endpoint_open'],
  plan: (account, region) => [
    `IAM role ${makerClusterRoleName(account, region)}: EKS cluster role, no policy`,
    `EKS cluster ${makerClusterName(account, region)}: control plane only, no nodes (US$0.10/hour, 10-15 minutes to create); public endpoint open to 0.0.0.0/0; control plane logs off`,
  ],
  async create(context) {
    const eks = context.clients.get(EKSClient);
    const name = makerClusterName(context.account, context.region);
    const roleArn = await ensureClusterRole(context);
    const found = await unlessGone(() => eks.send(new DescribeClusterCommand({ name })), RESOURCE_GONE_ERRORS.eks_cluster, undefined);
    if (!found?.cluster) {
      await createCluster(context, name, roleArn);
    } else if (enabledLogTypes(found.cluster).includes('audit')) {
      // Reused: turn the audit log off again (a remediation may have turned it on).
      await eks.send(new UpdateClusterConfigCommand({ name, logging: { clusterLogging: [{ types: ['audit'], enabled: false }] } }));
    }
    return [name];
  },
  async teardown(context) {
    const name = makerClusterName(context.account, context.region);
    const roleName = makerClusterRoleName(context.account, context.region);
    const removed: string[] = [];
    if (await unlessGone(() => context.clients.get(EKSClient).send(new DeleteClusterCommand({ name })), RESOURCE_GONE_ERRORS.eks_cluster, undefined)) removed.push(name);
    if (await unlessGone(() => context.clients.get(IAMClient).send(new DeleteRoleCommand({ RoleName: roleName })), ['NoSuchEntity'], undefined)) removed.push(roleName);
    return removed;
  },
};
