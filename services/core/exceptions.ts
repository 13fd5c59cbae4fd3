import type { RemediationException } from './config.ts';

export interface ExceptionSubject {
  checkId: string;
  account: string;
  type: string;
  id: string;
}

/**
 * The first exception that covers this finding: every field the exception
 * sets must match exactly. An exception stops remediation, never the finding.
 */
export function matchingException(
  subject: ExceptionSubject,
  exceptions: readonly RemediationException[],
): RemediationException | undefined {
  return exceptions.find(
    (exception) =>
      (exception.checkId === undefined || exception.checkId === subject.checkId) &&
      (exception.account === undefined || exception.account === subject.account) &&
      (exception.type === undefined || exception.type === subject.type) &&
      (exception.id === undefined || exception.id === subject.id),
  );
}
