/**
 * One world per fault row: the real handlers (remediator, poll worker, event
 * translator) behind one client factory, its own queues and topic on the
 * in-process SQS/SNS emulator (fauxqs), member accounts answered by the
 * sandbox through the SDK middleware, faults from a FaultPlan.
 */
import { CreateBucketCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FauxqsServer } from 'fauxqs';
import { drainQueueIntoHandler } from '../../demo/sqsLambdaRunner.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig, type Config, type ConfigInput } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { FindingsNotification } from '../../services/core/notifications.ts';
import { createEventTranslator } from '../../services/event-translator/eventTranslatorHandler.ts';
import { buildTriggerTable } from '../../services/event-translator/triggerTable.ts';
import { createPollWorker } from '../../services/poller/pollerHandlers.ts';
import { createRemediatorHandler, type DeadlineContext } from '../../services/remediator/remediatorHandler.ts';
import { AUDITORS } from '../../auditors/registry.ts';
import { FaultPlan } from './faultPlan.ts';

export const ACCOUNT_A = '213000000001';
export const ACCOUNT_B = '213000000002';
export const HOME = 'us-east-1';
/** SQS retries a failed record once, then dead-letters it. */
export const MAX_RECEIVE_COUNT = 2;

interface Queue {
  url: string;
  arn: string;
  name: string;
}

export interface FaultWorld {
  config: Config;
  sandbox: Sandbox;
  faults: FaultPlan;
  log: ReturnType<typeof memoryLog>;
  factory: ClientFactory;
  sqs: SQSClient;
  /** A client of the test's own, outside the factory: what it sends is not counted as queued by a handler. */
  testSqs: SQSClient;
  resourceQueue: Queue;
  pollQueue: Queue;
  remediator: (event: SQSEvent, context?: DeadlineContext) => Promise<SQSBatchResponse>;
  pollWorker: (event: SQSEvent) => Promise<SQSBatchResponse>;
  translator: ReturnType<typeof createEventTranslator>;
  /** Invoke like Lambda's SQS event source until the queue is empty (retries and redrive included); the records that failed. */
  drain(queue: Queue, handler: (event: SQSEvent) => Promise<SQSBatchResponse>, batchSize?: number): Promise<number>;
  /** `<resource id> <checkId> <remediation>` for each finding that reached the topic's subscriber. */
  published(): Promise<string[]>;
  /** The bodies in a queue's dead-letter queue. */
  deadLetters(queue: Queue): string[];
  /** Every SendMessageBatch entry the emulator accepted for the resource queue (duplicates included). */
  queuedResources(): string[];
  createBucket(account: string, region: string, name: string, publicPolicy: boolean): Promise<void>;
  deleteBucket(account: string, name: string): Promise<void>;
}

let worlds = 0;

export interface WorldOptions {
  config?: Partial<ConfigInput>;
  regions?: string[];
}

export async function faultWorld(server: FauxqsServer, options: WorldOptions = {}): Promise<FaultWorld> {
  worlds += 1;
  const prefix = `faults-${worlds}`;
  const queueWithDlq = (name: string): Queue => {
    const dlq = server.createQueue(`${prefix}-${name}-dlq`);
    const queue = server.createQueue(`${prefix}-${name}`, {
      attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: MAX_RECEIVE_COUNT }) },
    });
    return { url: queue.queueUrl, arn: queue.queueArn, name: queue.queueName };
  };
  const resourceQueue = queueWithDlq('resources');
  const pollQueue = queueWithDlq('poll');
  const topic = server.createTopic(`${prefix}-findings`);
  const subscriber = server.createQueue(`${prefix}-subscriber`);
  server.subscribe({ topic: `${prefix}-findings`, queue: `${prefix}-subscriber` });

  const regions = options.regions ?? [HOME, 'eu-west-1'];
  const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT_A, ACCOUNT_B], regions }));
  const faults = new FaultPlan(sandbox);
  const config = loadConfig({
    flags: { accounts: [ACCOUNT_A, ACCOUNT_B], regions, assumeRole: true, notificationsTopicArn: topic.topicArn, resourceQueueUrl: resourceQueue.url, pollQueueUrl: pollQueue.url, ...options.config },
    env: {},
  });
  const factory = new ClientFactory({ ...config, env: process.env, instrument: faults.instrument });
  const log = memoryLog();
  const directory = new AccountDirectory(config, factory.forSecurityAccount(HOME));
  const sqs = factory.forSecurityAccount(HOME).get(SQSClient);
  const seeder = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  const accepted: string[] = [];
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if ((context as { commandName?: string }).commandName !== 'SendMessageBatchCommand') return result;
      const input = (args as { input: { QueueUrl?: string; Entries?: { Id: string; MessageBody: string }[] } }).input;
      const output = (result as { output: { Successful?: { Id: string }[] } }).output;
      if (input.QueueUrl === resourceQueue.url && input.Entries) {
        const ok = new Set((output.Successful ?? []).map((s) => s.Id));
        accepted.push(...input.Entries.filter((e) => ok.has(e.Id)).map((e) => e.MessageBody));
      }
      return result;
    },
    { step: 'initialize', name: 'recordAccepted', priority: 'low' },
  );

  return {
    config,
    sandbox,
    faults,
    log,
    factory,
    sqs,
    testSqs: new SQSClient({ region: HOME }),
    resourceQueue,
    pollQueue,
    remediator: createRemediatorHandler({ config, factory, directory, log }),
    pollWorker: createPollWorker({ config, factory, directory, log, types: ['s3_bucket', 'sqs'] }),
    translator: createEventTranslator({ config, factory, table: buildTriggerTable(AUDITORS), log }),
    async drain(queue, handler, batchSize = 10) {
      let failed = 0;
      for (let round = 0; round < 6; round += 1) {
        const result = await drainQueueIntoHandler(sqs, { url: queue.url, arn: queue.arn, region: HOME }, handler, { batchSize });
        failed += result.failed;
        const state = server.inspectQueue(queue.name);
        if (!state || (state.messages.ready.length === 0 && state.messages.inflight.length === 0 && state.messages.delayed.length === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 1_100));
      }
      return failed;
    },
    async published() {
      const lines: string[] = [];
      for (;;) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: subscriber.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        if (!Messages || Messages.length === 0) break;
        for (const message of Messages) {
          const body = JSON.parse((JSON.parse(message.Body ?? '{}') as { Message: string }).Message) as FindingsNotification;
          lines.push(...body.findings.map((f) => `${f.id} ${f.checkId} ${f.remediation}`));
        }
      }
      return lines.sort();
    },
    deadLetters(queue) {
      const state = server.inspectQueue(`${queue.name}-dlq`);
      return [...(state?.messages.ready ?? []), ...(state?.messages.inflight.map((m) => m.message) ?? [])].map((m) => m.body).sort();
    },
    queuedResources: () => [...accepted].sort(),
    async createBucket(account, region, name, publicPolicy) {
      const s3 = seeder.forAccount(account, region).get(S3Client);
      await s3.send(new CreateBucketCommand({ Bucket: name, ...(region === HOME ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }) }));
      const tls = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
      if (!publicPolicy) {
        await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [tls] }) }));
        return;
      }
      await s3.send(new PutPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
      await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }] }) }));
    },
    async deleteBucket(account, name) {
      await sandbox.call('S3', 'DeleteBucket', { Bucket: name }, account, HOME);
    },
  };
}
