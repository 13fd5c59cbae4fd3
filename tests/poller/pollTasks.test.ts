import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { loadConfig } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { MAX_REGIONS_PER_TASK, parsePollTask, tasksOf } from '../../services/poller/pollTask.ts';
import { createDispatcher, createPollWorker } from '../../services/poller/pollerHandlers.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { assumingSandbox } from '../helpers/assumingSandbox.ts';

const ACCOUNT = '216000000001';
const OTHER = '216000000002';
const HOME = 'us-east-1';
const FOUR_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
const SEVENTEEN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1',
];
const POLL_QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/compliance-auditor-prod-PollQueue';
const RESOURCE_QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/compliance-auditor-prod-ResourceQueue';
const sqs = mockClient(SQSClient);

function record(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    body: JSON.stringify(body),
    receiptHandle: 'rh',
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:PollQueue',
    awsRegion: HOME,
  };
}

const sentBodies = (queueUrl: string) =>
  sqs.commandCalls(SendMessageBatchCommand).filter((call) => call.args[0].input.QueueUrl === queueUrl).flatMap((call) => (call.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? 'null') as unknown));

// The security account's own credentials, which sign AssumeRole (the sandbox answers it).
beforeAll(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIASECURITYACCOUNT0');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'security-account-secret');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })), Failed: [] }));
});

describe('poll tasks: one account per task, its regions together', () => {
  it.each([
    { regions: 1, expected: [1] },
    { regions: 4, expected: [4] },
    { regions: MAX_REGIONS_PER_TASK, expected: [MAX_REGIONS_PER_TASK] },
    { regions: MAX_REGIONS_PER_TASK + 1, expected: [6, 5] },
    { regions: 17, expected: [9, 8] },
    { regions: 0, expected: [] },
  ])('$regions region(s) make tasks of $expected regions per account', ({ regions, expected }) => {
    const names = SEVENTEEN_REGIONS.concat(['ap-east-1', 'me-south-1']).slice(0, regions);
    const tasks = tasksOf([ACCOUNT, OTHER], names);
    expect(tasks.map((t) => t.regions.length)).toEqual([...expected, ...expected]);
    expect(tasks.filter((t) => t.account === ACCOUNT).flatMap((t) => t.regions)).toEqual(names);
    expect(tasks.every((t) => t.regions.length <= MAX_REGIONS_PER_TASK)).toBe(true);
  });

  it.each([
    ['an account and its regions', { account: ACCOUNT, regions: ['us-east-1', 'eu-west-1'] }, { account: ACCOUNT, regions: ['us-east-1', 'eu-west-1'] }],
    ['the shape of earlier releases, one region', { account: ACCOUNT, region: 'eu-west-1' }, { account: ACCOUNT, regions: ['eu-west-1'] }],
  ])('reads %s', (_name, body, expected) => {
    expect(parsePollTask(JSON.stringify(body))).toEqual(expected);
  });

  it.each([
    ['not JSON', '{', /poll task is not JSON/],
    ['no regions', JSON.stringify({ account: ACCOUNT, regions: [] }), /regions: .*>=1/],
    ['an unknown region', JSON.stringify({ account: ACCOUNT, regions: ['us-east-1', 'nowhere-1'] }), /regions.1: is not a known AWS region/],
    ['a region twice', JSON.stringify({ account: ACCOUNT, regions: ['us-east-1', 'us-east-1'] }), /regions: lists a region twice/],
    ['too many regions', JSON.stringify({ account: ACCOUNT, regions: SEVENTEEN_REGIONS }), /regions: .*<=10/],
    ['a bad account', JSON.stringify({ account: '12345', regions: ['us-east-1'] }), /account: must be a 12-digit AWS account id/],
  ])('refuses %s with a clear error', (_name, body, error) => {
    expect(() => parsePollTask(body)).toThrow(error);
  });

  it('the dispatcher sends one task per account with its regions', async () => {
    const world = assumingSandbox([ACCOUNT, OTHER], SEVENTEEN_REGIONS, HOME);
    const config = loadConfig({ flags: { accounts: [ACCOUNT, OTHER], regions: SEVENTEEN_REGIONS, pollQueueUrl: POLL_QUEUE, resourceQueueUrl: RESOURCE_QUEUE }, env: {} });
    const options = { config, factory: world.factory, log: memoryLog(), directory: new AccountDirectory(config, world.factory.forSecurityAccount(HOME)) };
    expect(await createDispatcher(options)()).toEqual({ tasks: 4 });
    expect(sentBodies(POLL_QUEUE)).toEqual(tasksOf([ACCOUNT, OTHER], SEVENTEEN_REGIONS));
  });
});

describe('one AssumeRole per account, whatever its number of regions', () => {
  async function world() {
    const organization = assumingSandbox([ACCOUNT, OTHER], FOUR_REGIONS, HOME);
    for (const region of FOUR_REGIONS) await organization.createBucket(ACCOUNT, region, `bucket-${region}`);
    const config = loadConfig({ flags: { accounts: [ACCOUNT, OTHER], regions: FOUR_REGIONS, homeRegion: HOME, resourceQueueUrl: RESOURCE_QUEUE, concurrency: 8 }, env: {} });
    const log = memoryLog();
    return { organization, config, log, options: { config, factory: organization.factory, log, types: ['s3_bucket'] as const, directory: new AccountDirectory(config, organization.factory.forSecurityAccount(HOME)) } };
  }
  const expectedMessages = FOUR_REGIONS.map((region) => ({ account: ACCOUNT, region, type: 's3_bucket', id: `bucket-${region}` }));
  const byRegion = (messages: unknown[]) => [...messages].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it('the poll worker, one task of 4 regions: 1 AssumeRole, through the home region, every region listed', async () => {
    const { organization, options } = await world();
    const response = await createPollWorker(options)({ Records: [record('task-1', tasksOf([ACCOUNT], FOUR_REGIONS)[0])] });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(organization.assumeRoles).toEqual([`${ACCOUNT}/${HOME}`]);
    expect(byRegion(sentBodies(RESOURCE_QUEUE))).toEqual(byRegion(expectedMessages));
  });

  it('the poller CLI path, 4 units of one account at once: 1 AssumeRole', async () => {
    const { organization, options } = await world();
    const emitted: unknown[] = [];
    const summary = await pollUnits(unitsOf([ACCOUNT], FOUR_REGIONS), options, async (messages) => {
      emitted.push(...messages);
    });
    expect(summary.failedUnits).toEqual([]);
    expect(organization.assumeRoles).toEqual([`${ACCOUNT}/${HOME}`]);
    expect(byRegion(emitted)).toEqual(byRegion(expectedMessages));
  });

  it('a task whose one region fails fails the record, after every other region was listed and sent', async () => {
    const { organization, options, log } = await world();
    const state = organization.sandbox.state.accounts[ACCOUNT];
    if (state) delete state.regions['eu-west-1'];
    const response = await createPollWorker({ ...options, types: ['s3_bucket', 'security_group'] })({ Records: [record('task-1', { account: ACCOUNT, regions: ['us-east-1', 'eu-west-1'] })] });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'task-1' }] });
    const failed = log.lines.find((l) => l.message === 'poll task failed');
    expect(failed?.fields).toMatchObject({ error: expect.stringMatching(/^2 failure\(s\): eu-west-1 s3_bucket \(UnrecognizedClientException.*; eu-west-1 security_group \(/) });
    expect(sentBodies(RESOURCE_QUEUE)).toContainEqual({ account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id: 'bucket-us-east-1' });
    expect(log.lines.filter((l) => l.message === 'polled').length).toBe(2);
  });
});
