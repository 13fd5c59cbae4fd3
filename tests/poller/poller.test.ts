import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { sendToQueue } from '../../services/core/queueSender.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { createDispatcher, createPollWorker } from '../../services/poller/pollerHandlers.ts';
import { runPoller } from '../../services/poller/cli.ts';
import { ACCOUNT, OTHER_ACCOUNT, awsError, makeConfig, makeFactory } from '../helpers/context.ts';
import { compliantBucket, fakeS3 } from '../helpers/fakeS3.ts';

const POLL_QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/compliance-auditor-prod-PollQueue';
const RESOURCE_QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/compliance-auditor-prod-ResourceQueue';
const sqs = mockClient(SQSClient);

/** Only s3_bucket is faked here; the other types have their own tests. */
const TYPES = ['s3_bucket'] as const;

function options(overrides: Partial<ConfigInput> = {}) {
  const config = makeConfig({ pollQueueUrl: POLL_QUEUE, resourceQueueUrl: RESOURCE_QUEUE, ...overrides });
  const factory = makeFactory();
  return { config, factory, log: memoryLog(), types: TYPES, directory: new AccountDirectory(config, factory.forSecurityAccount('us-east-1')) };
}

function sentBodies(): unknown[] {
  return sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? 'null')));
}

describe('poller', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })), Failed: [] }));
  });

  it('the dispatcher fans out one task per account (its regions), 10 per SendMessageBatch', async () => {
    const accounts = Array.from({ length: 14 }, (_, i) => String(100000000000 + i));
    const dispatch = createDispatcher(options({ accounts, regions: ['us-east-1', 'eu-west-1'] }));
    expect(await dispatch()).toEqual({ tasks: 14 });
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 4]);
    expect(calls.every((c) => c.args[0].input.QueueUrl === POLL_QUEUE)).toBe(true);
    expect(sentBodies()).toContainEqual({ account: '100000000013', regions: ['us-east-1', 'eu-west-1'] });
  });

  it('the worker lists one unit onto the resource queue; each bucket once, in its own region', async () => {
    fakeS3({ 'use1-a': compliantBucket('use1-a'), 'use1-b': compliantBucket('use1-b'), 'euw1-a': compliantBucket('euw1-a', 'eu-west-1') });
    const worker = createPollWorker(options());
    const event: SQSEvent = {
      Records: [
        { messageId: 'task-1', body: JSON.stringify({ account: ACCOUNT, region: 'us-east-1' }) },
        { messageId: 'task-2', body: JSON.stringify({ account: ACCOUNT, region: 'eu-west-1' }) },
      ].map((r) => ({ ...r, receiptHandle: 'rh', attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:PollQueue', awsRegion: 'us-east-1' })),
    };
    expect(await worker(event)).toEqual({ batchItemFailures: [] });
    expect(sentBodies()).toEqual([
      { account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id: 'use1-a' },
      { account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id: 'use1-b' },
      { account: ACCOUNT, region: 'eu-west-1', type: 's3_bucket', id: 'euw1-a' },
    ]);
  });

  it('the worker fails a malformed task and a task for an account or region that is not configured', async () => {
    const worker = createPollWorker(options());
    const base = { receiptHandle: 'rh', attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'us-east-1' };
    const response = await worker({
      Records: [
        { ...base, messageId: 'bad-json', body: '{' },
        { ...base, messageId: 'bad-region', body: JSON.stringify({ account: ACCOUNT, region: 'nowhere-1' }) },
        { ...base, messageId: 'stranger', body: JSON.stringify({ account: '333333333333', region: 'us-east-1' }) },
        { ...base, messageId: 'unconfigured-region', body: JSON.stringify({ account: ACCOUNT, region: 'ap-southeast-2' }) },
      ],
    });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['bad-json', 'bad-region', 'stranger', 'unconfigured-region']);
  });

  it('the worker fails a task whose type could not be listed (so SQS retries, then dead-letters it); a retry counts what it sends again', async () => {
    const { mock } = fakeS3({ 'good-bucket': compliantBucket('good-bucket') });
    mock.on(ListBucketsCommand).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const opts = options();
    const worker = createPollWorker(opts);
    const base = { receiptHandle: 'rh', messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'us-east-1' };
    const attributes = (count: string) => ({ ApproximateReceiveCount: count, SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' });
    const denied = await worker({ Records: [{ ...base, attributes: attributes('1'), messageId: 'denied', body: JSON.stringify({ account: ACCOUNT, region: 'us-east-1' }) }] });
    expect(denied.batchItemFailures).toEqual([{ itemIdentifier: 'denied' }]);
    expect(opts.log.lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'poll task failed', fields: expect.objectContaining({ error: expect.stringMatching(/1 failure\(s\): us-east-1 s3_bucket \(AccessDenied/) }) }));
    mock.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'good-bucket', BucketRegion: 'us-east-1' }] });
    const retried = await worker({ Records: [{ ...base, attributes: attributes('2'), messageId: 'denied', body: JSON.stringify({ account: ACCOUNT, region: 'us-east-1' }) }] });
    expect(retried.batchItemFailures).toEqual([]);
    expect(opts.log.lines).toContainEqual(expect.objectContaining({ message: 'polled', fields: expect.objectContaining({ listed: 1, resent: 1 }) }));
  });

  it('a failing account (AccessDenied) is reported and skipped; the other accounts continue', async () => {
    const { mock } = fakeS3({ 'good-bucket': compliantBucket('good-bucket') });
    let calls = 0;
    mock.on(ListBucketsCommand).callsFake(() => {
      calls += 1;
      if (calls === 1) throw awsError('AccessDenied', 403, 'Access Denied');
      return { Buckets: [{ Name: 'good-bucket', BucketRegion: 'us-east-1' }] };
    });
    const opts = options({ concurrency: 1 });
    const emitted: unknown[] = [];
    const summary = await pollUnits(unitsOf([ACCOUNT, OTHER_ACCOUNT], ['us-east-1']), opts, async (messages) => {
      emitted.push(...messages);
    });
    expect(summary.listed).toBe(1);
    expect(summary.failedUnits).toEqual([{ account: ACCOUNT, region: 'us-east-1', listed: 0, failures: [{ type: 's3_bucket', error: 'AccessDenied: Access Denied', accessDenied: true }] }]);
    expect(emitted).toEqual([{ account: OTHER_ACCOUNT, region: 'us-east-1', type: 's3_bucket', id: 'good-bucket' }]);
  });

  it('--only-test-resources keeps exactly the misconfiguration maker\'s resources', async () => {
    fakeS3({ 'misconfiguration-maker-public-acl-111111111111': compliantBucket('m'), 'payroll-exports': compliantBucket('p') });
    const lines: string[] = [];
    const code = await runPoller(['--accounts', ACCOUNT, '--regions', 'us-east-1', '--no-assume-role', '--only-test-resources', '--types', 's3_bucket'], {
      stdout: async (messages) => {
        lines.push(...messages.map((m) => JSON.stringify(m)));
      },
      log: memoryLog(),
    });
    expect(code).toBe(0);
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(['misconfiguration-maker-public-acl-111111111111']);
  });

  it('--types rejects an unknown type with the list of known ones', async () => {
    await expect(runPoller(['--accounts', ACCOUNT, '--types', 's3_bucket,dynamodb'], { log: memoryLog() })).rejects.toThrow(/unknown or unaudited type\(s\) dynamodb; known: .*s3_bucket/);
  });

  describe('SendMessageBatch', () => {
    it('retries only the entries that failed, and throws what still fails after the retries', async () => {
      sqs.reset();
      let attempt = 0;
      sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
        attempt += 1;
        const [first, ...rest] = input.Entries;
        if (attempt === 1 && first) return { Successful: rest.map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: 'x' })), Failed: [{ Id: first.Id, SenderFault: false, Code: 'InternalError' }] };
        return { Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: 'x' })), Failed: [] };
      });
      const clients = makeFactory().forSecurityAccount('us-east-1');
      await sendToQueue(clients, RESOURCE_QUEUE, [{ body: 'a' }, { body: 'b' }, { body: 'c' }], 1);
      const calls = sqs.commandCalls(SendMessageBatchCommand);
      expect(calls.map((c) => c.args[0].input.Entries?.map((e) => e.MessageBody))).toEqual([['a', 'b', 'c'], ['a']]);

      sqs.reset();
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', SenderFault: false, Code: 'ServiceUnavailable' }] });
      await expect(sendToQueue(clients, RESOURCE_QUEUE, [{ body: 'lost?' }], 1)).rejects.toThrow(`1 message(s) could not be sent to ${RESOURCE_QUEUE} after 5 attempts: ServiceUnavailable`);
    });

    it('keeps several batches in flight, tries every batch, and throws what failed in any of them', async () => {
      sqs.reset();
      let inFlight = 0;
      let mostInFlight = 0;
      sqs.on(SendMessageBatchCommand).callsFake(async (input: { Entries: { Id: string; MessageBody: string }[] }) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        // Entry "b0" is refused by the sender-fault rule; every other entry is accepted.
        const refused = input.Entries.filter((e) => e.MessageBody === 'b0');
        return {
          Successful: input.Entries.filter((e) => e.MessageBody !== 'b0').map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
          Failed: refused.map((e) => ({ Id: e.Id, SenderFault: true, Code: 'InvalidParameterValue' })),
        };
      });
      const clients = makeFactory().forSecurityAccount('us-east-1');
      // 25 entries: 3 batches; "b0" opens the first.
      const entries = Array.from({ length: 25 }, (_, i) => ({ body: `b${i}` }));
      await expect(sendToQueue(clients, RESOURCE_QUEUE, entries, 1)).rejects.toThrow(`1 message(s) could not be sent to ${RESOURCE_QUEUE} after 1 attempt`);
      const sent = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries?.map((e) => e.MessageBody) ?? []);
      expect(sent.sort()).toEqual(entries.map((e) => e.body).sort());
      expect(mostInFlight).toBe(3);
    });

    it('stops at a sender fault (retrying a malformed entry cannot help) and says it stopped after one attempt', async () => {
      sqs.reset();
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Message must be shorter than 262144 bytes.' }] });
      const clients = makeFactory().forSecurityAccount('us-east-1');
      await expect(sendToQueue(clients, RESOURCE_QUEUE, [{ body: 'x' }], 1)).rejects.toThrow(/after 1 attempt \(a sender fault: the entry is malformed and retrying cannot help\): InvalidParameterValue/);
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    });
  });
});
