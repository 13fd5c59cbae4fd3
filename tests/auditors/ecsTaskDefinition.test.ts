import { DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionFamiliesCommand, type ContainerDefinition, type TaskDefinition } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type AuditSummary, type FailedCheck, type Gone, type NotReady } from '../../auditors/contract.ts';
import { ecsTaskDefinitionAuditor } from '../../auditors/ecsTaskDefinition.ts';
import { SERVICE_STACK_TAG } from '../../services/core/selfProtection.ts';
import { ACCOUNT, REGION, awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const ecs = mockClient(ECSClient);
const FAMILY = 'billing-api';
const SECRET_VALUE = 'hunter2-Prod-7f3a9c';
const ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:7`;

function container(overrides: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {
    name: 'billing',
    image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/billing:2026.11.20`,
    cpu: 0,
    portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
    essential: true,
    environment: [{ name: 'LOG_LEVEL', value: 'info' }],
    mountPoints: [],
    volumesFrom: [],
    secrets: [{ name: 'DB_PASSWORD', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:billing/db-AbCdEf` }],
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/billing-api', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' } },
    ...overrides,
  };
}

/** DescribeTaskDefinition's taskDefinition for a compliant Fargate revision, as ECS answers it. */
function taskDefinition(overrides: Partial<TaskDefinition> = {}): TaskDefinition {
  return {
    taskDefinitionArn: ARN,
    containerDefinitions: [container()],
    family: FAMILY,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    networkMode: 'awsvpc',
    revision: 7,
    volumes: [],
    status: 'ACTIVE',
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.ecr-auth' }],
    placementConstraints: [],
    compatibilities: ['EC2', 'FARGATE'],
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    registeredAt: new Date('2026-11-20T16:02:11.000Z'),
    registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`,
    ...overrides,
  };
}

function given(overrides: Partial<TaskDefinition> = {}, tags = [{ key: 'team', value: 'billing' }]): void {
  ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: FAMILY, include: ['TAGS'] }).resolves({ taskDefinition: taskDefinition(overrides), tags });
}

async function audit(): Promise<{ result: FailedCheck[] | Gone | NotReady; summary: AuditSummary | undefined }> {
  let summary: AuditSummary | undefined;
  const result = await ecsTaskDefinitionAuditor.audit(makeResourceContext(FAMILY), makeCheckContext(FAMILY), (made) => {
    summary = made;
  });
  return { result, summary };
}

async function failed(): Promise<[string, string][]> {
  return failedChecksOf((await audit()).result).map((f) => [f.check.id, f.violation.detail]);
}

describe('ecs_task_definition auditor', () => {
  beforeEach(() => ecs.reset());

  it('declares its reads, the ECS triggers, ECS.4 and ECS.8 (ECS.17 is NIST only: none), and no remediation', () => {
    expect(ecsTaskDefinitionAuditor.permissions).toEqual({ list: ['ecs:ListTaskDefinitionFamilies'], collect: ['ecs:DescribeTaskDefinition'] });
    expect(ecsTaskDefinitionAuditor.triggers.map((t) => [t.eventNames, t.idPath])).toEqual([
      [['RegisterTaskDefinition'], 'requestParameters.family'],
      [['DeregisterTaskDefinition', 'RunTask'], 'requestParameters.taskDefinition'],
      [['CreateService', 'UpdateService'], 'requestParameters.taskDefinition'],
    ]);
    const transform = ecsTaskDefinitionAuditor.triggers[1]?.transformId;
    expect([ARN, `${FAMILY}:7`, FAMILY].map((value) => transform?.(value, {}))).toEqual([FAMILY, FAMILY, FAMILY]);
    expect(ecsTaskDefinitionAuditor.checks.map((c) => [c.id, c.severity, c.controls])).toEqual([
      ['ecs_task_definition.privileged_container', 'high', { fsbp: ['ECS.4'] }],
      ['ecs_task_definition.host_network_mode', 'medium', { none: expect.stringContaining('ECS.17') }],
      ['ecs_task_definition.secrets_in_environment', 'high', { fsbp: ['ECS.8'] }],
    ]);
    expect(ecsTaskDefinitionAuditor.remediations).toEqual({});
  });

  it('list asks for families with an ACTIVE revision, 100 a page, following nextToken', async () => {
    const token = 'eyJmYW1pbHkiOiJiaWxsaW5nLWFwaSJ9';
    ecs.on(ListTaskDefinitionFamiliesCommand, { nextToken: undefined }).resolves({ families: [FAMILY, 'orders-worker'], nextToken: token });
    ecs.on(ListTaskDefinitionFamiliesCommand, { nextToken: token }).resolves({ families: ['reports-cron'] });
    expect(await collectAll(ecsTaskDefinitionAuditor.list(makeListContext()))).toEqual([
      { id: FAMILY, name: FAMILY },
      { id: 'orders-worker', name: 'orders-worker' },
      { id: 'reports-cron', name: 'reports-cron' },
    ]);
    expect(ecs.commandCalls(ListTaskDefinitionFamiliesCommand).map((c) => [c.args[0].input.status, c.args[0].input.maxResults])).toEqual([
      ['ACTIVE', 100],
      ['ACTIVE', 100],
    ]);
  });

  it.each<[string, Partial<TaskDefinition>, [string, string][]]>([
    ['awsvpc, unprivileged, the password from Secrets Manager (secrets valueFrom)', {}, []],
    ['bridge network mode', { networkMode: 'bridge', requiresCompatibilities: ['EC2'] }, []],
    ['privileged false set explicitly', { containerDefinitions: [container({ privileged: false })] }, []],
    ['a secret-looking name with an empty value', { containerDefinitions: [container({ environment: [{ name: 'API_TOKEN', value: '' }] })] }, []],
    ['a privileged container', { containerDefinitions: [container(), container({ name: 'sidecar', privileged: true })] }, [['ecs_task_definition.privileged_container', `${FAMILY}:7: privileged container sidecar`]]],
    ['host network mode', { networkMode: 'host', requiresCompatibilities: ['EC2'] }, [['ecs_task_definition.host_network_mode', `${FAMILY}:7: networkMode host`]]],
    [
      'secrets in plain environment variables: the issue\'s names (any case) and ECS.8\'s exact names',
      {
        containerDefinitions: [
          container({ environment: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD', value: SECRET_VALUE }, { name: 'stripe_secret_key', value: SECRET_VALUE }] }),
          container({ name: 'worker', environment: [{ name: 'GITHUB_TOKEN', value: SECRET_VALUE }, { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' }, { name: 'ECS_ENGINE_AUTH_DATA', value: SECRET_VALUE }] }),
        ],
      },
      [
        [
          'ecs_task_definition.secrets_in_environment',
          `${FAMILY}:7: literal values in environment variables named like secrets (container billing: DB_PASSWORD, stripe_secret_key; container worker: GITHUB_TOKEN, AWS_ACCESS_KEY_ID, ECS_ENGINE_AUTH_DATA)`,
        ],
      ],
    ],
  ])('%s', async (_case, overrides, expected) => {
    given(overrides);
    expect(await failed()).toEqual(expected);
  });

  it('never puts a variable\'s value in a finding, the summary or anything the audit returns', async () => {
    given({ networkMode: 'host', containerDefinitions: [container({ privileged: true, environment: [{ name: 'DB_PASSWORD', value: SECRET_VALUE }] })] });
    const { result, summary } = await audit();
    expect(failedChecksOf(result).map((f) => f.check.id)).toEqual(['ecs_task_definition.privileged_container', 'ecs_task_definition.host_network_mode', 'ecs_task_definition.secrets_in_environment']);
    expect(JSON.stringify(result)).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(summary)).not.toContain(SECRET_VALUE);
    expect(summary).toEqual({ revision: `${FAMILY}:7`, containers: 1 });
  });

  it('the tags (include TAGS) identify it: the service\'s own task definition is reported, never remediated', async () => {
    given({ networkMode: 'host' }, [{ key: SERVICE_STACK_TAG.key, value: SERVICE_STACK_TAG.value }]);
    const [finding] = failedChecksOf((await audit()).result);
    expect(finding?.tags).toEqual({ [SERVICE_STACK_TAG.key]: SERVICE_STACK_TAG.value });
    expect(finding?.protectedBecause).toMatch(/service's own tag/);
  });

  it.each([
    ['the family has no ACTIVE revision (ClientException "Unable to describe task definition.")', () => ecs.on(DescribeTaskDefinitionCommand).rejects(awsError('ClientException', 400, 'Unable to describe task definition.'))],
    ['ECS answers an INACTIVE revision', () => given({ status: 'INACTIVE' })],
  ])('gone when %s', async (_case, setup) => {
    setup();
    expect((await audit()).result).toBe(GONE);
  });

  it.each([
    ['another ClientException (a malformed family)', awsError('ClientException', 400, 'Family contains invalid characters.'), /Family contains invalid characters/],
    ['AccessDeniedException', awsError('AccessDeniedException', 400), /AccessDeniedException/],
  ])('%s propagates: it is no deletion', async (_case, error, message) => {
    ecs.on(DescribeTaskDefinitionCommand).rejects(error);
    await expect(audit()).rejects.toThrow(message);
  });
});
