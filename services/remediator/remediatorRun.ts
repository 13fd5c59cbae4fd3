import { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import type { Log } from '../core/log.ts';
import type { BrakeStore } from './brakeStore.ts';
import { brakeStoreFor } from './brakeStoreFor.ts';
import { OrganizationBrake } from './organizationBrake.ts';
import type { ProcessDependencies } from './processMessage.ts';
import { RemediationBudget } from './remediationBudget.ts';

async function organizationOf(directory: AccountDirectory): Promise<{ organizationId?: string }> {
  const organizationId = await directory.organizationId();
  return organizationId ? { organizationId } : {};
}

/**
 * What one run (an invocation, a CLI run) needs: fresh per run (the
 * remediation budget, the clock), shared per container (factory, directory,
 * the brake's store: pass the same one to every run of a process).
 */
export async function startRun(
  config: Config,
  factory: ClientFactory,
  directory: AccountDirectory,
  log: Log,
  now = new Date(),
  brakeStore: BrakeStore = brakeStoreFor(config, factory),
): Promise<ProcessDependencies> {
  return {
    config,
    factory,
    directory,
    log,
    now,
    budget: new RemediationBudget(config.maxRemediationsPerRun),
    brake: new OrganizationBrake({
      store: brakeStore,
      limit: config.maxRemediationsPerHour,
      security: factory.forSecurityAccount(config.homeRegion),
      log,
      ...(config.alarmsTopicArn ? { alarmsTopicArn: config.alarmsTopicArn } : {}),
    }),
    trustedAccounts: await directory.trustedAccounts(),
    ...(await organizationOf(directory)),
  };
}
