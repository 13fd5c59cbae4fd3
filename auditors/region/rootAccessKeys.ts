/**
 * region.root_access_keys (account level, home region only): the root user
 * has no access keys.
 *
 * APIs: GetAccountSummary (AccountAccessKeysPresent,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html).
 * Notify only: only the root user can delete its own access keys.
 */
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

export interface RootAccessKeysState {
  /** SummaryMap.AccountAccessKeysPresent: 1 when the root user has at least one access key. */
  accountAccessKeysPresent: number;
}

export function judgeRootAccessKeys(state: RootAccessKeysState): Verdict {
  return state.accountAccessKeysPresent === 0
    ? { status: 'enabled', detail: 'the root user has no access keys' }
    : { status: 'disabled', detail: `the root user has access keys (AccountAccessKeysPresent = ${state.accountAccessKeysPresent})` };
}

export const rootAccessKeysControl: RegionControl<RootAccessKeysState> = {
  key: 'root_access_keys',
  check: 'root_access_keys',
  label: 'Root access keys',
  level: REGION_CONTROL_TRIGGERS.rootAccessKeys.level,
  title: 'Root user has access keys',
  severity: 'critical',
  rationale: 'A root access key signs any API call with every permission in the account, and no policy can limit it; the root user should have none.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-4 (IAM.4 is CIS v3.0.0 1.4)
  controls: { fsbp: ['IAM.4'], cis: ['1.4'] },
  reads: 'GetAccountSummary: AccountAccessKeysPresent = 0',
  permissions: ['iam:GetAccountSummary'],
  triggers: REGION_CONTROL_TRIGGERS.rootAccessKeys.triggers,

  async collect(context) {
    const { SummaryMap } = await context.clients.get(IAMClient).send(new GetAccountSummaryCommand({}));
    return { accountAccessKeysPresent: SummaryMap?.AccountAccessKeysPresent ?? 0 };
  },
  judge: (state) => judgeRootAccessKeys(state),
};
