/**
 * What the `ami`, `ebs_snapshot` and `rds_snapshot` auditors share: who a
 * sharing attribute lets in. An AMI's launch permissions and an EBS
 * snapshot's create-volume permissions are `{Group: "all"}` (everyone) or
 * `{UserId: "123456789012"}` (one account); an AMI's may also name an
 * organization or OU (`{OrganizationArn}`, `{OrganizationalUnitArn}`); an
 * RDS snapshot's `restore` attribute holds the public group and accounts
 * as plain strings. (EBS create-volume permissions have no organization
 * form: ModifySnapshotAttribute takes only UserIds and groups.)
 */
import type { CheckContext } from './contract.ts';

/** The group (EC2) and the restore value (RDS) that share with every AWS account. */
export const PUBLIC_GROUP = 'all';

/** An EC2 LaunchPermission or CreateVolumePermission (organization fields: AMIs only). */
export interface SharingPermission {
  Group?: string;
  UserId?: string;
  OrganizationArn?: string;
  OrganizationalUnitArn?: string;
}

/** Who may be shared with: the owner (`account`), the trusted accounts and the organization, when known. */
export type SharingContext = Pick<CheckContext, 'account' | 'trustedAccounts' | 'organizationId'>;

/**
 * The organization an OrganizationArn (`arn:aws:organizations::<mgmt>:organization/o-…`)
 * or OrganizationalUnitArn (`…:ou/o-…/ou-…`) belongs to; undefined when it names none.
 * ARN patterns: https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_LaunchPermissionConfiguration.html
 */
export function organizationOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:organizations::\d{12}:(?:organization|ou)\/(o-[a-z0-9]{10,32})(?:\/|$)/.exec(arn)?.[1];
}

/** The organization ARN or OU ARN a permission grants to, if any. */
function organizationGrant(permission: SharingPermission): string | undefined {
  return permission.OrganizationArn ?? permission.OrganizationalUnitArn;
}

/** Pure: a grant to an organization or OU that is not the audited accounts' own (or when that is unknown). */
function isForeignOrganizationGrant(permission: SharingPermission, context: SharingContext): boolean {
  const arn = organizationGrant(permission);
  if (arn === undefined) return false;
  return context.organizationId === undefined || organizationOfArn(arn) !== context.organizationId;
}

/**
 * Pure: whether every unknown grant can be told foreign for sure: an
 * organization grant cannot while the audited organization is unknown
 * (then it is reported, never removed).
 */
export function unknownPermissionsAreProvable(permissions: readonly SharingPermission[], context: SharingContext): boolean {
  return context.organizationId !== undefined || unknownAccountPermissions(permissions, context).every((permission) => organizationGrant(permission) === undefined);
}

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

/**
 * Pure: the permissions that share with an account that is neither the
 * owner nor trusted, or with an organization or OU outside the audited
 * organization (all of them while it is unknown).
 */
export function unknownAccountPermissions<P extends SharingPermission>(permissions: readonly P[], context: SharingContext): P[] {
  return permissions.filter(
    (permission) => (permission.UserId !== undefined && isUnknownAccount(permission.UserId, context)) || isForeignOrganizationGrant(permission, context),
  );
}

/** `"111111111111, arn:aws:organizations::…:organization/o-…"`: whom permissions share with, for a finding's detail. */
export function accountsOf(permissions: readonly SharingPermission[]): string {
  return permissions.map((permission) => permission.UserId ?? organizationGrant(permission) ?? '').join(', ');
}
