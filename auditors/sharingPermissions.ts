/**
 * What the `ami`, `ebs_snapshot` and `rds_snapshot` auditors share: who a
 * sharing attribute lets in. An AMI's launch permissions and an EBS
 * snapshot's create-volume permissions are `{Group: "all"}` (everyone) or
 * `{UserId: "123456789012"}` (one account); an RDS snapshot's `restore`
 * attribute holds the same two things as plain strings.
 */
import type { CheckContext } from './contract.ts';

/** The group (EC2) and the restore value (RDS) that share with every AWS account. */
export const PUBLIC_GROUP = 'all';

/** An EC2 LaunchPermission or CreateVolumePermission (the fields both have). */
export interface SharingPermission {
  Group?: string;
  UserId?: string;
}

/** Who may be shared with: the owner (`account`) and the trusted accounts. */
export type SharingContext = Pick<CheckContext, 'account' | 'trustedAccounts'>;

/**
 * Pure: an account that is neither the owner nor trusted. Exact match on the
 * 12-digit id, never a substring test.
 */
export function isUnknownAccount(account: string, context: SharingContext): boolean {
  return account !== context.account && !context.trustedAccounts.has(account);
}

/** Pure: the permissions that share with everyone (`{Group: "all"}`). */
export function publicPermissions<P extends SharingPermission>(permissions: readonly P[]): P[] {
  return permissions.filter((permission) => permission.Group === PUBLIC_GROUP);
}

/** Pure: the permissions that share with an account that is neither the owner nor trusted. */
export function unknownAccountPermissions<P extends SharingPermission>(permissions: readonly P[], context: SharingContext): P[] {
  return permissions.filter((permission) => permission.UserId !== undefined && isUnknownAccount(permission.UserId, context));
}

/** `"111111111111, 222222222222"`: the accounts of permissions, for a finding's detail. */
export function accountsOf(permissions: readonly SharingPermission[]): string {
  return permissions.map((permission) => permission.UserId ?? '').join(', ');
}
