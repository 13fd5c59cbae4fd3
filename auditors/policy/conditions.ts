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
] as const;

/** Operators that require the key to match (negated and IfExists forms do not restrict). */
const RESTRICTING_OPERATORS = ['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'ipaddress'];

const OPEN_VALUES = new Set(['*', '0.0.0.0/0', '::/0', 'arn:aws:*', 'arn:*']);

function valuesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

/** The restricting (key, values) pairs of a condition block, keys in lower case. */
export function restrictingConditions(condition: ConditionBlock | undefined): { key: string; values: string[] }[] {
  const found: { key: string; values: string[] }[] = [];
  for (const [operatorName, entries] of Object.entries(condition ?? {})) {
    const operator = operatorName.toLowerCase().replace(/^forallvalues:|^foranyvalue:/, '');
    if (!RESTRICTING_OPERATORS.includes(operator)) continue;
    for (const [keyName, value] of Object.entries(entries)) {
      const key = keyName.toLowerCase();
      if (!(RESTRICTING_CONDITION_KEYS as readonly string[]).includes(key)) continue;
      const values = valuesOf(value);
      if (key === 'lambda:functionurlauthtype') {
        if (values.every((v) => v.toUpperCase() === 'AWS_IAM')) found.push({ key, values });
        continue;
      }
      const arnKey = key === 'aws:principalarn' || key === 'aws:sourcearn';
      // An ARN whose account field is a wildcard (arn:aws:iam::*:role/x) names no one in particular.
      const open = (v: string) => OPEN_VALUES.has(v) || /^\*+$/.test(v) || (arnKey && /[*?]/.test(v.split(':')[4] ?? ''));
      if (values.length > 0 && values.every((v) => !open(v))) found.push({ key, values });
    }
  }
  return found;
}

export function isRestrictedByCondition(condition: ConditionBlock | undefined): boolean {
  return restrictingConditions(condition).length > 0;
}
