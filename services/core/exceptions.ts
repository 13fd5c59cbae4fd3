import type { RemediationException } from './config.ts';

export interface ExceptionSubject {
  checkId: string;
  account: string;
  type: string;
  id: string;
  /** The resource's tags, where its auditor reads them (for the tag form). */
  tags?: Readonly<Record<string, string>>;
}

export interface ExceptionOptions {
  /** When the finding is judged; an exception past its `expires` no longer applies. Default: now. */
  now?: Date;
  /** The tag key of the tag form (config exceptionTagKey); unset: tags except nothing. */
  tagKey?: string;
}

/** What excepted the finding: a configured exception, or the resource's own tag. */
export type MatchedException = Pick<RemediationException, 'reason'> & { source: 'config' | 'tag' };

/**
 * The first exception that covers this finding: every field a configured
 * exception sets must match (`id` may use `*` and `?`), and it must not have
 * expired; or the resource carries the exception tag naming this check (or
 * `*`). An exception stops remediation, never the finding.
 */
export function matchingException(subject: ExceptionSubject, exceptions: readonly RemediationException[], options: ExceptionOptions = {}): MatchedException | undefined {
  const now = options.now ?? new Date();
  const configured = exceptions.find(
    (exception) =>
      (exception.checkId === undefined || exception.checkId === subject.checkId) &&
      (exception.account === undefined || exception.account === subject.account) &&
      (exception.type === undefined || exception.type === subject.type) &&
      (exception.id === undefined || idPattern(exception.id).test(subject.id)) &&
      (exception.expires === undefined || now < expiryOf(exception.expires)),
  );
  if (configured) return { source: 'config', ...(configured.reason !== undefined ? { reason: configured.reason } : {}) };
  return tagException(subject, options.tagKey);
}

/**
 * The instant an exception stops applying: a date-time as written, a date
 * (`2027-01-31`) at the end of that day, UTC.
 */
export function expiryOf(expires: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? new Date(Date.parse(`${expires}T00:00:00Z`) + 24 * 60 * 60 * 1000) : new Date(expires);
}

/** `*` any run of characters, `?` one character; everything else literal; the whole id must match. */
function idPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

/**
 * The tag form: `<tagKey>` = a check id, `*` (every check), or several check
 * ids separated by spaces (tag values allow no commas:
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html). The tag value is the reason.
 */
function tagException(subject: ExceptionSubject, tagKey: string | undefined): MatchedException | undefined {
  if (tagKey === undefined) return undefined;
  const value = subject.tags?.[tagKey];
  if (value === undefined) return undefined;
  const named = value.split(/\s+/).filter((word) => word.length > 0);
  if (!named.includes('*') && !named.includes(subject.checkId)) return undefined;
  return { source: 'tag', reason: `tagged ${tagKey}=${value}` };
}
