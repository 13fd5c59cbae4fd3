import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients } from './clientFactory.ts';
import { highestSeverity, type Finding } from './findings.ts';
import type { ResourceMessage } from './message.ts';

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
export const MAX_SUBJECT_LENGTH = 100;

export interface FindingsNotification {
  kind: 'compliance-findings';
  resource: ResourceMessage;
  severity: string;
  findings: Finding[];
}

export function notificationSubject(resource: ResourceMessage, findings: readonly Finding[]): string {
  const severity = (highestSeverity(findings) ?? 'info').toUpperCase();
  const count = findings.length === 1 ? '1 finding' : `${findings.length} findings`;
  const text = `[${severity}] ${count}: ${resource.type} ${resource.id || '(region)'} in ${resource.account} ${resource.region}`;
  const ascii = Array.from(text, (char) => (char >= ' ' && char <= '~' ? char : '?')).join('');
  return ascii.length > MAX_SUBJECT_LENGTH ? `${ascii.slice(0, MAX_SUBJECT_LENGTH - 3)}...` : ascii;
}

export function notificationBody(resource: ResourceMessage, findings: Finding[]): FindingsNotification {
  return { kind: 'compliance-findings', resource, severity: highestSeverity(findings) ?? 'info', findings };
}

/**
 * One SNS message per audited resource that has findings: a readable
 * subject, a JSON body, and message attributes (severity, type, account)
 * that subscriptions can filter on.
 */
export async function publishFindings(
  clients: AwsClients,
  topicArn: string,
  resource: ResourceMessage,
  findings: Finding[],
): Promise<string | undefined> {
  if (findings.length === 0) return undefined;
  const body = notificationBody(resource, findings);
  const { MessageId } = await clients.get(SNSClient).send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: notificationSubject(resource, findings),
      Message: JSON.stringify(body),
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: body.severity },
        type: { DataType: 'String', StringValue: resource.type },
        account: { DataType: 'String', StringValue: resource.account },
      },
    }),
  );
  return MessageId;
}
