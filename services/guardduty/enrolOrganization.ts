/**
 * Organization-wide GuardDuty enrolment: every region in scope, each
 * isolated (a failing region is reported, the others go on), ending with a
 * summary. The same function serves the CLI (guardduty-enrol) and the daily Lambda.
 */
import type { Config } from '../core/config.ts';
import { mapWithConcurrency } from '../core/concurrency.ts';
import type { Log } from '../core/log.ts';
import { enrolRegion } from './enrolRegion.ts';
import { enrolmentRegions } from './enrolmentRegions.ts';
import type { EnrolmentSummary } from './enrolmentSummary.ts';
import type { EnrolmentTargets } from './enrolmentTargets.ts';
import { listOrganizationAccounts } from '../core/organizationAccounts.ts';

export interface OrganizationEnrolment {
  config: Config;
  targets: EnrolmentTargets;
  /** Print the plan, change nothing. */
  dryRun: boolean;
  log: Log;
}

export async function enrolOrganization(run: OrganizationEnrolment): Promise<EnrolmentSummary> {
  const { config, targets, log } = run;
  const accounts = await listOrganizationAccounts(targets.management(config.homeRegion));
  const regions = await enrolmentRegions(config, targets.security);
  log.info(`GuardDuty enrolment${run.dryRun ? ' (dry run)' : ''}: ${accounts.length} account(s) x ${regions.length} region(s), administrator ${targets.administratorAccount}`);
  const summaries = await mapWithConcurrency(regions, config.concurrency, (region) =>
    enrolRegion({
      region,
      management: targets.management(region),
      administrator: targets.administrator(region),
      administratorAccount: targets.administratorAccount,
      managementAccount: targets.managementAccount,
      accounts,
      settings: config,
      dryRun: run.dryRun,
      log,
    }),
  );
  return { dryRun: run.dryRun, administratorAccount: targets.administratorAccount, accounts: accounts.length, regions: summaries };
}
