/**
 * ecs_task_definition: the latest ACTIVE revision of each task definition
 * family, as Security Hub's ECS controls judge it: privileged containers
 * (ECS.4), host network mode (ECS.17), secrets in plain environment
 * variables (ECS.8's names, and names holding PASSWORD, SECRET or TOKEN).
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html
 *
 * Why the family's latest ACTIVE revision: it is what a new deployment of
 * the family gets, what the owner fixes by registering a revision, and what
 * Security Hub evaluates; one finding per family then resolves when the
 * fixed revision is registered. Older ACTIVE revisions still run by a
 * service pinned to them are not judged here (they are as many as the
 * family's deployments, and can only be deregistered).
 *
 * Notify-only: a revision is immutable; the fix is a new revision from the
 * owner's pipeline (and a redeployment of what runs the old one).
 *
 * Never in a finding, a summary or the collected state: an environment
 * variable's value. Only the container's and the variable's names are kept.
 *
 * APIs: ListTaskDefinitionFamilies (status ACTIVE, paginated), and
 * DescribeTaskDefinition (the family: its latest ACTIVE revision; include
 * TAGS). CloudTrail: ecs RegisterTaskDefinition (requestParameters.family),
 * DeregisterTaskDefinition, RunTask, CreateService, UpdateService
 * (requestParameters.taskDefinition -> the family).
 */
import { DescribeTaskDefinitionCommand, ECSClient, paginateListTaskDefinitionFamilies, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { ecsTaskDefinitionTriggers } from './triggers/ecsTaskDefinition.ts';

/**
 * ECS.8's names, matched exactly (its secretKeys parameter), beside any
 * name holding PASSWORD, SECRET or TOKEN (issue 15), case-insensitively.
 * https://docs.aws.amazon.com/config/latest/developerguide/ecs-no-environment-secrets.html
 */
export const ECS8_SECRET_KEYS: readonly string[] = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'ECS_ENGINE_AUTH_DATA'];
const SECRET_NAME_PART = /PASSWORD|SECRET|TOKEN/i;

export interface ContainerState {
  name: string;
  privileged: boolean;
  /** Names of environment variables that look like secrets and hold a literal value (never the value). */
  secretVariables: string[];
}

export interface TaskDefinitionState {
  family: string;
  revision: number;
  networkMode?: string;
  containers: ContainerState[];
  tags: Readonly<Record<string, string>>;
}

// ---------- pure ----------

export function looksLikeSecret(name: string): boolean {
  return ECS8_SECRET_KEYS.includes(name) || SECRET_NAME_PART.test(name);
}

/** The container as the checks see it: its secret-looking variables with a literal, non-empty value, by name only. */
export function containerStateOf(container: ContainerDefinition): ContainerState {
  const secretVariables = (container.environment ?? []).flatMap((variable) => (variable.name && variable.value && looksLikeSecret(variable.name) ? [variable.name] : []));
  return { name: container.name ?? '(unnamed)', privileged: container.privileged === true, secretVariables };
}

function revisionOf(state: TaskDefinitionState): string {
  return `${state.family}:${state.revision}`;
}

// ---------- reads ----------

/**
 * The family's latest ACTIVE revision, GONE when it has none: ECS answers
 * ClientException "Unable to describe task definition." (a family never
 * registered, or every revision deregistered).
 */
async function readTaskDefinition(context: ResourceContext): Promise<TaskDefinitionState | Gone> {
  try {
    const { taskDefinition, tags } = await context.clients.get(ECSClient).send(new DescribeTaskDefinitionCommand({ taskDefinition: context.id, include: ['TAGS'] }));
    if (!taskDefinition?.family || taskDefinition.revision === undefined || taskDefinition.status !== 'ACTIVE') return GONE;
    return {
      family: taskDefinition.family,
      revision: taskDefinition.revision,
      ...(taskDefinition.networkMode ? { networkMode: taskDefinition.networkMode } : {}),
      containers: (taskDefinition.containerDefinitions ?? []).map(containerStateOf),
      tags: tagsToRecord((tags ?? []).map((tag) => ({ Key: tag.key, Value: tag.value }))),
    };
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.ecs_task_definition) && /Unable to describe task definition/i.test(error instanceof Error ? error.message : '')) return GONE;
    throw error;
  }
}

// ---------- the auditor ----------

export const ecsTaskDefinitionAuditor = defineAuditor<TaskDefinitionState>({
  type: 'ecs_task_definition',
  scope: 'regional',
  description: 'ECS task definitions (the latest ACTIVE revision of each family): privileged containers, host network mode, secrets in plain environment variables',
  permissions: {
    list: ['ecs:ListTaskDefinitionFamilies'],
    collect: ['ecs:DescribeTaskDefinition'],
  },
  triggers: ecsTaskDefinitionTriggers,

  async *list({ clients }) {
    const client = clients.get(ECSClient);
    // maxResults 1 to 100: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitionFamilies.html
    for await (const page of paginateListTaskDefinitionFamilies({ client, pageSize: 100 }, { status: 'ACTIVE' })) {
      for (const family of page.families ?? []) yield { id: family, name: family };
    }
  },

  collect: (context) => readTaskDefinition(context),

  identity: (state) => ({ tags: state.tags }),

  summarise: (state) => ({ revision: revisionOf(state), containers: state.containers.length }),

  checks: [
    {
      id: 'ecs_task_definition.privileged_container',
      title: 'Task definition runs a privileged container',
      severity: 'high',
      rationale: 'A privileged container has root-like access to its host: whoever compromises it controls the instance and every other task on it.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-4 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['ECS.4'] },
      evaluate(state) {
        const privileged = state.containers.filter((container) => container.privileged).map((container) => container.name);
        return privileged.length === 0 ? undefined : { detail: `${revisionOf(state)}: privileged container${privileged.length === 1 ? '' : 's'} ${privileged.join(', ')}` };
      },
    },
    {
      id: 'ecs_task_definition.host_network_mode',
      title: 'Task definition uses host network mode',
      severity: 'medium',
      rationale: "In host network mode a container shares its host's network stack: it can reach the host's loopback services and impersonate the host, outside the task's security groups.",
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-17
      controls: { none: 'ECS.17 (host network mode) belongs to Security Hub\'s NIST SP 800-53 Rev. 5 standard only, neither to FSBP nor to CIS v3.0.0' },
      evaluate(state) {
        return state.networkMode === 'host' ? { detail: `${revisionOf(state)}: networkMode host` } : undefined;
      },
    },
    {
      id: 'ecs_task_definition.secrets_in_environment',
      title: 'Task definition passes secrets in plain environment variables',
      severity: 'high',
      rationale:
        "A literal value in a container's environment is readable by anyone who may describe the task definition, stays in every revision and in the CloudTrail record of its registration; the secrets parameter (Secrets Manager or Parameter Store) injects it at start instead.",
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['ECS.8'] },
      evaluate(state) {
        const found = state.containers.filter((container) => container.secretVariables.length > 0).map((container) => `container ${container.name}: ${container.secretVariables.join(', ')}`);
        return found.length === 0 ? undefined : { detail: `${revisionOf(state)}: literal values in environment variables named like secrets (${found.join('; ')})` };
      },
    },
  ],

  // Notify-only: see the header.
  remediations: {},
});
