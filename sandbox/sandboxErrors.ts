/** An error as the SDK raises it for a service error: name = AWS error code, with its HTTP status. */
export class SandboxServiceError extends Error {
  readonly Code: string;
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId: string; attempts?: number; totalRetryDelay?: number };
  readonly $retryable?: { throttling: boolean };

  constructor(code: string, httpStatusCode: number, message: string) {
    super(message);
    this.name = code;
    this.Code = code;
    this.$fault = httpStatusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode, requestId: 'sandbox-request' };
    if (httpStatusCode === 429 || /Throttl|RequestLimitExceeded|SlowDown|TooManyRequests/.test(code)) this.$retryable = { throttling: true };
  }
}

export function serviceError(code: string, httpStatusCode: number, message: string): SandboxServiceError {
  return new SandboxServiceError(code, httpStatusCode, message);
}

/** An operation the sandbox does not implement fails loudly, naming it. */
export class SandboxNotImplementedError extends Error {
  constructor(service: string, operation: string) {
    super(`the sandbox does not implement ${service} ${operation}; add it in sandbox/services/`);
    this.name = 'SandboxNotImplemented';
  }
}
