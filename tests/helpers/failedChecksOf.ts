import type { FailedCheck, Gone, NotReady } from '../../auditors/contract.ts';

/** An audit's failed checks; throws (naming `what`, if given) when the audit answered GONE or NotReady instead. */
export function failedChecksOf(result: FailedCheck[] | Gone | NotReady, what?: string): FailedCheck[] {
  if (!Array.isArray(result)) throw new Error(`${what ? `${what}: ` : ''}expected an audit result, got ${String(result)}`);
  return result;
}
