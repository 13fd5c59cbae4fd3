import type { ConfigInput } from '../../services/core/config.ts';

/** Every posture control a finding when off, and every enablement on, with the settings they need. */
export const EVERY_ENABLEMENT_ON: Partial<ConfigInput> = {
  macieRequired: true,
  inspectorRequired: true,
  auditManagerRequired: true,
  enableGuardDuty: true,
  enableConfig: true,
  enableCloudTrail: true,
  enableVpcFlowLogs: true,
  enableEbsEncryption: true,
  enableSecurityHub: true,
  enableMacie: true,
  enableInspector: true,
  enableAuditManager: true,
  enablePasswordPolicy: true,
  enableS3AccountPublicAccessBlock: true,
  cloudTrailBucket: 'acme-cloudtrail',
  configDeliveryBucket: 'acme-config',
  flowLogsDestination: 'arn:aws:s3:::acme-flow-logs',
};
