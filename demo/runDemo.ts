import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { checkIdsWithRisk } from '../auditors/registry.ts';
import { MAKER_ENTRIES } from '../misconfiguration-maker/registry.ts';
import { entriesFor, makeMisconfigurations, provokedIn } from '../misconfiguration-maker/makeMisconfigurations.ts';
import { makerBucketName } from '../misconfiguration-maker/entries/s3Bucket.ts';
import { collectBaseline, type BaselineReport } from '../services/baseline/baselineReport.ts';
import { AccountDirectory } from '../services/core/accountDirectory.ts';
import { ClientFactory } from '../services/core/clientFactory.ts';
import { loadConfig, type Config } from '../services/core/config.ts';
import type { Finding } from '../services/core/findings.ts';
import type { Log } from '../services/core/log.ts';
import { drainQueueIntoHandler } from './sqsLambdaRunner.ts';
import { pollUnits, unitsOf } from '../services/poller/pollUnits.ts';
import { sqsSink } from '../services/poller/sinks.ts';
import { findingOfRecord } from '../services/findings-store/findingRecord.ts';
import { MemoryFindingsStore } from '../services/findings-store/memoryFindingsStore.ts';
import type { FindingChange } from '../services/remediator/notifyChanges.ts';
import { createRemediatorHandler } from '../services/remediator/remediatorHandler.ts';
import { Sandbox } from '../sandbox/sandbox.ts';
import { createSandboxState, saveSandboxState } from '../sandbox/sandboxState.ts';
import { seedDemoBaseline } from './demoBaseline.ts';
import { receiveNotifications, startDemoQueues, startEndpointQueues, type DemoQueues } from './demoQueues.ts';

export const DEMO_ACCOUNTS = ['111111111111', '222222222222', '333333333333'] as const;
export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** The third account plays a development account, where public exposure is itself a finding. */
export const DEMO_DEV_ACCOUNT = '333333333333';

export interface DemoOptions {
  remediate?: boolean;
  /** Run the member-account side against an AWS-compatible endpoint instead of the sandbox. */
  endpoint?: string;
  accounts?: readonly string[];
  regions?: readonly string[];
  /** Save the sandbox organization to this file when done. */
  saveSandbox?: string;
  progress: (line: string) => void;
  log: Log;
}

export interface DemoPass {
  resources: number;
  /** The open (and excepted) findings after the pass, as the findings store holds them. */
  findings: Finding[];
  /** What the pass published: only changes (the findings store), each finding with its transition. */
  changes: FindingChange[];
  failedRecords: number;
  /** Types the poller could not list, per account x region. */
  pollFailures: string[];
}

export interface DemoResult {
  config: Config;
  before: DemoPass;
  /** After remediation: a second poll and audit, remediation off (what was resolved, what is left). */
  after?: DemoPass;
  /** Dry run: a second dry run, which publishes no change. */
  again?: DemoPass;
  /** What the maker's entries say they provoke, per account and region. */
  provoked: { account: string; region: string; checkId: string }[];
  /**
   * The security baseline of every account and region, read as
   * baseline-report reads it, after the audit (sandbox runs only: the
   * demo seeds it there).
   */
  baseline?: BaselineReport;
  sandbox?: Sandbox;
}

export function expectedFindings(config: Config, accounts: readonly string[]): DemoResult['provoked'] {
  return accounts.flatMap((account) =>
    config.regions.flatMap((region) =>
      entriesFor(region, config, MAKER_ENTRIES)
        .flatMap((entry) => provokedIn(entry, config, account))
        .map((checkId) => ({ account, region, checkId })),
    ),
  );
}

/**
 * The whole product on one machine: maker -> poller -> resource queue ->
 * the remediator's Lambda handler (fed SQS batches as Lambda would) ->
 * notifications topic -> a subscriber queue, read back as findings.
 */
/** Fail fast, with a clear message, when --endpoint does not answer (rather than after every SDK retry). */
export async function assertEndpointReachable(endpoint: string, timeoutMs = 3000): Promise<void> {
  try {
    await fetch(endpoint, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    throw new Error(`--endpoint ${endpoint} does not answer (${cause}); start LocalStack or moto there, or run the demo without --endpoint`);
  }
}

/** The endpoint's own account for these credentials (moto: 123456789012, LocalStack: 000000000000). */
async function callerAccount(endpoint: string, region: string): Promise<string> {
  const sts = new STSClient({ endpoint, region, credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' } });
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    if (!Account) throw new Error(`--endpoint ${endpoint}: GetCallerIdentity named no account`);
    return Account;
  } finally {
    sts.destroy();
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  if (options.endpoint) await assertEndpointReachable(options.endpoint);
  const regions = options.regions ?? DEMO_REGIONS;
  const home = regions[0] ?? 'us-east-1';
  const accounts = options.accounts ?? (options.endpoint ? [await callerAccount(options.endpoint, home)] : DEMO_ACCOUNTS);
  const queues = options.endpoint ? await startEndpointQueues(options.endpoint, home) : await startDemoQueues(home);
  const previousEnv = { ...process.env };
  try {
    // With --endpoint everything (member side and the security account's SQS and SNS) is there; else the sandbox and the embedded emulator.
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'test',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
      ...(options.endpoint ? { AWS_ENDPOINT_URL: options.endpoint } : { AWS_ENDPOINT_URL_SQS: queues.sqsEndpoint, AWS_ENDPOINT_URL_SNS: queues.endpoint }),
    });
    const sandbox = options.endpoint ? undefined : new Sandbox(createSandboxState({ accounts, regions }));
    const config = loadConfig({
      env: {},
      flags: {
        accounts: sandbox ? 'organization' : [...accounts],
        regions: [...regions],
        assumeRole: !options.endpoint,
        devAccounts: accounts.includes(DEMO_DEV_ACCOUNT) ? [DEMO_DEV_ACCOUNT] : [],
        notificationsTopicArn: queues.topicArn,
        resourceQueueUrl: queues.resourceQueue.url,
        remediate: options.remediate === true,
        // The demo shows every remediation, the disruptive ones included.
        remediateChecks: options.remediate === true ? checkIdsWithRisk('disruptive') : [],
        maxRemediationsPerRun: 100,
        maxRemediationsPerHour: 1000,
        mfaGraceHours: 0,
        exceptions: accounts[1] ? [{ type: 's3_bucket', id: makerBucketName(accounts[1], home), reason: 'demo: an approved public bucket' }] : [],
      },
    });
    const factory = new ClientFactory({ ...config, env: process.env, ...(sandbox ? { interceptor: sandbox } : {}) });

    options.progress(`${sandbox ? 'sandbox organization' : `endpoint ${options.endpoint}`}: ${accounts.length} account(s) x ${regions.length} region(s); creating misconfigurations`);
    for (const account of accounts) {
      for (const region of regions) {
        const report = await makeMisconfigurations({ account, region }, { config, factory, log: options.log });
        for (const failure of report.failed) options.progress(`  maker: ${account}/${region} ${failure.type} failed: ${failure.error}`);
      }
    }

    if (sandbox) options.progress(seedDemoBaseline(sandbox, accounts, regions, DEMO_DEV_ACCOUNT));

    // One findings store for every pass, as the deployed table would be: later passes publish only what changed.
    const store = new MemoryFindingsStore();
    const before = await auditPass(config, factory, queues, store, options);
    const result: DemoResult = { config, before, provoked: expectedFindings(config, accounts), ...(sandbox ? { sandbox } : {}) };
    if (options.remediate) {
      options.progress('re-polling and re-auditing after remediation (remediation off)');
      result.after = await auditPass({ ...config, remediate: false }, factory, queues, store, options);
    } else {
      options.progress('polling and auditing again, nothing changed (dry run)');
      result.again = await auditPass(config, factory, queues, store, options);
    }
    if (sandbox) {
      result.baseline = await collectBaseline(accounts, { config, factory, log: options.log });
      options.progress(`baseline: ${result.baseline.units.length} account-region(s) read`);
    }
    if (sandbox && options.saveSandbox) saveSandboxState(options.saveSandbox, sandbox.state);
    return result;
  } finally {
    process.env = previousEnv;
    await queues.stop();
  }
}

async function auditPass(config: Config, factory: ClientFactory, queues: DemoQueues, store: MemoryFindingsStore, options: DemoOptions): Promise<DemoPass> {
  const home = config.homeRegion;
  const directory = new AccountDirectory(config, factory.forSecurityAccount(home));
  const accounts = (await directory.auditedAccounts()) ?? [];
  const polled = await pollUnits(unitsOf(accounts, config.regions), { config, factory, log: options.log, onlyTestResources: true }, sqsSink(factory, queues.resourceQueue.url, home));
  options.progress(`poller: ${polled.listed} resources -> resource queue${polled.failedUnits.length ? ` (${polled.failedUnits.length} unit(s) failed)` : ''}`);
  const handler = createRemediatorHandler({ config, factory, directory, log: options.log, findings: store });
  const sqs = factory.forSecurityAccount(home).get(SQSClient);
  const drained = await drainQueueIntoHandler(sqs, { url: queues.resourceQueue.url, arn: queues.resourceQueue.arn, region: home }, handler);
  options.progress(`remediator${config.remediate ? ' (remediation ON)' : ' (dry run)'}: ${drained.records} messages in ${drained.batches} Lambda batches, ${drained.failed} failed`);
  const notifications = await receiveNotifications(sqs, queues.subscriberQueueUrl);
  const pollFailures = polled.failedUnits.flatMap((u) => u.failures.map((f) => `${u.account}/${u.region} ${f.type}: ${f.error}`));
  for (const failure of pollFailures) options.progress(`  poller: ${failure}`);
  const changes = notifications.flatMap((n) => n.findings.map((finding) => ({ transition: n.transition ?? 'new', finding })));
  const open = store.all().filter((record) => record.status !== 'resolved').map(findingOfRecord);
  return { resources: polled.listed, findings: open, changes, failedRecords: drained.failed, pollFailures };
}
