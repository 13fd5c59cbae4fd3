/**
 * Grants to accounts that are neither the owner nor trusted, in a resource
 * policy (sqs) or a trust policy (iam_role): finding them, describing them,
 * and narrowing the policy to remove exactly them. Built on the shared
 * policy analyser (untrustedAccounts, accountOfPrincipal).
 */
import { asList, describeStatement, type PolicyDocument, type PolicyStatement, type Principal } from './policyDocument.ts';
import { accountOfPrincipal, awsPrincipals, untrustedAccounts } from './principals.ts';

export interface UntrustedGrant {
  statement: PolicyStatement;
  accounts: string[];
}

/** Every Allow statement that grants to an account neither the owner nor trusted, with those accounts. */
export function untrustedGrants(document: PolicyDocument | undefined, owner: string, trusted: ReadonlySet<string>): UntrustedGrant[] {
  return (document?.Statement ?? []).flatMap((statement) => {
    const accounts = untrustedAccounts(statement, owner, trusted);
    return accounts.length === 0 ? [] : [{ statement, accounts }];
  });
}

/** `statement "Partner" grants 999999999999; statement #3 grants 888888888888` */
export function describeUntrustedGrants(document: PolicyDocument, grants: readonly UntrustedGrant[]): string {
  return grants.map(({ statement, accounts }) => `${describeStatement(document, statement)} grants ${accounts.join(', ')}`).join('; ');
}

/**
 * The statement without its AWS principal entries in `accounts`, keeping
 * every other principal; undefined when nothing would be left, or when an
 * account is granted through a condition (aws:SourceAccount on principal
 * "*"), which cannot be narrowed without changing who else may use it.
 */
export function withoutAccountPrincipals(statement: PolicyStatement, accounts: ReadonlySet<string>): PolicyStatement | undefined {
  const principal = statement.Principal;
  const named = new Set(awsPrincipals(principal).map(accountOfPrincipal));
  if ([...accounts].some((account) => !named.has(account))) return undefined;
  if (principal === undefined || principal === '*') return undefined;
  const kept = asList(principal.AWS).filter((entry) => {
    const account = accountOfPrincipal(entry);
    return account === undefined || !accounts.has(account);
  });
  const [only] = kept;
  const narrowed: Principal = Object.fromEntries(
    Object.entries(principal).flatMap(([key, value]) => {
      if (key !== 'AWS') return [[key, value]];
      if (kept.length === 0) return [];
      return [[key, kept.length === 1 && only !== undefined ? only : kept]];
    }),
  );
  return Object.keys(narrowed).length === 0 ? undefined : { ...statement, Principal: narrowed };
}

/** The document with every grant to an untrusted account removed, every other grant kept. */
export function withoutUntrustedAccounts(document: PolicyDocument, owner: string, trusted: ReadonlySet<string>): PolicyDocument {
  const statements = document.Statement.flatMap((statement) => {
    const accounts = untrustedAccounts(statement, owner, trusted);
    if (accounts.length === 0) return [statement];
    const narrowed = withoutAccountPrincipals(statement, new Set(accounts));
    return narrowed ? [narrowed] : [];
  });
  return { ...document, Statement: statements };
}
