/**
 * The sandbox's ECS task definitions (serviceId 'ECS'), per account and
 * region: families of numbered revisions, each ACTIVE until deregistered
 * (then INACTIVE, still describable by family:revision, as in AWS). What
 * the ecs_task_definition auditor reads and the maker registers and
 * deregisters. Errors as ECS answers them: ClientException with ECS's
 * message. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/Welcome.html
 *
 * Not modelled: clusters, services and tasks; task definitions are
 * validated only as far as the maker and the tests need (family, container
 * name and image, Fargate's awsvpc).
 */
import type {
  ContainerDefinition,
  DeregisterTaskDefinitionCommandInput,
  DeregisterTaskDefinitionCommandOutput,
  DescribeTaskDefinitionCommandInput,
  DescribeTaskDefinitionCommandOutput,
  ListTaskDefinitionFamiliesCommandInput,
  ListTaskDefinitionFamiliesCommandOutput,
  ListTaskDefinitionsCommandInput,
  ListTaskDefinitionsCommandOutput,
  RegisterTaskDefinitionCommandInput,
  RegisterTaskDefinitionCommandOutput,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { partitionOf } from '../../services/core/regions.ts';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface RevisionRecord {
  definition: TaskDefinition;
  tags: Tag[];
}

interface EcsState {
  /** family -> revision number -> the revision. */
  families: Record<string, Record<number, RevisionRecord>>;
}

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
/** ListTaskDefinitionFamilies and ListTaskDefinitions: maxResults 1 to 100. */
const MAX_PAGE = 100;

function ecs(context: OperationContext): EcsState {
  return context.regional<EcsState>('ecs', () => ({ families: {} }));
}

function clientException(message: string) {
  return serviceError('ClientException', 400, message);
}

function taskDefinitionArn(context: OperationContext, family: string, revision: number): string {
  return `arn:${partitionOf(context.region)}:ecs:${context.region}:${context.account}:task-definition/${family}:${revision}`;
}

/** `family`, `family:revision` or the ARN -> the family and, if named, the revision. */
function parseReference(reference: string | undefined): { family: string; revision?: number } {
  const afterArn = reference?.includes(':task-definition/') ? reference.slice(reference.indexOf(':task-definition/') + ':task-definition/'.length) : (reference ?? '');
  const [family = '', revision] = afterArn.split(':');
  return revision === undefined ? { family } : { family, revision: Number(revision) };
}

function revisions(context: OperationContext, family: string): RevisionRecord[] {
  return Object.values(ecs(context).families[family] ?? {}).sort((a, b) => (a.definition.revision ?? 0) - (b.definition.revision ?? 0));
}

/** A named revision (any status), or the family's latest ACTIVE one, as DescribeTaskDefinition resolves it. */
function resolve(context: OperationContext, reference: string | undefined): RevisionRecord {
  const { family, revision } = parseReference(reference);
  const all = revisions(context, family);
  const found = revision === undefined ? all.filter((r) => r.definition.status === 'ACTIVE').at(-1) : all.find((r) => r.definition.revision === revision);
  if (!found) throw clientException('Unable to describe task definition.');
  return found;
}

function validate(input: RegisterTaskDefinitionCommandInput): void {
  if (!input.family || !FAMILY.test(input.family)) throw clientException('Family contains invalid characters.');
  const containers = input.containerDefinitions ?? [];
  if (containers.length === 0) throw clientException('Container list cannot be empty.');
  for (const container of containers) {
    if (!container.name) throw clientException('Container.name should not be null or empty.');
    if (!container.image) throw clientException('Container.image should not be null or empty.');
  }
  if (input.requiresCompatibilities?.includes('FARGATE') && input.networkMode !== 'awsvpc') {
    throw clientException('Fargate only supports network mode \u2018awsvpc\u2019.');
  }
}

export const ecsService: SandboxService = {
  serviceId: 'ECS',
  operations: {
    RegisterTaskDefinition: operation((context, input: RegisterTaskDefinitionCommandInput): Output<RegisterTaskDefinitionCommandOutput> => {
      validate(input);
      const family = input.family ?? '';
      const existing = revisions(context, family);
      const revision = (existing.at(-1)?.definition.revision ?? 0) + 1;
      const fargate = input.requiresCompatibilities?.includes('FARGATE') === true;
      const definition: TaskDefinition = {
        taskDefinitionArn: taskDefinitionArn(context, family, revision),
        containerDefinitions: (input.containerDefinitions ?? []).map((container): ContainerDefinition => ({ cpu: 0, portMappings: [], essential: true, environment: [], mountPoints: [], volumesFrom: [], ...container })),
        family,
        ...(input.taskRoleArn ? { taskRoleArn: input.taskRoleArn } : {}),
        ...(input.executionRoleArn ? { executionRoleArn: input.executionRoleArn } : {}),
        // EC2's default network mode is bridge: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#network_mode
        networkMode: input.networkMode ?? 'bridge',
        revision,
        volumes: input.volumes ?? [],
        status: 'ACTIVE',
        requiresAttributes: [],
        placementConstraints: input.placementConstraints ?? [],
        compatibilities: fargate ? ['EC2', 'FARGATE'] : ['EC2'],
        ...(input.requiresCompatibilities ? { requiresCompatibilities: input.requiresCompatibilities } : {}),
        ...(input.cpu ? { cpu: input.cpu } : {}),
        ...(input.memory ? { memory: input.memory } : {}),
        registeredAt: context.now(),
        registeredBy: `arn:${partitionOf(context.region)}:iam::${context.account}:root`,
      };
      const tags = input.tags ?? [];
      ecs(context).families[family] = { ...(ecs(context).families[family] ?? {}), [revision]: { definition, tags } };
      return { taskDefinition: definition, tags };
    }),

    DescribeTaskDefinition: operation((context, input: DescribeTaskDefinitionCommandInput): Output<DescribeTaskDefinitionCommandOutput> => {
      const found = resolve(context, input.taskDefinition);
      return { taskDefinition: found.definition, ...(input.include?.includes('TAGS') ? { tags: found.tags } : {}) };
    }),

    DeregisterTaskDefinition: operation((context, input: DeregisterTaskDefinitionCommandInput): Output<DeregisterTaskDefinitionCommandOutput> => {
      const { revision } = parseReference(input.taskDefinition);
      if (revision === undefined || !Number.isInteger(revision)) throw clientException('Revision is missing.');
      const found = resolve(context, input.taskDefinition);
      found.definition = { ...found.definition, status: 'INACTIVE', deregisteredAt: context.now() };
      return { taskDefinition: found.definition };
    }),

    ListTaskDefinitionFamilies: operation((context, input: ListTaskDefinitionFamiliesCommandInput): Output<ListTaskDefinitionFamiliesCommandOutput> => {
      const status = input.status ?? 'ALL';
      const families = Object.keys(ecs(context).families)
        .filter((family) => !input.familyPrefix || family.startsWith(input.familyPrefix))
        .filter((family) => {
          const active = revisions(context, family).some((r) => r.definition.status === 'ACTIVE');
          return status === 'ALL' || (status === 'ACTIVE') === active;
        })
        .sort();
      const { items, next } = page(families, input.nextToken, Math.min(input.maxResults ?? MAX_PAGE, MAX_PAGE));
      return { families: items, ...(next ? { nextToken: next } : {}) };
    }),

    ListTaskDefinitions: operation((context, input: ListTaskDefinitionsCommandInput): Output<ListTaskDefinitionsCommandOutput> => {
      const status = input.status ?? 'ACTIVE';
      const arns = Object.keys(ecs(context).families)
        .filter((family) => !input.familyPrefix || family === input.familyPrefix)
        .sort()
        .flatMap((family) => revisions(context, family))
        .filter((r) => r.definition.status === status)
        .map((r) => r.definition.taskDefinitionArn ?? '');
      const sorted = input.sort === 'DESC' ? arns.reverse() : arns;
      const { items, next } = page(sorted, input.nextToken, Math.min(input.maxResults ?? MAX_PAGE, MAX_PAGE));
      return { taskDefinitionArns: items, ...(next ? { nextToken: next } : {}) };
    }),
  },
};
