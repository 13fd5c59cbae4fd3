import type { SandboxState } from './sandboxState.ts';
import { serviceError } from './sandboxErrors.ts';

/** What an operation of a sandbox service sees. */
export interface OperationContext {
  state: SandboxState;
  account: string;
  region: string;
  /** This service's slice of the account's global scope (IAM, S3 buckets), created on first use. */
  global<S>(service: string, init: () => S): S;
  /** This service's slice of the (account, region) scope, created on first use. */
  regional<S>(service: string, init: () => S): S;
  /** A fresh id suffix: 17 hex digits, like AWS's. */
  nextId(): string;
  now(): Date;
}

export type OperationHandler = (context: OperationContext, input: unknown) => unknown;

/** What an SDK command answers, as an operation returns it: without `$metadata` (the client adds it). */
export type Output<T> = Omit<T, '$metadata'>;

/** One service of the sandbox: its SDK serviceId and its operations, by name. */
export interface SandboxService {
  serviceId: string;
  operations: Readonly<Record<string, OperationHandler>>;
}

/**
 * Declare an operation with the SDK's input and output types: the output
 * must be what the SDK command returns (without $metadata).
 */
export function operation<I, O>(handler: (context: OperationContext, input: I) => O): OperationHandler {
  return (context, input) => handler(context, input as I);
}

/** The input field, or a ValidationError as AWS would answer a missing parameter. */
export function required<T>(value: T | undefined | null, name: string, code = 'ValidationError'): T {
  if (value === undefined || value === null || value === '') throw serviceError(code, 400, `The request must contain the parameter ${name}`);
  return value;
}
