/** Lambda entries: the nightly dispatcher and the poll worker. Configuration is validated at cold start. */
import { AccountDirectory } from '../core/accountDirectory.ts';
import { ClientFactory } from '../core/clientFactory.ts';
import { loadConfig } from '../core/config.ts';
import { lambdaLog } from '../core/log.ts';
import { createDispatcher, createPollWorker } from './pollerHandlers.ts';

const config = loadConfig({ env: process.env, requireAccounts: true, deployed: true });
const factory = new ClientFactory({ ...config, env: process.env });
const options = {
  config,
  factory,
  directory: new AccountDirectory(config, factory.forSecurityAccount(config.homeRegion)),
  log: lambdaLog('poller'),
};

export const dispatch = createDispatcher(options);
export const pollWorker = createPollWorker(options);
