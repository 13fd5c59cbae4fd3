/**
 * IAM-style policy documents (S3 bucket, SQS queue, Lambda resource and IAM
 * trust policies) as AWS returns them: Statement may be one object or an
 * array; Principal, Action and Resource may be strings, arrays or objects;
 * IAM returns documents URL-encoded.
 */
export type StringOrList = string | string[];

export type Principal = '*' | Record<string, StringOrList>;

export type ConditionBlock = Record<string, Record<string, StringOrList | boolean | number>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Principal;
  NotPrincipal?: Principal;
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

export class PolicyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyParseError';
  }
}

export function asList(value: StringOrList | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Decode a policy as S3, SQS, Lambda or IAM return it (IAM URL-encodes it). */
export function parsePolicyDocument(text: string): PolicyDocument {
  const trimmed = text.trim();
  // IAM URL-encodes the document as it was sent, leading whitespace included ("%0A%7B...").
  const json = trimmed.startsWith('%') ? decodeURIComponent(trimmed).trim() : trimmed;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new PolicyParseError(`policy is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PolicyParseError('policy must be a JSON object');
  }
  const document = value as { Version?: unknown; Id?: unknown; Statement?: unknown };
  const statements = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  for (const statement of statements) {
    if (typeof statement !== 'object' || statement === null) throw new PolicyParseError('a statement is not an object');
    const effect = (statement as { Effect?: unknown }).Effect;
    if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyParseError(`statement Effect must be Allow or Deny, got ${JSON.stringify(effect)}`);
  }
  return {
    ...(typeof document.Version === 'string' ? { Version: document.Version } : {}),
    ...(typeof document.Id === 'string' ? { Id: document.Id } : {}),
    Statement: statements as PolicyStatement[],
  };
}

export function serialisePolicyDocument(document: PolicyDocument): string {
  return JSON.stringify({ Version: document.Version ?? '2012-10-17', ...(document.Id ? { Id: document.Id } : {}), Statement: document.Statement });
}

/** The same document without the statements the predicate selects. */
export function withoutStatements(document: PolicyDocument, remove: (statement: PolicyStatement) => boolean): PolicyDocument {
  return { ...document, Statement: document.Statement.filter((statement) => !remove(statement)) };
}

/** A short name for a statement in a finding: its Sid, or its position. */
export function describeStatement(document: PolicyDocument, statement: PolicyStatement): string {
  return statement.Sid ? `statement "${statement.Sid}"` : `statement #${document.Statement.indexOf(statement) + 1}`;
}
