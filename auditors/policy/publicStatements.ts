import { describeStatement, type PolicyDocument, type PolicyStatement } from './policyDocument.ts';
import { isPublicStatement } from './principals.ts';

/** The statements of a resource policy that anyone can use. */
export function publicStatements(policy: PolicyDocument | undefined): PolicyStatement[] {
  return policy?.Statement.filter(isPublicStatement) ?? [];
}

/**
 * What a public_policy finding says, or undefined when no statement is
 * public; `judged` leaves out statements another check answers for.
 */
export function describePublicStatements(policy: PolicyDocument | undefined, judged: (statement: PolicyStatement) => boolean = () => true): string | undefined {
  const statements = publicStatements(policy).filter(judged);
  if (!policy || statements.length === 0) return undefined;
  const names = statements.map((s) => describeStatement(policy, s)).join(', ');
  return `policy ${names} allow${statements.length === 1 ? 's' : ''} principal "*" without a restricting condition`;
}
