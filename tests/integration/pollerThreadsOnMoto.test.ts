/**
 * `poller --threads 2` on moto: the poll threads make their clients as a
 * deployed function does (the SDK's default chain, AWS_ENDPOINT_URL, the
 * member role assumed per account) and every account's resources reach the
 * one sink of the main thread.
 */
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { defaultUnitConcurrency } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { runPoller } from '../../services/poller/cli.ts';
import { motoEnvironment } from './moto.ts';

const ACCOUNTS = ['270000000001', '270000000002', '270000000003'];
const REGIONS = ['us-east-1', 'eu-west-1'];

describe('poller --threads on moto (integration)', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('two threads list every account\'s queues in every region, each account\'s role assumed by one thread', { timeout: 120_000 }, async () => {
    const factory = new ClientFactory({ memberRoleName: 'ComplianceAuditorMemberRole', assumeRole: true, env: process.env });
    for (const account of ACCOUNTS) {
      for (const region of REGIONS) await factory.forAccount(account, region).get(SQSClient).send(new CreateQueueCommand({ QueueName: `threads-${account.slice(-1)}` }));
    }
    const messages: ResourceMessage[] = [];
    const log = memoryLog();
    const code = await runPoller(['--accounts', ACCOUNTS.join(','), '--regions', REGIONS.join(','), '--types', 'sqs', '--threads', '2'], { stdout: async (batch) => void messages.push(...batch), log });
    expect(code).toBe(0);
    expect(log.lines.map((line) => line.message)).toContain(`2 poll threads, ${defaultUnitConcurrency()} units at once in all`);
    const expected = ACCOUNTS.flatMap((account) => REGIONS.map((region) => `${account}/${region}/sqs/threads-${account.slice(-1)}`));
    expect(messages.map((m) => `${m.account}/${m.region}/${m.type}/${m.id.split('/').pop()}`).sort()).toEqual(expected.sort());
  });
});
