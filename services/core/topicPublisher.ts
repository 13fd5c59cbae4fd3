import { PublishBatchCommand, PublishCommand, SNSClient, type MessageAttributeValue, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { sendWithEntryRetries } from './batchEntries.ts';
import type { AwsClients } from './clientFactory.ts';

/** PublishBatch takes 10 entries, 262,144 bytes in all, bodies and attributes counted (https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html). */
export const SNS_BATCH_SIZE = 10;
export const SNS_BATCH_BYTES = 262_144;

export interface TopicMessage {
  subject: string;
  message: string;
  attributes: Record<string, MessageAttributeValue>;
}

export class PublishError extends Error {
  readonly code?: string;
  constructor(topicArn: string, code: string | undefined, detail: string | undefined, attempts: number) {
    super(`could not publish to ${topicArn} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${code ?? 'unknown error'}${detail ? ` (${detail})` : ''}`);
    this.name = 'PublishError';
    if (code) this.code = code;
  }
}

interface Pending {
  entry: TopicMessage;
  bytes: number;
  resolve(messageId: string | undefined): void;
  reject(error: unknown): void;
}

/** What an entry weighs against SNS_BATCH_BYTES: its body, subject and attributes. */
export function messageBytes(entry: TopicMessage): number {
  const attributes = Object.entries(entry.attributes).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? ''), 0);
  return Buffer.byteLength(entry.message) + Buffer.byteLength(entry.subject) + attributes;
}

/**
 * Publishes to one topic for the records of an invocation that run at once.
 * A message is sent at once when nothing is in flight (one Publish, no wait);
 * those that arrive while a call is in flight are sent together when it ends,
 * in PublishBatch calls of at most 10 entries and 256 KiB. Each caller awaits
 * its own message: it resolves when SNS accepted it and rejects (PublishError,
 * or the call's error) when it did not, after the failed entries were retried,
 * so a caller that must publish before it acts still can.
 */
export class TopicPublisher {
  private readonly clients: AwsClients;
  private readonly topicArn: string;
  private readonly backoffMs: number;
  private readonly queue: Pending[] = [];
  private sending = false;

  constructor(clients: AwsClients, topicArn: string, backoffMs = 200) {
    this.clients = clients;
    this.topicArn = topicArn;
    this.backoffMs = backoffMs;
  }

  publish(entry: TopicMessage): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, bytes: messageBytes(entry), resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) await this.send(this.nextBatch());
    } finally {
      this.sending = false;
    }
  }

  private nextBatch(): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    while (batch.length < SNS_BATCH_SIZE) {
      const next = this.queue[0];
      if (!next || (batch.length > 0 && bytes + next.bytes > SNS_BATCH_BYTES)) break;
      batch.push(next);
      bytes += next.bytes;
      this.queue.shift();
    }
    return batch;
  }

  private async send(batch: Pending[]): Promise<void> {
    const sns = this.clients.get(SNSClient);
    try {
      if (batch.length === 1 && batch[0]) {
        const [only] = batch;
        const { MessageId } = await sns.send(new PublishCommand({ TopicArn: this.topicArn, Subject: only.entry.subject, Message: only.entry.message, MessageAttributes: only.entry.attributes }));
        only.resolve(MessageId);
        return;
      }
      const entries = batch.map((pending, index): PublishBatchRequestEntry & { Id: string } => ({ Id: String(index), Subject: pending.entry.subject, Message: pending.entry.message, MessageAttributes: pending.entry.attributes }));
      const messageIds = new Map<string, string | undefined>();
      const { failures, attempts } = await sendWithEntryRetries(
        entries,
        async (pending) => {
          const response = await sns.send(new PublishBatchCommand({ TopicArn: this.topicArn, PublishBatchRequestEntries: pending }));
          for (const ok of response.Successful ?? []) if (ok.Id !== undefined) messageIds.set(ok.Id, ok.MessageId);
          return response;
        },
        this.backoffMs,
      );
      const failed = new Map(failures.map((f) => [f.entry.Id, f]));
      batch.forEach((pending, index) => {
        const failure = failed.get(String(index));
        if (failure) pending.reject(new PublishError(this.topicArn, failure.code, failure.message, attempts));
        else if (messageIds.has(String(index))) pending.resolve(messageIds.get(String(index)));
        else pending.reject(new PublishError(this.topicArn, undefined, 'the answer names the entry neither successful nor failed', attempts));
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
