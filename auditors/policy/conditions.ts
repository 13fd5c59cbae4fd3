import type { ConditionBlock } from './policyDocument.ts';

/**
 * Condition keys that limit who can use an otherwise public grant: to an
 * account, an organization, a source ARN, a VPC or endpoint, or IP ranges.
 */
export const RESTRICTING_CONDITION_KEYS = [
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceip',
  'aws:userid',
  'lambda:functionurlauthtype',
  // The account of the caller of a KMS operation: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
  'kms:calleraccount',
] as const;

/** Operators that require the key to match (negated and IfExists forms do not restrict). */
const RESTRICTING_OPERATORS = ['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'ipaddress'];

const OPEN_VALUES = new Set(['0.0.0.0/0', '::/0']);

const WILDCARD = /[*?]/;

function valuesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

/**
 * The part of a condition value that names who is let in; a wildcard there
 * names no one in particular. S3 counts only "fixed" values as restricting:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
function identifyingPart(key: string, value: string): string {
  if (key === 'aws:principalarn' || key === 'aws:sourcearn') {
    // arn:partition:service:region:account:resource; an S3 bucket ARN has no account, its name identifies it.
    const fields = value.split(':');
    const account = fields[4] ?? '';
    return account === '' ? `${fields.slice(0, 4).join(':')}:${fields.slice(5).join(':')}` : account;
  }
  // o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*: the organization is fixed, the subtree below the OU is meant.
  if (key === 'aws:principalorgpaths' || key === 'aws:sourceorgpaths') return value.split('/')[0] ?? '';
  // AROAEXAMPLEID:* is every session of one role; only the id before the colon must be fixed.
  if (key === 'aws:userid') return value.split(':')[0] ?? '';
  return value;
}

function isOpenValue(key: string, value: string): boolean {
  return OPEN_VALUES.has(value) || WILDCARD.test(identifyingPart(key, value));
}

/**
 * The operator's name without its set qualifier, or undefined when the
 * operator cannot restrict. `ForAllValues:` is true when the key is absent
 * from the request, so it lets in whoever sends no such key:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
function restrictingOperator(operatorName: string): string | undefined {
  const lower = operatorName.toLowerCase();
  if (lower.startsWith('forallvalues:')) return undefined;
  const operator = lower.replace(/^foranyvalue:/, '');
  return RESTRICTING_OPERATORS.includes(operator) ? operator : undefined;
}

/** The restricting (key, values) pairs of a condition block, keys in lower case. */
export function restrictingConditions(condition: ConditionBlock | undefined): { key: string; values: string[] }[] {
  const found: { key: string; values: string[] }[] = [];
  for (const [operatorName, entries] of Object.entries(condition ?? {})) {
    if (!restrictingOperator(operatorName)) continue;
    for (const [keyName, value] of Object.entries(entries)) {
      const key = keyName.toLowerCase();
      if (!(RESTRICTING_CONDITION_KEYS as readonly string[]).includes(key)) continue;
      const values = valuesOf(value);
      if (key === 'lambda:functionurlauthtype') {
        if (values.every((v) => v.toUpperCase() === 'AWS_IAM')) found.push({ key, values });
        continue;
      }
      if (values.length > 0 && values.every((v) => !isOpenValue(key, v))) found.push({ key, values });
    }
  }
  return found;
}

export function isRestrictedByCondition(condition: ConditionBlock | undefined): boolean {
  return restrictingConditions(condition).length > 0;
}
