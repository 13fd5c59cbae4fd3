/**
 * The benchmark's own arithmetic and counters (not its timings): the lower
 * bound of known call counts, AWS's token buckets as the bench enforces them,
 * what the counters say against what the sandbox and an independent
 * observer saw, and the stack settings read from a packaged template.
 */
import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { MiddlewareStack } from '@smithy/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig } from '../../services/core/config.ts';
import { sendToQueue } from '../../services/core/queueSender.ts';
import { BENCH_CREDENTIALS_ENV, BenchAws } from '../../scripts/bench/benchAws.ts';
import { mergeSnapshots, type CounterSnapshot } from '../../scripts/bench/callCounters.ts';
import { BenchUsageError, parseBenchOptions } from '../../scripts/bench/benchOptions.ts';
import { bucketBoundMs, latencyBoundMs, lowerBound, ratioToBound, unitSlowdown, type UnitCalls } from '../../scripts/bench/lowerBound.ts';
import { spreadSample } from '../../scripts/bench/remediatorBench.ts';
import { stackSettingsOf } from '../../scripts/bench/stackSettings.ts';
import { median } from '../../scripts/bench/statistics.ts';
import { bucketOf } from '../../scripts/bench/throttleLimits.ts';

const ACCOUNTS = ['260000000001', '260000000002'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const CREDENTIALS = { accessKeyId: 'AKIABENCHTEST0000000', secretAccessKey: 'bench' };

const unit = (name: string, callsByService: Record<string, number>): UnitCalls => ({ unit: name, callsByService });

describe('lower bound arithmetic', () => {
  it.each([
    // [what, units, latency, parallelism, expected latency bound]
    ['one unit: its longest chain, not the sum of its services', [unit('a', { EC2: 6, S3: 2 })], 50, 8, 300],
    ['two units, one at a time: the chains add up', [unit('a', { EC2: 6, S3: 2 }), unit('b', { EC2: 4 })], 50, 1, 500],
    ['two units at once: the longest unit', [unit('a', { EC2: 6, S3: 2 }), unit('b', { EC2: 4 })], 50, 2, 300],
    ['ten equal units, four at a time: total / parallelism', Array.from({ length: 10 }, (_, i) => unit(String(i), { RDS: 4, IAM: 2 })), 50, 4, 500],
    ['no latency: no latency bound', [unit('a', { EC2: 6 })], 0, 1, 0],
    ['no units', [], 50, 4, 0],
  ] as const)('%s', (_what, units, latency, parallelism, expected) => {
    expect(latencyBoundMs(units, latency, parallelism)).toBe(expected);
  });

  it.each([
    ['within the burst: no wait', 100, 100, 20, 0],
    ['30 past a burst of 100 at 20/s: 1.5 s', 130, 100, 20, 1500],
    ['RDS: 336 calls, burst 300, 12/s: 3 s', 336, 300, 12, 3000],
  ])('bucket bound, %s', (_what, calls, burst, ratePerSecond, expected) => {
    expect(bucketBoundMs([{ key: 'k', calls, rule: { burst, ratePerSecond } }])).toBe(expected);
  });

  it('the bound is the larger of the two terms, and the slowest bucket counts', () => {
    const buckets = [
      { key: 'fast', calls: 120, rule: { burst: 100, ratePerSecond: 20 } },
      { key: 'slow', calls: 400, rule: { burst: 300, ratePerSecond: 12 } },
    ];
    expect(lowerBound([unit('a', { EC2: 6 })], buckets, 50, 1)).toEqual({ latencyBoundMs: 300, bucketBoundMs: (100 / 12) * 1000, boundMs: (100 / 12) * 1000, longestChainCalls: 6, parallelism: 1 });
    expect(lowerBound([unit('a', { EC2: 600 })], buckets, 50, 1).boundMs).toBe(30_000);
  });

  it.each([
    [1000, 500, 2],
    [500, 500, 1],
    [0, 0, 1],
    [10, 0, Number.POSITIVE_INFINITY],
  ])('ratio of %d ms to a bound of %d ms is %d', (measured, bound, ratio) => {
    expect(ratioToBound(measured, bound)).toBe(ratio);
  });

  it("a unit's slowdown is the units' wall times over their chains, added up", () => {
    const units = [unit('a', { EC2: 6, S3: 2 }), unit('b', { EC2: 4 })];
    expect(unitSlowdown(units, 50, 600)).toBe(1.2);
    expect(unitSlowdown(units, 50, 500)).toBe(1);
    expect(unitSlowdown([], 50, 0)).toBe(1);
  });

  it('refuses a parallelism below 1', () => {
    expect(() => latencyBoundMs([unit('a', { EC2: 1 })], 50, 0)).toThrow(/parallelism/);
  });
});

describe('the buckets AWS documents', () => {
  it.each([
    ['EC2', 'DescribeInstances', 'a/r/EC2/DescribeInstances', 100, 20],
    ['EC2', 'DescribeVolumes', 'a/r/EC2/DescribeVolumes', 100, 20],
    ['RDS', 'DescribeDBInstances', 'a/r/RDS', 300, 12],
    ['RDS', 'DescribeDBSnapshots', 'a/r/RDS', 300, 12],
    ['Lambda', 'ListFunctions', 'a/r/Lambda/control', 15, 15],
    ['Lambda', 'GetFunction', 'a/r/Lambda/GetFunction', 100, 100],
  ])('%s %s takes from %s (burst %d, %d/s)', (service, operation, key, burst, ratePerSecond) => {
    expect(bucketOf(service, operation, 'a', 'r')).toEqual({ key, rule: expect.objectContaining({ burst, ratePerSecond }) });
  });

  it.each([
    ['EC2', 'RunInstances'],
    ['S3', 'ListBuckets'],
    ['IAM', 'ListUsers'],
  ])('%s %s is not throttled (no published rate, or mutating)', (service, operation) => {
    expect(bucketOf(service, operation, 'a', 'r')).toBeUndefined();
  });
});

describe('the bench AWS counts what it answered', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(BENCH_CREDENTIALS_ENV)) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function world(now?: () => number) {
    const aws = new BenchAws(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }), { latencyMs: 0, throttle: true, ...(now ? { now } : {}) });
    const ec2 = (account: string, region: string) => {
      const client = new EC2Client({ region, maxAttempts: 1, credentials: CREDENTIALS });
      aws.instrument(client, account, region);
      return client;
    };
    return { aws, ec2 };
  }

  it('throttles EC2 describe calls past 100 at once, then lets 20 per second through', async () => {
    let clock = 0;
    const { aws, ec2 } = world(() => clock);
    const client = ec2(ACCOUNTS[0] as string, 'us-east-1');
    const outcomes = async (count: number) => {
      const settled = await Promise.allSettled(Array.from({ length: count }, () => client.send(new DescribeInstancesCommand({}))));
      return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as Error).name));
    };
    const first = await outcomes(101);
    expect(first.filter((o) => o === 'ok')).toHaveLength(100);
    expect(first.at(-1)).toBe('RequestLimitExceeded');
    clock += 1000;
    const second = await outcomes(21);
    expect(second.filter((o) => o === 'ok')).toHaveLength(20);
    // Another API has its own bucket; another region too.
    await expect(client.send(new DescribeVolumesCommand({}))).resolves.toBeDefined();
    await expect(ec2(ACCOUNTS[0] as string, 'eu-west-1').send(new DescribeInstancesCommand({}))).resolves.toBeDefined();
    const counters = aws.counters.snapshot();
    expect(counters.callsByService).toEqual({ EC2: 124 });
    expect(counters.throttledByService).toEqual({ EC2: 2 });
    expect(counters.buckets.find((b) => b.key === `${ACCOUNTS[0]}/us-east-1/EC2/DescribeInstances`)?.calls).toBe(120);
    expect(aws.sandbox.calls).toBe(122);
  });

  it('a tiny organization with known calls per unit gives the expected bound', async () => {
    const { aws, ec2 } = world();
    const [a, b] = ACCOUNTS as [string, string];
    for (let i = 0; i < 3; i += 1) await ec2(a, 'us-east-1').send(new DescribeInstancesCommand({}));
    for (let i = 0; i < 2; i += 1) await ec2(b, 'us-east-1').send(new DescribeInstancesCommand({}));
    const s3 = new S3Client({ region: 'us-east-1', maxAttempts: 1, credentials: CREDENTIALS });
    aws.instrument(s3, a, 'us-east-1');
    await s3.send(new ListBucketsCommand({}));
    const counters = aws.counters.snapshot();
    expect(counters.units).toEqual([unit(`${a}/us-east-1`, { EC2: 3, S3: 1 }), unit(`${b}/us-east-1`, { EC2: 2 })]);
    expect(lowerBound(counters.units, counters.buckets, 50, 1).boundMs).toBe(250);
    expect(lowerBound(counters.units, counters.buckets, 50, 2).boundMs).toBe(150);
  });

  it('counts every AssumeRole the client factory makes, as an observer of the STS clients sees them', async () => {
    const aws = new BenchAws(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }), { latencyMs: 0, throttle: true });
    const config = loadConfig({ flags: { accounts: ACCOUNTS, regions: REGIONS, externalId: 'bench-test-external-id' } });
    const observed: string[] = [];
    // The factory the bench builds, plus an observer of every command before the bench answers it.
    const factory = new ClientFactory({
      ...config,
      assumeRole: true,
      env: {},
      instrument: (client, account, region) => {
        (client as { middlewareStack: MiddlewareStack<object, object> }).middlewareStack.add(
          (next, context) => async (args) => {
            observed.push(`${account} ${(context as { commandName?: string }).commandName}`);
            return next(args);
          },
          { step: 'initialize', name: 'benchTestObserver' },
        );
        aws.instrument(client, account, region);
      },
    });
    for (let round = 0; round < 2; round += 1) {
      for (const account of ACCOUNTS) for (const region of REGIONS) await factory.forAccount(account, region).get(EC2Client).send(new DescribeInstancesCommand({}));
    }
    const counters = aws.counters.snapshot();
    const assumed = observed.filter((line) => line.endsWith('AssumeRoleCommand'));
    expect(assumed.length).toBeGreaterThan(0);
    expect(counters.assumeRoleCalls).toBe(assumed.length);
    expect(counters.assumeRoleByAccount).toEqual(Object.fromEntries(ACCOUNTS.map((account) => [account, assumed.filter((line) => line.startsWith(account)).length])));
    expect(counters.callsByService).toEqual({ EC2: 2 * ACCOUNTS.length * REGIONS.length, STS: assumed.length });
  });

  it('counts the messages the security account queues accept, and keeps them in order', async () => {
    const aws = new BenchAws(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }), { latencyMs: 0, throttle: true });
    const factory = aws.factory(loadConfig({ flags: { accounts: ACCOUNTS, regions: REGIONS } }));
    const url = 'https://sqs.us-east-1.amazonaws.com/111111111111/bench-test';
    const bodies = Array.from({ length: 25 }, (_, i) => `{"n":${i}}`);
    await sendToQueue(factory.forSecurityAccount('us-east-1'), url, bodies.map((body) => ({ body })));
    const counters = aws.counters.snapshot();
    expect(counters.sendMessageBatchCalls).toBe(3);
    expect(counters.messagesByQueue).toEqual({ [url]: 25 });
    expect(counters.callsByService).toEqual({ SQS: 3 });
    expect([...aws.queue(url).all()].sort()).toEqual([...bodies].sort());
    expect(aws.queue(url).take(10)).toHaveLength(10);
    expect(aws.queue(url).waiting).toBe(15);
  });
});

describe('counters of several threads', () => {
  const rule = { burst: 100, ratePerSecond: 20 };
  const snapshot = (account: string, ec2: number, assumed: number): CounterSnapshot => ({
    callsByService: { EC2: ec2, STS: assumed },
    throttledByService: ec2 > 5 ? { EC2: 1 } : {},
    assumeRoleCalls: assumed,
    assumeRoleByAccount: { [account]: assumed },
    sendMessageBatchCalls: 0,
    messagesByQueue: {},
    notificationsPublished: 0,
    sandboxAnswerMs: ec2,
    units: [{ unit: `${account}/us-east-1`, callsByService: { EC2: ec2 } }],
    buckets: [{ key: `${account}/us-east-1/EC2/describe`, calls: ec2, rule }, { key: 'self/us-east-1/SQS', calls: 1, rule }],
  });

  it('add up by service, account, unit and bucket, so the bound is the one a single view would give', () => {
    const merged = mergeSnapshots([snapshot('111111111111', 6, 1), snapshot('222222222222', 4, 1)]);
    expect(merged.callsByService).toEqual({ EC2: 10, STS: 2 });
    expect(merged.throttledByService).toEqual({ EC2: 1 });
    expect(merged.assumeRoleCalls).toBe(2);
    expect(merged.assumeRoleByAccount).toEqual({ '111111111111': 1, '222222222222': 1 });
    expect(merged.sandboxAnswerMs).toBe(10);
    expect(merged.units).toEqual([
      { unit: '111111111111/us-east-1', callsByService: { EC2: 6 } },
      { unit: '222222222222/us-east-1', callsByService: { EC2: 4 } },
    ]);
    expect(merged.buckets.find((bucket) => bucket.key === 'self/us-east-1/SQS')?.calls).toBe(2);
    expect(lowerBound(merged.units, merged.buckets, 50, 1).latencyBoundMs).toBe((6 + 4) * 50);
  });
});

describe('stack settings from the packaged template', () => {
  const template = {
    Resources: {
      PollWorkerLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 20 } },
      PollWorkerEventSourceMappingSQSPollQueue: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { BatchSize: 1 } },
      RemediatorLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 50 } },
      RemediatorEventSourceMappingSQSResourceQueue: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { BatchSize: 10, MaximumBatchingWindowInSeconds: 5 } },
    },
  };

  it('reads reserved concurrency and batch settings', () => {
    expect(stackSettingsOf(template)).toEqual({
      pollWorker: { reservedConcurrency: 20, batchSize: 1, maximumBatchingWindowSeconds: 0 },
      remediator: { reservedConcurrency: 50, batchSize: 10, maximumBatchingWindowSeconds: 5 },
    });
  });

  it('refuses a template whose function has no reserved concurrency', () => {
    const unreserved = { ...template.Resources, RemediatorLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} } };
    expect(() => stackSettingsOf({ Resources: unreserved })).toThrow(/Remediator no reservedConcurrency/);
  });
});

describe('statistics', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('spreads a sample over the whole list', () => {
    expect(spreadSample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5)).toEqual([0, 2, 4, 6, 8]);
    expect(spreadSample([1, 2], 5)).toEqual([1, 2]);
  });
});

describe('bench flags', () => {
  it('defaults to 20 accounts x 4 regions, 5 resources, 50 ms', () => {
    expect(parseBenchOptions([])).toEqual({ accounts: 20, regions: ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'], resources: 5, latencyMs: 50, remediatorMessages: 2000, help: false });
  });

  it('--regions 17: the 17 regions enabled by default, home region first, each once', () => {
    const { regions } = parseBenchOptions(['--regions', '17']);
    expect(regions).toHaveLength(17);
    expect(new Set(regions).size).toBe(17);
    expect(regions[0]).toBe('us-east-1');
  });

  it('reads every flag', () => {
    expect(parseBenchOptions(['--accounts', '500', '--regions', '2', '--resources', '1', '--latency', '0', '--remediator-messages', '10', '--help'])).toEqual({
      accounts: 500,
      regions: ['us-east-1', 'eu-west-1'],
      resources: 1,
      latencyMs: 0,
      remediatorMessages: 10,
      help: true,
    });
  });

  it.each([
    [['--accounts', 'x'], /--accounts: expected a whole number from 1 to 5000, got "x"/],
    [['--accounts', '0'], /--accounts/],
    [['--regions', '99'], /--regions: expected a whole number from 1 to 17/],
    [['--latency', 'slow'], /--latency: expected milliseconds/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('%j is refused clearly', (argv, message) => {
    expect(() => parseBenchOptions(argv)).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(argv)).toThrow(message);
  });
});
