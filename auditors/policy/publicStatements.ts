import { describeStatement, type PolicyDocument, type PolicyStatement } from './policyDocument.ts';
import { isPublicStatement } from './principals.ts';

/** The statements of a resource policy that anyone can use. */
export function publicStatements(policy: PolicyDocument | undefined): PolicyStatement[] {
  return policy?.Statement.filter(isPublicStatement) ?? [];
}

/** What a public_policy finding says, or undefined when no statement is public. */
export function describePublicStatements(policy: PolicyDocument | undefined): string | undefined {
  const statements = publicStatements(policy);
  if (!policy || statements.length === 0) return undefined;
  const names = statements.map((s) => describeStatement(policy, s)).join(', ');
  return `policy ${names} allow${statements.length === 1 ? 's' : ''} principal "*" without a restricting condition`;
}
