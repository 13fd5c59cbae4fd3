/**
 * region.ebs_default_encryption_off: new EBS volumes are encrypted by default.
 *
 * APIs: GetEbsEncryptionByDefault; enablement: EnableEbsEncryptionByDefault.
 */
import { EC2Client, EnableEbsEncryptionByDefaultCommand, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

export interface EbsEncryptionState {
  encryptionByDefault: boolean;
}

export function judgeEbsEncryption(state: EbsEncryptionState): Verdict {
  return state.encryptionByDefault
    ? { status: 'enabled', detail: 'EBS encryption by default is on' }
    : { status: 'disabled', detail: 'EBS encryption by default is off: new volumes and snapshot copies may be unencrypted' };
}

async function readEbsEncryption(client: EC2Client): Promise<EbsEncryptionState> {
  const { EbsEncryptionByDefault } = await client.send(new GetEbsEncryptionByDefaultCommand({}));
  return { encryptionByDefault: EbsEncryptionByDefault === true };
}

export const ebsEncryptionControl: RegionControl<EbsEncryptionState> = {
  key: 'ebs_default_encryption',
  check: 'ebs_default_encryption_off',
  label: 'EBS default encryption',
  level: REGION_CONTROL_TRIGGERS.ebsEncryption.level,
  title: 'EBS encryption by default is off',
  severity: 'medium',
  rationale: 'With encryption by default on, every new volume in the region is encrypted, whoever creates it and however.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html
  controls: { fsbp: ['EC2.7'], cis: ['2.2.1'] },
  reads: 'GetEbsEncryptionByDefault',
  permissions: ['ec2:GetEbsEncryptionByDefault'],
  triggers: REGION_CONTROL_TRIGGERS.ebsEncryption.triggers,

  collect: (context) => readEbsEncryption(context.clients.get(EC2Client)),
  judge: (state) => judgeEbsEncryption(state),

  enablement: {
    description: 'Turn on EBS encryption by default (existing volumes are not changed; the default KMS key stays as it is).',
    permissions: ['ec2:GetEbsEncryptionByDefault', 'ec2:EnableEbsEncryptionByDefault'],
    enabled: (config) => config.enableEbsEncryption,
    async apply(context) {
      const client = context.clients.get(EC2Client);
      if ((await readEbsEncryption(client)).encryptionByDefault) return 'already_compliant';
      await client.send(new EnableEbsEncryptionByDefaultCommand({}));
      return 'applied';
    },
  },
};
