/**
 * One task definition family, `misconfiguration-maker-taskdef-<account>-<region>`,
 * tagged, whose revision is never run: host network mode, one privileged
 * container (busybox, 32 MiB), and an environment variable DB_PASSWORD with
 * a literal value that is no secret of anyone's. It provokes all three
 * ecs_task_definition checks. A task definition costs nothing: only the
 * tasks run from it are billed (https://aws.amazon.com/ecs/pricing/).
 * Reused when its latest ACTIVE revision is still as made; else (a
 * remediation by hand) a new revision is registered. Teardown deregisters
 * every ACTIVE revision: the family then lists as INACTIVE, as in AWS.
 */
import { DeregisterTaskDefinitionCommand, DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand, type TaskDefinition } from '@aws-sdk/client-ecs';
import { RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { MAKER_TAGS, makerName, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export const MAKER_SECRET_VARIABLE = { name: 'DB_PASSWORD', value: 'misconfiguration-maker-not-a-secret' } as const;

export function makerTaskFamily(account: string, region: string): string {
  return makerName('taskdef', account, region);
}

function stillAsMade(definition: TaskDefinition | undefined): boolean {
  const container = definition?.containerDefinitions?.[0];
  return definition?.status === 'ACTIVE' && definition.networkMode === 'host' && container?.privileged === true && (container.environment ?? []).some((v) => v.name === MAKER_SECRET_VARIABLE.name && v.value);
}

export const ecsTaskDefinitionMaker: MisconfigurationEntry = {
  type: 'ecs_task_definition',
  scope: 'regional',
  provokes: () => ['ecs_task_definition.privileged_container', 'ecs_task_definition.host_network_mode', 'ecs_task_definition.secrets_in_environment'],
  plan: (account, region) => [
    `ECS task definition ${makerTaskFamily(account, region)}: never run (no cost); host network mode; a privileged busybox container; ${MAKER_SECRET_VARIABLE.name} as a literal (fake) value`,
  ],
  async create(context) {
    const family = makerTaskFamily(context.account, context.region);
    const ecs = context.clients.get(ECSClient);
    const current = await unlessGone(() => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family })), RESOURCE_GONE_ERRORS.ecs_task_definition, undefined);
    if (stillAsMade(current?.taskDefinition)) return [family];
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        networkMode: 'host',
        requiresCompatibilities: ['EC2'],
        containerDefinitions: [
          { name: 'app', image: 'public.ecr.aws/docker/library/busybox:latest', memory: 32, essential: true, privileged: true, command: ['true'], environment: [{ ...MAKER_SECRET_VARIABLE }] },
        ],
        tags: MAKER_TAGS.map((tag) => ({ key: tag.Key, value: tag.Value })),
      }),
    );
    return [family];
  },
  async teardown(context) {
    const family = makerTaskFamily(context.account, context.region);
    const ecs = context.clients.get(ECSClient);
    const { taskDefinitionArns } = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' }));
    for (const arn of taskDefinitionArns ?? []) await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    return (taskDefinitionArns ?? []).length > 0 ? [family] : [];
  },
};
