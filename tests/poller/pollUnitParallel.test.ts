/**
 * One poll unit lists its types at once, one service at a time per throttle
 * bucket, and sends its messages from one buffer, 10 per batch.
 */
import type { MiddlewareStack } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { AUDITORS } from '../../auditors/registry.ts';
import { makeMisconfigurations } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { listingServiceOf, pollUnit } from '../../services/poller/pollUnit.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import { ACCOUNT, NOW, REGION, makeConfig } from '../helpers/context.ts';

interface Call {
  client: string;
  start: number;
  end: number;
}

/** A sandbox organization with latency whose clients record when each call ran. */
async function world(latencyMs: number) {
  const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT], regions: [REGION] }), { latencyMs, now: () => NOW });
  const calls: Call[] = [];
  const instrumented = new WeakSet<object>();
  const factory = new ClientFactory({
    memberRoleName: 'R',
    assumeRole: true,
    interceptor: sandbox,
    env: {},
    instrument: (client) => {
      const stacked = client as { middlewareStack: MiddlewareStack<object, object> };
      if (instrumented.has(stacked)) return;
      instrumented.add(stacked);
      stacked.middlewareStack.add(
        (next, context) => async (args) => {
          const call = { client: String((context as { clientName?: string }).clientName), start: performance.now(), end: Number.POSITIVE_INFINITY };
          calls.push(call);
          try {
            return await next(args);
          } finally {
            call.end = performance.now();
          }
        },
        { step: 'initialize', name: 'recordCallTimes' },
      );
    },
  });
  const config = makeConfig({ accounts: [ACCOUNT], regions: [REGION] });
  await makeMisconfigurations({ account: ACCOUNT, region: REGION }, { config, factory, log: memoryLog() });
  calls.length = 0;
  return { factory, config, calls };
}

const overlaps = (a: Call, b: Call) => a.start < b.end && b.start < a.end;

describe('pollUnit: types in parallel, one caller per service bucket, one buffer', () => {
  it('EC2 types (instances, images, snapshots, security groups) share the ec2 bucket; other services have their own', () => {
    const byType = Object.fromEntries(AUDITORS.map((auditor) => [auditor.type, listingServiceOf(auditor)]));
    expect([byType.ec2, byType.ami, byType.ebs_snapshot, byType.security_group]).toEqual(['ec2', 'ec2', 'ec2', 'ec2']);
    expect(byType.s3_bucket).toBe('s3');
    expect(byType.rds).toBe('rds');
  });

  it('lists several services at once, never two calls of one service at once, and sends 10 per batch from one buffer', async () => {
    const { factory, config, calls } = await world(15);
    const batches: ResourceMessage[][] = [];
    const started = performance.now();
    const report = await pollUnit({ account: ACCOUNT, region: REGION }, { config, factory, log: memoryLog() }, async (messages) => {
      batches.push(messages);
    });
    const wall = performance.now() - started;

    expect(report.failures).toEqual([]);
    const listed = batches.flat();
    expect(report.listed).toBe(listed.length);
    expect(new Set(listed.map((m) => m.type)).size).toBeGreaterThan(5);
    // One buffer: every batch but the last is full, whatever type filled it.
    expect(batches.slice(0, -1).every((batch) => batch.length === 10)).toBe(true);
    expect(batches.length).toBe(Math.ceil(listed.length / 10));
    // One caller per service bucket inside the unit.
    const byClient = new Map<string, Call[]>();
    for (const call of calls) byClient.set(call.client, [...(byClient.get(call.client) ?? []), call]);
    for (const [client, serviceCalls] of byClient) {
      const concurrent = serviceCalls.flatMap((a, i) => serviceCalls.slice(i + 1).filter((b) => overlaps(a, b)).map((b) => [a, b]));
      expect({ client, concurrent: concurrent.length }).toEqual({ client, concurrent: 0 });
    }
    // Services overlap: the unit takes far less than its calls one after another.
    const serial = calls.reduce((sum, call) => sum + (call.end - call.start), 0);
    expect(calls.some((a) => calls.some((b) => a.client !== b.client && overlaps(a, b)))).toBe(true);
    expect(wall).toBeLessThan(serial * 0.6);
  });

  it('a failing sink stops the unit with its error, and no type sends again', async () => {
    const { factory, config } = await world(0);
    let sends = 0;
    const refused = new Error('SQS refused the batch');
    await expect(
      pollUnit({ account: ACCOUNT, region: REGION }, { config, factory, log: memoryLog() }, async () => {
        sends += 1;
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(sends).toBe(1);
  });
});
