/**
 * Whether an IAM action only reads, decided in one place: the audit role may
 * hold read actions only (member-account/memberPermissions.ts and its test).
 * An action reads when its name starts with a read verb followed by a capital
 * (`ec2:DescribeInstances`, `s3:GetBucketAcl`, `inspector2:BatchGetAccountStatus`),
 * the names AWS gives the List and Read access levels of the Service
 * Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * Everything else writes, a wildcard included (it could match a write).
 */
export type ActionAccess = 'read' | 'write';

export const READ_VERBS = ['Describe', 'Get', 'List', 'Head', 'BatchGet', 'Search', 'Lookup'] as const;

/** `service:Name`, no wildcard. */
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

export function accessOf(action: string): ActionAccess {
  if (!IAM_ACTION.test(action)) return 'write';
  const name = action.slice(action.indexOf(':') + 1);
  return READ_VERBS.some((verb) => name.startsWith(verb) && /^[A-Z]/.test(name.slice(verb.length))) ? 'read' : 'write';
}
