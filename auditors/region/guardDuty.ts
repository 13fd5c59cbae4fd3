/**
 * region.guardduty_not_enrolled: a GuardDuty detector is enabled and, when
 * guardDutyAdministratorAccount is set, is an Enabled member of that
 * administrator (the administrator itself passes with its own detector on).
 * The reading, the judgement and the fix are the GuardDuty enrolment's own
 * (services/guardduty/detectorStatus.ts).
 *
 * APIs: ListDetectors, GetDetector, GetAdministratorAccount; enablement (in
 * the administrator account): GetMembers, CreateMembers or
 * StartMonitoringMembers; without an administrator, the account's own
 * detector is created or enabled.
 */
import { guardDutyEnrolmentProblem, readGuardDutyStatus, enrolOneAccount, type GuardDutyStatus } from '../../services/guardduty/detectorStatus.ts';
import type { Config } from '../../services/core/config.ts';
import { clientsIn } from './clientsIn.ts';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

export function judgeGuardDuty(status: GuardDutyStatus, account: string, config: Config): Verdict {
  const administratorAccount = config.guardDutyAdministratorAccount;
  const problem = guardDutyEnrolmentProblem(status, { account, administratorAccount });
  if (problem) return { status: 'disabled', detail: problem };
  const membership =
    administratorAccount === undefined || administratorAccount === account ? '' : `, member of ${administratorAccount} (${status.administrator?.relationshipStatus ?? '?'})`;
  return { status: 'enabled', detail: `detector ${status.detectorId ?? '?'} enabled${membership}` };
}

export const guardDutyControl: RegionControl<GuardDutyStatus> = {
  key: 'guardduty',
  check: 'guardduty_not_enrolled',
  label: 'GuardDuty',
  level: REGION_CONTROL_TRIGGERS.guardDuty.level,
  title: 'GuardDuty is not enabled or not enrolled with the administrator',
  severity: 'high',
  rationale: 'GuardDuty detects compromised credentials, instances and buckets; a region without it, or outside the administrator, raises no alert anyone sees.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html
  controls: { fsbp: ['GuardDuty.1'] },
  reads: 'ListDetectors, GetDetector, GetAdministratorAccount: an ENABLED detector, member of guardDutyAdministratorAccount with relationship Enabled',
  permissions: ['guardduty:ListDetectors', 'guardduty:GetDetector', 'guardduty:GetAdministratorAccount'],
  triggers: REGION_CONTROL_TRIGGERS.guardDuty.triggers,

  collect: (context) => readGuardDutyStatus(context.clients),
  judge: (status, context) => judgeGuardDuty(status, context.account, context.config),

  enablement: {
    description:
      "Enrol the account in this region: from the administrator account (its remediation role), add it as a member or restart its monitoring; without guardDutyAdministratorAccount, create or enable the account's own detector.",
    permissions: [
      'guardduty:ListDetectors',
      'guardduty:GetDetector',
      'guardduty:GetAdministratorAccount',
      'guardduty:GetMembers',
      'guardduty:CreateMembers',
      'guardduty:StartMonitoringMembers',
      'guardduty:CreateDetector',
      'guardduty:UpdateDetector',
      'iam:CreateServiceLinkedRole',
    ],
    enabled: (config) => config.enableGuardDuty,
    async apply(context) {
      const status = await readGuardDutyStatus(context.clients);
      if (judgeGuardDuty(status, context.account, context.config).status === 'enabled') return 'already_compliant';
      const administrator = context.config.guardDutyAdministratorAccount ?? context.account;
      const result = await enrolOneAccount(clientsIn(context, administrator, context.region), context.account);
      return result.outcome;
    },
  },
};
