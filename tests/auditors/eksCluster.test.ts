import { DescribeClusterCommand, EKSClient, ListClustersCommand, UpdateClusterConfigCommand, type Cluster, type LogSetup, type UpdateClusterConfigRequest } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { eksClusterAuditor } from '../../auditors/eksCluster.ts';
import { ACCOUNT, awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const eks = mockClient(EKSClient);
const CLUSTER = 'platform';
const ALL_OFF: LogSetup = { types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false };

/** A DescribeCluster cluster as EKS answers it: private endpoint, audit log on, unless overridden. */
function cluster(overrides: Partial<Cluster> = {}): Cluster {
  return {
    name: CLUSTER,
    arn: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/${CLUSTER}`,
    createdAt: new Date('2026-11-02T09:14:17.000Z'),
    version: '1.33',
    endpoint: 'https://0A1B2C3D4E5F60718293A4B5C6D7E8F9.gr7.us-east-1.eks.amazonaws.com',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/eks-cluster-role`,
    resourcesVpcConfig: {
      subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f9e8d7c6b5a40312'],
      securityGroupIds: [],
      clusterSecurityGroupId: 'sg-0123456789abcdef0',
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
      publicAccessCidrs: [],
    },
    logging: { clusterLogging: [{ types: ['audit', 'authenticator'], enabled: true }, { types: ['api', 'controllerManager', 'scheduler'], enabled: false }] },
    status: 'ACTIVE',
    platformVersion: 'eks.20',
    tags: { team: 'platform' },
    ...overrides,
  };
}

const publicEndpoint = (cidrs: string[]) => ({ ...cluster().resourcesVpcConfig, endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: cidrs });

/** A cluster that behaves like EKS: UpdateClusterConfig's logging changes only the types it names. */
function givenCluster(overrides: Partial<Cluster> = {}): { cluster: Cluster } {
  const stored = { cluster: cluster(overrides) };
  eks.on(DescribeClusterCommand, { name: CLUSTER }).callsFake(() => ({ cluster: structuredClone(stored.cluster) }));
  eks.on(UpdateClusterConfigCommand, { name: CLUSTER }).callsFake((input: UpdateClusterConfigRequest) => {
    const enabled = new Set((stored.cluster.logging?.clusterLogging ?? []).flatMap((s) => (s.enabled ? (s.types ?? []) : [])));
    for (const setup of input.logging?.clusterLogging ?? []) for (const type of setup.types ?? []) if (setup.enabled) enabled.add(type); else enabled.delete(type);
    stored.cluster = { ...stored.cluster, logging: { clusterLogging: [{ types: [...enabled], enabled: true }] } };
    return { update: { id: 'b5f0ba18-9a87-4450-b5a0-825e6e84496f', status: 'InProgress', type: 'LoggingUpdate' } };
  });
  return stored;
}

async function failedChecks(): Promise<FailedCheck[]> {
  return failedChecksOf(await eksClusterAuditor.audit(makeResourceContext(CLUSTER), makeCheckContext(CLUSTER)));
}

describe('eks_cluster auditor', () => {
  beforeEach(() => eks.reset());

  it('declares its APIs, triggers, controls and the one safe remediation', () => {
    expect(eksClusterAuditor.permissions).toEqual({ list: ['eks:ListClusters'], collect: ['eks:DescribeCluster'] });
    expect(eksClusterAuditor.triggers).toEqual([
      { eventSource: 'eks.amazonaws.com', eventNames: ['CreateCluster'], idPath: 'requestParameters.name', delaySeconds: 600 },
      { eventSource: 'eks.amazonaws.com', eventNames: ['CreateCluster'], idPath: 'requestParameters.clusterName', delaySeconds: 600 },
      { eventSource: 'eks.amazonaws.com', eventNames: ['UpdateClusterConfig'], idPath: 'requestParameters.name' },
    ]);
    expect(eksClusterAuditor.checks.map((c) => [c.id, c.controls])).toEqual([
      ['eks_cluster.public_endpoint_open', { fsbp: ['EKS.1'] }],
      ['eks_cluster.audit_logging_off', { fsbp: ['EKS.8'] }],
    ]);
    expect(eksClusterAuditor.remediations).toEqual({
      'eks_cluster.audit_logging_off': expect.objectContaining({ risk: 'safe', permissions: ['eks:DescribeCluster', 'eks:UpdateClusterConfig'] }),
    });
  });

  it('list follows nextToken (100 a page)', async () => {
    const token = 'eyJleGNsdXNpdmVTdGFydEtleSI6eyJuYW1lIjoicGxhdGZvcm0ifX0=';
    eks.on(ListClustersCommand, { nextToken: undefined }).resolves({ clusters: ['data', CLUSTER], nextToken: token });
    eks.on(ListClustersCommand, { nextToken: token }).resolves({ clusters: ['tools'] });
    expect(await collectAll(eksClusterAuditor.list(makeListContext()))).toEqual([
      { id: 'data', name: 'data' },
      { id: CLUSTER, name: CLUSTER },
      { id: 'tools', name: 'tools' },
    ]);
    expect(eks.commandCalls(ListClustersCommand).map((c) => c.args[0].input.maxResults)).toEqual([100, 100]);
  });

  it.each<[string, Partial<Cluster>, string[]]>([
    ['private endpoint, audit log on', {}, []],
    ['public endpoint limited to office ranges', { resourcesVpcConfig: publicEndpoint(['192.0.2.0/24', '203.0.113.0/28']) }, []],
    ['public endpoint open to 0.0.0.0/0 (the EKS default)', { resourcesVpcConfig: publicEndpoint(['0.0.0.0/0']) }, ['eks_cluster.public_endpoint_open']],
    ['public endpoint with 0.0.0.0/0 among other ranges', { resourcesVpcConfig: publicEndpoint(['192.0.2.0/24', '0.0.0.0/0']) }, ['eks_cluster.public_endpoint_open']],
    ['every log type off (the EKS default)', { logging: { clusterLogging: [ALL_OFF] } }, ['eks_cluster.audit_logging_off']],
    ['api on, audit off', { logging: { clusterLogging: [{ types: ['api'], enabled: true }, { types: ['audit'], enabled: false }] } }, ['eks_cluster.audit_logging_off']],
    ['no logging block', { logging: undefined }, ['eks_cluster.audit_logging_off']],
    ['an updating cluster is judged as it is', { status: 'UPDATING', resourcesVpcConfig: publicEndpoint(['0.0.0.0/0']) }, ['eks_cluster.public_endpoint_open']],
  ])('%s', async (_case, overrides, failed) => {
    givenCluster(overrides);
    expect((await failedChecks()).map((f) => f.check.id)).toEqual(failed);
  });

  it('the public endpoint is notify-only; the audit log finding says which types are on', async () => {
    givenCluster({ resourcesVpcConfig: publicEndpoint(['0.0.0.0/0']), logging: { clusterLogging: [{ types: ['api'], enabled: true }] } });
    expect((await failedChecks()).map((f) => [f.check.id, f.violation.detail, f.remediate !== undefined])).toEqual([
      ['eks_cluster.public_endpoint_open', 'endpointPublicAccess is true and publicAccessCidrs includes 0.0.0.0/0', false],
      ['eks_cluster.audit_logging_off', 'enabled log types: api (not audit)', true],
    ]);
  });

  it('audit_logging_off turns on the audit type only, keeping the others; a second run makes no call', async () => {
    const stored = givenCluster({ logging: { clusterLogging: [{ types: ['api'], enabled: true }, { types: ['audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }] } });
    const [finding] = await failedChecks();
    expect(await finding?.remediate?.()).toBe('applied');
    expect(eks.commandCalls(UpdateClusterConfigCommand).map((c) => c.args[0].input)).toEqual([{ name: CLUSTER, logging: { clusterLogging: [{ types: ['audit'], enabled: true }] } }]);
    expect(stored.cluster.logging?.clusterLogging?.[0]?.types).toEqual(['api', 'audit']);
    expect(await finding?.remediate?.()).toBe('already_compliant');
    expect(eks.commandCalls(UpdateClusterConfigCommand)).toHaveLength(1);
    expect(await failedChecks()).toEqual([]);
  });

  it('the remediation answers gone when the cluster was deleted before the fix', async () => {
    givenCluster({ logging: { clusterLogging: [ALL_OFF] } });
    const [finding] = await failedChecks();
    eks.on(DescribeClusterCommand).rejects(awsError('ResourceNotFoundException', 404, `No cluster found for name: ${CLUSTER}.`));
    expect(await finding?.remediate?.()).toBe('gone');
    expect(eks.commandCalls(UpdateClusterConfigCommand)).toHaveLength(0);
  });

  it.each([
    ['DescribeCluster answers ResourceNotFoundException', () => eks.on(DescribeClusterCommand).rejects(awsError('ResourceNotFoundException', 404))],
    ['the cluster is DELETING', () => givenCluster({ status: 'DELETING' })],
  ])('gone when %s', async (_case, given) => {
    given();
    expect(await eksClusterAuditor.audit(makeResourceContext(CLUSTER), makeCheckContext(CLUSTER))).toBe(GONE);
  });

  it('not ready while CREATING', async () => {
    givenCluster({ status: 'CREATING', endpoint: undefined });
    expect(await eksClusterAuditor.audit(makeResourceContext(CLUSTER), makeCheckContext(CLUSTER))).toBeInstanceOf(NotReady);
  });

  it('other errors propagate', async () => {
    eks.on(DescribeClusterCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(eksClusterAuditor.audit(makeResourceContext(CLUSTER), makeCheckContext(CLUSTER))).rejects.toThrow(/AccessDeniedException/);
  });
});
