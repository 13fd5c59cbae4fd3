/**
 * region.inspector_off: Inspector scans EC2, ECR and Lambda (only a finding
 * when inspectorRequired).
 *
 * APIs: inspector2 BatchGetAccountStatus; enablement: inspector2 Enable for
 * the scan types that are off.
 */
import { BatchGetAccountStatusCommand, EnableCommand, Inspector2Client, type ResourceScanType } from '@aws-sdk/client-inspector2';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

export const INSPECTOR_SCAN_TYPES = { ec2: 'EC2', ecr: 'ECR', lambda: 'LAMBDA' } as const satisfies Record<string, ResourceScanType>;
type ScanKey = keyof typeof INSPECTOR_SCAN_TYPES;
const SCAN_KEYS = Object.keys(INSPECTOR_SCAN_TYPES) as ScanKey[];
/** ENABLING: on its way; counts as on. */
const ON = new Set(['ENABLED', 'ENABLING']);

export interface InspectorState {
  /** Status per scan type: ENABLED, ENABLING, DISABLED, SUSPENDED, ... */
  scans: Record<ScanKey, string>;
}

export function scansOff(state: InspectorState): ScanKey[] {
  return SCAN_KEYS.filter((key) => !ON.has(state.scans[key]));
}

export function judgeInspector(state: InspectorState): Verdict {
  const off = scansOff(state);
  if (off.length === 0) return { status: 'enabled', detail: 'EC2, ECR and Lambda scanning enabled' };
  return { status: 'disabled', detail: `scanning not enabled: ${off.map((key) => `${INSPECTOR_SCAN_TYPES[key]} (${state.scans[key]})`).join(', ')}` };
}

/** An account-level failure inside a 200 answer, raised as the error it names. */
function failedAccountError(code: string | undefined, message: string | undefined): Error {
  const name = code === 'ACCESS_DENIED' ? 'AccessDeniedException' : (code ?? 'InspectorError');
  return Object.assign(new Error(message ?? code ?? 'failed'), { name });
}

async function readInspector(client: Inspector2Client, account: string): Promise<InspectorState> {
  const { accounts, failedAccounts } = await client.send(new BatchGetAccountStatusCommand({ accountIds: [account] }));
  const failed = failedAccounts?.[0];
  if (failed) throw failedAccountError(failed.errorCode, failed.errorMessage);
  const resources = accounts?.[0]?.resourceState;
  return {
    scans: {
      ec2: resources?.ec2?.status ?? 'DISABLED',
      ecr: resources?.ecr?.status ?? 'DISABLED',
      lambda: resources?.lambda?.status ?? 'DISABLED',
    },
  };
}

export const inspectorControl: RegionControl<InspectorState> = {
  key: 'inspector',
  check: 'inspector_off',
  label: 'Inspector',
  level: REGION_CONTROL_TRIGGERS.inspector.level,
  title: 'Inspector scanning is off',
  severity: 'medium',
  rationale: 'Inspector scans instances, container images and functions for known vulnerabilities; off, they go unnoticed.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/inspector-controls.html (EC2, ECR, Lambda standard scanning)
  controls: { fsbp: ['Inspector.1', 'Inspector.2', 'Inspector.4'] },
  reads: 'inspector2 BatchGetAccountStatus: EC2, ECR and Lambda scanning ENABLED (a finding only with inspectorRequired)',
  permissions: ['inspector2:BatchGetAccountStatus'],
  triggers: REGION_CONTROL_TRIGGERS.inspector.triggers,
  required: (config) => config.inspectorRequired,

  collect: (context) => readInspector(context.clients.get(Inspector2Client), context.account),
  judge: (state) => judgeInspector(state),

  enablement: {
    description: 'Enable Inspector for the scan types (EC2, ECR, Lambda) that are off; the others are left as they are.',
    permissions: ['inspector2:BatchGetAccountStatus', 'inspector2:Enable', 'iam:CreateServiceLinkedRole'],
    enabled: (config) => config.enableInspector,
    async apply(context) {
      const client = context.clients.get(Inspector2Client);
      const off = scansOff(await readInspector(client, context.account));
      if (off.length === 0) return 'already_compliant';
      const { failedAccounts } = await client.send(
        new EnableCommand({ accountIds: [context.account], resourceTypes: off.map((key) => INSPECTOR_SCAN_TYPES[key]) }),
      );
      const failed = failedAccounts?.[0];
      if (failed) throw failedAccountError(failed.errorCode, failed.errorMessage);
      return 'applied';
    },
  },
};
