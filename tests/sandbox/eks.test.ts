import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateClusterCommand, DeleteClusterCommand, DescribeClusterCommand, EKSClient, UpdateClusterConfigCommand, paginateListClusters } from '@aws-sdk/client-eks';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/eks-cluster`;
const SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-0f9e8d7c6b5a40312'];
const NOT_FOUND = { name: 'ResourceNotFoundException', status: 404 };

let org: SandboxOrganization;
let eks: EKSClient;

beforeEach(async () => {
  org = sandboxOrganization();
  eks = org.clients().get(EKSClient);
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  await org.clients().get(IAMClient).send(new CreateRoleCommand({ RoleName: 'eks-cluster', AssumeRolePolicyDocument: trust }));
});

const create = (name: string, extra: Partial<ConstructorParameters<typeof CreateClusterCommand>[0]> = {}) =>
  eks.send(new CreateClusterCommand({ name, roleArn: ROLE_ARN, resourcesVpcConfig: { subnetIds: SUBNETS }, ...extra }));

describe('EKS clusters', () => {
  it('CreateCluster answers CREATING with EKS defaults: public endpoint open to 0.0.0.0/0, every log type off; then ACTIVE', async () => {
    const { cluster } = await create('platform', { tags: { team: 'platform' } });
    expect(cluster).toMatchObject({ name: 'platform', status: 'CREATING', arn: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/platform` });
    const { cluster: active } = await eks.send(new DescribeClusterCommand({ name: 'platform' }));
    expect(active).toMatchObject({
      status: 'ACTIVE',
      resourcesVpcConfig: { subnetIds: SUBNETS, endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }] },
      tags: { team: 'platform' },
    });
  });

  it('refuses a role that does not exist or trust EKS, fewer than two subnets, and a name in use', async () => {
    await expectAwsError(eks.send(new CreateClusterCommand({ name: 'x', roleArn: `arn:aws:iam::${ACCOUNT}:role/missing`, resourcesVpcConfig: { subnetIds: SUBNETS } })), { name: 'InvalidParameterException', status: 400, message: /could not be assumed/ });
    await expectAwsError(eks.send(new CreateClusterCommand({ name: 'x', roleArn: ROLE_ARN, resourcesVpcConfig: { subnetIds: [SUBNETS[0] ?? ''] } })), { name: 'InvalidParameterException', status: 400 });
    await create('platform');
    await expectAwsError(create('platform'), { name: 'ResourceInUseException', status: 409 });
  });

  it('UpdateClusterConfig logging changes only the types named, and answers an update', async () => {
    await create('platform', { logging: { clusterLogging: [{ types: ['api'], enabled: true }] } });
    const { update } = await eks.send(new UpdateClusterConfigCommand({ name: 'platform', logging: { clusterLogging: [{ types: ['audit'], enabled: true }] } }));
    expect(update).toMatchObject({ status: 'InProgress', type: 'LoggingUpdate' });
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'platform' }));
    expect(cluster?.logging?.clusterLogging).toEqual([
      { types: ['api', 'audit'], enabled: true },
      { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
    ]);
    await eks.send(new UpdateClusterConfigCommand({ name: 'platform', resourcesVpcConfig: { publicAccessCidrs: ['192.0.2.0/24'] } }));
    expect((await eks.send(new DescribeClusterCommand({ name: 'platform' }))).cluster?.resourcesVpcConfig?.publicAccessCidrs).toEqual(['192.0.2.0/24']);
  });

  it('ListClusters pages with nextToken; a deleted cluster is ResourceNotFoundException', async () => {
    for (const name of ['a', 'b', 'c']) await create(name);
    const pages = [];
    for await (const page of paginateListClusters({ client: eks, pageSize: 2 }, {})) pages.push(page.clusters);
    expect(pages).toEqual([['a', 'b'], ['c']]);
    expect((await eks.send(new DeleteClusterCommand({ name: 'a' }))).cluster?.status).toBe('DELETING');
    await expectAwsError(eks.send(new DescribeClusterCommand({ name: 'a' })), NOT_FOUND);
    await expectAwsError(eks.send(new UpdateClusterConfigCommand({ name: 'a', logging: { clusterLogging: [{ types: ['audit'], enabled: true }] } })), NOT_FOUND);
  });
});
