/**
 * The organization-wide brake: at most `maxRemediationsPerHour` mutating
 * remediations per UTC hour across every remediator instance, counted in a
 * shared BrakeStore. The first refusal of a window publishes one alarm (the
 * caller whose claimAlarm wins). A store that cannot answer holds the
 * remediation (fail closed) and logs an error.
 * APIs: sns:Publish (alarms topic).
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients } from '../core/clientFactory.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { MAX_SUBJECT_LENGTH } from '../core/notifications.ts';
import { brakeWindowOf, windowEnd, type BrakeStore } from './brakeStore.ts';

export interface OrganizationBrakeOptions {
  store: BrakeStore;
  /** maxRemediationsPerHour. */
  limit: number;
  /** The alarms topic; unset: the engaged brake is only logged. */
  alarmsTopicArn?: string;
  /** The security account's clients (SNS, for the alarm). */
  security: AwsClients;
  log: Log;
}

export class OrganizationBrake {
  private readonly options: OrganizationBrakeOptions;

  constructor(options: OrganizationBrakeOptions) {
    this.options = options;
  }

  get limit(): number {
    return this.options.limit;
  }

  /** Take one remediation from the window `now` falls in: undefined when taken, else why not. */
  async take(now: Date): Promise<string | undefined> {
    const { store, limit, log } = this.options;
    const window = brakeWindowOf(now);
    let taken: boolean;
    try {
      taken = await store.take(window, limit);
    } catch (error) {
      log.error('the organization-wide brake could not be read: remediation held', { window, error: describeError(error) });
      return `organization-wide brake unavailable (${describeError(error)}): remediation held until it answers`;
    }
    if (taken) return undefined;
    const resumes = windowEnd(window).toISOString().slice(11, 16);
    const reason = `organization-wide cap of ${limit} remediations per hour reached; resumes at ${resumes} UTC`;
    await this.alarmOnce(window, reason);
    return reason;
  }

  private async alarmOnce(window: string, reason: string): Promise<void> {
    const { store, alarmsTopicArn, security, log } = this.options;
    try {
      if (!(await store.claimAlarm(window))) return;
      if (!alarmsTopicArn) {
        log.error(`remediation brake engaged (${reason}) and ALARMS_TOPIC_ARN is not set: no alarm published`, { window });
        return;
      }
      const subject = `Remediation brake engaged: ${this.options.limit} remediations in the hour ${window}`;
      const message = `${reason}. Findings past the cap are reported planned, with this reason, until the window ends. A burst of remediations this size may be a misfiring rule: check the findings before the window ends.`;
      await security.get(SNSClient).send(new PublishCommand({ TopicArn: alarmsTopicArn, Subject: subject.slice(0, MAX_SUBJECT_LENGTH), Message: message }));
      log.warn('remediation brake engaged: alarm published', { window, reason });
    } catch (error) {
      log.error('remediation brake engaged and its alarm could not be published', { window, reason, error: describeError(error) });
    }
  }
}
