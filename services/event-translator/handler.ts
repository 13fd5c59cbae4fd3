/** Lambda entry: an EventBridge target for forwarded CloudTrail events. */
import { AUDITORS } from '../../auditors/registry.ts';
import { ClientFactory } from '../core/clientFactory.ts';
import { loadConfig } from '../core/config.ts';
import { lambdaLog } from '../core/log.ts';
import { createEventTranslator } from './eventTranslatorHandler.ts';
import { buildTriggerTable } from './triggerTable.ts';

const config = loadConfig({ env: process.env });
export const handler = createEventTranslator({
  config,
  factory: new ClientFactory({ ...config, env: process.env }),
  table: buildTriggerTable(AUDITORS),
  log: lambdaLog('event-translator'),
});
