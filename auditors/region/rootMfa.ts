/**
 * region.root_mfa_off (account level, home region only): the root user has MFA.
 *
 * APIs: GetAccountSummary. Notify only: MFA for root needs the root user.
 */
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

export interface RootMfaState {
  /** SummaryMap.AccountMFAEnabled: 1 when the root user has an MFA device. */
  accountMfaEnabled: number;
}

export function judgeRootMfa(state: RootMfaState): Verdict {
  return state.accountMfaEnabled === 1
    ? { status: 'enabled', detail: 'the root user has MFA' }
    : { status: 'disabled', detail: 'the root user has no MFA device (AccountMFAEnabled = 0)' };
}

export const rootMfaControl: RegionControl<RootMfaState> = {
  key: 'root_mfa',
  check: 'root_mfa_off',
  label: 'Root MFA',
  level: REGION_CONTROL_TRIGGERS.rootMfa.level,
  title: 'Root user has no MFA',
  severity: 'critical',
  rationale: 'The root user can do anything in the account, including close it; a password alone is one phishing email away from losing it.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html (CIS 1.5 is IAM.9, which is not an FSBP control; FSBP has only IAM.6, hardware MFA)
  controls: { cis: ['1.5'] },
  reads: 'GetAccountSummary: AccountMFAEnabled = 1',
  permissions: ['iam:GetAccountSummary'],
  triggers: REGION_CONTROL_TRIGGERS.rootMfa.triggers,

  async collect(context) {
    const { SummaryMap } = await context.clients.get(IAMClient).send(new GetAccountSummaryCommand({}));
    return { accountMfaEnabled: SummaryMap?.AccountMFAEnabled ?? 0 };
  },
  judge: (state) => judgeRootMfa(state),
};
