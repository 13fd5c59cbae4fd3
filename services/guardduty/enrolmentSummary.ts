/**
 * The result of an enrolment run: per region, what was already right, what
 * changed (or would change, in a dry run), what failed and what was only
 * reported. Printed by the CLI; published to the alarms topic when anything failed.
 */

/** ok: already as desired; changed: a mutating call was made; planned: dry run; skipped: an earlier step failed. */
export type StepStatus = 'ok' | 'changed' | 'planned' | 'failed' | 'skipped';

export interface Step {
  status: StepStatus;
  /** What was (or would be) done, or why it failed. */
  detail?: string;
}

export interface AccountNote {
  account: string;
  reason: string;
}

export interface RegionSummary {
  region: string;
  administrator: Step;
  detector: Step;
  /** Members added (or to add, in a dry run), restarted, already Enabled, failed, reported. */
  members: Step & { added: string[]; restarted: string[]; already: number; failed: AccountNote[]; reported: AccountNote[] };
  autoEnable: Step;
  /** Mutating calls made in the region. */
  changes: number;
}

export interface EnrolmentSummary {
  dryRun: boolean;
  administratorAccount: string;
  accounts: number;
  regions: RegionSummary[];
}

export function emptyRegionSummary(region: string): RegionSummary {
  const skipped: Step = { status: 'skipped' };
  return {
    region,
    administrator: skipped,
    detector: skipped,
    members: { status: 'skipped', added: [], restarted: [], already: 0, failed: [], reported: [] },
    autoEnable: skipped,
    changes: 0,
  };
}

function regionFailed(region: RegionSummary): boolean {
  return [region.administrator, region.detector, region.members, region.autoEnable].some((step) => step.status === 'failed') || region.members.failed.length > 0;
}

export function failedRegions(summary: EnrolmentSummary): string[] {
  return summary.regions.filter(regionFailed).map((region) => region.region);
}

export function totalChanges(summary: EnrolmentSummary): number {
  return summary.regions.reduce((sum, region) => sum + region.changes, 0);
}

function plannedChanges(summary: EnrolmentSummary): number {
  return summary.regions.reduce(
    (sum, region) =>
      sum +
      [region.administrator, region.detector, region.autoEnable].filter((step) => step.status === 'planned').length +
      region.members.added.length +
      region.members.restarted.length,
    0,
  );
}

export function hasPlannedChanges(summary: EnrolmentSummary): boolean {
  return plannedChanges(summary) > 0;
}

function step(name: string, value: Step): string {
  return `${name} ${value.status}${value.detail ? ` (${value.detail})` : ''}`;
}

function memberLine(region: RegionSummary, dryRun: boolean): string {
  const m = region.members;
  const verb = dryRun ? 'to add' : 'added';
  const parts = [`${m.added.length} ${verb}`, `${m.already} already`, `${m.failed.length} failed`];
  if (m.restarted.length > 0) parts.push(`${m.restarted.length} ${dryRun ? 'to restart' : 'restarted'}`);
  if (m.reported.length > 0) parts.push(`${m.reported.length} reported`);
  return `members ${m.status}${m.detail ? ` (${m.detail})` : ''}: ${parts.join(', ')}`;
}

/** The summary as text lines: one per region, then every failed or reported account, then the verdict. */
export function formatSummary(summary: EnrolmentSummary): string {
  const lines = [
    `GuardDuty enrolment${summary.dryRun ? ' (dry run)' : ''}: administrator ${summary.administratorAccount}, ${summary.accounts} organization account(s), ${summary.regions.length} region(s)`,
  ];
  for (const region of summary.regions) {
    lines.push(
      `${region.region}: ${step('admin', region.administrator)}; ${step('detector', region.detector)}; ${memberLine(region, summary.dryRun)}; ${step('auto-enable', region.autoEnable)}`,
    );
  }
  for (const region of summary.regions) {
    for (const note of region.members.failed) lines.push(`  failed ${note.account} in ${region.region}: ${note.reason}`);
    for (const note of region.members.reported) lines.push(`  reported ${note.account} in ${region.region}: ${note.reason}`);
  }
  const failed = failedRegions(summary);
  if (summary.dryRun) {
    const planned = plannedChanges(summary);
    lines.push(planned === 0 ? 'dry run: nothing to change' : `dry run: ${planned} change(s) planned, nothing changed`);
  } else {
    const changes = totalChanges(summary);
    lines.push(changes === 0 ? 'no changes: GuardDuty already matches the configuration' : `${changes} change(s) made`);
  }
  if (failed.length > 0) lines.push(`FAILED in ${failed.length} region(s): ${failed.join(', ')}`);
  return lines.join('\n');
}
