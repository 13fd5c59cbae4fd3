/**
 * The Security Hub sink (securityHub=true), beside SNS: the findings whose
 * lifecycle changed (new, reopened, resolved, remediation_changed, digest)
 * are imported as ASFF into the Security Hub of the account and region each
 * is about, through that account's audit role: Security Hub takes a finding
 * through an account's default product only from that account
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html).
 * The organization's Security Hub administrator sees them all.
 *
 * A failure never loses the finding: SNS has it already (the sink runs after
 * the publish), and every finding Security Hub did not take is logged with
 * its error and counted in the report. It never throws.
 */
import type { ClientFactory } from '../core/clientFactory.ts';
import { describeError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { toAsff } from '../exports/asff.ts';
import { exportOfFinding, exportOfRecord, type ExportedFinding } from '../exports/exportedFinding.ts';
import type { Finding } from '../core/findings.ts';
import type { RecordedChange } from '../remediator/notifyChanges.ts';
import { importAccountFindings, type ImportResult } from './importFindings.ts';

/** What one send did: how many findings Security Hub took, and how many it did not. */
export interface SecurityHubReport {
  imported: number;
  failed: number;
}

export const NOTHING_IMPORTED: SecurityHubReport = { imported: 0, failed: 0 };

export function addReports(a: SecurityHubReport, b: SecurityHubReport): SecurityHubReport {
  return { imported: a.imported + b.imported, failed: a.failed + b.failed };
}

function byAccountAndRegion(findings: readonly ExportedFinding[]): ExportedFinding[][] {
  const groups = new Map<string, ExportedFinding[]>();
  for (const finding of findings) {
    const key = `${finding.account}/${finding.region}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...groups.values()];
}

export class SecurityHubSink {
  constructor(
    private readonly factory: ClientFactory,
    /** The audit role the findings are imported through (config memberRoleName), named in error messages. */
    private readonly roleName: string,
    private readonly log: Log,
  ) {}

  /** Import findings as they stand at `at` (their UpdatedAt). */
  async send(findings: readonly ExportedFinding[], at: Date): Promise<SecurityHubReport> {
    let report = NOTHING_IMPORTED;
    for (const group of byAccountAndRegion(findings)) {
      const [first] = group;
      if (!first) continue;
      const { account, region } = first;
      let result: ImportResult;
      try {
        const asff = group.map((finding) => toAsff(finding, { updatedAt: at.toISOString() }));
        result = await importAccountFindings(this.factory.forAccount(account, region), asff, { roleName: this.roleName });
      } catch (error) {
        result = { account, region, imported: 0, failures: group.map((finding) => ({ findingId: finding.findingId, errorCode: 'Error', errorMessage: describeError(error) })) };
      }
      for (const failure of result.failures) {
        this.log.error('Security Hub did not import a finding (SNS has it; Security Hub gets it at its next change or digest)', { account, region, ...failure });
      }
      report = addReports(report, { imported: result.imported, failed: result.failures.length });
    }
    return report;
  }
}

/** What the sink receives of a message: its changes as their records stand (with a store; the detail as published: "resolved: ..."), else every finding as seen now. */
export function securityHubFindings(changes: readonly RecordedChange[] | undefined, findings: readonly Finding[], seenAt: Date): ExportedFinding[] {
  return changes ? changes.map((change) => ({ ...exportOfRecord(change.record), detail: change.finding.detail })) : findings.map((finding) => exportOfFinding(finding, seenAt));
}

/** With securityHub=true and something to import: `{ securityHub: report }` for the message's outcome; else nothing. */
export async function sendToSecurityHub(sink: SecurityHubSink | undefined, findings: readonly ExportedFinding[], at: Date): Promise<{ securityHub?: SecurityHubReport }> {
  if (!sink || findings.length === 0) return {};
  return { securityHub: await sink.send(findings, at) };
}
