import type { AwsClients } from '../../services/core/clientFactory.ts';
import { ConfigError } from '../../services/core/errors.ts';
import type { ResourceContext } from '../contract.ts';

/** Clients for another (account, region) than the message's, for enablements that must act there. */
export function clientsIn(context: ResourceContext, account: string, region: string): AwsClients {
  if (account === context.account && region === context.region) return context.clients;
  if (!context.clientsFor) throw new Error(`this enablement acts in ${account}/${region}, and the caller offers no clients there`);
  return context.clientsFor(account, region);
}

/** An enablement switched on without the setting it needs: fails with what to set. */
export function requiredSetting<T>(value: T | undefined, key: string, variable: string, why: string): T {
  if (value === undefined) throw new ConfigError([`${key} (${variable}): required ${why}`]);
  return value;
}
