/**
 * Real SDK clients answered by a sandbox organization (two accounts x two
 * regions) whose clock the test sets, and an assertion on the errors the
 * sandbox raises: the names and HTTP status the SDK would give AWS's.
 */
import { expect } from 'vitest';
import { ClientFactory, type AwsClients } from '../../services/core/clientFactory.ts';
import { Sandbox } from '../../services/sandbox/sandbox.ts';
import { createSandboxState } from '../../services/sandbox/sandboxState.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';

export const OTHER_REGION = 'eu-west-1';

export interface SandboxClients {
  sandbox: Sandbox;
  clock: { now: Date };
  clients(account?: string, region?: string): AwsClients;
}

export function sandboxClients(start = new Date('2026-11-20T11:00:00.000Z')): SandboxClients {
  const clock = { now: start };
  const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT, OTHER_ACCOUNT], regions: [REGION, OTHER_REGION] }), { now: () => clock.now });
  const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  return { sandbox, clock, clients: (account = ACCOUNT, region = REGION) => factory.forAccount(account, region) };
}

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
