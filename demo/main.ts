/** `npm run demo [-- --remediate] [-- --endpoint URL]`: the whole pipeline, no AWS account needed. */
import { parseArgs } from 'node:util';
import { memoryLog } from '../services/core/log.ts';
import { formatBaselineMatrix } from './demoBaseline.ts';
import { changeCounts, compareWithProvoked, formatFindingsByAccount, remediationCounts, resolvedFindings, severityCounts } from './demoReport.ts';
import { runDemo } from './runDemo.ts';

const HELP = `Usage: npm run demo [-- --remediate] [-- --endpoint URL] [-- --save FILE]

Runs the whole pipeline on this machine: an embedded SQS/SNS emulator, a
sandbox organization (3 accounts x 2 regions) with deliberately
misconfigured resources, the poller, the remediator's Lambda handler and the
notifications topic, with a findings store (publishes changes only). Prints
the findings and a summary (after --remediate: what was resolved; in a dry
run: a second audit, which has no change to publish), then the security
baseline of each account and region (seeded in the first two accounts; the
third, a development account, has AWS's defaults with GuardDuty on).

  --remediate      remediate, then re-poll and re-audit to show what is left
  --endpoint URL   member accounts on an AWS-compatible endpoint (LocalStack, moto) instead of the sandbox
  --accounts IDS   with --endpoint: the account ids there (default: the caller's, from GetCallerIdentity)
  --save FILE      save the sandbox organization (use it with --sandbox FILE in the CLIs)
  --verbose        show every log line`;

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: { remediate: { type: 'boolean' }, endpoint: { type: 'string' }, accounts: { type: 'string' }, save: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const started = Date.now();
  const log = memoryLog();
  const progress = (line: string) => console.log(`> ${line}`);
  const result = await runDemo({
    remediate: values.remediate === true,
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(values.accounts ? { accounts: values.accounts.split(',') } : {}),
    ...(values.save ? { saveSandbox: values.save } : {}),
    progress,
    log,
  });
  if (values.verbose) for (const line of log.lines) console.log(`  [${line.level}] ${line.message} ${line.fields ? JSON.stringify(line.fields) : ''}`);
  const errors = log.lines.filter((l) => l.level === 'error');

  console.log(`\nFindings${values.remediate ? ' (remediation on)' : ' (dry run)'}, by account and check:`);
  console.log(formatFindingsByAccount(result.before.findings));
  console.log(`\nSummary: ${result.before.resources} resources audited; ${result.before.findings.length} findings (${severityCounts(result.before.findings)}); remediation: ${remediationCounts(result.before.findings)}`);
  const { missed, unexpected } = compareWithProvoked(result.provoked, result.before.findings);
  if (missed.length === 0 && unexpected.length === 0) console.log(`Every check the maker provoked was found (${new Set(result.provoked.map((p) => `${p.account} ${p.region} ${p.checkId}`)).size} account-region-checks), and nothing else.`);
  for (const miss of missed) console.log(`  MISSED (provoked by the maker, not found): ${miss}`);
  for (const extra of unexpected) console.log(`  UNEXPECTED (found, not provoked by the maker): ${extra}`);
  if (result.after) {
    const resolved = resolvedFindings(result.after.changes);
    console.log(`\nAfter remediation, re-polled and re-audited: ${changeCounts(result.after.changes)} published`);
    console.log(`Resolved (${resolved.length}; PagerDuty gets resolve, Slack a "Resolved" post):`);
    console.log(formatFindingsByAccount(resolved));
    console.log('Still open:');
    console.log(formatFindingsByAccount(result.after.findings));
    const remaining = result.after.findings;
    console.log(`\nSummary: ${result.before.findings.length} findings before, ${resolved.length} resolved, ${remaining.length} still open: ${remediationCounts(remaining)} (none = notify-only check; excepted = exception configured)`);
  } else {
    const again = result.again?.changes ?? [];
    console.log(`\nSecond dry run, nothing changed in between: ${again.length === 0 ? 'no change (nothing published; open findings are not repeated)' : `${changeCounts(again)} published`}`);
    console.log('Nothing was changed (dry run). Try: npm run demo -- --remediate');
  }
  if (result.baseline) {
    console.log('\nSecurity baseline (as baseline-report reads it), per account and region:');
    console.log(formatBaselineMatrix(result.baseline));
    const file = values.save ?? 'org.json';
    const save = values.save ? '' : `npm run demo -- --save ${file}, then `;
    // node bin/...: the package's own commands are not linked into node_modules/.bin, so `npx baseline-report` finds nothing in a clone.
    console.log(`  Details: ${save}node bin/baseline-report.js --sandbox ${file} --accounts organization --regions ${result.config.regions.join(',')}`);
  }
  if (errors.length > 0) {
    console.log(`\n${errors.length} error(s):`);
    for (const line of errors.slice(0, 20)) console.log(`  ${line.message} ${line.fields ? JSON.stringify(line.fields) : ''}`);
  }
  console.log(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return errors.length > 0 || missed.length > 0 || unexpected.length > 0 ? 2 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
