import { ComplianceError } from '../core/errors.ts';

/** An SSM parameter holding a webhook URL or routing key could not be read. The value never appears here. */
export class SecretParameterError extends ComplianceError {
  readonly parameter: string;
  constructor(parameter: string, cause: unknown) {
    super(
      `cannot read SSM parameter ${parameter}: ${cause instanceof Error ? cause.name : 'error'}. Check that it exists as a SecureString in this region and that the notifier may ssm:GetParameter it and kms:Decrypt its key`,
      {},
      { cause },
    );
    this.name = 'SecretParameterError';
    this.parameter = parameter;
  }
}

/** Some deliveries still failed after retries: thrown so that Lambda (and SNS) retry or dead-letter the event. */
export class NotificationDeliveryError extends ComplianceError {
  readonly failures: readonly string[];
  constructor(failures: readonly string[]) {
    super(`notification delivery failed: ${failures.join('; ')}`);
    this.name = 'NotificationDeliveryError';
    this.failures = failures;
  }
}
