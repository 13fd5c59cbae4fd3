export { RESTRICTING_CONDITION_KEYS, isRestrictedByCondition, restrictingConditions } from './conditions.ts';
export {
  PolicyParseError,
  asList,
  describeStatement,
  parsePolicyDocument,
  serialisePolicyDocument,
  withoutStatements,
  type ConditionBlock,
  type PolicyDocument,
  type PolicyStatement,
  type Principal,
} from './policyDocument.ts';
export { accountOfPrincipal, awsPrincipals, grantedAccounts, isPublicStatement, untrustedAccounts } from './principals.ts';
export { describePublicStatements, publicStatements } from './publicStatements.ts';
export { publicPolicyViolation, unknownAccountViolation } from './policyViolations.ts';
export { describeUntrustedGrants, untrustedGrants, withoutAccountPrincipals, withoutUntrustedAccounts, type UntrustedGrant } from './untrustedGrants.ts';
