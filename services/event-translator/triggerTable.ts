import type { CloudTrailTrigger } from '../../auditors/contract.ts';
import type { TriggerDeclaration } from '../../auditors/triggers/index.ts';
import type { ResourceType } from '../core/resourceTypes.ts';

export interface TriggerTarget {
  type: ResourceType;
  idPath: string;
  delaySeconds?: number;
  transformId?: CloudTrailTrigger['transformId'];
  notAudited?: CloudTrailTrigger['notAudited'];
  /** Audited in the home region: account-wide settings, and every event of a global type (IAM). */
  accountLevel?: boolean;
}

/** `s3.amazonaws.com` + `PutBucketAcl` -> what to audit. One source of truth: the auditors' triggers. */
export type TriggerTable = ReadonlyMap<string, readonly TriggerTarget[]>;

export function triggerKey(eventSource: string, eventName: string): string {
  return `${eventSource} ${eventName}`;
}

export function buildTriggerTable(auditors: readonly TriggerDeclaration[]): TriggerTable {
  const table = new Map<string, TriggerTarget[]>();
  for (const auditor of auditors) {
    for (const trigger of auditor.triggers) {
      for (const eventName of trigger.eventNames) {
        const key = triggerKey(trigger.eventSource, eventName);
        const targets = table.get(key) ?? [];
        targets.push({
          type: auditor.type,
          idPath: trigger.idPath,
          ...(trigger.delaySeconds ? { delaySeconds: trigger.delaySeconds } : {}),
          ...(trigger.transformId ? { transformId: trigger.transformId } : {}),
          ...(trigger.notAudited ? { notAudited: trigger.notAudited } : {}),
          // A global type (IAM) is listed once, in the home region (services/poller/pollUnit.ts): its
          // events go there too, whatever region CloudTrail recorded, so both paths give one finding id.
          ...(trigger.accountLevel || auditor.scope === 'global' ? { accountLevel: true } : {}),
        });
        table.set(key, targets);
      }
    }
  }
  return table;
}

/** Event sources and names, sorted: what the EventBridge patterns match. */
export function triggeredEvents(auditors: readonly TriggerDeclaration[]): Map<string, string[]> {
  const bySource = new Map<string, Set<string>>();
  for (const auditor of auditors) {
    for (const trigger of auditor.triggers) {
      const names = bySource.get(trigger.eventSource) ?? new Set<string>();
      for (const name of trigger.eventNames) names.add(name);
      bySource.set(trigger.eventSource, names);
    }
  }
  return new Map([...bySource.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([source, names]) => [source, [...names].sort()]));
}
