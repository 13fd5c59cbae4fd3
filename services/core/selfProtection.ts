/**
 * What the service never remediates, declared once: its own roles (the
 * member and remediation roles, the GuardDuty enrolment role, every `compliance-auditor-*`
 * role), service-linked roles, and resources carrying the stack's own tag.
 * Such resources are still audited and reported, with the reason.
 */
import type { Config } from './config.ts';
import type { ResourceType } from './resourceTypes.ts';

/** The tag the service's own stacks put on what they create. */
export const SERVICE_STACK_TAG = { key: 'compliance-auditor:stack', value: 'compliance-auditor' } as const;
/** Prefix of the service's own role names (serverless.yml functions, member stack roles). */
export const SERVICE_ROLE_PREFIX = 'compliance-auditor-';
/** IAM path of service-linked roles: https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html */
export const SERVICE_LINKED_ROLE_PATH = '/aws-service-role/';

/**
 * The configuration keys that name the service's own roles in a member
 * account, and why each is protected. The member stack's Deny on trust- and
 * policy-changing actions covers these too (member-account/memberAccountTemplate.ts).
 */
export const OWN_ROLES = {
  memberRoleName: "the service's member role",
  remediationRoleName: "the service's remediation role",
  guardDutyManagementRoleName: 'the GuardDuty enrolment role',
} as const satisfies Partial<Record<keyof Config, string>>;
export type OwnRoleKey = keyof typeof OWN_ROLES;
export const OWN_ROLE_KEYS = Object.keys(OWN_ROLES) as OwnRoleKey[];

/** What an auditor knows of a resource's identity beyond its id. */
export interface ResourceIdentity {
  type: ResourceType;
  id: string;
  /** IAM path (roles). */
  path?: string;
  tags?: Readonly<Record<string, string>>;
}

/** Why the resource must never be remediated, or undefined when it may be. */
export function protectionOf(resource: ResourceIdentity, config: Pick<Config, OwnRoleKey>): string | undefined {
  if (resource.tags?.[SERVICE_STACK_TAG.key] === SERVICE_STACK_TAG.value) return `carries the service's own tag ${SERVICE_STACK_TAG.key}`;
  if (resource.type !== 'iam_role') return undefined;
  const name = resource.id.split('/').pop() ?? resource.id;
  const own = OWN_ROLE_KEYS.find((key) => config[key] === name);
  if (own) return OWN_ROLES[own];
  if (name.startsWith(SERVICE_ROLE_PREFIX)) return `one of the service's own ${SERVICE_ROLE_PREFIX}* roles`;
  if (resource.path?.startsWith(SERVICE_LINKED_ROLE_PATH) || name.startsWith('AWSServiceRoleFor')) return 'a service-linked role';
  return undefined;
}
