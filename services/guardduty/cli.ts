import { COMMON_FLAGS_HELP, parseCli } from '../core/cliConfig.ts';
import { EXIT } from '../core/cliRuntime.ts';
import { ClientFactory } from '../core/clientFactory.ts';
import type { ConfigKey, RawConfig } from '../core/config.ts';
import { cliLog, type Log } from '../core/log.ts';
import { openFactory } from '../../sandbox/sandboxSession.ts';
import { enrolOrganization } from './enrolOrganization.ts';
import { failedRegions, formatSummary, hasPlannedChanges } from './enrolmentSummary.ts';
import { enrolmentTargets, managementFactory } from './enrolmentTargets.ts';

export const GUARDDUTY_ENROL_HELP = `Usage: guardduty-enrol --management-account ID [--dry-run] [options]

Makes GuardDuty match the configuration in every region in scope: the
administrator account is the organization's delegated administrator, its
detector is enabled, every ACTIVE organization account is a member, and
accounts added later enrol themselves. Run with the security account's
credentials; the management account is reached through its role.

  --dry-run                    print the plan, change nothing
  --management-account ID      organization management account (GUARDDUTY_MANAGEMENT_ACCOUNT)
  --management-role NAME       role assumed there (default GuardDutyEnrolmentRole)
  --administrator-account ID   delegated administrator (default: the account you run as)
  --guardduty-regions R1,R2    regions to enrol (default: every region enabled for the account)
  --auto-enable ALL|NEW        AutoEnableOrganizationMembers (default ALL)
  --protection-plans P1,P2     e.g. S3_DATA_EVENTS,EKS_AUDIT_LOGS,EBS_MALWARE_PROTECTION,RDS_LOGIN_EVENTS,LAMBDA_NETWORK_LOGS,RUNTIME_MONITORING
  --reassociate                re-add disassociated members, restart stopped monitoring
  --json                       print the summary as JSON instead of text
${COMMON_FLAGS_HELP}

With --sandbox FILE: the organization saved in FILE (npm run demo -- --save
FILE). You run as its security account, which the sandbox answers as the
management account (the first account): it is the management account unless
--management-account says otherwise, and the administrator unless
--administrator-account names another account (a dedicated security
account, as AWS recommends). Changes are saved to FILE, unless --dry-run.

Exit code: 0 when GuardDuty matches (or was made to match), 1 when a dry run
found changes to make, 2 when a region or account failed or on a configuration error.`;

const FLAG_KEYS: Record<string, ConfigKey> = {
  'management-account': 'guardDutyManagementAccount',
  'management-role': 'guardDutyManagementRoleName',
  'administrator-account': 'guardDutyAdministratorAccount',
  'guardduty-regions': 'guardDutyRegions',
  'auto-enable': 'guardDutyAutoEnable',
  'protection-plans': 'guardDutyProtectionPlans',
};

export interface GuardDutyEnrolIo {
  write?: (text: string) => void;
  log?: Log;
  env?: NodeJS.ProcessEnv;
}

export async function runGuardDutyEnrol(argv: string[], io: GuardDutyEnrolIo = {}): Promise<number> {
  const cli = parseCli(argv, {
    'dry-run': { type: 'boolean' },
    reassociate: { type: 'boolean' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
  }, FLAG_KEYS);
  const write = io.write ?? ((text: string) => process.stdout.write(text));
  if (cli.values.help) {
    write(`${GUARDDUTY_ENROL_HELP}\n`);
    return EXIT.ok;
  }
  const more: RawConfig = {};
  if (cli.values.reassociate) more.guardDutyReassociateMembers = true;
  const loaded = cli.loadConfig(more);
  const env = io.env ?? process.env;
  const log = io.log ?? cliLog({ verbose: cli.values.verbose === true });
  const dryRun = cli.values['dry-run'] === true;
  const sandboxFile = typeof cli.values.sandbox === 'string' ? cli.values.sandbox : undefined;
  const session = sandboxFile ? openFactory(loaded, sandboxFile) : undefined;
  // In the sandbox: the management account is the organization's (the first account) unless given; its role is not needed.
  const config = session?.sandbox ? { ...loaded, guardDutyManagementAccount: loaded.guardDutyManagementAccount ?? session.sandbox.state.managementAccount } : loaded;
  const factory = session?.factory ?? new ClientFactory({ ...config, env });
  const targets = await enrolmentTargets(config, factory, session ? session.factory : managementFactory(config, env));
  const summary = await enrolOrganization({ config, targets, dryRun, log });
  if (session && !dryRun) session.save();
  write(cli.values.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
  if (failedRegions(summary).length > 0) return EXIT.error;
  return dryRun && hasPlannedChanges(summary) ? EXIT.findings : EXIT.ok;
}
