import { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { ExceptionsSource } from '../core/exceptionsSource.ts';
import type { Log } from '../core/log.ts';
import { TopicPublisher } from '../core/topicPublisher.ts';
import { findingsStoreFor } from '../findings-store/findingsStoreFor.ts';
import type { FindingsStore } from '../findings-store/findingsStore.ts';
import { SecurityHubSink } from '../securityhub/securityHubSink.ts';
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

/** What a run may be given instead of its defaults (tests, the CLI, the demo, one per container). */
export interface RunOptions {
  now?: Date;
  /** Where the organization-wide brake counts; default brakeStoreFor(config): DynamoDB when brakeTableName is set. Pass the same one to every run of a process. */
  brakeStore?: BrakeStore;
  /** Default: one per container. */
  exceptionsSource?: ExceptionsSource;
  /** The findings store; default DynamoDB when findingsTableName is set, else none (every finding is published). null: none. */
  findings?: FindingsStore | null;
}

/**
 * What one run (an invocation, a CLI run) needs: fresh per run (the
 * remediation budget, the clock, the exceptions kept in SSM or S3, the
 * publisher that batches its records' notifications), shared
 * per container (factory, directory, the brake's store, the findings store).
 * A failure to read those exceptions stops the run before any audit.
 */
export async function startRun(config: Config, factory: ClientFactory, directory: AccountDirectory, log: Log, options: RunOptions = {}): Promise<ProcessDependencies> {
  const { now = new Date(), brakeStore = brakeStoreFor(config, factory), exceptionsSource = CONTAINER_EXCEPTIONS } = options;
  const findings = options.findings === undefined ? findingsStoreFor(config, factory) : (options.findings ?? undefined);
  const exceptions = await exceptionsSource.exceptionsFor(config, factory.forSecurityAccount(config.homeRegion));
  return {
    ...(findings ? { findings } : {}),
    ...(config.securityHub ? { securityHub: new SecurityHubSink(factory, config.memberRoleName, log) } : {}),
    ...(config.notificationsTopicArn ? { publisher: new TopicPublisher(factory.forSecurityAccount(config.homeRegion), config.notificationsTopicArn) } : {}),
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
