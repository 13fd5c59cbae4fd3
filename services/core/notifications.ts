import { highestSeverity, type Finding } from './findings.ts';
import { controlLabels, frameworksOf } from './frameworks.ts';
import type { ResourceMessage } from './message.ts';
import type { NotifiedTransition } from '../findings-store/findingRecord.ts';
import type { TopicPublisher } from './topicPublisher.ts';

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
export const MAX_SUBJECT_LENGTH = 100;

export interface FindingsNotification {
  kind: 'compliance-findings';
  resource: ResourceMessage;
  severity: string;
  findings: Finding[];
  /**
   * With a findings store: what happened to every finding of this message
   * (new, reopened, resolved, remediation_changed, digest, remediation_starting).
   * Absent without a store: every finding, on every audit.
   */
  transition?: NotifiedTransition;
}

export function notificationSubject(resource: ResourceMessage, findings: readonly Finding[], transition?: NotifiedTransition): string {
  const severity = (highestSeverity(findings) ?? 'info').toUpperCase();
  const count = `${findings.length === 1 ? '1 finding' : `${findings.length} findings`}${transition ? ` ${transition.replace('_', ' ')}` : ''}`;
  const text = `[${severity}] ${count}: ${resource.type} ${resource.id || '(region)'} in ${resource.account} ${resource.region}`;
  const ascii = Array.from(text, (char) => (char >= ' ' && char <= '~' ? char : '?')).join('');
  return ascii.length > MAX_SUBJECT_LENGTH ? `${ascii.slice(0, MAX_SUBJECT_LENGTH - 3)}...` : ascii;
}

export function notificationBody(resource: ResourceMessage, findings: Finding[], transition?: NotifiedTransition): FindingsNotification {
  return { kind: 'compliance-findings', resource, severity: highestSeverity(findings) ?? 'info', findings, ...(transition ? { transition } : {}) };
}

type MessageAttributes = Record<string, { DataType: 'String' | 'String.Array'; StringValue: string }>;

/**
 * What subscription filter policies can match: severity, type and account;
 * and, when a finding declares controls, `frameworks` (["fsbp","cis"]) and
 * `controls` (["FSBP S3.2","CIS 2.1.4"]) as String.Array attributes, which a
 * filter matches when any element does
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html,
 * https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html).
 */
export function notificationAttributes(resource: ResourceMessage, findings: readonly Finding[], severity: string): MessageAttributes {
  const attributes: MessageAttributes = {
    severity: { DataType: 'String', StringValue: severity },
    type: { DataType: 'String', StringValue: resource.type },
    account: { DataType: 'String', StringValue: resource.account },
  };
  const frameworks = [...new Set(findings.flatMap((finding) => frameworksOf(finding.controls)))];
  const controls = [...new Set(findings.flatMap((finding) => controlLabels(finding.controls)))];
  if (frameworks.length > 0) attributes.frameworks = { DataType: 'String.Array', StringValue: JSON.stringify(frameworks) };
  if (controls.length > 0) attributes.controls = { DataType: 'String.Array', StringValue: JSON.stringify(controls) };
  return attributes;
}

/**
 * One SNS message per audited resource that has findings (with a findings
 * store: per resource and transition): a readable subject, a JSON body (each
 * finding with its controls), and the message attributes of
 * notificationAttributes plus `transition`. Sent through the run's
 * TopicPublisher: batched with the other records' messages of the
 * invocation (PublishBatch) when they are published at the same time.
 */
export async function publishFindings(
  publisher: TopicPublisher,
  resource: ResourceMessage,
  findings: Finding[],
  transition?: NotifiedTransition,
): Promise<string | undefined> {
  if (findings.length === 0) return undefined;
  const body = notificationBody(resource, findings, transition);
  return publisher.publish({
    subject: notificationSubject(resource, findings, transition),
    message: JSON.stringify(body),
    attributes: {
      ...notificationAttributes(resource, findings, body.severity),
      ...(transition ? { transition: { DataType: 'String', StringValue: transition } } : {}),
    },
  });
}
