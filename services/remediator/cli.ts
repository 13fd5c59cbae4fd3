import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { AccountDirectory } from '../core/accountDirectory.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import { openFactory } from '../../sandbox/sandboxSession.ts';
import { COMMON_FLAGS_HELP, parseCli } from '../core/cliConfig.ts';
import { EXIT } from '../core/cliRuntime.ts';
import { ConfigError } from '../core/errors.ts';
import type { Finding } from '../core/findings.ts';
import { cliLog, type Log } from '../core/log.ts';
import { exportFormatOf, exportPreamble, exportRecord } from '../exports/exportFormat.ts';
import { exportOfFinding } from '../exports/exportedFinding.ts';
import { FileFindingsStore } from '../findings-store/fileFindingsStore.ts';
import type { NotifiedTransition } from '../findings-store/findingRecord.ts';
import { formatChangesTable, formatFindingsTable, summarise, summariseChanges } from './findingsTable.ts';
import type { FindingChange } from './notifyChanges.ts';
import { addReports, NOTHING_IMPORTED, type SecurityHubReport } from '../securityhub/securityHubSink.ts';
import { processMessage, type MessageOutcome } from './processMessage.ts';
import { startRun } from './remediatorRun.ts';

export const REMEDIATOR_HELP = `Usage: remediator [--file FILE] [--remediate] [--json] [--format F] [--findings-store FILE]

Reads resource messages (JSON lines) from stdin or --file, describes each
resource now, runs its checks and reports findings. Dry run unless --remediate.

  --file FILE              read messages from FILE instead of stdin
  --remediate              fix what may be fixed (needs --accounts; default: dry run)
  --max-remediations N     stop remediating after N (default 25), the rest are "planned"
  --max-remediations-per-hour N
                           at most N per UTC hour (default 50), counted in this process
  --framework fsbp|cis     report and remediate only the checks that declare a control
                           of AWS Security Hub FSBP or CIS AWS Foundations v3.0.0 (FRAMEWORK)
  --json                   JSON lines (one finding per line) even on a terminal
  --format F               jsonl (default, as --json), asff (AWS Security Finding Format), ocsf
                           (OCSF 1.1.0 Compliance Finding), one JSON object per line, or csv
                           (RFC 4180, header first): one finding per record, even on a terminal
  --findings-store FILE    keep each finding's lifecycle in FILE (JSON, created if missing) and
                           print only what changed: new, reopened, resolved, remediation_changed,
                           digest (open, last shown more than --renotify-days ago)
  --renotify-days N        with --findings-store: show open findings again after N days (default 7, 0 never)
  --security-hub           also import the findings into Security Hub (SECURITY_HUB): as ASFF, from each
                           finding's own account and region through the audit role; with --findings-store,
                           only what changed (resolved ones archived)
  --verbose                more detail on stderr
${COMMON_FLAGS_HELP}

Output: a table on a terminal, JSON lines otherwise (one per finding; for a
region message also one line {account, region, type, id, controls} with
every control's status). With --findings-store: one line per change, the
finding with its "transition"; "No change." on a terminal when nothing changed.
Exit code: 0 compliant, 1 findings, 2 errors (bad messages, failed audits, failed remediations,
findings Security Hub did not import).`;

export interface RemediatorIo {
  input?: Readable;
  write?: (text: string) => void;
  isTty?: boolean;
  log?: Log;
  factory?: ClientFactory;
}

export async function runRemediator(argv: string[], io: RemediatorIo = {}): Promise<number> {
  const cli = parseCli(argv, {
    file: { type: 'string' },
    remediate: { type: 'boolean' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    'findings-store': { type: 'string' },
    format: { type: 'string' },
    'security-hub': { type: 'boolean' },
  }, { 'max-remediations': 'maxRemediationsPerRun', 'max-remediations-per-hour': 'maxRemediationsPerHour', framework: 'framework', 'renotify-days': 'renotifyDays' });
  const write = io.write ?? ((text: string) => void process.stdout.write(text));
  if (cli.values.help) {
    write(`${REMEDIATOR_HELP}\n`);
    return EXIT.ok;
  }
  const format = exportFormatOf(cli.values.format);
  const log = io.log ?? cliLog({ verbose: cli.values.verbose === true });
  const more: Record<string, unknown> = {};
  if (cli.values.remediate) more.remediate = true;
  if (cli.values['security-hub']) more.securityHub = true;
  const config = cli.loadConfig(more);
  if (config.remediate && config.accounts === undefined) {
    throw new ConfigError(['--remediate needs --accounts (or ACCOUNTS): remediation is refused for accounts you did not name']);
  }
  if (config.accounts === undefined) log.warn('no --accounts given: accepting messages for any account (dry run only)');
  const input = io.input ?? (typeof cli.values.file === 'string' ? createReadStream(cli.values.file) : process.stdin);
  if (input === process.stdin && process.stdin.isTTY) {
    throw new ConfigError(['no input: pipe poller output in (poller ... --stdout | remediator) or pass --file FILE']);
  }

  const session = io.factory ? { factory: io.factory, save: () => undefined } : openFactory(config, typeof cli.values.sandbox === 'string' ? cli.values.sandbox : undefined);
  const factory = session.factory;
  const directory = new AccountDirectory(config, factory.forSecurityAccount(config.homeRegion));
  const storeFile = cli.values['findings-store'];
  const fileStore = typeof storeFile === 'string' ? new FileFindingsStore(storeFile, { renotifyDays: config.renotifyDays }) : undefined;
  const run = await startRun(config, factory, directory, log, fileStore ? { findings: fileStore } : {});
  const asJson = cli.values.json === true || cli.values.format !== undefined || !(io.isTty ?? process.stdout.isTTY);
  // jsonl: today's lines (a finding, with its transition under --findings-store; region summaries too). Other formats: findings only.
  const now = new Date();
  const preamble = exportPreamble(format);
  if (asJson && preamble !== '') write(preamble);
  const emit = (finding: Finding, transition?: NotifiedTransition) => {
    if (format === 'jsonl') write(`${JSON.stringify(transition ? { ...finding, transition } : finding)}\n`);
    else write(exportRecord(format, exportOfFinding(finding, now, transition)));
  };

  const findings: Finding[] = [];
  const changes: FindingChange[] = [];
  const outcomes: MessageOutcome[] = [];
  let securityHub: SecurityHubReport | undefined;
  const inFlight = new Set<Promise<void>>();
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const at = lineNumber;
    const task = processMessage(line, run).then((outcome) => {
      outcomes.push(outcome);
      if ((outcome.status === 'audited' || outcome.status === 'gone') && outcome.securityHub) securityHub = addReports(securityHub ?? NOTHING_IMPORTED, outcome.securityHub);
      if ((outcome.status === 'audited' || outcome.status === 'gone') && outcome.changes) {
        changes.push(...outcome.changes);
        if (asJson) for (const { finding, transition } of outcome.changes) emit(finding, transition);
      }
      if (outcome.status === 'audited') {
        findings.push(...outcome.findings);
        if (asJson && !outcome.changes) for (const finding of outcome.findings) emit(finding);
        // A resource summary (region messages: every control's status) follows its findings: no checkId.
        if (asJson && format === 'jsonl' && outcome.summary) write(`${JSON.stringify({ ...outcome.message, ...outcome.summary })}\n`);
      } else if (outcome.status === 'rejected' || outcome.status === 'error') {
        log.error(`line ${at}: ${outcome.error}`);
      } else if (outcome.status === 'not_ready') {
        log.warn(`line ${at}: not ready (${outcome.reason}); poll again later`);
      }
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    if (inFlight.size >= config.concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  session.save();
  fileStore?.save();

  if (!asJson) write(`${run.findings ? formatChangesTable(changes, { colour: true }) : formatFindingsTable(findings, { colour: true })}\n`);
  const errors = outcomes.filter((o) => o.status === 'rejected' || o.status === 'error').length;
  const failedRemediations = findings.filter((f) => f.remediation === 'failed').length;
  const imports = securityHub ? `; Security Hub: ${securityHub.imported} imported${securityHub.failed ? `, ${securityHub.failed} NOT imported (see the errors above)` : ''}` : '';
  log.info(`${outcomes.length} message(s): ${summarise(findings)}${run.findings ? `; ${summariseChanges(changes)}` : ''}${imports}${errors ? `; ${errors} error(s)` : ''}`);
  if (errors > 0 || failedRemediations > 0 || (securityHub?.failed ?? 0) > 0) return EXIT.error;
  return findings.length > 0 ? EXIT.findings : EXIT.ok;
}
