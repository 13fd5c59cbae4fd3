/**
 * The findings store: one record per finding id, written only through
 * conditional writes. record() reads the finding, decides its transition
 * (decideTransition), and writes the result only if the record still has the
 * version it read; when another writer came first (two remediators auditing
 * the same resource), it reads again and decides again, so no transition is
 * lost or recorded twice. Implementations supply the three primitives.
 */
import { decideTransition, type Decision, type LifecycleSettings } from './decideTransition.ts';
import type { FindingRecord, Observation, ResourceRef } from './findingRecord.ts';

/** Rounds of read-decide-write before giving up: each lost round means another writer made progress. */
export const MAX_WRITE_ATTEMPTS = 10;

export class FindingWriteConflictError extends Error {
  override name = 'FindingWriteConflictError';
  constructor(readonly findingId: string, attempts: number) {
    super(`finding ${findingId}: ${attempts} conditional writes in a row lost to other writers; the message will be retried`);
  }
}

export interface Recorded extends Decision {
  findingId: string;
}

export interface FindingsStore {
  /** Record one observation; returns its transition and the record as it now stands. */
  record(observation: Observation, now: Date): Promise<Recorded>;
  /** Every record of one resource (open, excepted and resolved). */
  recordsOf(resource: ResourceRef): Promise<FindingRecord[]>;
  /** After a publish: the record's transition was notified at `at` (skipped when the record changed since). */
  markNotified(record: FindingRecord, at: Date): Promise<void>;
}

export abstract class VersionedFindingsStore implements FindingsStore {
  constructor(protected readonly settings: LifecycleSettings) {}

  /** The stored record, or undefined. */
  protected abstract read(findingId: string): Promise<FindingRecord | undefined>;
  /**
   * Write `record` if the stored version is still `readVersion` (undefined:
   * no record yet). false: another writer came first, nothing was written.
   */
  protected abstract write(record: FindingRecord, readVersion: number | undefined): Promise<boolean>;
  abstract recordsOf(resource: ResourceRef): Promise<FindingRecord[]>;

  async record(observation: Observation, now: Date): Promise<Recorded> {
    const findingId = observation.outcome === 'failing' ? observation.finding.findingId : observation.findingId;
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
      const previous = await this.read(findingId);
      const decision = decideTransition(previous, observation, now, this.settings);
      if (!decision.next || (await this.write(decision.next, previous?.version))) return { findingId, ...decision };
    }
    throw new FindingWriteConflictError(findingId, MAX_WRITE_ATTEMPTS);
  }

  async markNotified(record: FindingRecord, at: Date): Promise<void> {
    // Lost to a later writer: that writer's own transition is pending and will be notified by it.
    await this.write({ ...record, lastNotified: at.toISOString(), version: record.version + 1 }, record.version);
  }
}
