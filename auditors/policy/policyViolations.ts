/**
 * The violations of the two resource-policy checks every type with a
 * resource policy has (public_policy, shared_unknown_account), as their
 * pure evaluate functions return them. Built on the shared analyser.
 */
import type { Violation } from '../contract.ts';
import type { PolicyDocument } from './policyDocument.ts';
import { describePublicStatements } from './publicStatements.ts';
import { describeUntrustedGrants, untrustedGrants } from './untrustedGrants.ts';

/** public_policy: the statements anyone can use, or undefined when none. */
export function publicPolicyViolation(policy: PolicyDocument | undefined): Violation | undefined {
  const detail = describePublicStatements(policy);
  return detail ? { detail } : undefined;
}

/** shared_unknown_account: the grants to accounts neither the owner nor trusted, or undefined when none. */
export function unknownAccountViolation(policy: PolicyDocument | undefined, owner: string, trusted: ReadonlySet<string>): Violation | undefined {
  const grants = untrustedGrants(policy, owner, trusted);
  if (!policy || grants.length === 0) return undefined;
  return { detail: `policy ${describeUntrustedGrants(policy, grants)}` };
}
