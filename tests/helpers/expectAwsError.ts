/**
 * An assertion on the errors the sandbox raises: the names and HTTP status
 * the SDK would give AWS's.
 */
import { expect } from 'vitest';

export interface ExpectedError {
  /** The SDK exception's name (NoSuchEntityException, QueueDoesNotExist, ...). */
  name: string;
  /** The wire code, when it differs from the name (IAM's NoSuchEntity, SQS's query-compatible codes). */
  code?: string;
  status: number;
  message?: RegExp;
}

/** The call fails as AWS would answer it, seen through the SDK. */
export async function expectAwsError(call: Promise<unknown>, expected: ExpectedError): Promise<void> {
  const error: unknown = await call.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(Error);
  const failure = error as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
  expect(failure.name).toBe(expected.name);
  expect(failure.Code).toBe(expected.code ?? expected.name);
  expect(failure.$metadata?.httpStatusCode).toBe(expected.status);
  if (expected.message) expect(failure.message).toMatch(expected.message);
}
