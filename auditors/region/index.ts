/**
 * region: the account and region posture, one message per (account, region)
 * with id "". Each control (one file each) reads one foundational security
 * service; its check fails when the control is required and off (or
 * unknown: AccessDenied), and its enablement switches it on behind its own
 * configuration switch. Account-level controls are judged in the home
 * region only.
 *
 * APIs: see each control; list: EC2 DescribeRegions (skip a region the
 * account has not opted in to).
 */
import { hasErrorName } from '../../services/core/errors.ts';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { defineAuditor, type CheckContext, type Remediation, type ResourceContext } from '../contract.ts';
import { regionTriggers } from '../triggers/region.ts';
import { auditManagerControl } from './auditManager.ts';
import { awsConfigControl } from './awsConfig.ts';
import { cloudTrailControl } from './cloudTrail.ts';
import { checkIdOf, type Reading, type RegionControl } from './control.ts';
import { ebsEncryptionControl } from './ebsEncryption.ts';
import { guardDutyControl } from './guardDuty.ts';
import { inspectorControl } from './inspector.ts';
import { macieControl } from './macie.ts';
import { passwordPolicyControl } from './passwordPolicy.ts';
import { controlReport, readControl, violationOf, type ControlReport } from './readControl.ts';
import { rootAccessKeysControl } from './rootAccessKeys.ts';
import { rootMfaControl } from './rootMfa.ts';
import { s3AccountPublicAccessBlockControl } from './s3AccountPublicAccessBlock.ts';
import { securityHubControl } from './securityHub.ts';
import { vpcFlowLogsControl } from './vpcFlowLogs.ts';
import type { AwsClients } from '../../services/core/clientFactory.ts';

/**
 * Every control, under its reading's place in the state, in report order:
 * detection first, then configuration history, then the account-level
 * controls. The state, the collection and the bound controls derive from it.
 */
const CONTROLS = {
  guardDuty: guardDutyControl,
  config: awsConfigControl,
  cloudTrail: cloudTrailControl,
  vpcFlowLogs: vpcFlowLogsControl,
  ebsEncryption: ebsEncryptionControl,
  securityHub: securityHubControl,
  macie: macieControl,
  inspector: inspectorControl,
  auditManager: auditManagerControl,
  rootMfa: rootMfaControl,
  rootAccessKeys: rootAccessKeysControl,
  passwordPolicy: passwordPolicyControl,
  s3AccountPublicAccessBlock: s3AccountPublicAccessBlockControl,
} as const;

type ControlKey = keyof typeof CONTROLS;
const CONTROL_KEYS = Object.keys(CONTROLS) as ControlKey[];

/** One reading per control. */
export type RegionState = { [K in ControlKey]: (typeof CONTROLS)[K] extends RegionControl<infer T> ? Reading<T> : never };

/** Every control, read at once; each reading stands alone (one AccessDenied does not stop the others). */
export async function collectRegionState(context: ResourceContext): Promise<RegionState> {
  const readings = await Promise.all(CONTROL_KEYS.map((key) => readControl<unknown>(CONTROLS[key], context)));
  return Object.fromEntries(CONTROL_KEYS.map((key, index) => [key, readings[index]])) as RegionState;
}

/** A control with its reading's place in the state: what the checks, remediations and reports iterate. */
interface BoundControl {
  control: Omit<RegionControl<unknown>, 'collect' | 'judge' | 'enablement'> & { enablement?: Omit<NonNullable<RegionControl<unknown>['enablement']>, 'apply'> };
  report(state: RegionState, context: CheckContext): ControlReport;
  remediation?: Remediation<RegionState>;
}

function bind<T>(control: RegionControl<T>, pick: (state: RegionState) => Reading<T>): BoundControl {
  const { enablement } = control;
  return {
    control,
    report: (state, context) => controlReport(control, pick(state), context),
    ...(enablement
      ? {
          remediation: {
            description: enablement.description,
            // Enablements turn on logging or a security service: nothing running stops.
            risk: 'safe' as const,
            permissions: enablement.permissions,
            ...(enablement.passRoleTo ? { passRoleTo: enablement.passRoleTo } : {}),
            enabled: enablement.enabled,
            // A control nobody could read (unknown) is not switched on blindly: that finding is notify-only.
            applicable: (state: RegionState, context: CheckContext) => controlReport(control, pick(state), context).status === 'disabled',
            apply: (context: ResourceContext, _state: RegionState, checkContext: CheckContext) => enablement.apply(context, checkContext),
          },
        }
      : {}),
  };
}

/** Every control bound to its reading, in report order (CONTROLS'). */
/** The same reading for every control: a unit that could not be read at all. */
export function uniformRegionState(reading: Reading<never>): RegionState {
  return Object.fromEntries(CONTROL_KEYS.map((key) => [key, reading])) as RegionState;
}

export const REGION_CONTROLS: readonly BoundControl[] = CONTROL_KEYS.map((key) => bind<unknown>(CONTROLS[key], (state) => state[key]));

/** Pure: every control's status for this (account, region). */
export function regionPosture(state: RegionState, context: CheckContext): ControlReport[] {
  return REGION_CONTROLS.map((bound) => bound.report(state, context));
}

/** `{key: {status, required, detail, checkId}}`: the baseline report's and the remediator's JSON. */
export function postureMap(reports: readonly ControlReport[]): Record<string, { status: string; required: boolean; detail: string; checkId: string }> {
  return Object.fromEntries(reports.map((r) => [r.key, { status: r.status, required: r.required, detail: r.detail, checkId: r.checkId }]));
}

/**
 * Best effort: true only when EC2 says the account has not opted in to the
 * region. Any failure to ask lists the region anyway: its audit then reports
 * what it cannot read, control by control.
 */
async function notOptedIn(clients: AwsClients, region: string): Promise<boolean> {
  try {
    const { Regions } = await clients.get(EC2Client).send(new DescribeRegionsCommand({ RegionNames: [region], AllRegions: true }));
    return Regions?.find((r) => r.RegionName === region)?.OptInStatus === 'not-opted-in';
  } catch (error) {
    // A region the account has not enabled refuses the call itself; anything else (AccessDenied) lists it anyway.
    return hasErrorName(error, 'OptInRequired', 'AuthFailure', 'UnrecognizedClientException');
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export const regionAuditor = defineAuditor<RegionState>({
  type: 'region',
  scope: 'regional',
  description: 'Account and region posture: GuardDuty, AWS Config, CloudTrail, flow logs, EBS default encryption, Security Hub, Macie, Inspector, Audit Manager; root MFA, password policy, S3 account Public Access Block',
  permissions: {
    list: ['ec2:DescribeRegions'],
    collect: unique(REGION_CONTROLS.flatMap((b) => b.control.permissions)),
  },
  triggers: regionTriggers,

  /** One resource per (account, region), unless the account has positively not opted in to the region. */
  async *list({ clients, region }) {
    if (!(await notOptedIn(clients, region))) yield { id: '' };
  },

  collect: (context) => collectRegionState(context),

  checks: REGION_CONTROLS.map((bound) => ({
    id: checkIdOf(bound.control),
    title: bound.control.title,
    severity: bound.control.severity,
    rationale: bound.control.rationale,
    controls: bound.control.controls,
    evaluate: (state: RegionState, context: CheckContext) => violationOf(bound.report(state, context)),
  })),

  remediations: Object.fromEntries(REGION_CONTROLS.flatMap((bound) => (bound.remediation ? [[checkIdOf(bound.control), bound.remediation]] : []))),

  summarise: (state, context) => ({ controls: postureMap(regionPosture(state, context)) }),
});
