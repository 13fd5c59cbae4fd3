import type { FailedCheck, Gone, NotReady } from '../../auditors/contract.ts';

/** An audit's failed checks; throws when the audit answered GONE or NotReady instead. */
export function failedChecksOf(result: FailedCheck[] | Gone | NotReady): FailedCheck[] {
  if (!Array.isArray(result)) throw new Error(`expected an audit result, got ${String(result)}`);
  return result;
}
