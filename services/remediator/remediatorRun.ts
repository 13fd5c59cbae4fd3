import { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import type { Log } from '../core/log.ts';
import { findingsStoreFor } from '../findings-store/findingsStoreFor.ts';
import type { FindingsStore } from '../findings-store/findingsStore.ts';
import type { ProcessDependencies } from './processMessage.ts';
import { RemediationBudget } from './remediationBudget.ts';

async function organizationOf(directory: AccountDirectory): Promise<{ organizationId?: string }> {
  const organizationId = await directory.organizationId();
  return organizationId ? { organizationId } : {};
}

/**
 * What one run (an invocation, a CLI run) needs: fresh per run (the
 * remediation budget, the clock), shared per container (factory, directory,
 * the findings store: DynamoDB when findingsTableName is set).
 */
export async function startRun(
  config: Config,
  factory: ClientFactory,
  directory: AccountDirectory,
  log: Log,
  now = new Date(),
  findings: FindingsStore | undefined = findingsStoreFor(config, factory),
): Promise<ProcessDependencies> {
  return {
    ...(findings ? { findings } : {}),
    config,
    factory,
    directory,
    log,
    now,
    budget: new RemediationBudget(config.maxRemediationsPerRun),
    trustedAccounts: await directory.trustedAccounts(),
    ...(await organizationOf(directory)),
  };
}
