/**
 * region.auditmanager_off: Audit Manager is active (only a finding when
 * auditManagerRequired).
 *
 * APIs: GetAccountStatus; enablement: RegisterAccount.
 */
import { AuditManagerClient, GetAccountStatusCommand, RegisterAccountCommand } from '@aws-sdk/client-auditmanager';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

export interface AuditManagerState {
  /** ACTIVE, INACTIVE or PENDING_ACTIVATION. */
  status: string;
}

export function judgeAuditManager(state: AuditManagerState): Verdict {
  if (state.status === 'ACTIVE') return { status: 'enabled', detail: 'Audit Manager is active' };
  if (state.status === 'PENDING_ACTIVATION') return { status: 'enabled', detail: 'Audit Manager activation is pending' };
  return { status: 'disabled', detail: `Audit Manager is ${state.status.toLowerCase() || 'inactive'}` };
}

async function readAuditManager(client: AuditManagerClient): Promise<AuditManagerState> {
  const { status } = await client.send(new GetAccountStatusCommand({}));
  return { status: status ?? 'INACTIVE' };
}

export const auditManagerControl: RegionControl<AuditManagerState> = {
  key: 'auditmanager',
  check: 'auditmanager_off',
  label: 'Audit Manager',
  level: REGION_CONTROL_TRIGGERS.auditManager.level,
  title: 'Audit Manager is off',
  severity: 'low',
  rationale: 'Audit Manager collects the evidence that audits against frameworks such as CIS or PCI DSS ask for; off, none is collected.',
  controls: { none: 'Audit Manager collects evidence for audits; neither FSBP nor CIS v3.0.0 has a control that it be on' },
  // No FSBP or CIS v3.0.0 control: Security Hub has none for Audit Manager.
  reads: 'GetAccountStatus: ACTIVE (or PENDING_ACTIVATION) (a finding only with auditManagerRequired)',
  permissions: ['auditmanager:GetAccountStatus'],
  triggers: REGION_CONTROL_TRIGGERS.auditManager.triggers,
  required: (config) => config.auditManagerRequired,

  collect: (context) => readAuditManager(context.clients.get(AuditManagerClient)),
  judge: (state) => judgeAuditManager(state),

  enablement: {
    description: 'Register the account with Audit Manager (no assessment is created).',
    permissions: ['auditmanager:GetAccountStatus', 'auditmanager:RegisterAccount', 'iam:CreateServiceLinkedRole'],
    enabled: (config) => config.enableAuditManager,
    async apply(context) {
      const client = context.clients.get(AuditManagerClient);
      if (judgeAuditManager(await readAuditManager(client)).status === 'enabled') return 'already_compliant';
      await client.send(new RegisterAccountCommand({}));
      return 'applied';
    },
  },
};
