import { postureMap } from '../../auditors/region/index.ts';
import { attentionCount, type BaselineReport } from './baselineReport.ts';

/**
 * `--json`: a status map per account, region and control
 * (`accounts[account][region].controls[key] = {status, required, detail, checkId}`),
 * the same `controls` map as the remediator's JSON line for a region message.
 */
export function formatBaselineJson(report: BaselineReport): string {
  const accounts: Record<string, Record<string, { controls: ReturnType<typeof postureMap>; error?: string }>> = {};
  for (const unit of report.units) {
    const byRegion = (accounts[unit.account] ??= {});
    byRegion[unit.region] = { controls: postureMap(unit.controls), ...(unit.error ? { error: unit.error } : {}) };
  }
  const attention = attentionCount(report);
  return JSON.stringify({ generatedAt: report.generatedAt, compliant: attention === 0, requiredOffOrUnknown: attention, accounts }, null, 2);
}
