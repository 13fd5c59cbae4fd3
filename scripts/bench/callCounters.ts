import type { BucketCalls, UnitCalls } from './lowerBound.ts';
import type { Bucket } from './throttleLimits.ts';

/** One call as AWS (the bench's sandbox) saw it. */
export interface CallSeen {
  service: string;
  operation: string;
  /** The member account, or 'self' for the security account's own clients. */
  account: string;
  region: string;
}

/** What the bench's AWS saw, as plain data (the report's counters). */
export interface CounterSnapshot {
  /** Every request, throttled attempts included, by service. */
  callsByService: Record<string, number>;
  throttledByService: Record<string, number>;
  assumeRoleCalls: number;
  assumeRoleByAccount: Record<string, number>;
  sendMessageBatchCalls: number;
  /** Messages accepted by the security account's queues, by queue URL. */
  messagesByQueue: Record<string, number>;
  /** Messages accepted by SNS (Publish: 1 each, PublishBatch: its entries). */
  notificationsPublished: number;
  /** CPU time spent inside the sandbox answering (its own state work, not the latency): what AWS would do. */
  sandboxAnswerMs: number;
  /** Answered member-account calls per (account, region): the lower bound's chains. */
  units: UnitCalls[];
  /** Answered calls per throttle bucket: the lower bound's buckets. */
  buckets: BucketCalls[];
}

function increment<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

const sortedRecord = (map: Map<string, number>): Record<string, number> => Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));

/** Counts what the bench's AWS answered, throttled and accepted. */
export class CallCounters {
  private readonly calls = new Map<string, number>();
  private readonly throttled = new Map<string, number>();
  private readonly assumeRoles = new Map<string, number>();
  private readonly queued = new Map<string, number>();
  private readonly unitCalls = new Map<string, Map<string, number>>();
  private readonly bucketCalls = new Map<string, BucketCalls>();
  private sendMessageBatches = 0;
  private published = 0;
  private answerMs = 0;

  /** A request that reached AWS (answered or not). */
  request(call: CallSeen): void {
    increment(this.calls, call.service);
  }

  throttledCall(call: CallSeen): void {
    increment(this.throttled, call.service);
  }

  /** A member-account call that AWS answered (the work a unit had to do). */
  answered(call: CallSeen, bucket: Bucket | undefined): void {
    if (call.account === 'self') return;
    const unit = `${call.account}/${call.region}`;
    const byService = this.unitCalls.get(unit) ?? new Map<string, number>();
    this.unitCalls.set(unit, byService);
    increment(byService, call.service);
    if (bucket) {
      const entry = this.bucketCalls.get(bucket.key) ?? { key: bucket.key, calls: 0, rule: { burst: bucket.rule.burst, ratePerSecond: bucket.rule.ratePerSecond } };
      entry.calls += 1;
      this.bucketCalls.set(bucket.key, entry);
    }
  }

  assumedRole(account: string): void {
    increment(this.assumeRoles, account);
  }

  queuedMessages(queueUrl: string, count: number, batch: boolean): void {
    increment(this.queued, queueUrl, count);
    if (batch) this.sendMessageBatches += 1;
  }

  publishedNotifications(count: number): void {
    this.published += count;
  }

  sandboxTime(ms: number): void {
    this.answerMs += ms;
  }

  snapshot(): CounterSnapshot {
    return {
      callsByService: sortedRecord(this.calls),
      throttledByService: sortedRecord(this.throttled),
      assumeRoleCalls: [...this.assumeRoles.values()].reduce((sum, n) => sum + n, 0),
      assumeRoleByAccount: sortedRecord(this.assumeRoles),
      sendMessageBatchCalls: this.sendMessageBatches,
      messagesByQueue: sortedRecord(this.queued),
      notificationsPublished: this.published,
      sandboxAnswerMs: this.answerMs,
      units: [...this.unitCalls].map(([unit, byService]) => ({ unit, callsByService: sortedRecord(byService) })),
      buckets: [...this.bucketCalls.values()].map((bucket) => ({ ...bucket, rule: { ...bucket.rule } })),
    };
  }
}

function addRecords(records: readonly Record<string, number>[]): Record<string, number> {
  const sums = new Map<string, number>();
  for (const record of records) for (const [key, count] of Object.entries(record)) increment(sums, key, count);
  return sortedRecord(sums);
}

/**
 * The counters of several AWS views as one (the poll threads' each saw its
 * own accounts). Buckets of one key are added up; units and buckets keep
 * their order of first appearance.
 */
export function mergeSnapshots(snapshots: readonly CounterSnapshot[]): CounterSnapshot {
  const buckets = new Map<string, BucketCalls>();
  for (const bucket of snapshots.flatMap((snapshot) => snapshot.buckets)) {
    const seen = buckets.get(bucket.key);
    buckets.set(bucket.key, seen ? { ...seen, calls: seen.calls + bucket.calls } : { ...bucket, rule: { ...bucket.rule } });
  }
  const units = new Map<string, Record<string, number>>();
  for (const unit of snapshots.flatMap((snapshot) => snapshot.units)) {
    const seen = units.get(unit.unit);
    units.set(unit.unit, seen ? addRecords([seen, unit.callsByService]) : { ...unit.callsByService });
  }
  return {
    callsByService: addRecords(snapshots.map((s) => s.callsByService)),
    throttledByService: addRecords(snapshots.map((s) => s.throttledByService)),
    assumeRoleCalls: snapshots.reduce((sum, s) => sum + s.assumeRoleCalls, 0),
    assumeRoleByAccount: addRecords(snapshots.map((s) => s.assumeRoleByAccount)),
    sendMessageBatchCalls: snapshots.reduce((sum, s) => sum + s.sendMessageBatchCalls, 0),
    messagesByQueue: addRecords(snapshots.map((s) => s.messagesByQueue)),
    notificationsPublished: snapshots.reduce((sum, s) => sum + s.notificationsPublished, 0),
    sandboxAnswerMs: snapshots.reduce((sum, s) => sum + s.sandboxAnswerMs, 0),
    units: [...units].map(([unit, callsByService]) => ({ unit, callsByService })),
    buckets: [...buckets.values()],
  };
}
