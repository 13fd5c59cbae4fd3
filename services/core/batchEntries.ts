import { sleep } from './concurrency.ts';

/** How often a batch entry that failed (not by the sender's fault) is tried in all. */
export const ENTRY_ATTEMPTS = 5;

/** A failed entry as SQS (SendMessageBatch) and SNS (PublishBatch) both report it. */
export interface BatchResultError {
  Id?: string;
  Code?: string;
  Message?: string;
  SenderFault?: boolean;
}

export interface EntryFailure<E> {
  entry: E;
  code?: string;
  message?: string;
  senderFault: boolean;
}

/**
 * Send a batch and retry, with backoff, only the entries that failed, until
 * none fails or ENTRY_ATTEMPTS; a sender fault (a malformed entry) stops the
 * retries, since they cannot help. Returns what still failed, never drops it.
 */
export async function sendWithEntryRetries<E extends { Id: string | undefined }>(
  entries: readonly E[],
  send: (pending: E[]) => Promise<{ Failed?: BatchResultError[] }>,
  backoffMs: number,
): Promise<{ failures: EntryFailure<E>[]; attempts: number }> {
  let pending = [...entries];
  let failures: EntryFailure<E>[] = [];
  let attempts = 0;
  for (let attempt = 1; attempt <= ENTRY_ATTEMPTS && pending.length > 0; attempt += 1) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
    attempts = attempt;
    const response = await send(pending);
    const failedIds = new Map((response.Failed ?? []).map((f) => [f.Id, f]));
    failures = pending.flatMap((entry) => {
      const failed = failedIds.get(entry.Id);
      return failed ? [{ entry, code: failed.Code, message: failed.Message, senderFault: failed.SenderFault === true }] : [];
    });
    if (failures.some((f) => f.senderFault)) break;
    pending = failures.map((f) => f.entry);
  }
  return { failures, attempts };
}
