/**
 * Values at a trigger's id path in a CloudTrail event's detail: a dotted
 * path where `[]` walks every element of an array
 * (`responseElements.instancesSet.items[].instanceId`). Only non-empty
 * strings come back; anything else at the path is ignored.
 */
export function valuesAtPath(root: unknown, path: string): string[] {
  let current: unknown[] = [root];
  for (const segment of path.split('.')) {
    const walkArray = segment.endsWith('[]');
    const key = walkArray ? segment.slice(0, -2) : segment;
    const next: unknown[] = [];
    for (const value of current) {
      if (typeof value !== 'object' || value === null) continue;
      const child = (value as Record<string, unknown>)[key];
      if (walkArray) {
        if (Array.isArray(child)) next.push(...child);
      } else if (child !== undefined) {
        next.push(child);
      }
    }
    current = next;
  }
  return current.filter((value): value is string => typeof value === 'string' && value.length > 0);
}
