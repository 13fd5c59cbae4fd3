/** Lambda entry: the daily GuardDuty enrolment. Configuration is validated at cold start. */
import { ClientFactory } from '../core/clientFactory.ts';
import { loadConfig } from '../core/config.ts';
import { lambdaLog } from '../core/log.ts';
import { createEnrolmentHandler } from './enrolmentHandler.ts';
import { managementFactory } from './enrolmentTargets.ts';

const config = loadConfig({ env: process.env, deployed: true });

export const enrol = createEnrolmentHandler({
  config,
  factory: new ClientFactory({ ...config, env: process.env }),
  management: managementFactory(config, process.env),
  log: lambdaLog('guardduty-enrolment'),
});
