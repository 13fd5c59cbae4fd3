import type { Auditor } from '../auditors/contract.ts';

/**
 * Every IAM action the auditors declare (list, collect, each remediation):
 * exactly what the member role allows, sorted, without duplicates.
 */
export function memberRoleActions(auditors: readonly Auditor[]): string[] {
  const actions = new Set<string>();
  for (const auditor of auditors) {
    for (const action of [...auditor.permissions.list, ...auditor.permissions.collect]) actions.add(action);
    for (const remediation of Object.values(auditor.remediations)) for (const action of remediation.permissions) actions.add(action);
  }
  return [...actions].sort();
}
