import type { TriggerDeclaration } from '../../auditors/triggers/index.ts';
import { CLOUDTRAIL_DETAIL_TYPE } from './translateEvent.ts';
import { triggeredEvents } from './triggerTable.ts';

/** EventBridge refuses event patterns longer than this. */
export const EVENT_PATTERN_LIMIT = 2048;

export interface EventPattern {
  source: string[];
  'detail-type': string[];
  detail: { eventSource: string[]; eventName: string[] };
}

/** `s3.amazonaws.com` -> `aws.s3`: the EventBridge source of that service's CloudTrail events. */
export function eventBridgeSource(eventSource: string): string {
  return `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`;
}

function patternOf(groups: readonly [string, readonly string[]][]): EventPattern {
  return {
    source: groups.map(([source]) => eventBridgeSource(source)),
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: { eventSource: groups.map(([source]) => source), eventName: [...new Set(groups.flatMap(([, names]) => names))].sort() },
  };
}

function fits(groups: readonly [string, readonly string[]][]): boolean {
  return JSON.stringify(patternOf(groups)).length <= EVENT_PATTERN_LIMIT;
}

/**
 * The EventBridge patterns that match every CloudTrail event an auditor is
 * triggered by, derived from the registry. One pattern when it fits in
 * EventBridge's 2,048 characters; otherwise services are packed into as few
 * patterns as fit (a service with too many names is split by name).
 */
export function eventPatterns(auditors: readonly TriggerDeclaration[]): EventPattern[] {
  const groups: [string, string[]][] = [];
  for (const [source, names] of triggeredEvents(auditors)) {
    let chunk: string[] = [];
    for (const name of names) {
      if (chunk.length > 0 && !fits([[source, [...chunk, name]]])) {
        groups.push([source, chunk]);
        chunk = [];
      }
      chunk.push(name);
    }
    if (chunk.length > 0) groups.push([source, chunk]);
  }
  const patterns: [string, string[]][][] = [];
  for (const group of groups) {
    const current = patterns.at(-1);
    if (current && fits([...current, group])) current.push(group);
    else patterns.push([group]);
  }
  return patterns.map(patternOf);
}
