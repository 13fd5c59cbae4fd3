import { PublishBatchCommand, PublishCommand, SNSClient, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENTRY_ATTEMPTS } from '../../services/core/batchEntries.ts';
import { messageBytes, PublishError, SNS_BATCH_BYTES, TopicPublisher, type TopicMessage } from '../../services/core/topicPublisher.ts';
import { makeFactory } from '../helpers/context.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:compliance-findings';
const sns = mockClient(SNSClient);

function message(name: string, bodyBytes = 200): TopicMessage {
  return {
    subject: `[HIGH] 1 finding new: s3_bucket ${name} in 111111111111 us-east-1`,
    message: JSON.stringify({ kind: 'compliance-findings', resource: { id: name }, padding: 'x'.repeat(bodyBytes) }),
    attributes: { severity: { DataType: 'String', StringValue: 'high' }, type: { DataType: 'String', StringValue: 's3_bucket' } },
  };
}

type BatchInput = { PublishBatchRequestEntries: PublishBatchRequestEntry[] };
const resourceOf = (entry: PublishBatchRequestEntry) => (JSON.parse(entry.Message ?? '{}') as { resource: { id: string } }).resource.id;

/** SNS answering every entry but those `fail` names; a Publish waits until `release` is called, so the others queue up behind it. */
function answer(fail: (entry: PublishBatchRequestEntry, attempt: number) => { Code: string; SenderFault: boolean } | undefined = () => undefined) {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const attempts = new Map<string, number>();
  sns.on(PublishCommand).callsFake(async () => {
    await held;
    return { MessageId: 'single-0001' };
  });
  sns.on(PublishBatchCommand).callsFake((input: BatchInput) => {
    const Successful = [];
    const Failed = [];
    for (const entry of input.PublishBatchRequestEntries) {
      const attempt = (attempts.get(resourceOf(entry)) ?? 0) + 1;
      attempts.set(resourceOf(entry), attempt);
      const failure = fail(entry, attempt);
      if (failure) Failed.push({ Id: entry.Id, ...failure, Message: 'injected' });
      else Successful.push({ Id: entry.Id, MessageId: `batch-${resourceOf(entry)}` });
    }
    return { Successful, Failed };
  });
  return { release: () => release() };
}

const batches = () => sns.commandCalls(PublishBatchCommand).map((call) => (call.args[0].input.PublishBatchRequestEntries ?? []).map(resourceOf));

describe('TopicPublisher', () => {
  beforeEach(() => sns.reset());

  it('publishes alone at once, and batches what arrives while a call is in flight (10 per PublishBatch)', async () => {
    const { release } = answer();
    const publisher = new TopicPublisher(makeFactory().forSecurityAccount('us-east-1'), TOPIC, 1);
    const first = publisher.publish(message('first'));
    const rest = Array.from({ length: 12 }, (_, i) => publisher.publish(message(`r${i}`)));
    release();
    expect(await first).toBe('single-0001');
    expect(await Promise.all(rest)).toEqual(Array.from({ length: 12 }, (_, i) => `batch-r${i}`));
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(batches()).toEqual([Array.from({ length: 10 }, (_, i) => `r${i}`), ['r10', 'r11']]);
    const firstBatch = sns.commandCalls(PublishBatchCommand)[0]?.args[0].input;
    expect(firstBatch?.TopicArn).toBe(TOPIC);
    expect(firstBatch?.PublishBatchRequestEntries?.[0]).toEqual({ Id: '0', Subject: message('r0').subject, Message: message('r0').message, MessageAttributes: message('r0').attributes });
  });

  it('keeps each PublishBatch within 256 KiB, bodies and attributes counted', async () => {
    const { release } = answer();
    const publisher = new TopicPublisher(makeFactory().forSecurityAccount('us-east-1'), TOPIC, 1);
    const big = (name: string) => message(name, 100 * 1024);
    expect(messageBytes(big('a')) * 3).toBeGreaterThan(SNS_BATCH_BYTES);
    const first = publisher.publish(message('first'));
    const rest = ['a', 'b', 'c', 'd', 'e'].map((name) => publisher.publish(big(name)));
    release();
    await Promise.all([first, ...rest]);
    // The last one, alone, goes by Publish.
    expect(batches()).toEqual([['a', 'b'], ['c', 'd']]);
    expect(sns.commandCalls(PublishCommand).map((call) => (JSON.parse(call.args[0].input.Message ?? '{}') as { resource: { id: string } }).resource.id)).toEqual(['first', 'e']);
  });

  it('retries only the entries that failed (not by the sender) and resolves them all', async () => {
    const { release } = answer((entry, attempt) => (resourceOf(entry) === 'r1' && attempt < 3 ? { Code: 'InternalError', SenderFault: false } : undefined));
    const publisher = new TopicPublisher(makeFactory().forSecurityAccount('us-east-1'), TOPIC, 1);
    const all = [publisher.publish(message('first')), ...['r0', 'r1', 'r2'].map((name) => publisher.publish(message(name)))];
    release();
    expect(await Promise.all(all)).toEqual(['single-0001', 'batch-r0', 'batch-r1', 'batch-r2']);
    expect(batches()).toEqual([['r0', 'r1', 'r2'], ['r1'], ['r1']]);
  });

  it.each([
    ['a sender fault, not retried', { Code: 'InvalidParameter', SenderFault: true }, 1],
    ['a fault that outlasts the retries', { Code: 'InternalError', SenderFault: false }, ENTRY_ATTEMPTS],
  ])('rejects only the entry that still fails: %s', async (_name, failure, attempts) => {
    const { release } = answer((entry) => (resourceOf(entry) === 'r1' ? failure : undefined));
    const publisher = new TopicPublisher(makeFactory().forSecurityAccount('us-east-1'), TOPIC, 1);
    const all = [publisher.publish(message('first')), ...['r0', 'r1', 'r2'].map((name) => publisher.publish(message(name)))];
    release();
    const settled = await Promise.allSettled(all);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rejected = settled[2] as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(PublishError);
    expect(rejected.reason).toMatchObject({ code: failure.Code, message: expect.stringContaining(`after ${attempts} attempt`) });
  });

  it('a call that fails outright rejects every message of the call, and the next messages are still sent', async () => {
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' })).resolves({ MessageId: 'single-0002' });
    const publisher = new TopicPublisher(makeFactory().forSecurityAccount('us-east-1'), TOPIC, 1);
    await expect(publisher.publish(message('first'))).rejects.toThrow(/Service Unavailable/);
    expect(await publisher.publish(message('second'))).toBe('single-0002');
  });
});
