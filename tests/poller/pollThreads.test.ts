/**
 * The poller CLI's threads (the main thread and workers): every account
 * polled once, by one thread, with the same messages as one thread would
 * send; a failing sink or thread stops the run with its error.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { parseThreads } from '../../services/poller/cli.ts';
import { defaultPollThreads, MIN_UNITS_PER_THREAD, POLL_THREAD_YOUNG_GENERATION_MB, pollInThreads } from '../../services/poller/pollThreads.ts';
import { pollUnits, pollUnitsFrom, unitsOf, type PollSummary } from '../../services/poller/pollUnits.ts';
import { accountCompletion, pollAccounts, unitsByAccount } from '../../services/poller/accountUnits.ts';
import { BENCH_CREDENTIALS_ENV, BenchAws } from '../../scripts/bench/benchAws.ts';
import { buildTemplate, copyTemplate } from '../../scripts/bench/benchOrganization.ts';
import { seededSandbox, type SandboxThreadData, type SandboxThreadReport } from './fixtures/sandboxPollThread.ts';

const SETUP = new URL('./fixtures/sandboxPollThread.ts', import.meta.url).href;
const ACCOUNTS = Array.from({ length: 9 }, (_, index) => String(111111111100 + index));
const REGIONS = ['us-east-1', 'eu-west-1'];
const config = loadConfig({ flags: { accounts: ACCOUNTS, regions: REGIONS, concurrency: 6 } });
const key = (m: ResourceMessage): string => `${m.account}/${m.region}/${m.type}/${m.id}`;

describe('poll threads', () => {
  it('poll every account once, in one thread each, and send what one thread would', { timeout: 60_000 }, async () => {
    const threaded: ResourceMessage[] = [];
    const setupData: SandboxThreadData = { accounts: ACCOUNTS };
    const summary = await pollInThreads(ACCOUNTS, { config, threads: 3, log: memoryLog(), setupModule: SETUP, setupData }, async (batch) => void threaded.push(...batch));

    const alone: ResourceMessage[] = [];
    const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: seededSandbox(ACCOUNTS, REGIONS), env: {} });
    const reference = await pollUnits(unitsOf(ACCOUNTS, REGIONS), { config, factory, log: memoryLog() }, async (batch) => void alone.push(...batch));

    expect(threaded.map(key).sort()).toEqual(alone.map(key).sort());
    expect(threaded.filter((m) => m.type === 'sqs')).toHaveLength(REGIONS.length * (3 + 2 + 1) * 3);
    expect(summary).toMatchObject({ threads: 3, units: ACCOUNTS.length * REGIONS.length, listed: reference.listed, failedUnits: [] });
    expect(summary.reports).toHaveLength(1 + 3);
    const reports = summary.reports as SandboxThreadReport[];
    expect(reports.flatMap((report) => report.given).sort()).toEqual([...ACCOUNTS].sort());
    // Workers scavenge a larger young generation than V8's default (POLL_THREAD_YOUNG_GENERATION_MB); the main thread keeps its own.
    expect(reports.map((report) => report.youngGenerationMb)).toEqual([undefined, ...Array.from({ length: 3 }, () => POLL_THREAD_YOUNG_GENERATION_MB)]);
  });

  it('a failing sink stops the run with its error, and takes no batch after it', { timeout: 60_000 }, async () => {
    let taken = 0;
    const failing = async (): Promise<void> => {
      taken += 1;
      if (taken === 2) throw new Error('queue unreachable');
    };
    await expect(pollInThreads(ACCOUNTS, { config, threads: 2, log: memoryLog(), setupModule: SETUP, setupData: { accounts: ACCOUNTS } }, failing)).rejects.toThrow('queue unreachable');
    const takenAtFailure = taken;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(taken).toBe(takenAtFailure);
  });

  it('a thread that cannot start fails the run, naming the thread', { timeout: 60_000 }, async () => {
    const setupData: SandboxThreadData = { accounts: ACCOUNTS, failIn: 'setup' };
    await expect(pollInThreads(ACCOUNTS, { config, threads: 2, log: memoryLog(), setupModule: SETUP, setupData }, async () => undefined)).rejects.toThrow(/(poll thread \d of 2|the main poll thread) failed: this thread cannot start/);
  });

  it("logs of the threads reach the main thread's log, and progress counts the whole run", { timeout: 60_000 }, async () => {
    const log = memoryLog();
    const accounts = ACCOUNTS;
    const setupData: SandboxThreadData = { accounts: ACCOUNTS, mainLatencyMs: 500 };
    const summary = await pollInThreads(accounts, { config, threads: 2, log, setupModule: SETUP, setupData }, async () => undefined);
    // The workers polled some of them (the main thread's AWS is slow), so their lines are in the count.
    expect((summary.reports as SandboxThreadReport[]).slice(1).flatMap((report) => report.given).length).toBeGreaterThan(0);
    const progress = log.lines.filter((entry) => entry.message.startsWith('polled ')).map((entry) => entry.message);
    const total = accounts.length * REGIONS.length;
    expect(progress.map((line) => line.split(':')[0]).sort()).toEqual(unitsOf(accounts, REGIONS).map((unit) => `polled ${unit.account}/${unit.region}`).sort());
    // One count for the run, whichever thread polled the unit: [1/18] ... [18/18], in order.
    expect(progress.map((line) => /\[(\d+)\/(\d+)\]$/.exec(line)?.slice(1).join('/'))).toEqual(Array.from({ length: total }, (_, index) => `${index + 1}/${total}`));
  });
});

describe('how many poll threads', () => {
  it.each([
    [1, 4, 8, 1, 'one account: one thread'],
    [20, 4, 2, 1, '80 units fill one thread'],
    [100, 4, 2, 2, 'one per CPU'],
    [500, 17, 8, 8, 'one per CPU'],
    [3, 100, 8, 3, 'never more than the accounts'],
  ])('%i accounts x %i regions on %i CPUs: %i (%s)', (accounts, regions, cpus, expected) => {
    expect(defaultPollThreads(accounts, regions, cpus)).toBe(expected);
    expect(MIN_UNITS_PER_THREAD).toBe(64);
  });

  it('--threads takes a whole number from 1 to 64', () => {
    expect(parseThreads('4')).toBe(4);
    expect(parseThreads(undefined)).toBeUndefined();
    for (const bad of ['0', '65', '1.5', 'many']) expect(() => parseThreads(bad)).toThrow(/--threads: expected a whole number from 1 to 64/);
  });
});

describe('units drawn account by account', () => {
  it('each account drawn once, its regions its units; asked for ahead; an account is done when all its regions are', async () => {
    const accounts = ['111111111111', '222222222222', '333333333333'];
    let asked = 0;
    const prepared: string[] = [];
    const source = unitsByAccount(async () => {
      asked += 1;
      return accounts[asked - 1];
    }, REGIONS, { ahead: 2, prepareAccount: (account) => void prepared.push(account) });
    const done: string[] = [];
    const polled = accountCompletion(REGIONS.length, (account) => void done.push(account));
    const units = [];
    for (let unit = await source(); unit; unit = await source()) {
      units.push(`${unit.account}/${unit.region}`);
      polled(unit);
    }
    expect(units).toEqual(unitsOf(accounts, REGIONS).map((unit) => `${unit.account}/${unit.region}`));
    expect(prepared).toEqual(accounts);
    expect(done).toEqual(accounts);
    expect(asked).toBe(accounts.length + 1);
  });

  it('many pollers at once share the asking: no account is drawn twice', async () => {
    const accounts = Array.from({ length: 20 }, (_, index) => String(444444444400 + index));
    let next = 0;
    const source = unitsByAccount(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return accounts[next++];
    }, REGIONS, { ahead: 8 });
    const seen: string[] = [];
    const log = memoryLog();
    const summary = await pollUnitsFrom(source, { config: { ...config, concurrency: 8 }, factory: new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: seededSandbox(accounts, REGIONS), env: {} }), log, types: ['sqs'] }, async () => undefined, { polled: (unit) => void seen.push(`${unit.account}/${unit.region}`) });
    expect(seen.sort()).toEqual(unitsOf(accounts, REGIONS).map((unit) => `${unit.account}/${unit.region}`).sort());
    expect(summary.units).toBe(accounts.length * REGIONS.length);
  });
});

describe('one thread polls its accounts as a poll thread does', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("assumes the next account's role while the last account's units still run, and sends what pollUnits sends", { timeout: 60_000 }, async () => {
    const accounts = ['555555555501', '555555555502', '555555555503'] as const;
    const template = await buildTemplate({ regions: REGIONS, resources: 1 });
    const oneThreadConfig = loadConfig({ flags: { accounts, regions: REGIONS, concurrency: REGIONS.length } });
    // The security account's own credentials, as the bench gives them.
    for (const [name, value] of Object.entries(BENCH_CREDENTIALS_ENV)) vi.stubEnv(name, value);
    const calls = async (poll: (aws: BenchAws) => Promise<PollSummary>): Promise<{ order: string[] }> => {
      const aws = new BenchAws(copyTemplate(template, accounts), { latencyMs: 5, throttle: false });
      const order: string[] = [];
      const request = aws.counters.request.bind(aws.counters);
      aws.counters.request = (call) => {
        order.push(`${call.service} ${call.operation} ${call.account}`);
        request(call);
      };
      const summary = await poll(aws);
      expect(summary).toMatchObject({ units: accounts.length * REGIONS.length, failedUnits: [] });
      return { order };
    };
    const drawn = await calls(async (aws) => pollAccounts(accounts, { factory: aws.factory(oneThreadConfig) }, { config: oneThreadConfig, log: memoryLog(), types: ['sqs', 's3_bucket'] }, async () => undefined));
    const listed = await calls(async (aws) => pollUnits(unitsOf(accounts, REGIONS), { config: oneThreadConfig, factory: aws.factory(oneThreadConfig), log: memoryLog(), types: ['sqs', 's3_bucket'] }, async () => undefined));
    const assumed = (order: string[], account: string): number => order.indexOf(`STS AssumeRole ${account}`);
    const lastCall = (order: string[], account: string): number => order.findLastIndex((call) => call.endsWith(account) && !call.startsWith('STS'));
    const pairs: [string, string][] = [[accounts[0], accounts[1]], [accounts[1], accounts[2]]];
    for (const [previous, next] of pairs) {
      expect(assumed(drawn.order, next)).toBeLessThan(lastCall(drawn.order, previous));
    }
    expect(drawn.order.filter((call) => call.startsWith('STS AssumeRole'))).toHaveLength(accounts.length);
    expect([...drawn.order].sort()).toEqual([...listed.order].sort());
  });
});
