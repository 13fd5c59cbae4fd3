import { isReadOnlyCommand } from '../services/core/commandKind.ts';

/**
 * Whether an IAM action only reads: the audit role may hold read actions only
 * (member-account/memberPermissions.ts and its test). The action's name is
 * judged like an API operation's (services/core/commandKind.ts), so the brakes
 * and the roles agree on what writes. A wildcard writes (it could match a write).
 */
export type ActionAccess = 'read' | 'write';

/** `service:Name`, no wildcard. */
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

export function accessOf(action: string): ActionAccess {
  if (!IAM_ACTION.test(action)) return 'write';
  return isReadOnlyCommand(action.slice(action.indexOf(':') + 1)) ? 'read' : 'write';
}
