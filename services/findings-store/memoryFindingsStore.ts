/** The findings store in memory (sandbox, demo, tests): the same conditional writes as DynamoDB. */
import { DEFAULT_RESOLVED_RETENTION_DAYS, type LifecycleSettings } from './decideTransition.ts';
import { resourceKeyOf, type FindingRecord, type ResourceRef } from './findingRecord.ts';
import { VersionedFindingsStore } from './findingsStore.ts';

export class MemoryFindingsStore extends VersionedFindingsStore {
  protected readonly records = new Map<string, FindingRecord>();

  constructor(settings: Partial<LifecycleSettings> = {}, records: readonly FindingRecord[] = []) {
    super({ renotifyDays: 7, resolvedRetentionDays: DEFAULT_RESOLVED_RETENTION_DAYS, ...settings });
    for (const record of records) this.records.set(record.findingId, record);
  }

  protected read(findingId: string): Promise<FindingRecord | undefined> {
    return Promise.resolve(this.records.get(findingId));
  }

  protected write(record: FindingRecord, readVersion: number | undefined): Promise<boolean> {
    if (this.records.get(record.findingId)?.version !== readVersion) return Promise.resolve(false);
    this.records.set(record.findingId, record);
    return Promise.resolve(true);
  }

  recordsOf(resource: ResourceRef): Promise<FindingRecord[]> {
    const key = resourceKeyOf(resource);
    return Promise.resolve([...this.records.values()].filter((record) => resourceKeyOf(record) === key));
  }

  /** Every record, in finding id order (the file store saves these; tests read them). */
  all(): FindingRecord[] {
    return [...this.records.values()].sort((a, b) => a.findingId.localeCompare(b.findingId));
  }
}
