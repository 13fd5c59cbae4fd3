/** Lambda entry: an EventBridge target for forwarded CloudTrail events. */
import { TRIGGER_DECLARATIONS } from '../../auditors/triggers/index.ts';
import { ClientFactory } from '../core/clientFactory.ts';
import { loadConfig } from '../core/config.ts';
import { lambdaLog } from '../core/log.ts';
import { createEventTranslator } from './eventTranslatorHandler.ts';
import { buildTriggerTable } from './triggerTable.ts';

const config = loadConfig({ env: process.env });
export const handler = createEventTranslator({
  config,
  factory: new ClientFactory({ ...config, env: process.env }),
  table: buildTriggerTable(TRIGGER_DECLARATIONS),
  log: lambdaLog('event-translator'),
});
