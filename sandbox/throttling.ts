/**
 * AWS-style request rate limits: a token bucket per (account, region, API
 * family), refilled continuously. Off unless configured.
 */
export interface ThrottleSettings {
  /** Requests per second each bucket refills. */
  ratePerSecond: number;
  /** Bucket size (burst). */
  burst: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly settings: ThrottleSettings;
  private readonly now: () => number;

  constructor(settings: ThrottleSettings, now: () => number = Date.now) {
    this.settings = settings;
    this.now = now;
  }

  /** Take a token; false when the bucket is empty (the call is throttled). */
  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.settings.burst, at: now };
    bucket.tokens = Math.min(this.settings.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.settings.ratePerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** The throttling error each service really answers with. */
export const THROTTLING_ERRORS: Readonly<Record<string, { code: string; status: number }>> = {
  EC2: { code: 'RequestLimitExceeded', status: 503 },
  S3: { code: 'SlowDown', status: 503 },
  IAM: { code: 'Throttling', status: 400 },
  RDS: { code: 'Throttling', status: 400 },
  Lambda: { code: 'TooManyRequestsException', status: 429 },
  SQS: { code: 'RequestThrottled', status: 403 },
};
export const DEFAULT_THROTTLING_ERROR = { code: 'ThrottlingException', status: 400 };
