/**
 * AWS-compatible endpoints (LocalStack, moto, a test double) are set with the
 * SDK's standard variables, `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`;
 * the SDK reads them itself. This module only answers "is one set?" for the
 * adjustments such endpoints need (path-style S3, no account host prefix).
 */
export function endpointOverride(env: NodeJS.ProcessEnv, serviceEnvName?: string): string | undefined {
  const specific = serviceEnvName ? env[`AWS_ENDPOINT_URL_${serviceEnvName}`] : undefined;
  const value = specific ?? env.AWS_ENDPOINT_URL;
  return value && value.length > 0 ? value : undefined;
}
