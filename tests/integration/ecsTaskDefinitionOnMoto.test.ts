/**
 * ecs_task_definition against moto, in an account of this file's own
 * (291515000002) reached by AssumeRole: the maker's family is listed, its
 * latest revision fails exactly what the maker declares (and no finding
 * carries the fake secret's value), and after teardown nothing is found.
 * Where moto differs from AWS the gaps say so.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GONE } from '../../auditors/contract.ts';
import { ecsTaskDefinitionAuditor } from '../../auditors/ecsTaskDefinition.ts';
import { MAKER_SECRET_VARIABLE, ecsTaskDefinitionMaker, makerTaskFamily } from '../../misconfiguration-maker/entries/ecsTaskDefinition.ts';
import type { MakerContext } from '../../misconfiguration-maker/makerContract.ts';
import { memoryLog } from '../../services/core/log.ts';
import { collectAll, makeCheckContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';
import { motoGap } from './gaps.ts';
import { motoEnvironment } from './moto.ts';
import { motoPipeline } from './motoPipeline.ts';

const ACCOUNT = '291515000002';
const REGION = 'us-east-1';
const FAMILY = makerTaskFamily(ACCOUNT, REGION);
const GAPS_MET = [motoGap('moto-ecs-latest-revision-ignores-status'), motoGap('moto-ecs-families-ignore-status')];

describe(`ecs_task_definition on moto (integration; gaps met: ${GAPS_MET.map((g) => g.id).join(', ')})`, () => {
  let context: MakerContext;
  const audit = () => ecsTaskDefinitionAuditor.audit({ ...context, id: FAMILY }, makeCheckContext(FAMILY, { account: ACCOUNT, region: REGION }));
  const listed = async () => (await collectAll(ecsTaskDefinitionAuditor.list(context))).map((r) => r.id);

  beforeAll(async () => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
    const pipeline = motoPipeline({ byRole: [ACCOUNT], regions: [REGION] });
    context = { account: ACCOUNT, region: REGION, clients: pipeline.factory.forAccount(ACCOUNT, REGION), config: pipeline.config, log: memoryLog() };
    expect(await ecsTaskDefinitionMaker.create(context)).toEqual([FAMILY]);
  }, 60_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('the family is listed and fails exactly what the maker declares, and no finding carries the value', async () => {
    expect(await listed()).toEqual([FAMILY]);
    const result = await audit();
    expect(failedChecksOf(result).map((f) => f.check.id).sort()).toEqual([...ecsTaskDefinitionMaker.provokes(context.config)].sort());
    expect(JSON.stringify(result)).not.toContain(MAKER_SECRET_VARIABLE.value);
  });

  it('a second create registers no revision', async () => {
    expect(await ecsTaskDefinitionMaker.create(context)).toEqual([FAMILY]);
    expect(failedChecksOf(await audit()).map((f) => f.check.id).sort()).toEqual([...ecsTaskDefinitionMaker.provokes(context.config)].sort());
  });

  it('after teardown moto still lists the family (gap), whose audit is gone; a second teardown removes nothing', async () => {
    expect(await ecsTaskDefinitionMaker.teardown(context)).toEqual([FAMILY]);
    expect(await listed()).toEqual([FAMILY]);
    expect(await audit()).toBe(GONE);
    expect(await ecsTaskDefinitionMaker.teardown(context)).toEqual([]);
  });
});
