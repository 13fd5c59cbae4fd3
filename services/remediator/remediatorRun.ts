import { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { ExceptionsSource } from '../core/exceptionsSource.ts';
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

/** One per container: the exceptions kept in SSM or S3 are read at most every few minutes. */
const CONTAINER_EXCEPTIONS = new ExceptionsSource();

/**
 * What one run (an invocation, a CLI run) needs: fresh per run (the
 * remediation budget, the clock, the exceptions kept in SSM or S3), shared
 * per container (factory, directory, the brake's store: pass the same one to
 * every run of a process). A failure to read those exceptions stops the run
 * before any audit.
 */
export async function startRun(
  config: Config,
  factory: ClientFactory,
  directory: AccountDirectory,
  log: Log,
  now = new Date(),
  brakeStore: BrakeStore = brakeStoreFor(config, factory),
  exceptionsSource: ExceptionsSource = CONTAINER_EXCEPTIONS,
): Promise<ProcessDependencies> {
  const exceptions = await exceptionsSource.exceptionsFor(config, factory.forSecurityAccount(config.homeRegion));
  return {
    config: { ...config, exceptions },
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
