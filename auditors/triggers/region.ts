/**
 * CloudTrail calls that can switch a region posture control off, and each
 * control's level (account: judged once per account, in the home region).
 * SDK-free: the event translator imports these, not the region auditor.
 * Keyed and ordered as the region auditor's controls (auditors/region/index.ts).
 */
import type { CloudTrailTrigger } from '../contract.ts';
import type { ControlTrigger } from '../region/control.ts';

export const REGION_CONTROL_TRIGGERS = {
  guardDuty: { level: 'region', triggers: [{ eventSource: 'guardduty.amazonaws.com', eventNames: ['DeleteDetector', 'UpdateDetector', 'DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount'] }] },
  config: { level: 'region', triggers: [{ eventSource: 'config.amazonaws.com', eventNames: ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel'] }] },
  cloudTrail: { level: 'region', triggers: [{ eventSource: 'cloudtrail.amazonaws.com', eventNames: ['StopLogging', 'DeleteTrail', 'UpdateTrail'] }] },
  vpcFlowLogs: { level: 'region', triggers: [{ eventSource: 'ec2.amazonaws.com', eventNames: ['DeleteFlowLogs', 'CreateVpc'] }] },
  ebsEncryption: { level: 'region', triggers: [{ eventSource: 'ec2.amazonaws.com', eventNames: ['DisableEbsEncryptionByDefault'] }] },
  securityHub: { level: 'region', triggers: [{ eventSource: 'securityhub.amazonaws.com', eventNames: ['DisableSecurityHub', 'BatchDisableStandards'] }] },
  macie: { level: 'region', triggers: [{ eventSource: 'macie2.amazonaws.com', eventNames: ['DisableMacie', 'UpdateMacieSession'] }] },
  inspector: { level: 'region', triggers: [{ eventSource: 'inspector2.amazonaws.com', eventNames: ['Disable'] }] },
  auditManager: { level: 'region', triggers: [{ eventSource: 'auditmanager.amazonaws.com', eventNames: ['DeregisterAccount'] }] },
  rootMfa: { level: 'account', triggers: [{ eventSource: 'iam.amazonaws.com', eventNames: ['DeactivateMFADevice', 'DeleteVirtualMFADevice'] }] },
  // None: the root user's CreateAccessKey shares its name with every user's (a trigger here would audit the account on each),
  // and iam_user's trigger skips the root's; the nightly poll judges it.
  rootAccessKeys: { level: 'account', triggers: [] },
  passwordPolicy: { level: 'account', triggers: [{ eventSource: 'iam.amazonaws.com', eventNames: ['DeleteAccountPasswordPolicy', 'UpdateAccountPasswordPolicy'] }] },
  s3AccountPublicAccessBlock: { level: 'account', triggers: [{ eventSource: 's3.amazonaws.com', eventNames: ['PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock'] }] },
} as const satisfies Readonly<Record<string, { level: 'region' | 'account'; triggers: readonly ControlTrigger[] }>>;

/** A control switched off: audit the region. The message's id is "", so the id path is one every event has. */
export const regionTriggers: readonly CloudTrailTrigger[] = Object.values(REGION_CONTROL_TRIGGERS).flatMap((control) =>
  control.triggers.map((trigger) => ({
    eventSource: trigger.eventSource,
    eventNames: trigger.eventNames,
    idPath: 'eventName',
    transformId: () => '',
    ...(control.level === 'account' ? { accountLevel: true } : {}),
  })),
);
