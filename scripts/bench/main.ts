/** `npm run bench`: see BENCH_HELP. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../services/core/config.ts';
import { pollUnit } from '../../services/poller/pollUnit.ts';
import { BENCH_CREDENTIALS_ENV, BenchAws } from './benchAws.ts';
import { BENCH_HELP, BenchUsageError, parseBenchOptions } from './benchOptions.ts';
import { accountIds, buildTemplate, copyTemplate } from './benchOrganization.ts';
import type { BenchResult } from './benchResult.ts';
import { judgeTargets } from './benchTargets.ts';
import { packageAndMeasure } from './coldStart.ts';
import { formatReport } from './formatReport.ts';
import { benchLambdaPoll } from './lambdaPollBench.ts';
import { benchOneUnit, benchPollerCli, type PollTarget } from './pollerCliBench.ts';
import { benchContainerMemory, benchRemediator, spreadSample } from './remediatorBench.ts';
import { silentLog } from './silentLog.ts';

const began = performance.now();
const progress = (line: string): void => void process.stderr.write(`bench: ${((performance.now() - began) / 1000).toFixed(0)} s: ${line}\n`);

/** Every account is a copy of the first: the resources of the first account's units, times the accounts. */
async function expectedMessages(target: Omit<PollTarget, 'state'>): Promise<number> {
  const aws = new BenchAws(copyTemplate(target.template, target.accounts.slice(0, 1)), { latencyMs: 0, throttle: false });
  const account = target.accounts[0] as string;
  const config = loadConfig({ flags: { accounts: [account], regions: [...target.regions] } });
  let listed = 0;
  for (const region of target.regions) {
    const report = await pollUnit({ account, region }, { config, factory: aws.factory(config), log: silentLog() }, async () => undefined);
    if (report.failures.length > 0) throw new Error(`the reference listing of ${account}/${region} failed: ${report.failures.map((f) => f.error).join('; ')}`);
    listed += report.listed;
  }
  return listed * target.accounts.length;
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${BENCH_HELP}\n`);
    return 0;
  }
  Object.assign(process.env, BENCH_CREDENTIALS_ENV);
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadavg()[0] ?? 0;

  progress('packaging the stack (serverless package) and timing each handler\'s init, 10 times');
  const coldStart = await packageAndMeasure(10);

  progress(`building ${options.accounts} x ${options.regions.length} accounts x regions, ${options.resources} per bulk type`);
  const at = performance.now();
  const accounts = accountIds(options.accounts);
  const template = await buildTemplate({ regions: options.regions, resources: options.resources });
  const shape = { template, accounts, regions: options.regions, latencyMs: options.latencyMs };
  const expected = await expectedMessages(shape);
  const buildSeconds = (performance.now() - at) / 1000;

  progress('poller CLI');
  // Its poll threads copy their accounts from the template as they go: meanwhile this thread holds no organization, as the CLI's main thread holds none.
  const cli = await benchPollerCli(shape);
  const copiedAt = performance.now();
  const state = copyTemplate(template, accounts);
  const organization = { buildSeconds: buildSeconds + (performance.now() - copiedAt) / 1000, expectedMessages: expected };
  const target: PollTarget = { ...shape, state };
  progress('Lambda poll path');
  const { resourceMessages, ...lambda } = await benchLambdaPoll(target, coldStart.settings.pollWorker);
  progress('one poll unit');
  const oneUnit = await benchOneUnit(target);

  const sample = spreadSample(resourceMessages, options.remediatorMessages);
  const remediatorTarget = { state, accounts, regions: options.regions, messages: sample };
  progress(`remediator at 0 ms, ${sample.length} messages`);
  const atZeroLatency = await benchRemediator(remediatorTarget, coldStart.settings.remediator, 0);
  progress(`remediator at ${options.latencyMs} ms`);
  const atLatency = await benchRemediator(remediatorTarget, coldStart.settings.remediator, options.latencyMs);
  progress(`remediator at 0 ms, one container`);
  const oneContainer = await benchRemediator(remediatorTarget, coldStart.settings.remediator, 0, 1);
  progress('one remediator container over every account-region');
  const containerMemory = await benchContainerMemory({ ...remediatorTarget, messages: resourceMessages }, coldStart.settings.remediator);

  const partial = {
    startedAt,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.versions.node, platform: `${process.platform} ${process.arch}`, totalMemoryGiB: totalmem() / 2 ** 30, loadAverageAtStart, loadAverageAtEnd: loadavg()[0] ?? 0 },
    shape: { accounts: options.accounts, regions: options.regions, resourcesPerBulkType: options.resources, latencyMs: options.latencyMs },
    organization,
    coldStart,
    pollerCli: { ...cli, lostResources: Math.max(0, expected - cli.messages) },
    lambdaPoll: { ...lambda, lostResources: Math.max(0, expected - lambda.messages) },
    oneUnit,
    remediator: { atZeroLatency, atLatency, oneContainer, containerMemory },
  };
  const result: BenchResult = { ...partial, targets: judgeTargets(partial), totalSeconds: (performance.now() - began) / 1000 };
  const directory = join(process.cwd(), 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${startedAt.replace(/[:.]/g, '-')}-${options.accounts}x${options.regions.length}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 1)}\n`);
  process.stdout.write(`${formatReport(result)}\nJSON: ${file}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const text = error instanceof BenchUsageError ? `${error.message} (npm run bench -- --help)` : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`bench: ${text}\n`);
    process.exit(2);
  },
);
