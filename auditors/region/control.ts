/**
 * One control of the account and region posture (CloudTrail, AWS Config,
 * GuardDuty, ...): what it reads, how a reading is judged (pure), and how
 * it is switched on. The region auditor (index.ts) runs every control once
 * per (account, region); the baseline report shows every control's status.
 */
import type { Config } from '../../services/core/config.ts';
import type { Severity } from '../../services/core/findings.ts';
import type { ControlDeclaration } from '../../services/core/frameworks.ts';
import type { CheckContext, RemediationOutcome, ResourceContext } from '../contract.ts';

export const CONTROL_STATUSES = ['enabled', 'disabled', 'not_applicable', 'unknown'] as const;
/**
 * enabled / disabled: read and judged; not_applicable: the service does not
 * exist in the region, or an account-level control outside the home region;
 * unknown: it could not be read (AccessDenied), so nobody knows.
 */
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

/** What collect learned about one control. */
export type Reading<T> =
  | { outcome: 'read'; value: T }
  | { outcome: 'not_applicable'; detail: string }
  | { outcome: 'unknown'; detail: string };

/** A judged reading, with the detail that decided it. */
export interface Verdict {
  status: ControlStatus;
  detail: string;
}

export interface ControlEnablement {
  description: string;
  /** IAM actions, the re-read included. */
  permissions: readonly string[];
  /** With iam:PassRole: the services the role is passed to (Remediation.passRoleTo). */
  passRoleTo?: readonly string[];
  /** Each enablement has its own switch (enableCloudTrail, ...), off by default. */
  enabled: (config: Config) => boolean;
  /** Idempotent: re-read, switch on only what is off; no mutating call when all is on. */
  apply(context: ResourceContext, checkContext: CheckContext): Promise<RemediationOutcome>;
}

export interface ControlTrigger {
  eventSource: string;
  eventNames: readonly string[];
}

export interface RegionControl<T> {
  /** Short key in reports and JSON: `cloudtrail`. */
  key: string;
  /** The check's name: its id is `region.<check>`. */
  check: string;
  /** For people: `CloudTrail`. */
  label: string;
  /** account: judged once per account, in the home region only. */
  level: 'region' | 'account';
  title: string;
  severity: Severity;
  rationale: string;
  /** The check's FSBP / CIS v3.0.0 controls (see Check.controls in ../contract.ts). */
  controls: ControlDeclaration;
  /** What the check reads, in words (the README control table). */
  reads: string;
  /** IAM actions `collect` calls. */
  permissions: readonly string[];
  /** CloudTrail calls that can switch the control off. */
  triggers: readonly ControlTrigger[];
  /** false: the status is reported, never a finding. Default: required. */
  required?: (config: Config) => boolean;
  /** Read the control's state; errors are classified by readControl. */
  collect(context: ResourceContext): Promise<T>;
  /** Pure. */
  judge(value: T, context: CheckContext): Verdict;
  enablement?: ControlEnablement;
}

export function checkIdOf(control: Pick<RegionControl<unknown>, 'check'>): string {
  return `region.${control.check}`;
}

export function isRequired(control: Pick<RegionControl<unknown>, 'required'>, config: Config): boolean {
  return control.required?.(config) ?? true;
}

/** Account-level controls are judged in the home region only, never once per region. */
export function judgedHere(control: Pick<RegionControl<unknown>, 'level'>, region: string, config: Config): boolean {
  return control.level === 'region' || region === config.homeRegion;
}

export function notJudgedHere(config: Config): string {
  return `account-level control, judged in the home region ${config.homeRegion}`;
}
