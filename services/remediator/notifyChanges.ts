/**
 * Notify on change only: record every observation of one resource in the
 * findings store, then publish one message per transition that happened
 * (new, reopened, resolved, remediation_changed, digest), and mark those
 * records notified. The store is written before the publish and marked after
 * it, so a publish that fails leaves the transition pending: the retried
 * message finds it pending and publishes it again (at least once, never lost).
 */
import type { Finding } from '../core/findings.ts';
import type { ResourceMessage } from '../core/message.ts';
import { findingOfRecord, TRANSITIONS, type FindingRecord, type NotifiedTransition, type Observation } from '../findings-store/findingRecord.ts';
import type { FindingsStore } from '../findings-store/findingsStore.ts';

export interface FindingChange {
  transition: NotifiedTransition;
  finding: Finding;
}

/** A change as recordAndNotify made it: with the record as it stands after it (what Security Hub receives). */
export interface RecordedChange extends FindingChange {
  record: FindingRecord;
}

export type PublishChange = (findings: Finding[], transition: NotifiedTransition) => Promise<void>;

/** The observations of an audited resource: its failed checks' findings, and every check that passed. */
export function observationsOf(findings: readonly Finding[], passed: readonly { findingId: string }[]): Observation[] {
  return [
    ...findings.map((finding): Observation => ({ outcome: 'failing', finding })),
    ...passed.map(({ findingId }): Observation => ({ outcome: 'passing', findingId, because: 'the check passes now' })),
  ];
}

/** A resource that is gone resolves every finding recorded for it. */
export async function goneObservations(store: FindingsStore, resource: ResourceMessage): Promise<Observation[]> {
  const records = await store.recordsOf(resource);
  return records.map(({ findingId }) => ({ outcome: 'passing', findingId, because: 'the resource is gone' }));
}

export async function recordAndNotify(
  store: FindingsStore,
  observations: readonly Observation[],
  now: Date,
  publish: PublishChange | undefined,
): Promise<RecordedChange[]> {
  const recorded = [];
  for (const observation of observations) {
    const result = await store.record(observation, now);
    recorded.push({ ...result, because: observation.outcome === 'passing' ? observation.because : undefined });
  }
  const changes: RecordedChange[] = [];
  for (const transition of TRANSITIONS) {
    if (transition === 'unchanged') continue;
    const group = recorded.filter((r) => r.transition === transition);
    const notified = group.flatMap(({ record, because }) => {
      if (!record) return [];
      const finding = findingOfRecord(record);
      return [{ record, finding: because ? { ...finding, detail: `resolved: ${because} (was: ${finding.detail})` } : finding }];
    });
    if (notified.length === 0) continue;
    if (publish) await publish(notified.map(({ finding }) => finding), transition);
    for (const { record } of notified) await store.markNotified(record, now);
    changes.push(...notified.map(({ record, finding }) => ({ transition, finding, record })));
  }
  return changes;
}
