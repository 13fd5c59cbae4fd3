/**
 * Typed errors. Each carries what it concerns (account, region, type, id when
 * known) and says what to do next.
 */
export interface ResourceRef {
  account?: string;
  region?: string;
  type?: string;
  id?: string;
}

export class ComplianceError extends Error {
  readonly ref: ResourceRef;
  constructor(message: string, ref: ResourceRef = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ComplianceError';
    this.ref = ref;
  }
}

/** A message failed validation: it names the field and the bad value. */
export class InvalidMessageError extends ComplianceError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[], ref: ResourceRef = {}) {
    super(`invalid resource message: ${issues.join('; ')}`, ref);
    this.name = 'InvalidMessageError';
    this.issues = issues;
  }
}

/** A message names an account outside the configured set. */
export class AccountNotAllowedError extends ComplianceError {
  constructor(ref: ResourceRef) {
    super(
      `account ${ref.account} is not in the configured accounts; add it to ACCOUNTS (or use ACCOUNTS=organization) if it should be audited`,
      ref,
    );
    this.name = 'AccountNotAllowedError';
  }
}

/** Configuration is invalid: raised once, at start-up. */
export class ConfigError extends ComplianceError {
  constructor(issues: readonly string[]) {
    super(`invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Credentials for a member account could not be obtained. */
export class AssumeRoleError extends ComplianceError {
  constructor(account: string, roleArn: string, cause: unknown) {
    super(
      `cannot assume ${roleArn}: ${describeError(cause)}. Check that the member-account stack is deployed in ${account} and that the ExternalId matches`,
      { account },
      { cause },
    );
    this.name = 'AssumeRoleError';
  }
}

/** The AWS error name (SDK v3 sets `name`; some endpoints set `Code`). */
export function awsErrorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as { name?: unknown; Code?: unknown; code?: unknown };
    for (const value of [candidate.Code, candidate.code, candidate.name]) {
      if (typeof value === 'string' && value.length > 0 && value !== 'Error') return value;
    }
  }
  return 'Error';
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = awsErrorName(error);
    return name === 'Error' || error.message.startsWith(name) ? error.message : `${name}: ${error.message}`;
  }
  return String(error);
}

export function hasErrorName(error: unknown, ...names: readonly string[]): boolean {
  return names.includes(awsErrorName(error));
}

const ACCESS_DENIED = [
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthFailure',
  'OptInRequired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
] as const;

export function isAccessDenied(error: unknown): boolean {
  return hasErrorName(error, ...ACCESS_DENIED);
}
