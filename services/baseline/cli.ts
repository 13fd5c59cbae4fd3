import { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import { COMMON_FLAGS_HELP, parseCli } from '../core/cliConfig.ts';
import { EXIT } from '../core/cliRuntime.ts';
import { ConfigError } from '../core/errors.ts';
import { cliLog, type Log } from '../core/log.ts';
import { openFactory } from '../../sandbox/sandboxSession.ts';
import { formatBaselineJson } from './baselineJson.ts';
import { formatBaselineMarkdown } from './baselineMarkdown.ts';
import { attentionCount, collectBaseline } from './baselineReport.ts';
import { formatBaselineTable } from './baselineTable.ts';

export const BASELINE_HELP = `Usage: baseline-report --accounts IDS [--regions R1,R2] [--json | --markdown]

Reads every account and region's security baseline (GuardDuty, AWS Config,
CloudTrail, VPC flow logs, EBS default encryption, Security Hub, Macie,
Inspector, Audit Manager; in the home region also root MFA, the password
policy and the account-level S3 Public Access Block) and prints each
control's status: enabled, disabled, not applicable or unknown, with the
detail that decided it. Changes nothing.

  --json                   a status map per account, region and control
  --markdown               a matrix and the list of what needs attention, for a ticket
  --verbose                more progress on stderr
${COMMON_FLAGS_HELP}

Output: a table (coloured on a terminal) unless --json or --markdown.
Exit code: 0 every required control on, 1 a required control off or unknown,
2 a unit could not be read at all, or a configuration error.`;

export interface BaselineIo {
  write?: (text: string) => void;
  isTty?: boolean;
  log?: Log;
  factory?: ClientFactory;
  now?: Date;
}

export async function runBaselineReport(argv: string[], io: BaselineIo = {}): Promise<number> {
  const cli = parseCli(argv, { json: { type: 'boolean' }, markdown: { type: 'boolean' }, verbose: { type: 'boolean' } });
  const write = io.write ?? ((text: string) => void process.stdout.write(text));
  if (cli.values.help) {
    write(`${BASELINE_HELP}\n`);
    return EXIT.ok;
  }
  if (cli.values.json && cli.values.markdown) throw new ConfigError(['--json and --markdown: choose one']);
  const log = io.log ?? cliLog({ verbose: cli.values.verbose === true });
  const config = cli.loadConfig({}, true);
  const session = io.factory ? { factory: io.factory, save: () => undefined } : openFactory(config, typeof cli.values.sandbox === 'string' ? cli.values.sandbox : undefined);
  const directory = new AccountDirectory(config, session.factory.forSecurityAccount(config.homeRegion));
  const accounts = (await directory.auditedAccounts()) ?? [];
  log.info(`reading the baseline of ${accounts.length} account(s) x ${config.regions.length} region(s)`);
  const report = await collectBaseline(accounts, { config, factory: session.factory, log, ...(io.now ? { now: io.now } : {}) });

  if (cli.values.json) write(`${formatBaselineJson(report)}\n`);
  else if (cli.values.markdown) write(`${formatBaselineMarkdown(report)}\n`);
  else write(`${formatBaselineTable(report, { colour: io.isTty ?? process.stdout.isTTY === true })}\n`);

  if (report.units.some((unit) => unit.error)) return EXIT.error;
  return attentionCount(report) > 0 ? EXIT.findings : EXIT.ok;
}
