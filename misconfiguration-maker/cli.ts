import { COMMON_FLAGS_HELP, parseCli } from '../services/core/cliConfig.ts';
import { EXIT } from '../services/core/cliRuntime.ts';
import { endpointOverride } from '../services/core/endpoints.ts';
import { ConfigError } from '../services/core/errors.ts';
import { cliLog } from '../services/core/log.ts';
import { openFactory } from '../sandbox/sandboxSession.ts';
import { makeMisconfigurations, planFor } from './makeMisconfigurations.ts';

export const MAKER_HELP = `Usage: misconfiguration-maker --account ID --region R [--teardown] [--yes] [--sandbox FILE]

Creates, in the target account and region, one deliberately non-compliant,
harmless resource for every check that can be provoked by creating
something; --teardown removes exactly what it made. Every resource name
starts with misconfiguration-maker- and carries the tag
created-by=misconfiguration-maker (poller --only-test-resources keeps them).

  --account ID[,ID]        target account(s)
  --region R[,R]           target region(s); IAM resources only in the home region
  --teardown               remove what the maker made
  --yes                    required against real AWS (the plan is printed first)
${COMMON_FLAGS_HELP}

Against an AWS-compatible endpoint (AWS_ENDPOINT_URL) or a sandbox, --yes is not needed.`;

export async function runMaker(argv: string[]): Promise<number> {
  const cli = parseCli(argv, {
    account: { type: 'string' },
    region: { type: 'string' },
    teardown: { type: 'boolean' },
    yes: { type: 'boolean' },
  });
  if (cli.values.help) {
    process.stdout.write(`${MAKER_HELP}\n`);
    return EXIT.ok;
  }
  const log = cliLog();
  const accounts = typeof cli.values.account === 'string' ? cli.values.account.split(',').map((a) => a.trim()) : [];
  const regions = typeof cli.values.region === 'string' ? cli.values.region.split(',').map((r) => r.trim()) : [];
  if (accounts.length === 0 || regions.length === 0) throw new ConfigError(['--account and --region are required (see --help)']);
  const config = cli.loadConfig({ accounts, regions });
  const sandboxFile = typeof cli.values.sandbox === 'string' ? cli.values.sandbox : undefined;
  const teardown = cli.values.teardown === true;
  const againstAws = !sandboxFile && !endpointOverride(process.env);

  const targets = accounts.flatMap((account) => regions.map((region) => ({ account, region })));
  log.info(teardown ? 'will remove what misconfiguration-maker made in:' : 'will create (or reuse):');
  for (const target of targets) for (const line of planFor(target, config)) log.info(`  ${line}`);
  if (againstAws && cli.values.yes !== true) {
    log.error('this targets real AWS: nothing was changed. Re-run with --yes to proceed.');
    return EXIT.error;
  }

  const session = openFactory(config, sandboxFile);
  let failures = 0;
  try {
    for (const target of targets) {
      const report = await makeMisconfigurations(target, { config, factory: session.factory, log, teardown });
      for (const done of report.done) log.info(`${target.account}/${target.region} ${done.type}: ${teardown ? 'removed' : 'ready'} ${done.ids.join(', ') || '(nothing)'}`);
      failures += report.failed.length;
    }
  } finally {
    session.save();
  }
  return failures > 0 ? EXIT.error : EXIT.ok;
}
