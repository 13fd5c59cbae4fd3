/**
 * Pure: what to do about an organization account given its GuardDuty member
 * RelationshipStatus as the administrator sees it (ListMembers / GetMembers).
 */

/** RelationshipStatus values GuardDuty reports for members (case as the API returns them). */
export const RELATIONSHIP = {
  enabled: 'Enabled',
  disabled: 'Disabled',
  removed: 'Removed',
  resigned: 'Resigned',
  created: 'Created',
  invited: 'Invited',
  accountSuspended: 'AccountSuspended',
  regionDisabled: 'RegionDisabled',
  emailVerificationInProgress: 'EmailVerificationInProgress',
  emailVerificationFailed: 'EmailVerificationFailed',
} as const;

export type MemberAction =
  | { kind: 'none' }
  | { kind: 'create_member' }
  | { kind: 'start_monitoring' }
  /** Nothing is changed; the reason goes into the summary. */
  | { kind: 'report'; reason: string };

export interface MemberPolicy {
  /** Re-associate disassociated members (Removed, Resigned) and restart stopped monitoring (Disabled). */
  reassociate: boolean;
}

function same(status: string, expected: string): boolean {
  return status.toLowerCase() === expected.toLowerCase();
}

/**
 * undefined (not a member) -> CreateMembers; Enabled -> nothing;
 * Removed / Resigned -> CreateMembers again and Disabled -> StartMonitoringMembers,
 * only when re-association is configured; anything else (an invitation in
 * flight, a suspended account, a disabled region) is reported, never changed.
 */
export function memberAction(relationshipStatus: string | undefined, policy: MemberPolicy): MemberAction {
  if (relationshipStatus === undefined || relationshipStatus === '') return { kind: 'create_member' };
  if (same(relationshipStatus, RELATIONSHIP.enabled)) return { kind: 'none' };
  const disassociated = same(relationshipStatus, RELATIONSHIP.removed) || same(relationshipStatus, RELATIONSHIP.resigned);
  const stopped = same(relationshipStatus, RELATIONSHIP.disabled);
  if (disassociated || stopped) {
    if (!policy.reassociate) return { kind: 'report', reason: `relationship ${relationshipStatus} (re-association is off)` };
    return disassociated ? { kind: 'create_member' } : { kind: 'start_monitoring' };
  }
  return { kind: 'report', reason: `relationship ${relationshipStatus}` };
}
