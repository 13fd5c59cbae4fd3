import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  paginateListTaskDefinitionFamilies,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const UNABLE = { name: 'ClientException', status: 400, message: /^Unable to describe task definition\.$/ };

let org: SandboxOrganization;
let ecs: ECSClient;

function registration(family: string, overrides: Partial<RegisterTaskDefinitionCommandInput> = {}): RegisterTaskDefinitionCommandInput {
  return { family, containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/docker/library/busybox:latest', memory: 32 }], ...overrides };
}

async function families(status: 'ACTIVE' | 'INACTIVE' | 'ALL', client = ecs): Promise<string[]> {
  const all: string[] = [];
  for await (const page of paginateListTaskDefinitionFamilies({ client, pageSize: 2 }, { status })) all.push(...(page.families ?? []));
  return all;
}

beforeEach(() => {
  org = sandboxOrganization();
  ecs = org.clients().get(ECSClient);
});

describe('ECS task definitions', () => {
  it('RegisterTaskDefinition numbers revisions per family, with ECS\'s defaults (bridge on EC2) and the ARN of the revision', async () => {
    const first = await ecs.send(new RegisterTaskDefinitionCommand(registration('billing-api', { tags: [{ key: 'team', value: 'billing' }] })));
    const second = await ecs.send(new RegisterTaskDefinitionCommand(registration('billing-api', { networkMode: 'host' })));

    expect(first.taskDefinition).toMatchObject({ family: 'billing-api', revision: 1, status: 'ACTIVE', networkMode: 'bridge', taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/billing-api:1` });
    expect(first.taskDefinition?.containerDefinitions?.[0]).toMatchObject({ name: 'app', essential: true, environment: [] });
    expect(first.tags).toEqual([{ key: 'team', value: 'billing' }]);
    expect(second.taskDefinition).toMatchObject({ revision: 2, networkMode: 'host' });
  });

  it('DescribeTaskDefinition of a family answers its latest ACTIVE revision, with tags only when asked; a named revision whatever its status', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(registration('billing-api', { tags: [{ key: 'team', value: 'billing' }] })));
    await ecs.send(new RegisterTaskDefinitionCommand(registration('billing-api', { tags: [{ key: 'team', value: 'billing' }] })));
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'billing-api:2' }));

    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'billing-api', include: ['TAGS'] }));
    expect([latest.taskDefinition?.revision, latest.tags]).toEqual([1, [{ key: 'team', value: 'billing' }]]);
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'billing-api' }))).tags).toBeUndefined();
    const deregistered = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/billing-api:2` }));
    expect(deregistered.taskDefinition).toMatchObject({ revision: 2, status: 'INACTIVE' });
  });

  it('a family with no ACTIVE revision, or none at all, answers ClientException "Unable to describe task definition."', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(registration('billing-api')));
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'billing-api:1' }));

    await expectAwsError(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'billing-api' })), UNABLE);
    await expectAwsError(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'never-registered' })), UNABLE);
    await expectAwsError(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'billing-api' })), { name: 'ClientException', status: 400, message: /Revision is missing/ });
  });

  it('ListTaskDefinitionFamilies filters by status and pages with nextToken; families are per region', async () => {
    for (const family of ['a-active', 'b-inactive', 'c-active', 'd-active']) await ecs.send(new RegisterTaskDefinitionCommand(registration(family)));
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'b-inactive:1' }));

    expect(await families('ACTIVE')).toEqual(['a-active', 'c-active', 'd-active']);
    expect(await families('INACTIVE')).toEqual(['b-inactive']);
    expect(await families('ALL')).toEqual(['a-active', 'b-inactive', 'c-active', 'd-active']);
    expect(await families('ALL', org.clients(ACCOUNT, OTHER_REGION).get(ECSClient))).toEqual([]);
  });

  it('ListTaskDefinitions lists a family\'s ACTIVE revision ARNs, DESC newest first', async () => {
    for (let i = 0; i < 3; i += 1) await ecs.send(new RegisterTaskDefinitionCommand(registration('billing-api')));
    const { taskDefinitionArns } = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'billing-api', status: 'ACTIVE', sort: 'DESC' }));
    expect(taskDefinitionArns?.map((arn) => arn.split('/')[1])).toEqual(['billing-api:3', 'billing-api:2', 'billing-api:1']);
  });

  it.each<[string, Partial<RegisterTaskDefinitionCommandInput>, RegExp]>([
    ['an invalid family', { family: 'billing api' }, /Family contains invalid characters/],
    ['a container without an image', { containerDefinitions: [{ name: 'app' }] }, /Container.image should not be null or empty/],
    ['Fargate in host network mode', { requiresCompatibilities: ['FARGATE'], networkMode: 'host' }, /Fargate only supports network mode/],
  ])('RegisterTaskDefinition refuses %s with ClientException', async (_case, overrides, message) => {
    await expectAwsError(ecs.send(new RegisterTaskDefinitionCommand(registration('billing-api', overrides))), { name: 'ClientException', status: 400, message });
  });
});
