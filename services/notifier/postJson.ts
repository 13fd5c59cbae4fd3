/**
 * POST a JSON body with Node's fetch: a timeout per attempt, retries with
 * exponential backoff (and Retry-After) on 408, 429, 5xx, timeouts and
 * network errors; any other status fails at once. The result is a value,
 * never a throw, and its error text never contains the URL or the secrets
 * passed in `redact`.
 */
import { sleep as realSleep } from '../core/concurrency.ts';

export interface DeliveryOptions {
  /** Per attempt, headers and body included. */
  timeoutMs: number;
  maxAttempts: number;
  /** First retry delay; doubled each retry, jittered, capped at maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Strings that must never appear in an error (routing keys, tokens); the URL always is. */
  redact?: readonly string[];
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type DeliveryResult =
  | { ok: true; status: number; attempts: number }
  | { ok: false; attempts: number; status?: number; error: string };

export const DELIVERY_DEFAULTS = { baseDelayMs: 250, maxDelayMs: 5000 } as const;
const MAX_ERROR_BODY = 200;

function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Retry-After in seconds (or an HTTP date), as milliseconds. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function networkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.name : 'error';
  return `network error (${code})`;
}

function redacted(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length > 0).reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}

export async function postJson(url: string, body: unknown, options: DeliveryOptions): Promise<DeliveryResult> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const base = options.baseDelayMs ?? DELIVERY_DEFAULTS.baseDelayMs;
  const cap = options.maxDelayMs ?? DELIVERY_DEFAULTS.maxDelayMs;
  const secrets = [url, ...(options.redact ?? [])];
  const payload = JSON.stringify(body);
  let last: DeliveryResult = { ok: false, attempts: 0, error: 'not attempted' };
  for (let attempt = 1; attempt <= options.maxAttempts; attempt += 1) {
    let wait: number | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: payload,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      if (response.ok) return { ok: true, status: response.status, attempts: attempt };
      const error = `HTTP ${response.status}${text ? `: ${redacted(text.slice(0, MAX_ERROR_BODY), secrets)}` : ''}`;
      last = { ok: false, attempts: attempt, status: response.status, error };
      if (!retryableStatus(response.status)) return last;
      wait = retryAfterMs(response.headers.get('retry-after'), Date.now());
    } catch (error) {
      last = { ok: false, attempts: attempt, error: redacted(networkError(error, options.timeoutMs), secrets) };
    }
    if (attempt < options.maxAttempts) {
      const backoff = base * 2 ** (attempt - 1);
      await sleep(Math.min(cap, wait ?? backoff / 2 + random() * (backoff / 2)));
    }
  }
  return last;
}
