/**
 * Seed the security baseline into a sandbox state: after
 * `seedSecurityBaseline(state, account, region)` every control of the
 * `region` auditor is on there: a GuardDuty detector, AWS Config recording
 * to a delivery channel, a multi-region trail (homed in the organization's
 * first region) logging with validation, a flow log on every VPC, EBS
 * encryption by default, Security Hub with FSBP, Macie, Inspector
 * (EC2/ECR/Lambda), Audit Manager where it exists, and, account-wide, root
 * MFA, a strong password policy and the account-level S3 Public Access
 * Block. `only` seeds a subset (by control key).
 *
 * It runs the sandbox's own operations (stateOperations.ts), each read
 * first, so seeding twice changes nothing. Root MFA has no API but the root
 * user's console: it is set in the state directly.
 */
import type { DescribeTrailsCommandOutput, GetTrailStatusCommandOutput } from '@aws-sdk/client-cloudtrail';
import type { DescribeConfigurationRecorderStatusCommandOutput, DescribeConfigurationRecordersCommandOutput, DescribeDeliveryChannelsCommandOutput } from '@aws-sdk/client-config-service';
import type { DescribeFlowLogsCommandOutput, DescribeVpcsCommandOutput } from '@aws-sdk/client-ec2';
import type { GetDetectorCommandOutput, ListDetectorsCommandOutput } from '@aws-sdk/client-guardduty';
import type { BatchGetAccountStatusCommandOutput } from '@aws-sdk/client-inspector2';
import type { GetMacieSessionCommandOutput } from '@aws-sdk/client-macie2';
import type { GetEnabledStandardsCommandOutput } from '@aws-sdk/client-securityhub';
import type { SandboxState } from './sandboxState.ts';
import { operationsOn, type StateOperations } from './stateOperations.ts';
import { AUDIT_MANAGER_REGIONS } from './services/auditManager.ts';
import { setRootMfa } from './services/iamAccountState.ts';
import { standardsIn } from './services/securityHubStandards.ts';

/** The `region` auditor's control keys, in its report order. */
export const BASELINE_CONTROLS = [
  'guardduty',
  'config',
  'cloudtrail',
  'vpc_flow_logs',
  'ebs_default_encryption',
  'securityhub',
  'macie',
  'inspector',
  'auditmanager',
  'root_mfa',
  'password_policy',
  's3_account_public_access_block',
] as const;
export type BaselineControl = (typeof BASELINE_CONTROLS)[number];

/** Name of the trail the seed creates. */
export const SEEDED_TRAIL_NAME = 'organization-baseline';

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

function seedGuardDuty(ops: StateOperations): void {
  const [detectorId] = ops.call<ListDetectorsCommandOutput>('GuardDuty', 'ListDetectors').DetectorIds ?? [];
  if (!detectorId) {
    ops.call('GuardDuty', 'CreateDetector', { Enable: true });
    return;
  }
  if (ops.call<GetDetectorCommandOutput>('GuardDuty', 'GetDetector', { DetectorId: detectorId }).Status !== 'ENABLED') {
    ops.call('GuardDuty', 'UpdateDetector', { DetectorId: detectorId, Enable: true });
  }
}

function seedConfig(ops: StateOperations, home: string): void {
  const { account, region } = ops.context;
  let recorder = ops.call<DescribeConfigurationRecordersCommandOutput>('Config Service', 'DescribeConfigurationRecorders').ConfigurationRecorders?.[0]?.name;
  if (!recorder) {
    recorder = 'default';
    ops.call('Config Service', 'PutConfigurationRecorder', {
      ConfigurationRecorder: {
        name: recorder,
        roleARN: `arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: region === home },
      },
    });
  }
  if ((ops.call<DescribeDeliveryChannelsCommandOutput>('Config Service', 'DescribeDeliveryChannels').DeliveryChannels ?? []).length === 0) {
    ops.call('Config Service', 'PutDeliveryChannel', { DeliveryChannel: { name: 'default', s3BucketName: `sandbox-config-${account}` } });
  }
  const status = ops.call<DescribeConfigurationRecorderStatusCommandOutput>('Config Service', 'DescribeConfigurationRecorderStatus').ConfigurationRecordersStatus ?? [];
  if (!status.some((s) => s.recording)) ops.call('Config Service', 'StartConfigurationRecorder', { ConfigurationRecorderName: recorder });
}

/** One multi-region trail per account, homed in `home`: seeding any region of the account seeds it. */
function seedTrail(state: SandboxState, account: string, home: string, now: () => Date): void {
  const ops = operationsOn(state, account, home, now);
  const trails = (ops.call<DescribeTrailsCommandOutput>('CloudTrail', 'DescribeTrails', { includeShadowTrails: true }).trailList ?? []).filter(
    (trail) => trail.IsMultiRegionTrail && trail.TrailARN?.split(':')[4] === account && trail.HomeRegion === home,
  );
  let trail = trails[0];
  if (!trail) {
    ops.call('CloudTrail', 'CreateTrail', { Name: SEEDED_TRAIL_NAME, S3BucketName: `sandbox-cloudtrail-${account}`, IsMultiRegionTrail: true, EnableLogFileValidation: true, IncludeGlobalServiceEvents: true });
    trail = { Name: SEEDED_TRAIL_NAME, LogFileValidationEnabled: true };
  }
  const name = trail.TrailARN ?? trail.Name ?? SEEDED_TRAIL_NAME;
  if (!trail.LogFileValidationEnabled) ops.call('CloudTrail', 'UpdateTrail', { Name: name, EnableLogFileValidation: true });
  if (!ops.call<GetTrailStatusCommandOutput>('CloudTrail', 'GetTrailStatus', { Name: name }).IsLogging) ops.call('CloudTrail', 'StartLogging', { Name: name });
}

function seedFlowLogs(ops: StateOperations): void {
  const vpcs = (ops.call<DescribeVpcsCommandOutput>('EC2', 'DescribeVpcs').Vpcs ?? []).flatMap((vpc) => (vpc.VpcId ? [vpc.VpcId] : []));
  const covered = new Set((ops.call<DescribeFlowLogsCommandOutput>('EC2', 'DescribeFlowLogs').FlowLogs ?? []).map((flowLog) => flowLog.ResourceId));
  const missing = vpcs.filter((id) => !covered.has(id));
  if (missing.length === 0) return;
  ops.call('EC2', 'CreateFlowLogs', {
    ResourceIds: missing,
    ResourceType: 'VPC',
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: `arn:aws:s3:::sandbox-flow-logs-${ops.context.account}`,
  });
}

function seedSecurityHub(ops: StateOperations): void {
  try {
    ops.call('SecurityHub', 'DescribeHub');
  } catch (error) {
    if (errorName(error) !== 'InvalidAccessException') throw error;
    ops.call('SecurityHub', 'EnableSecurityHub', { EnableDefaultStandards: false });
  }
  const fsbp = standardsIn(ops.context.region).find((standard) => standard.StandardsArn?.includes('/aws-foundational-security-best-practices/'))?.StandardsArn;
  const enabled = (ops.call<GetEnabledStandardsCommandOutput>('SecurityHub', 'GetEnabledStandards').StandardsSubscriptions ?? []).map((s) => s.StandardsArn);
  if (fsbp && !enabled.includes(fsbp)) ops.call('SecurityHub', 'BatchEnableStandards', { StandardsSubscriptionRequests: [{ StandardsArn: fsbp }] });
}

function seedMacie(ops: StateOperations): void {
  try {
    if (ops.call<GetMacieSessionCommandOutput>('Macie2', 'GetMacieSession').status !== 'ENABLED') ops.call('Macie2', 'UpdateMacieSession', { status: 'ENABLED' });
  } catch (error) {
    if (errorName(error) !== 'AccessDeniedException') throw error;
    ops.call('Macie2', 'EnableMacie', { status: 'ENABLED' });
  }
}

function seedInspector(ops: StateOperations): void {
  const resources = ops.call<BatchGetAccountStatusCommandOutput>('Inspector2', 'BatchGetAccountStatus', { accountIds: [ops.context.account] }).accounts?.[0]?.resourceState;
  const off = (['EC2', 'ECR', 'LAMBDA'] as const).filter((type) => {
    const status = type === 'EC2' ? resources?.ec2?.status : type === 'ECR' ? resources?.ecr?.status : resources?.lambda?.status;
    return status !== 'ENABLED';
  });
  if (off.length > 0) ops.call('Inspector2', 'Enable', { accountIds: [ops.context.account], resourceTypes: off });
}

/** A password policy every check of the `region` auditor accepts. */
export const STRONG_PASSWORD_POLICY = {
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 24,
  HardExpiry: false,
};

const ALL_FLAGS = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

export interface SeedOptions {
  /** Seed only these controls (default: all). */
  only?: readonly BaselineControl[];
  now?: () => Date;
}

/** Turn the controls of one (account, region) on, account-wide ones included. Idempotent. */
export function seedSecurityBaseline(state: SandboxState, account: string, region: string, options: SeedOptions = {}): void {
  const now = options.now ?? (() => new Date());
  const ops = operationsOn(state, account, region, now);
  const wanted = new Set<BaselineControl>(options.only ?? BASELINE_CONTROLS);
  const home = state.regions.find((r) => r in (state.accounts[account]?.regions ?? {})) ?? region;
  const steps: Record<BaselineControl, () => void> = {
    guardduty: () => seedGuardDuty(ops),
    config: () => seedConfig(ops, home),
    cloudtrail: () => seedTrail(state, account, home, now),
    vpc_flow_logs: () => seedFlowLogs(ops),
    ebs_default_encryption: () => void ops.call('EC2', 'EnableEbsEncryptionByDefault'),
    securityhub: () => seedSecurityHub(ops),
    macie: () => seedMacie(ops),
    inspector: () => seedInspector(ops),
    auditmanager: () => {
      if (AUDIT_MANAGER_REGIONS.includes(region)) ops.call('AuditManager', 'RegisterAccount');
    },
    root_mfa: () => setRootMfa(ops.context, true),
    password_policy: () => void ops.call('IAM', 'UpdateAccountPasswordPolicy', STRONG_PASSWORD_POLICY),
    s3_account_public_access_block: () => void ops.call('S3 Control', 'PutPublicAccessBlock', { AccountId: account, PublicAccessBlockConfiguration: ALL_FLAGS }),
  };
  for (const control of BASELINE_CONTROLS) if (wanted.has(control)) steps[control]();
}
