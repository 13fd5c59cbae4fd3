/**
 * Pure: the Slack message for an alert, or undefined when nothing in it
 * reaches the configured minimum severity.
 */
import { highestSeverity, type Finding, type Severity } from '../core/findings.ts';
import { notificationSubject } from '../core/notifications.ts';
import type { Alert, ComplianceAlert, GuardDutyAlert, RootSignInAlert } from './alerts.ts';
import { cloudTrailEventUrl, guardDutyFindingUrl } from './consoleLinks.ts';
import { escapeSlack, fields, header, linkButton, markdown, type SlackBlock, type SlackMessage } from './slackBlocks.ts';
import { SEVERITY_COLOURS, atLeast, severityLabel } from './severity.ts';

/** Findings listed per message; Slack allows 50 blocks. */
export const MAX_FINDINGS_PER_MESSAGE = 40;

function message(text: string, severity: Severity, blocks: SlackBlock[]): SlackMessage {
  return { text, attachments: [{ color: SEVERITY_COLOURS[severity], blocks }] };
}

function guardDutyMessage({ finding, severity }: GuardDutyAlert): SlackMessage {
  const label = severityLabel(severity);
  const service = finding.service ?? {};
  const blocks: SlackBlock[] = [header(finding.title)];
  if (finding.description) blocks.push(markdown(escapeSlack(finding.description)));
  blocks.push(
    fields([
      ['Severity', `${label} (${finding.severity})`],
      ['Finding type', finding.type],
      ['Account', finding.accountId],
      ['Region', finding.region],
      ['First seen', service.eventFirstSeen ?? finding.createdAt ?? 'unknown'],
      ['Last seen', service.eventLastSeen ?? finding.updatedAt ?? 'unknown'],
      ['Count', String(service.count ?? 1)],
      ['Resource', finding.resource?.resourceType ?? 'unknown'],
    ]),
    linkButton('Open in GuardDuty', guardDutyFindingUrl(finding.region, finding.id, finding.partition)),
  );
  return message(`[${severity.toUpperCase()}] GuardDuty: ${finding.title} (${finding.accountId} ${finding.region})`, severity, blocks);
}

function rootSignInMessage({ signIn, account, region, severity }: RootSignInAlert): SlackMessage {
  const result = signIn.responseElements?.ConsoleLogin ?? 'unknown';
  return message(`[${severity.toUpperCase()}] Root user console sign-in to ${account} (${result})`, severity, [
    header(`Root user console sign-in: ${account}`),
    markdown(`The *root user* of account ${account} signed in to the AWS console. The root user should be locked away; if this was not planned, treat it as an incident.`),
    fields([
      ['Account', account],
      ['Result', result],
      ['MFA used', signIn.additionalEventData?.MFAUsed ?? 'unknown'],
      ['Source IP', signIn.sourceIPAddress ?? 'unknown'],
      ['Time', signIn.eventTime],
      ['User agent', signIn.userAgent ?? 'unknown'],
    ]),
    linkButton('Open in CloudTrail', cloudTrailEventUrl(signIn.awsRegion ?? region, signIn.eventID)),
  ]);
}

/** Slack's "good" attachment colour: a resolved finding is good news. */
export const RESOLVED_COLOUR = '#2eb886';

/** One finding's lines: what is wrong and where remediation stands; for a resolved one, what was wrong. */
function findingLines(finding: Finding, resolved: boolean): string {
  if (resolved) return `*Resolved* \`${finding.checkId}\` ${escapeSlack(finding.title)}\n${escapeSlack(finding.detail)}`;
  const remediation = `Remediation: *${finding.remediation}*${finding.remediationDetail ? ` (${escapeSlack(finding.remediationDetail)})` : ''}`;
  return `*${severityLabel(finding.severity)}* \`${finding.checkId}\` ${escapeSlack(finding.title)}\n${escapeSlack(finding.detail)}\n${remediation}`;
}

/**
 * The findings of one resource at or above the minimum severity. With a
 * findings store the header says the transition; a `resolved` one is a
 * "Resolved" post in Slack's good colour (the same filter as the first post).
 */
function complianceMessage({ notification }: ComplianceAlert, minimum: Severity): SlackMessage | undefined {
  const shown = notification.findings.filter((finding) => atLeast(finding.severity, minimum));
  if (shown.length === 0) return undefined;
  const { resource, transition } = notification;
  const resolved = transition === 'resolved';
  const count = shown.length === 1 ? '1 compliance finding' : `${shown.length} compliance findings`;
  const title = resolved ? `Resolved: ${count}` : `${count}${transition ? ` (${transition.replace('_', ' ')})` : ''}`;
  const blocks: SlackBlock[] = [
    header(`${title}: ${resource.type} ${resource.id || '(region)'}`),
    fields([
      ['Account', resource.account],
      ['Region', resource.region],
      ['Resource type', resource.type],
      ['Resource id', resource.id || '(region)'],
    ]),
  ];
  for (const finding of shown.slice(0, MAX_FINDINGS_PER_MESSAGE)) blocks.push(markdown(findingLines(finding, resolved)));
  if (shown.length > MAX_FINDINGS_PER_MESSAGE) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${shown.length - MAX_FINDINGS_PER_MESSAGE} more` }] });
  const text = notificationSubject(resource, shown, transition);
  return resolved ? { text, attachments: [{ color: RESOLVED_COLOUR, blocks }] } : message(text, highestSeverity(shown) ?? 'info', blocks);
}

export function slackMessageFor(alert: Alert, minimum: Severity): SlackMessage | undefined {
  if (alert.kind === 'compliance') return complianceMessage(alert, minimum);
  if (!atLeast(alert.severity, minimum)) return undefined;
  return alert.kind === 'guardduty' ? guardDutyMessage(alert) : rootSignInMessage(alert);
}
