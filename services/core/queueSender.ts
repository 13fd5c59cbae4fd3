import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { AwsClients } from './clientFactory.ts';
import { sendWithEntryRetries } from './batchEntries.ts';
import { mapWithConcurrency } from './concurrency.ts';

/** SQS takes at most 10 entries per SendMessageBatch. */
export const SQS_BATCH_SIZE = 10;

export interface QueueEntry {
  body: string;
  delaySeconds?: number;
  /** String message attributes (e.g. how often a message was re-queued). */
  attributes?: Readonly<Record<string, string>>;
}

export interface FailedEntry {
  body: string;
  code?: string;
  message?: string;
  senderFault?: boolean;
}

export class QueueSendError extends Error {
  readonly failed: readonly FailedEntry[];
  readonly attempts: number;
  constructor(queueUrl: string, failed: readonly FailedEntry[], attempts: number) {
    const stopped = failed.some((f) => f.senderFault) ? ' (a sender fault: the entry is malformed and retrying cannot help)' : '';
    super(`${failed.length} message(s) could not be sent to ${queueUrl} after ${attempts} attempt${attempts === 1 ? '' : 's'}${stopped}: ${failed.map((f) => f.code ?? f.message).join(', ')}`);
    this.name = 'QueueSendError';
    this.failed = failed;
    this.attempts = attempts;
  }
}

/** How many SendMessageBatch calls one sendToQueue keeps in flight. */
export const BATCHES_IN_FLIGHT = 8;

/**
 * Send with SendMessageBatch, 10 per call, several calls in flight; entries
 * that fail are retried with backoff, and what still fails (in any batch) is
 * thrown once every batch has been tried, never dropped.
 */
export async function sendToQueue(clients: AwsClients, queueUrl: string, entries: readonly QueueEntry[], backoffMs = 200): Promise<void> {
  const sqs = clients.get(SQSClient);
  const batches: (readonly QueueEntry[])[] = [];
  for (let start = 0; start < entries.length; start += SQS_BATCH_SIZE) batches.push(entries.slice(start, start + SQS_BATCH_SIZE));
  const outcomes = await mapWithConcurrency(batches, BATCHES_IN_FLIGHT, (batch) => sendBatch(sqs, queueUrl, batch, backoffMs));
  const failed = outcomes.flatMap((outcome) => outcome.failures);
  if (failed.length > 0) throw new QueueSendError(queueUrl, failed, Math.max(...outcomes.map((outcome) => outcome.attempts)));
}

async function sendBatch(sqs: SQSClient, queueUrl: string, batch: readonly QueueEntry[], backoffMs: number): Promise<{ failures: FailedEntry[]; attempts: number }> {
  const entries: SendMessageBatchRequestEntry[] = batch.map((entry, index) => ({
    Id: String(index),
    MessageBody: entry.body,
    ...(entry.delaySeconds ? { DelaySeconds: entry.delaySeconds } : {}),
    ...(entry.attributes
      ? { MessageAttributes: Object.fromEntries(Object.entries(entry.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])) }
      : {}),
  }));
  const { failures, attempts } = await sendWithEntryRetries(entries, (pending) => sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending })), backoffMs);
  return { failures: failures.map((f) => ({ body: f.entry.MessageBody ?? '', code: f.code, message: f.message, senderFault: f.senderFault })), attempts };
}
