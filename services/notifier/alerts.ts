/**
 * Pure: one incoming Lambda event -> the alerts it carries. GuardDuty
 * findings take their severity from the score; a root console sign-in is
 * always high; this service's findings keep theirs. Anything unrecognised
 * is returned as ignored, with why, so the handler can log it.
 */
import type { FindingsNotification } from '../core/notifications.ts';
import type { Severity } from '../core/findings.ts';
import {
  CONSOLE_SIGN_IN_DETAIL_TYPE,
  GUARDDUTY_FINDING_DETAIL_TYPE,
  consoleSignInSchema,
  eventBridgeEnvelopeSchema,
  findingsNotificationSchema,
  guardDutyFindingSchema,
  snsEnvelopeSchema,
  type ConsoleSignIn,
  type GuardDutyFinding,
} from './notifierEvents.ts';
import { guardDutySeverity } from './severity.ts';

export interface GuardDutyAlert {
  kind: 'guardduty';
  severity: Severity;
  finding: GuardDutyFinding;
}

export interface RootSignInAlert {
  kind: 'root_sign_in';
  severity: Severity;
  /** The account signed in to (the event's account). */
  account: string;
  region: string;
  signIn: ConsoleSignIn;
}

export interface ComplianceAlert {
  kind: 'compliance';
  severity: Severity;
  notification: FindingsNotification;
}

export type Alert = GuardDutyAlert | RootSignInAlert | ComplianceAlert;

export interface ParsedEvent {
  alerts: Alert[];
  ignored: { id: string; reason: string }[];
}

/** Root console sign-ins are paged and posted like any high finding. */
export const ROOT_SIGN_IN_SEVERITY: Severity = 'high';

function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'value'}: ${issue.message}`).join('; ');
}

function fromEventBridge(event: unknown): ParsedEvent | undefined {
  const envelope = eventBridgeEnvelopeSchema.safeParse(event);
  if (!envelope.success) return undefined;
  const { id, source, account, region } = envelope.data;
  const detailType = envelope.data['detail-type'];
  if (source === 'aws.guardduty' && detailType === GUARDDUTY_FINDING_DETAIL_TYPE) {
    const finding = guardDutyFindingSchema.safeParse(envelope.data.detail);
    if (!finding.success) return { alerts: [], ignored: [{ id, reason: `GuardDuty finding without the expected fields: ${issuesOf(finding.error)}` }] };
    return { alerts: [{ kind: 'guardduty', severity: guardDutySeverity(finding.data.severity), finding: finding.data }], ignored: [] };
  }
  if (detailType === CONSOLE_SIGN_IN_DETAIL_TYPE) {
    const signIn = consoleSignInSchema.safeParse(envelope.data.detail);
    if (!signIn.success) return { alerts: [], ignored: [{ id, reason: `console sign-in event without the expected fields: ${issuesOf(signIn.error)}` }] };
    if (signIn.data.userIdentity.type !== 'Root') return { alerts: [], ignored: [{ id, reason: `console sign-in by ${signIn.data.userIdentity.type}, not Root` }] };
    return { alerts: [{ kind: 'root_sign_in', severity: ROOT_SIGN_IN_SEVERITY, account: signIn.data.recipientAccountId ?? account, region, signIn: signIn.data }], ignored: [] };
  }
  return { alerts: [], ignored: [{ id, reason: `unsupported event ${source} "${detailType}"` }] };
}

function fromSns(event: unknown): ParsedEvent | undefined {
  const envelope = snsEnvelopeSchema.safeParse(event);
  if (!envelope.success) return undefined;
  const parsed: ParsedEvent = { alerts: [], ignored: [] };
  for (const record of envelope.data.Records) {
    const id = record.Sns.MessageId;
    let body: unknown;
    try {
      body = JSON.parse(record.Sns.Message);
    } catch {
      parsed.ignored.push({ id, reason: 'SNS message is not JSON' });
      continue;
    }
    const notification = findingsNotificationSchema.safeParse(body);
    if (!notification.success) {
      parsed.ignored.push({ id, reason: `SNS message is not a FindingsNotification: ${issuesOf(notification.error)}` });
      continue;
    }
    parsed.alerts.push({ kind: 'compliance', severity: notification.data.severity, notification: notification.data });
  }
  return parsed;
}

export function alertsFromEvent(event: unknown): ParsedEvent {
  return fromSns(event) ?? fromEventBridge(event) ?? { alerts: [], ignored: [{ id: '(unknown)', reason: 'neither an SNS nor an EventBridge event' }] };
}
