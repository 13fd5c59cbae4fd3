/**
 * Lambda entry: the notifier. Configuration is validated at cold start; the
 * SSM secrets are cached per container by the one SecretParameters instance.
 */
import { ClientFactory } from '../core/clientFactory.ts';
import { loadConfig } from '../core/config.ts';
import { lambdaLog } from '../core/log.ts';
import { createNotifierHandler } from './notifierHandler.ts';
import { SecretParameters } from './secretParameters.ts';

const config = loadConfig({ env: process.env });
const factory = new ClientFactory({ ...config, env: process.env });

export const notify = createNotifierHandler({
  settings: config,
  secrets: new SecretParameters(factory.forSecurityAccount(process.env.AWS_REGION ?? config.homeRegion)),
  log: lambdaLog('notifier'),
});
