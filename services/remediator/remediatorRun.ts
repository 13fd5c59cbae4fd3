import { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { ExceptionsSource } from '../core/exceptionsSource.ts';
import type { Log } from '../core/log.ts';
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
 * per container (factory, directory). A failure to read those exceptions
 * stops the run before any audit.
 */
export async function startRun(
  config: Config,
  factory: ClientFactory,
  directory: AccountDirectory,
  log: Log,
  now = new Date(),
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
    trustedAccounts: await directory.trustedAccounts(),
    ...(await organizationOf(directory)),
  };
}
