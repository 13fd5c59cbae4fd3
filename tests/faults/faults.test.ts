/**
 * The fault table (issue 13): each row injects one fault in the SDK
 * middleware (the SDK's retries still run), drives the real handlers with
 * SQS event shapes over the emulator's wire protocol (SQS retries and
 * redrive included), and states what must have been published, what reached
 * a dead-letter queue, how many records were retried, and any duplicate it
 * allows. Item 10 (alarm topics CloudWatch can use) is a property of the
 * generated template: tests/packaging checks it.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { checkIdsWithRisk } from '../../auditors/registry.ts';
import { MAX_ATTEMPTS } from '../../services/core/clientFactory.ts';
import { putBucketPolicy } from '../fixtures/cloudtrail/s3.ts';
import { useFauxqs } from '../helpers/fauxqsEmulator.ts';
import { ACCOUNT_A, ACCOUNT_B, faultWorld, HOME, MAX_RECEIVE_COUNT, type FaultWorld, type WorldOptions } from './faultWorld.ts';

/** The checks a public bucket fails (no public access block, a public policy, TLS not enforced). */
const PUBLIC_BUCKET_CHECKS = ['s3_bucket.public_access_block_off', 's3_bucket.public_policy', 's3_bucket.tls_not_enforced'];
const findings = (id: string, remediation: string, times = 1) => Array.from({ length: times }, () => PUBLIC_BUCKET_CHECKS.map((check) => `${id} ${check} ${remediation}`)).flat();
const bucket = (id: string, account = ACCOUNT_A, region = HOME) => JSON.stringify({ account, region, type: 's3_bucket', id });
/** A poll task of earlier releases (one region), still read; and one of today (an account's regions). */
const task = (account: string, region: string) => JSON.stringify({ account, region });
const accountTask = (account: string, regions: string[]) => JSON.stringify({ account, regions });
const sorted = (values: string[]) => [...values].sort();

/** What a row observes; each row states all of it. */
interface Observed {
  /** Findings that reached the topic's subscriber, duplicates included. */
  published: string[];
  /** Resource messages the resource queue accepted, duplicates included. */
  queued: string[];
  /** Bodies in the dead-letter queue of the queue the row drives. */
  deadLettered: string[];
  /** Records the handler reported failed (each is one SQS retry or the redrive). */
  retried: number;
  /** What else the row promises (no AssumeRole, the SDK's attempts...). */
  also?: Record<string, unknown>;
}

interface Row {
  item: string;
  fault: string;
  world?: WorldOptions;
  act: (w: FaultWorld) => Promise<Omit<Observed, 'published' | 'queued'> & { queue?: 'resources' | 'poll' }>;
  expected: Observed;
}

async function enqueue(w: FaultWorld, queue: 'resources' | 'poll', bodies: string[]): Promise<void> {
  const url = queue === 'resources' ? w.resourceQueue.url : w.pollQueue.url;
  // Sent by the test's own client: only what handlers queue counts as "queued".
  for (const body of bodies) await w.testSqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
}

/** Send resource messages (not counted as queued), drain them into the remediator. */
async function remediate(w: FaultWorld, bodies: string[], handler: (event: SQSEvent) => Promise<SQSBatchResponse> = (event) => w.remediator(event)) {
  await enqueue(w, 'resources', bodies);
  const retried = await w.drain(w.resourceQueue, handler);
  return { retried, deadLettered: w.deadLetters(w.resourceQueue) };
}

async function poll(w: FaultWorld, tasks: string[]) {
  await enqueue(w, 'poll', tasks);
  const retried = await w.drain(w.pollQueue, w.pollWorker, 1);
  return { retried, deadLettered: w.deadLetters(w.pollQueue) };
}

/** a-africa, a-home in account A; b-africa, b-home in account B. */
async function bucketsInBothRegions(w: FaultWorld): Promise<void> {
  for (const [account, prefix] of [[ACCOUNT_A, 'a'], [ACCOUNT_B, 'b']] as const) {
    await w.createBucket(account, 'af-south-1', `${prefix}-africa`, false);
    await w.createBucket(account, HOME, `${prefix}-home`, false);
  }
}

const count = (w: FaultWorld, predicate: (call: FaultWorld['faults']['calls'][number]) => boolean) => w.faults.calls.filter(predicate).length;
const assumeRoles = (w: FaultWorld) => count(w, (c) => c.service === 'STS' && c.operation === 'AssumeRole');

/** Remediation on, disruptive checks opted in too: these rows are about faults, not risk levels. */
const REMEDIATE_EVERY_CHECK = { remediate: true, remediateChecks: checkIdsWithRisk('disruptive') };

const ROWS: Row[] = [
  {
    item: '1',
    fault: 'SNS answers 500 through every SDK attempt while a remediation is due',
    world: { config: REMEDIATE_EVERY_CHECK },
    act: async (w) => {
      await w.createBucket(ACCOUNT_A, HOME, 'public-a', true);
      w.faults.add({ service: 'SNS', operation: 'Publish', account: 'self', error: { code: 'InternalError', status: 500 }, times: MAX_ATTEMPTS });
      return remediate(w, [bucket('public-a')]);
    },
    // Nothing changed before the first publish; the retry announces, fixes, reports.
    expected: { published: sorted([...findings('public-a', 'planned'), ...findings('public-a', 'applied')]), queued: [], deadLettered: [], retried: 1 },
  },
  {
    item: '1',
    fault: 'SNS fails after the remediation (the announcement went out), the retry finds the bucket compliant',
    world: { config: REMEDIATE_EVERY_CHECK },
    act: async (w) => {
      await w.createBucket(ACCOUNT_A, HOME, 'public-a', true);
      w.faults.add({ service: 'SNS', operation: 'Publish', account: 'self', error: { code: 'InternalError', status: 500 }, skip: 1, times: MAX_ATTEMPTS });
      return remediate(w, [bucket('public-a')]);
    },
    // Every finding reached the topic once, announced before the fix; none is lost.
    expected: { published: findings('public-a', 'planned'), queued: [], deadLettered: [], retried: 1 },
  },
  {
    item: '2',
    fault: 'af-south-1 (asked first) refuses AssumeRole in account A (STS deactivated there): credentials come from the home region\'s STS',
    world: { regions: ['af-south-1', HOME], config: { homeRegion: HOME } },
    act: async (w) => {
      await bucketsInBothRegions(w);
      w.faults.add({ service: 'STS', operation: 'AssumeRole', account: ACCOUNT_A, region: 'af-south-1', error: { code: 'RegionDisabledException', status: 403, message: 'STS is not activated in this region for account:213000000001' } });
      return { ...(await poll(w, [task(ACCOUNT_A, 'af-south-1'), task(ACCOUNT_A, HOME), task(ACCOUNT_B, 'af-south-1'), task(ACCOUNT_B, HOME)])), also: { assumeRoleRegionsOfA: [...new Set(w.faults.calls.filter((c) => c.operation === 'AssumeRole' && c.account === ACCOUNT_A).map((c) => c.region))].sort() } };
    },
    // Session tokens from a regional STS endpoint are valid in every region (MemberCredentials): af-south-1's own STS is never asked.
    expected: {
      published: [],
      queued: sorted([bucket('a-africa', ACCOUNT_A, 'af-south-1'), bucket('a-home'), bucket('b-africa', ACCOUNT_B, 'af-south-1'), bucket('b-home', ACCOUNT_B)]),
      deadLettered: [],
      retried: 0,
      also: { assumeRoleRegionsOfA: [HOME] },
    },
  },
  {
    item: '2',
    fault: 'the home region\'s STS refuses AssumeRole in account A: A\'s task (both regions) fails, B is polled',
    world: { regions: ['af-south-1', HOME], config: { homeRegion: HOME } },
    act: async (w) => {
      await bucketsInBothRegions(w);
      w.faults.add({ service: 'STS', operation: 'AssumeRole', account: ACCOUNT_A, region: HOME, error: { code: 'AccessDenied', status: 403, message: 'User is not authorized to perform: sts:AssumeRole' } });
      return poll(w, [accountTask(ACCOUNT_A, ['af-south-1', HOME]), accountTask(ACCOUNT_B, ['af-south-1', HOME])]);
    },
    expected: {
      published: [],
      queued: sorted([bucket('b-africa', ACCOUNT_B, 'af-south-1'), bucket('b-home', ACCOUNT_B)]),
      deadLettered: [accountTask(ACCOUNT_A, ['af-south-1', HOME])],
      retried: MAX_RECEIVE_COUNT,
    },
  },
  {
    item: '3',
    fault: 'ListQueues still throttled after the SDK\'s retries; the buckets did list',
    act: async (w) => {
      await w.createBucket(ACCOUNT_A, HOME, 'a-home', false);
      w.faults.add({ service: 'SQS', operation: 'ListQueues', account: ACCOUNT_A, error: { code: 'RequestThrottled', status: 403 } });
      const result = await poll(w, [task(ACCOUNT_A, HOME)]);
      const resent = w.log.lines.filter((l) => l.message === 'polled').map((l) => (l.fields as { resent?: number }).resent);
      return { ...result, also: { listQueuesAttempts: count(w, (c) => c.operation === 'ListQueues'), resent } };
    },
    // The bucket is sent on each attempt: a harmless duplicate, counted as resent.
    expected: { published: [], queued: [bucket('a-home'), bucket('a-home')], deadLettered: [task(ACCOUNT_A, HOME)], retried: MAX_RECEIVE_COUNT, also: { listQueuesAttempts: MAX_ATTEMPTS * MAX_RECEIVE_COUNT, resent: [0, 1] } },
  },
  {
    item: '4',
    fault: 'the bucket is deleted between the audit and its first remediation call',
    world: { config: REMEDIATE_EVERY_CHECK },
    act: async (w) => {
      await w.createBucket(ACCOUNT_A, HOME, 'public-a', true);
      let deleted = false;
      const before = async () => {
        if (deleted) return;
        deleted = true;
        await w.deleteBucket(ACCOUNT_A, 'public-a');
      };
      for (const operation of ['PutPublicAccessBlock', 'PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl']) w.faults.add({ service: 'S3', operation, account: ACCOUNT_A, before });
      return remediate(w, [bucket('public-a')]);
    },
    expected: { published: sorted([...findings('public-a', 'planned'), ...findings('public-a', 'gone')]), queued: [], deadLettered: [], retried: 0 },
  },
  {
    item: '5',
    fault: 'the Lambda deadline is near after two records of three',
    act: async (w) => {
      for (const id of ['public-a', 'public-b', 'public-c']) await w.createBucket(ACCOUNT_A, HOME, id, true);
      const handler = (event: SQSEvent) => {
        const remaining = [120_000, 120_000];
        return w.remediator(event, { getRemainingTimeInMillis: () => remaining.shift() ?? 10_000 });
      };
      return remediate(w, [bucket('public-a'), bucket('public-b'), bucket('public-c')], handler);
    },
    // The third record is not started, handed out again, and finished once.
    expected: { published: sorted([...findings('public-a', 'planned'), ...findings('public-b', 'planned'), ...findings('public-c', 'planned')]), queued: [], deadLettered: [], retried: 1 },
  },
  {
    item: '6',
    fault: 'messages for a region not configured, and for the China and GovCloud partitions',
    act: async (w) => ({ ...(await remediate(w, [bucket('x', ACCOUNT_A, 'ap-southeast-2'), bucket('x', ACCOUNT_A, 'cn-north-1'), bucket('x', ACCOUNT_A, 'us-gov-west-1')])), also: { assumeRoles: assumeRoles(w) } }),
    expected: { published: [], queued: [], deadLettered: sorted([bucket('x', ACCOUNT_A, 'ap-southeast-2'), bucket('x', ACCOUNT_A, 'cn-north-1'), bucket('x', ACCOUNT_A, 'us-gov-west-1')]), retried: 3 * MAX_RECEIVE_COUNT, also: { assumeRoles: 0 } },
  },
  {
    item: '7',
    fault: 'an sqs message whose id is a queue URL on another host',
    act: async (w) => {
      const body = JSON.stringify({ account: ACCOUNT_A, region: HOME, type: 'sqs', id: `https://attacker.example/${ACCOUNT_A}/orders` });
      return { ...(await remediate(w, [body])), also: { memberCalls: count(w, (c) => c.account !== 'self') } };
    },
    expected: { published: [], queued: [], deadLettered: [JSON.stringify({ account: ACCOUNT_A, region: HOME, type: 'sqs', id: `https://attacker.example/${ACCOUNT_A}/orders` })], retried: MAX_RECEIVE_COUNT, also: { memberCalls: 0 } },
  },
  {
    item: '8',
    fault: 'a CloudTrail event naming a 100 KB bucket',
    act: async (w) => {
      const detail = { ...putBucketPolicy.detail, recipientAccountId: ACCOUNT_A, requestParameters: { ...putBucketPolicy.detail.requestParameters, bucketName: 'b'.repeat(100_000) } };
      const translated = await w.translator({ ...putBucketPolicy, account: ACCOUNT_A, detail });
      return { ...(await remediate(w, [])), also: { translated } };
    },
    expected: { published: [], queued: [], deadLettered: [], retried: 0, also: { translated: { messages: 0 } } },
  },
  {
    item: '9',
    fault: 'the resource queue refuses the translator through every SDK attempt',
    act: async (w) => {
      w.faults.add({ service: 'SQS', operation: 'SendMessageBatch', account: 'self', error: { code: 'InternalError', status: 500 } });
      // EventBridge invokes asynchronously: a rejection is what Lambda retries, then hands to the on-failure destination.
      const outcome = await w.translator(putBucketPolicy).then(() => 'resolved', (error: Error) => error.name);
      return { retried: 0, deadLettered: [], also: { outcome, attempts: count(w, (c) => c.operation === 'SendMessageBatch') } };
    },
    expected: { published: [], queued: [], deadLettered: [], retried: 0, also: { outcome: 'InternalError', attempts: MAX_ATTEMPTS } },
  },
  {
    item: '11',
    fault: 'a sender fault on one entry of the poll worker\'s SendMessageBatch',
    act: async (w) => {
      for (const id of ['a-one', 'a-two']) await w.createBucket(ACCOUNT_A, HOME, id, false);
      w.faults.add({ service: 'SQS', operation: 'SendMessageBatch', account: 'self', failFirstEntry: { code: 'InvalidParameterValue', senderFault: true }, times: 1 });
      const result = await poll(w, [task(ACCOUNT_A, HOME)]);
      const errors = w.log.lines.filter((l) => l.level === 'error').map((l) => String((l.fields as { error?: string }).error).replace(/sent to \S+/, 'sent to QUEUE'));
      return { ...result, also: { errors } };
    },
    expected: {
      published: [],
      queued: sorted([bucket('a-one'), bucket('a-two'), bucket('a-two')]),
      deadLettered: [],
      retried: 1,
      also: { errors: ['1 failure(s): us-east-1: QueueSendError: 1 message(s) could not be sent to QUEUE after 1 attempt (a sender fault: the entry is malformed and retrying cannot help): InvalidParameterValue'] },
    },
  },
  {
    item: 'today',
    fault: 'throttling storm: S3 answers SlowDown to the first 5 calls',
    act: async (w) => {
      await w.createBucket(ACCOUNT_A, HOME, 'public-a', true);
      w.faults.add({ service: 'S3', operation: '*', account: ACCOUNT_A, error: { code: 'SlowDown', status: 503 }, times: 5 });
      return remediate(w, [bucket('public-a')]);
    },
    expected: { published: findings('public-a', 'planned'), queued: [], deadLettered: [], retried: 0 },
  },
  {
    item: 'today',
    fault: 'AccessDenied on every S3 call in account B',
    act: async (w) => {
      await w.createBucket(ACCOUNT_A, HOME, 'public-a', true);
      await w.createBucket(ACCOUNT_B, HOME, 'public-b', true);
      w.faults.add({ service: 'S3', operation: '*', account: ACCOUNT_B, error: { code: 'AccessDenied', status: 403, message: 'Access Denied' } });
      return remediate(w, [bucket('public-a'), bucket('public-b', ACCOUNT_B)]);
    },
    expected: { published: findings('public-a', 'planned'), queued: [], deadLettered: [bucket('public-b', ACCOUNT_B)], retried: MAX_RECEIVE_COUNT },
  },
  {
    item: 'today',
    fault: 'the member role is missing in account B',
    act: async (w) => {
      await w.createBucket(ACCOUNT_A, HOME, 'public-a', true);
      await w.createBucket(ACCOUNT_B, HOME, 'public-b', true);
      w.faults.add({ service: 'STS', operation: 'AssumeRole', account: ACCOUNT_B, error: { code: 'AccessDenied', status: 403, message: 'User is not authorized to perform: sts:AssumeRole' } });
      return { ...(await remediate(w, [bucket('public-a'), bucket('public-b', ACCOUNT_B)])), also: { s3CallsInB: count(w, (c) => c.account === ACCOUNT_B && c.service === 'S3') } };
    },
    expected: { published: findings('public-a', 'planned'), queued: [], deadLettered: [bucket('public-b', ACCOUNT_B)], retried: MAX_RECEIVE_COUNT, also: { s3CallsInB: 0 } },
  },
  {
    item: 'today',
    fault: 'a message for a bucket that is gone',
    act: async (w) => remediate(w, [bucket('deleted-last-night')]),
    expected: { published: [], queued: [], deadLettered: [], retried: 0 },
  },
  {
    item: 'today',
    fault: 'SNS transient failure: three 500s, then accepted',
    act: async (w) => {
      await w.createBucket(ACCOUNT_A, HOME, 'public-a', true);
      w.faults.add({ service: 'SNS', operation: 'Publish', account: 'self', error: { code: 'InternalError', status: 500 }, times: 3 });
      return remediate(w, [bucket('public-a')]);
    },
    expected: { published: findings('public-a', 'planned'), queued: [], deadLettered: [], retried: 0 },
  },
  {
    item: 'today',
    fault: 'partial SendMessageBatch failure (InternalError on one entry) from the poll worker',
    act: async (w) => {
      for (const id of ['a-one', 'a-two']) await w.createBucket(ACCOUNT_A, HOME, id, false);
      w.faults.add({ service: 'SQS', operation: 'SendMessageBatch', account: 'self', failFirstEntry: { code: 'InternalError', senderFault: false }, times: 1 });
      return poll(w, [task(ACCOUNT_A, HOME)]);
    },
    expected: { published: [], queued: sorted([bucket('a-one'), bucket('a-two')]), deadLettered: [], retried: 0 },
  },
  {
    item: 'today',
    fault: 'the remediator times out mid-batch (its response never reaches SQS)',
    act: async (w) => {
      for (const id of ['public-a', 'public-b']) await w.createBucket(ACCOUNT_A, HOME, id, true);
      let invocations = 0;
      const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
        invocations += 1;
        const response = await w.remediator(event);
        return invocations === 1 ? { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) } : response;
      };
      return remediate(w, [bucket('public-a'), bucket('public-b')], handler);
    },
    // At least once: both records are redone, so their findings are published twice.
    expected: { published: sorted([...findings('public-a', 'planned', 2), ...findings('public-b', 'planned', 2)]), queued: [], deadLettered: [], retried: 2 },
  },
  {
    item: 'today',
    fault: 'the poll worker crashes (the resource queue refuses every attempt of its first send)',
    act: async (w) => {
      await w.createBucket(ACCOUNT_A, HOME, 'a-one', false);
      w.faults.add({ service: 'SQS', operation: 'SendMessageBatch', account: 'self', error: { code: 'InternalError', status: 500 }, times: MAX_ATTEMPTS });
      return poll(w, [task(ACCOUNT_A, HOME)]);
    },
    expected: { published: [], queued: [bucket('a-one')], deadLettered: [], retried: 1 },
  },
];

describe('fault table: nothing lost, nothing leaked', () => {
  const emulator = useFauxqs(HOME);

  it.each(ROWS.map((row) => [`item ${row.item}: ${row.fault}`, row] as const))('%s', async (_name, row) => {
    const w = await faultWorld(emulator.server(), row.world);
    const { retried, deadLettered, also } = await row.act(w);
    const observed: Observed = { published: await w.published(), queued: w.queuedResources(), deadLettered, retried, ...(also ? { also } : {}) };
    expect(observed).toEqual(row.expected);
  }, 30_000);
});
