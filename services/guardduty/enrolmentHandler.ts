/**
 * The daily Lambda's logic: enrol the organization, log the summary, and
 * publish it to the alarms topic when anything failed (or the run could not
 * start). Without guardDutyManagementAccount the run is skipped, so
 * deploying the function changes nothing until it is configured.
 * APIs: sns:Publish (alarms topic).
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients, ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { MAX_SUBJECT_LENGTH } from '../core/notifications.ts';
import { enrolOrganization } from './enrolOrganization.ts';
import { failedRegions, formatSummary, totalChanges, type EnrolmentSummary } from './enrolmentSummary.ts';
import { enrolmentTargets } from './enrolmentTargets.ts';

export interface EnrolmentHandlerOptions {
  config: Config;
  factory: ClientFactory;
  /** The factory that assumes guardDutyManagementRoleName (see managementFactory). */
  management: ClientFactory;
  log: Log;
}

export type EnrolmentRunResult =
  | { skipped: true; reason: string }
  | { skipped: false; changes: number; failedRegions: string[]; alarmPublished: boolean; summary: EnrolmentSummary };

async function publishAlarm(options: EnrolmentHandlerOptions, security: AwsClients, subject: string, message: string): Promise<boolean> {
  const topicArn = options.config.alarmsTopicArn;
  if (!topicArn) {
    options.log.error('GuardDuty enrolment failed and ALARMS_TOPIC_ARN is not set: nothing published', { subject });
    return false;
  }
  await security.get(SNSClient).send(new PublishCommand({ TopicArn: topicArn, Subject: subject.slice(0, MAX_SUBJECT_LENGTH), Message: message }));
  return true;
}

export function createEnrolmentHandler(options: EnrolmentHandlerOptions): () => Promise<EnrolmentRunResult> {
  return async () => {
    const { config, log } = options;
    if (!config.guardDutyManagementAccount) {
      const reason = 'GUARDDUTY_MANAGEMENT_ACCOUNT is not set: GuardDuty enrolment is off';
      log.info(reason);
      return { skipped: true, reason };
    }
    const security = options.factory.forSecurityAccount(config.homeRegion);
    let summary: EnrolmentSummary;
    try {
      const targets = await enrolmentTargets(config, options.factory, options.management);
      summary = await enrolOrganization({ config, targets, dryRun: false, log });
    } catch (error) {
      const text = `GuardDuty enrolment could not run: ${describeError(error)}`;
      log.error(text);
      await publishAlarm(options, security, 'GuardDuty enrolment could not run', text);
      throw error;
    }
    const text = formatSummary(summary);
    const failed = failedRegions(summary);
    log.info('GuardDuty enrolment summary', { summary: text });
    const alarmPublished = failed.length > 0 && (await publishAlarm(options, security, `GuardDuty enrolment failed in ${failed.length} region(s)`, text));
    return { skipped: false, changes: totalChanges(summary), failedRegions: failed, alarmPublished, summary };
  };
}
