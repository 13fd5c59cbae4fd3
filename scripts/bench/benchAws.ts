/**
 * The AWS the bench talks to: the sandbox organization (member accounts),
 * behind per-call latency and AWS's token buckets, plus what the sandbox
 * leaves to a real emulator: STS AssumeRole and the security account's
 * queues and topic. Attached through the client factory's `instrument` hook
 * with assumeRole on, so the factory's own credential cache runs and every
 * AssumeRole it makes is counted (an interceptor would skip both).
 */
import { createHash } from 'node:crypto';
import { answerCommands, serviceIdOf } from '../../sandbox/answerCommands.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { serviceError } from '../../sandbox/sandboxErrors.ts';
import type { SandboxState } from '../../sandbox/sandboxState.ts';
import { DEFAULT_THROTTLING_ERROR, THROTTLING_ERRORS, TokenBuckets } from '../../sandbox/throttling.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import type { Config } from '../../services/core/config.ts';
import { sleep } from '../../services/core/concurrency.ts';
import { CallCounters, type CallSeen } from './callCounters.ts';
import { MessageQueue } from './messageQueue.ts';
import { bucketOf, type Bucket } from './throttleLimits.ts';

export interface BenchAwsOptions {
  /** Added to every call, the security account's included. */
  latencyMs: number;
  /** Enforce AWS's documented request rates (throttleLimits.ts). */
  throttle: boolean;
  /** Clock of the token buckets (tests). */
  now?: () => number;
}

/** Fake keys for the SDK's default chain: the bench never reaches AWS. */
export const BENCH_CREDENTIALS_ENV = { AWS_ACCESS_KEY_ID: 'AKIABENCH00000000000', AWS_SECRET_ACCESS_KEY: 'bench', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } as const;

/** The SDK checks each sent body's MD5 against SQS's answer. */
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

interface SendMessageBatchInput {
  QueueUrl?: string;
  Entries?: { Id?: string; MessageBody?: string }[];
}

export class BenchAws {
  readonly sandbox: Sandbox;
  readonly counters = new CallCounters();
  private readonly options: BenchAwsOptions;
  private readonly buckets = new Map<string, TokenBuckets>();
  private readonly queues = new Map<string, MessageQueue>();
  private sequence = 0;

  constructor(state: SandboxState, options: BenchAwsOptions) {
    // The sandbox answers from its state only: latency and throttling are applied here, per service.
    this.sandbox = new Sandbox(state, {});
    this.options = options;
  }

  /** A client factory as a deployed function builds one, talking to this AWS. */
  factory(config: Config): ClientFactory {
    return new ClientFactory({ ...config, assumeRole: true, env: {}, instrument: this.instrument });
  }

  /** The security account's queue at this URL (created on first use). */
  queue(url: string): MessageQueue {
    const queue = this.queues.get(url) ?? new MessageQueue();
    this.queues.set(url, queue);
    return queue;
  }

  readonly instrument = (client: unknown, account: string, region: string): void => {
    const serviceId = serviceIdOf(client);
    if (!serviceId) return;
    answerCommands(client, 'bench', (service, operation, input) => this.call({ service, operation, account, region }, input));
  };

  private async call(call: CallSeen, input: object): Promise<unknown> {
    this.counters.request(call);
    const bucket = this.options.throttle ? bucketOf(call.service, call.operation, call.account, call.region) : undefined;
    const allowed = !bucket || this.bucketsOf(bucket).take(bucket.key);
    if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
    if (!allowed) {
      this.counters.throttledCall(call);
      const throttling = THROTTLING_ERRORS[call.service] ?? DEFAULT_THROTTLING_ERROR;
      throw serviceError(throttling.code, throttling.status, 'Rate exceeded');
    }
    const output = await this.answer(call, input);
    this.counters.answered(call, bucket ?? bucketOf(call.service, call.operation, call.account, call.region));
    return output;
  }

  private bucketsOf(bucket: Bucket): TokenBuckets {
    const existing = this.buckets.get(bucket.rule.name);
    if (existing) return existing;
    const created = new TokenBuckets(bucket.rule, this.options.now);
    this.buckets.set(bucket.rule.name, created);
    return created;
  }

  private answer(call: CallSeen, input: object): unknown {
    if (call.service === 'STS' && call.operation === 'AssumeRole') return this.assumeRole(call);
    if (call.account !== 'self') return this.timed(() => this.sandbox.call(call.service, call.operation, input, call.account, call.region));
    if (call.service === 'SQS') return this.securityQueue(call.operation, input);
    if (call.service === 'SNS') return this.securityTopic(call.operation, input);
    if (this.sandbox.handles(call.service, 'self')) return this.sandbox.call(call.service, call.operation, input, this.sandbox.state.managementAccount, call.region);
    throw new Error(`bench: the security account's ${call.service} ${call.operation} is not simulated`);
  }

  /**
   * The sandbox answers synchronously (it has no latency of its own), so the
   * time it takes is this thread's CPU time answering. Read off the clock:
   * process.cpuUsage() counts every thread of the process (the poll threads
   * run side by side) and costs a system call twice per call.
   */
  private timed<T>(answer: () => T): T {
    const started = performance.now();
    try {
      return answer();
    } finally {
      this.counters.sandboxTime(performance.now() - started);
    }
  }

  private assumeRole(call: CallSeen): unknown {
    this.counters.assumedRole(call.account);
    return {
      Credentials: {
        AccessKeyId: `ASIABENCH${call.account}`,
        SecretAccessKey: 'bench',
        SessionToken: 'bench',
        Expiration: new Date(Date.now() + 3600 * 1000),
      },
      AssumedRoleUser: { AssumedRoleId: `AROABENCH:${call.account}`, Arn: `arn:aws:sts::${call.account}:assumed-role/bench/compliance-auditor` },
    };
  }

  private securityQueue(operation: string, input: object): unknown {
    if (operation === 'SendMessageBatch') {
      const { QueueUrl = '', Entries = [] } = input as SendMessageBatchInput;
      this.queue(QueueUrl).push(Entries.map((entry) => entry.MessageBody ?? ''));
      this.counters.queuedMessages(QueueUrl, Entries.length, true);
      return { Successful: Entries.map((entry) => ({ Id: entry.Id, MessageId: this.messageId(), MD5OfMessageBody: md5(entry.MessageBody ?? '') })), Failed: [] };
    }
    if (operation === 'SendMessage') {
      const { QueueUrl = '', MessageBody = '' } = input as { QueueUrl?: string; MessageBody?: string };
      this.queue(QueueUrl).push([MessageBody]);
      this.counters.queuedMessages(QueueUrl, 1, false);
      return { MessageId: this.messageId(), MD5OfMessageBody: md5(MessageBody) };
    }
    throw new Error(`bench: SQS ${operation} of the security account is not simulated`);
  }

  private securityTopic(operation: string, input: object): unknown {
    if (operation === 'Publish') {
      this.counters.publishedNotifications(1);
      return { MessageId: this.messageId() };
    }
    if (operation === 'PublishBatch') {
      const entries = (input as { PublishBatchRequestEntries?: { Id?: string }[] }).PublishBatchRequestEntries ?? [];
      this.counters.publishedNotifications(entries.length);
      return { Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: this.messageId() })), Failed: [] };
    }
    throw new Error(`bench: SNS ${operation} is not simulated`);
  }

  private messageId(): string {
    this.sequence += 1;
    return `bench-${this.sequence}`;
  }
}
