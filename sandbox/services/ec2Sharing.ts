/**
 * What snapshots' create-volume permissions and AMIs' launch permissions
 * share: `{Group: "all"}` or `{UserId}` (AMIs also organization and OU
 * ARNs), added and removed idempotently, in either of EC2's request forms.
 */
import { serviceError } from '../sandboxErrors.ts';
import { isAccountId } from './ec2State.ts';

export interface SharingPermission {
  Group?: string;
  UserId?: string;
  OrganizationArn?: string;
  OrganizationalUnitArn?: string;
}

export interface SharingChange<P extends SharingPermission> {
  Add?: P[];
  Remove?: P[];
}

/** The legacy form: Attribute + OperationType + UserIds / GroupNames (snapshots) or UserGroups (AMIs). */
export interface LegacySharingInput {
  OperationType?: string;
  UserIds?: string[];
  groups?: string[];
}

export function permissionKey(permission: SharingPermission): string {
  if (permission.Group) return `group:${permission.Group}`;
  if (permission.UserId) return `user:${permission.UserId}`;
  if (permission.OrganizationArn) return `org:${permission.OrganizationArn}`;
  return `ou:${permission.OrganizationalUnitArn ?? ''}`;
}

/** The change, from the structured form or the legacy one. */
export function sharingChangeOf<P extends SharingPermission>(structured: SharingChange<P> | undefined, legacy: LegacySharingInput): SharingChange<SharingPermission> {
  if (structured && (structured.Add?.length || structured.Remove?.length)) return structured;
  const permissions: SharingPermission[] = [...(legacy.UserIds ?? []).map((UserId) => ({ UserId })), ...(legacy.groups ?? []).map((Group) => ({ Group }))];
  if (legacy.OperationType === 'add') return { Add: permissions };
  if (legacy.OperationType === 'remove') return { Remove: permissions };
  return {};
}

/**
 * Apply a change: each permission must be the group "all" or a 12-digit
 * account (else `invalidItemCode`), adding one twice keeps one, removing one
 * that is not there is not an error.
 */
export function applySharingChange<P extends SharingPermission>(current: readonly P[], change: SharingChange<SharingPermission>, invalidItemCode: string): P[] {
  for (const permission of [...(change.Add ?? []), ...(change.Remove ?? [])]) {
    if (permission.Group !== undefined && permission.Group !== 'all') {
      throw serviceError(invalidItemCode, 400, `Invalid attribute item value "${permission.Group}" for UserGroup item type.`);
    }
    if (permission.UserId !== undefined && !isAccountId(permission.UserId)) {
      throw serviceError(invalidItemCode, 400, `Invalid attribute item value "${permission.UserId}" for userId item type.`);
    }
  }
  const removed = new Set((change.Remove ?? []).map(permissionKey));
  const kept = current.filter((permission) => !removed.has(permissionKey(permission)));
  const keys = new Set(kept.map(permissionKey));
  for (const permission of change.Add ?? []) {
    if (keys.has(permissionKey(permission))) continue;
    keys.add(permissionKey(permission));
    kept.push(permission as P);
  }
  return kept;
}

/** Whether these permissions let `account` use the resource. */
export function sharedWith(permissions: readonly SharingPermission[], account: string): boolean {
  return permissions.some((permission) => permission.Group === 'all' || permission.UserId === account);
}

export function isPublic(permissions: readonly SharingPermission[]): boolean {
  return permissions.some((permission) => permission.Group === 'all');
}
