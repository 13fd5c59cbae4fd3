/**
 * region.macie_off: Macie is enabled (only a finding when macieRequired).
 *
 * APIs: GetMacieSession; enablement: EnableMacie, or UpdateMacieSession
 * when paused.
 */
import { EnableMacieCommand, GetMacieSessionCommand, Macie2Client, UpdateMacieSessionCommand } from '@aws-sdk/client-macie2';
import { hasErrorName } from '../../services/core/errors.ts';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

export interface MacieState {
  /** ENABLED, PAUSED, or NOT_ENABLED (no session). */
  status: string;
}

export function judgeMacie(state: MacieState): Verdict {
  if (state.status === 'ENABLED') return { status: 'enabled', detail: 'Macie is enabled' };
  if (state.status === 'PAUSED') return { status: 'disabled', detail: 'Macie is paused' };
  return { status: 'disabled', detail: 'Macie is not enabled' };
}

/** Macie answers GetMacieSession with AccessDeniedException "Macie is not enabled" when it is off. */
export function isMacieNotEnabled(error: unknown): boolean {
  return hasErrorName(error, 'AccessDeniedException') && error instanceof Error && /Macie is not enabled/i.test(error.message);
}

async function readMacie(client: Macie2Client): Promise<MacieState> {
  try {
    const { status } = await client.send(new GetMacieSessionCommand({}));
    return { status: status ?? 'NOT_ENABLED' };
  } catch (error) {
    if (isMacieNotEnabled(error)) return { status: 'NOT_ENABLED' };
    throw error;
  }
}

export const macieControl: RegionControl<MacieState> = {
  key: 'macie',
  check: 'macie_off',
  label: 'Macie',
  level: REGION_CONTROL_TRIGGERS.macie.level,
  title: 'Macie is off',
  severity: 'low',
  rationale: 'Macie finds sensitive data in S3 buckets and reports buckets that are public or shared; off, nobody knows where such data sits.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/macie-controls.html
  controls: { fsbp: ['Macie.1'] },
  reads: 'GetMacieSession: status ENABLED (a finding only with macieRequired)',
  permissions: ['macie2:GetMacieSession'],
  triggers: REGION_CONTROL_TRIGGERS.macie.triggers,
  required: (config) => config.macieRequired,

  collect: (context) => readMacie(context.clients.get(Macie2Client)),
  judge: (state) => judgeMacie(state),

  enablement: {
    description: 'Enable Macie, or resume it when paused (no classification job is created).',
    permissions: ['macie2:GetMacieSession', 'macie2:EnableMacie', 'macie2:UpdateMacieSession', 'iam:CreateServiceLinkedRole'],
    enabled: (config) => config.enableMacie,
    async apply(context) {
      const client = context.clients.get(Macie2Client);
      const { status } = await readMacie(client);
      if (status === 'ENABLED') return 'already_compliant';
      if (status === 'PAUSED') await client.send(new UpdateMacieSessionCommand({ status: 'ENABLED' }));
      else await client.send(new EnableMacieCommand({ status: 'ENABLED' }));
      return 'applied';
    },
  },
};
