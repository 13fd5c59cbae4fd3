/**
 * Reading one control and turning the reading into a status. A service
 * missing in the region is "not applicable"; AccessDenied makes the control
 * "unknown" (a finding that names the missing permission) while the other
 * controls still run; throttling, server errors and the member role that
 * cannot be assumed are thrown, so that the message is retried.
 */
import { ComplianceError, awsErrorName, describeError, hasErrorName, isAccessDenied } from '../../services/core/errors.ts';
import type { CheckContext, ResourceContext } from '../contract.ts';
import { checkIdOf, isRequired, judgedHere, notJudgedHere, type ControlStatus, type Reading, type RegionControl } from './control.ts';

/** The per-control line of the baseline report and of the remediator's JSON for region messages. */
export interface ControlReport {
  key: string;
  checkId: string;
  label: string;
  level: 'region' | 'account';
  required: boolean;
  status: ControlStatus;
  detail: string;
}

/** No endpoint for the service in this region, or the account is not subscribed to it there. */
const UNAVAILABLE = ['ENOTFOUND', 'OptInRequired', 'SubscriptionRequiredException', 'UnknownOperationException'] as const;
/** Credential failures: not a missing permission; often a region not enabled for the account. */
const CREDENTIALS = ['InvalidClientTokenId', 'UnrecognizedClientException', 'AuthFailure'] as const;

interface ErrorShape {
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
}

function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as ErrorShape).message : undefined;
  return typeof message === 'string' ? message : '';
}

export function isServiceUnavailable(error: unknown): boolean {
  return hasErrorName(error, ...UNAVAILABLE) || /getaddrinfo ENOTFOUND|is not supported in this region|not available in this region/i.test(messageOf(error));
}

/** Worth a retry of the whole message: throttling past the SDK's retries, server errors. */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const shape = error as ErrorShape;
  return shape.$fault === 'server' || shape.$retryable !== undefined || /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(awsErrorName(error));
}

/** The IAM action an AccessDenied names ("... not authorized to perform: config:DescribeDeliveryChannels ..."), if it does. */
export function deniedAction(error: unknown): string | undefined {
  return /perform: ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(messageOf(error))?.[1];
}

/** "AccessDenied on config:DescribeConfigurationRecorders (add it to the member role)". */
export function unknownDetail(error: unknown, permissions: readonly string[]): string {
  const name = awsErrorName(error);
  if (hasErrorName(error, ...CREDENTIALS)) {
    return `${name}: the member role's credentials are refused here (is the region enabled for the account?)`;
  }
  if (isAccessDenied(error)) {
    const action = deniedAction(error);
    return action
      ? `${name} on ${action} (add it to the member role)`
      : `${name} on one of ${permissions.join(', ')} (add them to the member role)`;
  }
  return describeError(error);
}

/**
 * Read one control. Account-level controls are not read outside the home
 * region. Transient errors are thrown; every other error is classified.
 */
export async function readControl<T>(control: RegionControl<T>, context: ResourceContext): Promise<Reading<T>> {
  if (!judgedHere(control, context.region, context.config)) return { outcome: 'not_applicable', detail: notJudgedHere(context.config) };
  try {
    return { outcome: 'read', value: await control.collect(context) };
  } catch (error) {
    if (isServiceUnavailable(error)) {
      return { outcome: 'not_applicable', detail: `${control.label} is not available in ${context.region} (${describeError(error)})` };
    }
    // Our own errors (the member role cannot be assumed, a missing setting) concern the unit, not the control.
    if (isTransient(error) || error instanceof ComplianceError) throw error;
    return { outcome: 'unknown', detail: unknownDetail(error, control.permissions) };
  }
}

/** Pure: the control's status for this reading, where it is judged. */
export function controlReport<T>(control: RegionControl<T>, reading: Reading<T>, context: CheckContext): ControlReport {
  const base = {
    key: control.key,
    checkId: checkIdOf(control),
    label: control.label,
    level: control.level,
    required: isRequired(control, context.config),
  };
  if (!judgedHere(control, context.region, context.config)) return { ...base, status: 'not_applicable', detail: notJudgedHere(context.config) };
  if (reading.outcome === 'read') return { ...base, ...control.judge(reading.value, context) };
  return { ...base, status: reading.outcome, detail: reading.detail };
}

/**
 * A required control that is off, or that nobody could read, is a finding;
 * one that is not required never is (its status is still reported).
 */
export function violationOf(report: ControlReport): { detail: string } | undefined {
  if (!report.required) return undefined;
  if (report.status === 'disabled') return { detail: report.detail };
  if (report.status === 'unknown') return { detail: `unknown: ${report.detail}` };
  return undefined;
}
