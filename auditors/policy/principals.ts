import { asList, type Principal, type PolicyStatement } from './policyDocument.ts';
import { isRestrictedByCondition, restrictingConditions } from './conditions.ts';

const ACCOUNT_IN_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;

/** The AWS principals of a principal element ("*" counts as one). */
export function awsPrincipals(principal: Principal | undefined): string[] {
  if (principal === undefined) return [];
  if (principal === '*') return ['*'];
  return asList(principal.AWS);
}

function isEveryone(principal: Principal | undefined): boolean {
  if (principal === '*') return true;
  if (principal === undefined) return false;
  return Object.values(principal).some((value) => asList(value).includes('*'));
}

/**
 * An Allow statement anyone can use: principal `*` (as a string, `{"AWS":"*"}`
 * or in a list) with no condition that restricts it to accounts, an
 * organization, a source, a VPC or IP ranges; or any Allow with NotPrincipal.
 */
export function isPublicStatement(statement: PolicyStatement): boolean {
  if (statement.Effect !== 'Allow') return false;
  // NotPrincipal with Allow is unsupported and means everyone but the named, whatever the conditions:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
  if (statement.NotPrincipal !== undefined) return true;
  return isEveryone(statement.Principal) && !isRestrictedByCondition(statement.Condition);
}

/** The 12-digit account of a principal entry (`123456789012`, `arn:aws:iam::123456789012:root`). */
export function accountOfPrincipal(entry: string): string | undefined {
  if (/^\d{12}$/.test(entry)) return entry;
  return ACCOUNT_IN_ARN.exec(entry)?.[1];
}

const ACCOUNT_IN_ANY_ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/;

/**
 * Accounts an Allow statement grants to: its AWS principals' accounts, and,
 * for a `*` or service principal narrowed by a condition, the accounts that
 * condition names (aws:SourceAccount, aws:PrincipalAccount, aws:SourceOwner, kms:CallerAccount,
 * or the account in an aws:SourceArn / aws:PrincipalArn).
 */
export function grantedAccounts(statement: PolicyStatement): string[] {
  if (statement.Effect !== 'Allow') return [];
  const accounts = new Set<string>();
  for (const entry of awsPrincipals(statement.Principal)) {
    const account = accountOfPrincipal(entry);
    if (account) accounts.add(account);
  }
  const byService = typeof statement.Principal === 'object' && asList(statement.Principal.Service).length > 0;
  if (isEveryone(statement.Principal) || byService) {
    for (const { key, values } of restrictingConditions(statement.Condition)) {
      for (const value of values) {
        if (['aws:sourceaccount', 'aws:principalaccount', 'aws:sourceowner', 'kms:calleraccount'].includes(key) && /^\d{12}$/.test(value)) accounts.add(value);
        if (key === 'aws:sourcearn' || key === 'aws:principalarn') {
          const account = ACCOUNT_IN_ANY_ARN.exec(value)?.[1];
          if (account) accounts.add(account);
        }
      }
    }
  }
  return [...accounts];
}

/**
 * Accounts granted by the statement that are neither the owner nor trusted.
 * Membership is an exact match on the 12-digit id, never a substring test.
 */
export function untrustedAccounts(statement: PolicyStatement, owner: string, trusted: ReadonlySet<string>): string[] {
  return grantedAccounts(statement).filter((account) => account !== owner && !trusted.has(account));
}
