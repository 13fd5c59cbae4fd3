import { EC2Client, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { ClientGroups, MAX_CLIENT_GROUPS } from '../../services/core/clientGroups.ts';
import { loadConfig } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';

const ACCOUNTS = Array.from({ length: 10 }, (_, i) => String(217000000001 + i));
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2', 'sa-east-1'];

/** A factory on the sandbox that records every client it makes and every client destroyed. */
function countingFactory(maxClientGroups?: number, latencyMs?: number) {
  const sandbox = new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }), latencyMs ? { latencyMs } : {});
  const made = new Set<unknown>();
  const destroyed = new Set<unknown>();
  const factory = new ClientFactory({
    memberRoleName: 'R',
    assumeRole: true,
    interceptor: sandbox,
    env: {},
    ...(maxClientGroups ? { maxClientGroups } : {}),
    instrument: (client) => {
      made.add(client);
      const destroyable = client as { destroy(): void };
      const destroy = destroyable.destroy.bind(destroyable);
      destroyable.destroy = () => {
        destroyed.add(client);
        destroy();
      };
    },
  });
  return { factory, made, destroyed, live: () => [...made].filter((c) => !destroyed.has(c)).length };
}

const accountRegions = ACCOUNTS.flatMap((account) => REGIONS.map((region) => ({ account, region })));

describe('client eviction', () => {
  it('after 50 account-regions at most maxClientGroups groups are kept and every evicted client is destroyed', async () => {
    const { factory, made, live } = countingFactory(4);
    for (const { account, region } of accountRegions) {
      const clients = factory.forAccount(account, region);
      await clients.get(S3Client).send(new ListBucketsCommand({}));
      await clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({}));
      expect(factory.cachedGroups).toBeLessThanOrEqual(4);
      expect(live()).toBeLessThanOrEqual(4 * 2);
    }
    expect(made.size).toBe(accountRegions.length * 2);
    expect(live()).toBe(4 * 2);
  });

  it('an evicted (account, region) gets new clients transparently, and a held evicted client still works', async () => {
    const { factory, destroyed } = countingFactory(2);
    const first = factory.forAccount(ACCOUNTS[0]!, 'us-east-1');
    const evicted = first.get(S3Client);
    await evicted.send(new ListBucketsCommand({}));
    factory.forAccount(ACCOUNTS[1]!, 'us-east-1').get(S3Client);
    factory.forAccount(ACCOUNTS[2]!, 'us-east-1').get(S3Client);
    expect(destroyed.has(evicted)).toBe(true);
    const again = first.get(S3Client);
    expect(again).not.toBe(evicted);
    expect((await again.send(new ListBucketsCommand({}))).$metadata).toBeDefined();
    expect((await evicted.send(new ListBucketsCommand({}))).$metadata).toBeDefined();
  });

  it('a group evicted while a call is in flight is destroyed only when the call ends', async () => {
    const { factory, destroyed } = countingFactory(1, 100);
    const busy = factory.forAccount(ACCOUNTS[0]!, 'us-east-1').get(S3Client);
    const call = busy.send(new ListBucketsCommand({}));
    await new Promise((resolve) => setTimeout(resolve, 20));
    factory.forAccount(ACCOUNTS[1]!, 'us-east-1').get(S3Client);
    expect(factory.cachedGroups).toBe(1);
    expect(destroyed.has(busy)).toBe(false);
    expect((await call).Buckets).toEqual([]);
    expect(destroyed.has(busy)).toBe(true);
  });

  it('the poller releases each unit\'s clients when it ends: nothing is kept after 50 units', async () => {
    const { factory, made, live } = countingFactory();
    const config = loadConfig({ flags: { accounts: ACCOUNTS, regions: REGIONS, concurrency: 8 }, env: {} });
    const summary = await pollUnits(unitsOf(ACCOUNTS, REGIONS), { config, factory, log: memoryLog(), types: ['s3_bucket', 'security_group'] }, async () => undefined);
    expect(summary.failedUnits).toEqual([]);
    expect(made.size).toBeGreaterThanOrEqual(accountRegions.length * 2);
    expect(factory.cachedGroups).toBe(0);
    expect(live()).toBe(0);
  });

  it('the function\'s own clients are never evicted: a store that holds one keeps its sockets', async () => {
    const { factory, destroyed } = countingFactory(2);
    const own = factory.forSecurityAccount('us-east-1').get(S3Client);
    for (const { account, region } of accountRegions.slice(0, 10)) factory.forAccount(account, region).get(S3Client);
    expect(destroyed.has(own)).toBe(false);
    expect(factory.forSecurityAccount('us-east-1').get(S3Client)).toBe(own);
  });

  it.each([0, -1, Number.NaN])('refuses a cache of %s groups', (capacity) => {
    expect(() => new ClientGroups(capacity)).toThrow(/at least one group/);
  });

  it('keeps MAX_CLIENT_GROUPS by default: above the remediator\'s 8 records x 3 groups and the CLI\'s 64 units', () => {
    expect(MAX_CLIENT_GROUPS).toBeGreaterThanOrEqual(Math.max(8 * 3, 64));
  });
});
