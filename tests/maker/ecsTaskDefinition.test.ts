import { DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ecsTaskDefinitionAuditor } from '../../auditors/ecsTaskDefinition.ts';
import { MAKER_SECRET_VARIABLE, ecsTaskDefinitionMaker, makerTaskFamily } from '../../misconfiguration-maker/entries/ecsTaskDefinition.ts';
import { ACCOUNT, REGION } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext } from './makerHarness.ts';

const FAMILY = makerTaskFamily(ACCOUNT, REGION);

describe('ecs_task_definition maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  it('plans one family that is never run', () => {
    expect(ecsTaskDefinitionMaker.plan(ACCOUNT, REGION)).toEqual([expect.stringMatching(new RegExp(`^ECS task definition ${FAMILY}: never run \\(no cost\\)`))]);
  });

  it('registers a tagged revision that fails exactly what provokes() says, without the fake secret in any finding', async () => {
    const context = makerContext(organization);
    expect(await ecsTaskDefinitionMaker.create(context)).toEqual([FAMILY]);

    const audited = await auditListed(ecsTaskDefinitionAuditor, context);
    expect(audited.map((r) => [r.id, r.maker])).toEqual([[FAMILY, true]]);
    expect(failedCheckIds(audited)).toEqual([...ecsTaskDefinitionMaker.provokes(context.config)].sort());
    expect(JSON.stringify(audited)).not.toContain(MAKER_SECRET_VARIABLE.value);
  });

  it('a second run registers no new revision; one after a fixed revision registers the misconfiguration again', async () => {
    const context = makerContext(organization);
    const ecs = context.clients.get(ECSClient);
    await ecsTaskDefinitionMaker.create(context);
    await ecsTaskDefinitionMaker.create(context);
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }))).taskDefinition?.revision).toBe(1);

    await ecs.send(new RegisterTaskDefinitionCommand({ family: FAMILY, containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/docker/library/busybox:latest', memory: 32 }] }));
    expect(failedCheckIds(await auditListed(ecsTaskDefinitionAuditor, context))).toEqual([]);
    await ecsTaskDefinitionMaker.create(context);
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }))).taskDefinition?.revision).toBe(3);
    expect(failedCheckIds(await auditListed(ecsTaskDefinitionAuditor, context))).toEqual([...ecsTaskDefinitionMaker.provokes(context.config)].sort());
  });

  it('teardown deregisters every ACTIVE revision: nothing is listed after, and a second teardown removes nothing', async () => {
    const context = makerContext(organization);
    await ecsTaskDefinitionMaker.create(context);

    expect(await ecsTaskDefinitionMaker.teardown(context)).toEqual([FAMILY]);
    expect(await auditListed(ecsTaskDefinitionAuditor, context)).toEqual([]);
    expect(await ecsTaskDefinitionMaker.teardown(context)).toEqual([]);
  });
});
