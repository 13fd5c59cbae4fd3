/** Lambda entry: configuration is validated once, at cold start. */
import { AccountDirectory } from '../core/accountDirectory.ts';
import { ClientFactory } from '../core/clientFactory.ts';
import { loadConfig } from '../core/config.ts';
import { lambdaLog } from '../core/log.ts';
import { createRemediatorHandler } from './remediatorHandler.ts';

const config = loadConfig({ env: process.env, requireAccounts: true, deployed: true });
const factory = new ClientFactory({ ...config, env: process.env });

const log = lambdaLog('remediator');
if (config.remediate && !config.brakeTableName) {
  log.warn('BRAKE_TABLE_NAME is not set: the hourly remediation cap is counted in this container only, not across the organization');
}

export const handler = createRemediatorHandler({
  config,
  factory,
  directory: new AccountDirectory(config, factory.forSecurityAccount(config.homeRegion)),
  log,
});
