import { openFactory } from '../../sandbox/sandboxSession.ts';
import { AccountDirectory } from '../core/accountDirectory.ts';
import { COMMON_FLAGS_HELP, parseCli } from '../core/cliConfig.ts';
import { EXIT } from '../core/cliRuntime.ts';
import { ConfigError } from '../core/errors.ts';
import { cliLog } from '../core/log.ts';
import { isResourceType, type ResourceType } from '../core/resourceTypes.ts';
import { auditedTypes, typesDeclaring } from '../../auditors/registry.ts';
import { withBoundedHeapGrowth } from './heapGrowth.ts';
import { defaultPollThreads, MIN_UNITS_PER_THREAD, pollInThreads } from './pollThreads.ts';
import { pollAccounts } from './accountUnits.ts';
import type { PollSummary } from './pollUnits.ts';
import { regionOfQueueUrl, sqsSink, stdoutSink, type ResourceSink } from './sinks.ts';

export const POLLER_HELP = `Usage: poller --accounts IDS [--regions R1,R2] [--types T1,T2] [--stdout | --sqs URL]

Lists every resource of the audited types in each account x region and emits
one message per resource: {"account","region","type","id"}.

  --stdout                 JSON lines on stdout (default): pipe into remediator
  --sqs URL                send to the resource queue (SendMessageBatch)
  --types T1,T2            only these types (default: all: ${auditedTypes().join(', ')})
  --framework fsbp|cis     only the types with a check that declares a control of AWS
                           Security Hub FSBP or CIS AWS Foundations v3.0.0 (FRAMEWORK)
  --only-test-resources    only resources made by misconfiguration-maker
  --threads N              poll threads, the accounts shared among them (default: one per
                           CPU, one per ${MIN_UNITS_PER_THREAD} account-regions at most; 1 with --sandbox)
  --verbose                more progress on stderr
${COMMON_FLAGS_HELP}

Example: poller --accounts 111111111111 --regions us-east-1,eu-west-1 --stdout | remediator
Exit code: 0 when every unit was polled, 2 when a unit failed or on a configuration error.`;

export function parseTypes(text: string | undefined): ResourceType[] | undefined {
  if (text === undefined) return undefined;
  const types = text.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  const unknown = types.filter((t) => !isResourceType(t) || !auditedTypes().includes(t));
  if (unknown.length > 0) throw new ConfigError([`--types: unknown or unaudited type(s) ${unknown.join(', ')}; known: ${auditedTypes().join(', ')}`]);
  return types as ResourceType[];
}

/** --threads: a whole number from 1 to 64. */
export function parseThreads(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new ConfigError([`--threads: expected a whole number from 1 to 64, got ${JSON.stringify(text)}`]);
  return threads;
}

export interface PollerIo {
  stdout?: ResourceSink;
  log?: ReturnType<typeof cliLog>;
}

export async function runPoller(argv: string[], io: PollerIo = {}): Promise<number> {
  const cli = parseCli(argv, {
    stdout: { type: 'boolean' },
    sqs: { type: 'string' },
    types: { type: 'string' },
    'only-test-resources': { type: 'boolean' },
    verbose: { type: 'boolean' },
    threads: { type: 'string' },
  }, { framework: 'framework' });
  if (cli.values.help) {
    process.stdout.write(`${POLLER_HELP}\n`);
    return EXIT.ok;
  }
  const log = io.log ?? cliLog({ verbose: cli.values.verbose === true });
  const config = cli.loadConfig({}, true);
  const types = parseTypes(typeof cli.values.types === 'string' ? cli.values.types : undefined);
  const queueUrl = typeof cli.values.sqs === 'string' ? cli.values.sqs : undefined;
  if (queueUrl && cli.values.stdout) throw new ConfigError(['--stdout and --sqs: choose one']);

  const session = openFactory(config, typeof cli.values.sandbox === 'string' ? cli.values.sandbox : undefined);
  const factory = session.factory;
  const directory = new AccountDirectory(config, factory.forSecurityAccount(config.homeRegion));
  const accounts = (await directory.auditedAccounts()) ?? [];
  const sink = queueUrl ? sqsSink(factory, queueUrl, regionOfQueueUrl(queueUrl) ?? config.homeRegion) : (io.stdout ?? stdoutSink());
  if (config.framework) log.info(`--framework ${config.framework}: listing only ${typesDeclaring(config.framework).filter((type) => types === undefined || types.includes(type)).join(', ') || 'no type'}`);
  log.info(`polling ${accounts.length} account(s) x ${config.regions.length} region(s) -> ${queueUrl ?? 'stdout'}`);
  const onlyTestResources = cli.values['only-test-resources'] === true;
  // A sandbox lives in this thread's memory: it is polled here.
  const threads = session.sandbox ? 1 : parseThreads(cli.values.threads) ?? defaultPollThreads(accounts.length, config.regions.length);
  if (threads > 1) log.info(`${threads} poll threads, ${config.concurrency} units at once in all`);
  // A poll keeps little alive but allocates fast: its heaps grow by half between full GCs, not up to 4x (heapGrowth.ts).
  const summary: PollSummary = await withBoundedHeapGrowth(() =>
    threads > 1
      ? pollInThreads(accounts, { config, threads, log, factory, types, onlyTestResources }, sink)
      : pollAccounts(accounts, { factory }, { config, log, types, onlyTestResources }, sink),
  );
  for (const unit of summary.failedUnits) {
    for (const failure of unit.failures) log.error(`${unit.account}/${unit.region} ${failure.type}: ${failure.error}`);
  }
  log.info(`done: ${summary.listed} resources from ${summary.units} unit(s), ${summary.failedUnits.length} with failures`);
  return summary.failedUnits.length > 0 ? EXIT.error : EXIT.ok;
}
