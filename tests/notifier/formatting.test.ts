import { describe, expect, it } from 'vitest';
import type { Severity } from '../../services/core/findings.ts';
import { alertsFromEvent, type Alert } from '../../services/notifier/alerts.ts';
import { pagerDutyEventsFor } from '../../services/notifier/pagerDutyEvent.ts';
import { guardDutySeverity } from '../../services/notifier/severity.ts';
import { slackMessageFor } from '../../services/notifier/slackMessage.ts';
import {
  BUCKET_FINDINGS,
  CN_S3_TOR,
  CREDENTIAL_EXFILTRATION,
  GOV_BITCOIN,
  PORT_PROBE,
  SSH_BRUTE_FORCE,
  consoleSignIn,
  guardDutyEvent,
  snsEvent,
} from './fixtures.ts';

const KEY = 'R0UT1NGKEY0000000000000000000000';

function onlyAlert(event: unknown): Alert {
  const { alerts, ignored } = alertsFromEvent(event);
  expect(ignored).toEqual([]);
  expect(alerts).toHaveLength(1);
  return alerts[0] as Alert;
}

describe('GuardDuty severity', () => {
  it.each<[number, Severity]>([
    [0.1, 'low'],
    [2, 'low'],
    [3.9, 'low'],
    [4, 'medium'],
    [6.9, 'medium'],
    [7, 'high'],
    [8.9, 'high'],
    [10, 'high'],
  ])('%s is %s', (score, expected) => {
    expect(guardDutySeverity(score)).toBe(expected);
  });
});

describe('Slack messages for GuardDuty findings', () => {
  it.each([
    {
      name: 'low SSH brute force (us-east-1)',
      finding: SSH_BRUTE_FORCE,
      region: 'us-east-1',
      expected: {
        text: '[LOW] GuardDuty: 198.51.100.23 is performing SSH brute force attacks against i-0a1b2c3d4e5f67890. (123456789012 us-east-1)',
        attachments: [
          {
            color: '#2b7bb9',
            blocks: [
              { type: 'header', text: { type: 'plain_text', text: '198.51.100.23 is performing SSH brute force attacks against i-0a1b2c3d4e5f67890.' } },
              {
                type: 'section',
                text: {
                  type: 'mrkdwn',
                  text: '198.51.100.23 is performing SSH brute force attacks against i-0a1b2c3d4e5f67890. Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password.',
                },
              },
              {
                type: 'section',
                fields: [
                  { type: 'mrkdwn', text: '*Severity*\nLow (2)' },
                  { type: 'mrkdwn', text: '*Finding type*\nUnauthorizedAccess:EC2/SSHBruteForce' },
                  { type: 'mrkdwn', text: '*Account*\n123456789012' },
                  { type: 'mrkdwn', text: '*Region*\nus-east-1' },
                  { type: 'mrkdwn', text: '*First seen*\n2026-11-20T09:02:11.000Z' },
                  { type: 'mrkdwn', text: '*Last seen*\n2026-11-20T11:41:37.000Z' },
                  { type: 'mrkdwn', text: '*Count*\n37' },
                  { type: 'mrkdwn', text: '*Resource*\nInstance' },
                ],
              },
              {
                type: 'actions',
                elements: [
                  {
                    type: 'button',
                    text: { type: 'plain_text', text: 'Open in GuardDuty' },
                    url: 'https://console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?macros=current&fId=16afba5c5c43e07c9e3e5e2e544e95df',
                  },
                ],
              },
            ],
          },
        ],
      },
    },
    {
      name: 'medium port probe (eu-west-1), description escaped for mrkdwn',
      finding: PORT_PROBE,
      region: 'eu-west-1',
      expected: {
        text: '[MEDIUM] GuardDuty: Unprotected port on EC2 instance i-0fedcba9876543210 is being probed. (210987654321 eu-west-1)',
        attachments: [
          {
            color: '#ff9900',
            blocks: [
              { type: 'header', text: { type: 'plain_text', text: 'Unprotected port on EC2 instance i-0fedcba9876543210 is being probed.' } },
              { type: 'section', text: { type: 'mrkdwn', text: 'EC2 instance has an unprotected port 5432 which is being probed by a known malicious host &lt;script&gt; &amp; co.' } },
              {
                type: 'section',
                fields: [
                  { type: 'mrkdwn', text: '*Severity*\nMedium (5)' },
                  { type: 'mrkdwn', text: '*Finding type*\nRecon:EC2/PortProbeUnprotectedPort' },
                  { type: 'mrkdwn', text: '*Account*\n210987654321' },
                  { type: 'mrkdwn', text: '*Region*\neu-west-1' },
                  { type: 'mrkdwn', text: '*First seen*\n2026-11-19T22:10:04.000Z' },
                  { type: 'mrkdwn', text: '*Last seen*\n2026-11-20T10:58:41.000Z' },
                  { type: 'mrkdwn', text: '*Count*\n4' },
                  { type: 'mrkdwn', text: '*Resource*\nInstance' },
                ],
              },
              {
                type: 'actions',
                elements: [
                  {
                    type: 'button',
                    text: { type: 'plain_text', text: 'Open in GuardDuty' },
                    url: 'https://console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=9ec6a2d8f1b34c7e8a5d0f2b6c4e1a37',
                  },
                ],
              },
            ],
          },
        ],
      },
    },
  ])('$name', ({ finding, region, expected }) => {
    expect(slackMessageFor(onlyAlert(guardDutyEvent(finding, region)), 'low')).toEqual(expected);
  });

  it.each([
    ['high, aws', CREDENTIAL_EXFILTRATION, '#d62728', 'https://console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?macros=current&fId=2ac4f1e6d9b8c7a6f5e4d3c2b1a09876'],
    ['high, aws-us-gov', GOV_BITCOIN, '#d62728', 'https://console.amazonaws-us-gov.com/guardduty/home?region=us-gov-west-1#/findings?macros=current&fId=4be2c0d8a6f4e2c0b8a6d4f2e0c8b6a4'],
    ['medium, aws-cn', CN_S3_TOR, '#ff9900', 'https://console.amazonaws.cn/guardduty/home?region=cn-north-1#/findings?macros=current&fId=6cf3d1b9a7e5c3a1f9d7b5e3c1a9f7d5'],
  ])('%s: colour and a console link of the partition', (_name, finding, colour, url) => {
    const message = slackMessageFor(onlyAlert(guardDutyEvent(finding, finding.region)), 'low');
    expect(message?.attachments[0]?.color).toBe(colour);
    expect(message?.attachments[0]?.blocks.at(-1)).toEqual({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in GuardDuty' }, url }] });
  });

  it.each<[string, Severity, boolean]>([
    ['low finding, Slack from low', 'low', true],
    ['low finding, Slack from medium', 'medium', false],
  ])('%s', (_name, minimum, posted) => {
    expect(slackMessageFor(onlyAlert(guardDutyEvent(SSH_BRUTE_FORCE)), minimum) !== undefined).toBe(posted);
  });
});

describe("Slack messages for this service's findings", () => {
  it('lists every finding with check id, severity and remediation status', () => {
    expect(slackMessageFor(onlyAlert(snsEvent(BUCKET_FINDINGS)), 'low')).toEqual({
      text: '[CRITICAL] 2 findings: s3_bucket acme-public-assets in 123456789012 eu-west-1',
      attachments: [
        {
          color: '#7a0019',
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: '2 compliance findings: s3_bucket acme-public-assets' } },
            {
              type: 'section',
              fields: [
                { type: 'mrkdwn', text: '*Account*\n123456789012' },
                { type: 'mrkdwn', text: '*Region*\neu-west-1' },
                { type: 'mrkdwn', text: '*Resource type*\ns3_bucket' },
                { type: 'mrkdwn', text: '*Resource id*\nacme-public-assets' },
              ],
            },
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: '*Critical* `s3_bucket.public_policy` Bucket policy allows access to everyone\nstatement "PublicRead" allows s3:GetObject to principal * without a condition\nRemediation: *planned*',
              },
            },
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: '*Medium* `s3_bucket.tls_not_enforced` Bucket policy does not enforce TLS\nno Deny on aws:SecureTransport = false\nRemediation: *excepted* (legacy &lt;http&gt; clients &amp; partners)',
              },
            },
          ],
        },
      ],
    });
  });

  it('keeps only the findings at or above slackMinSeverity', () => {
    const message = slackMessageFor(onlyAlert(snsEvent(BUCKET_FINDINGS)), 'high');
    expect(message?.text).toBe('[CRITICAL] 1 finding: s3_bucket acme-public-assets in 123456789012 eu-west-1');
    expect(message?.attachments[0]?.blocks).toHaveLength(3);
    expect(slackMessageFor(onlyAlert(snsEvent({ ...BUCKET_FINDINGS, findings: BUCKET_FINDINGS.findings.slice(1), severity: 'medium' })), 'high')).toBeUndefined();
  });
});

describe('root console sign-in', () => {
  it('is a high alert, in Slack and PagerDuty', () => {
    const alert = onlyAlert(consoleSignIn('Root'));
    expect(alert.severity).toBe('high');
    expect(slackMessageFor(alert, 'low')).toEqual({
      text: '[HIGH] Root user console sign-in to 123456789012 (Success)',
      attachments: [
        {
          color: '#d62728',
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: 'Root user console sign-in: 123456789012' } },
            {
              type: 'section',
              text: { type: 'mrkdwn', text: 'The *root user* of account 123456789012 signed in to the AWS console. The root user should be locked away; if this was not planned, treat it as an incident.' },
            },
            {
              type: 'section',
              fields: [
                { type: 'mrkdwn', text: '*Account*\n123456789012' },
                { type: 'mrkdwn', text: '*Result*\nSuccess' },
                { type: 'mrkdwn', text: '*MFA used*\nNo' },
                { type: 'mrkdwn', text: '*Source IP*\n203.0.113.12' },
                { type: 'mrkdwn', text: '*Time*\n2026-11-20T06:14:03Z' },
                { type: 'mrkdwn', text: '*User agent*\nMozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
              ],
            },
            {
              type: 'actions',
              elements: [
                {
                  type: 'button',
                  text: { type: 'plain_text', text: 'Open in CloudTrail' },
                  url: 'https://console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/a9f1c3e5-7b2d-4f6a-8c0e-1d3b5f7a9c2e',
                },
              ],
            },
          ],
        },
      ],
    });
    expect(pagerDutyEventsFor(alert, 'high', KEY)).toEqual([
      {
        routing_key: KEY,
        event_action: 'trigger',
        dedup_key: 'a9f1c3e5-7b2d-4f6a-8c0e-1d3b5f7a9c2e',
        payload: {
          summary: 'Root user console sign-in to 123456789012 from 203.0.113.12 (Success)',
          source: 'signin/123456789012',
          severity: 'error',
          timestamp: '2026-11-20T06:14:03Z',
          component: 'root user',
          group: '123456789012',
          class: 'root_console_sign_in',
          custom_details: consoleSignIn('Root').detail,
        },
        client: 'aws-compliance-remediator',
        links: [{ href: 'https://console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/a9f1c3e5-7b2d-4f6a-8c0e-1d3b5f7a9c2e', text: 'Open in CloudTrail' }],
      },
    ]);
  });

  it('ignores sign-ins by anyone but root', () => {
    expect(alertsFromEvent(consoleSignIn('IAMUser'))).toEqual({ alerts: [], ignored: [{ id: '6f4b1e9c-1b5e-3c1d-8b4c-0f5d3e2a1c9b', reason: 'console sign-in by IAMUser, not Root' }] });
  });
});

describe('PagerDuty events', () => {
  it('GuardDuty: trigger with the finding id as dedup_key and the finding as custom_details', () => {
    expect(pagerDutyEventsFor(onlyAlert(guardDutyEvent(CREDENTIAL_EXFILTRATION)), 'high', KEY)).toEqual([
      {
        routing_key: KEY,
        event_action: 'trigger',
        dedup_key: '2ac4f1e6d9b8c7a6f5e4d3c2b1a09876',
        payload: {
          summary: 'GuardDuty High (8): Credentials for instance role web-role used from external IP address. in 123456789012 us-east-1',
          source: 'guardduty/123456789012/us-east-1',
          severity: 'error',
          timestamp: '2026-11-20T11:45:10.000Z',
          component: 'AccessKey',
          group: '123456789012',
          class: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
          custom_details: CREDENTIAL_EXFILTRATION,
        },
        client: 'aws-compliance-remediator',
        links: [{ href: 'https://console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?macros=current&fId=2ac4f1e6d9b8c7a6f5e4d3c2b1a09876', text: 'Open in GuardDuty' }],
      },
    ]);
  });

  it.each<[string, object, string, Severity, string[]]>([
    ['low GuardDuty finding, PagerDuty from high', SSH_BRUTE_FORCE, 'us-east-1', 'high', []],
    ['low GuardDuty finding, PagerDuty from low', SSH_BRUTE_FORCE, 'us-east-1', 'low', ['info']],
    ['medium GuardDuty finding, PagerDuty from medium', PORT_PROBE, 'eu-west-1', 'medium', ['warning']],
    ['high GovCloud finding', GOV_BITCOIN, 'us-gov-west-1', 'high', ['error']],
  ])('%s', (_name, finding, region, minimum, severities) => {
    expect(pagerDutyEventsFor(onlyAlert(guardDutyEvent(finding as Record<string, unknown>, region)), minimum, KEY).map((e) => e.payload.severity)).toEqual(severities);
  });

  it("this service's findings: one event per finding at or above the minimum, dedup_key = findingId", () => {
    const alert = onlyAlert(snsEvent(BUCKET_FINDINGS));
    expect(pagerDutyEventsFor(alert, 'high', KEY)).toEqual([
      {
        routing_key: KEY,
        event_action: 'trigger',
        dedup_key: '5d41402abc4b2a76b9719d911017c592',
        payload: {
          summary: 'Critical: Bucket policy allows access to everyone: s3_bucket acme-public-assets in 123456789012 eu-west-1',
          source: 's3_bucket/123456789012/eu-west-1/acme-public-assets',
          severity: 'critical',
          component: 's3_bucket',
          group: '123456789012',
          class: 's3_bucket.public_policy',
          custom_details: BUCKET_FINDINGS.findings[0],
        },
        client: 'aws-compliance-remediator',
      },
    ]);
    expect(pagerDutyEventsFor(alert, 'medium', KEY).map((e) => [e.dedup_key, e.payload.severity])).toEqual([
      ['5d41402abc4b2a76b9719d911017c592', 'critical'],
      ['7d793037a0760186574b0282f2f435e7', 'warning'],
    ]);
  });
});

describe('events that are not notified', () => {
  it.each([
    ['an SNS message that is not JSON', snsEvent('hello'), 'SNS message is not JSON'],
    ['an SNS message of another kind', snsEvent({ kind: 'something-else' }), /^SNS message is not a FindingsNotification/],
    ['another EventBridge event', { ...guardDutyEvent(SSH_BRUTE_FORCE), source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' }, 'unsupported event aws.ec2 "EC2 Instance State-change Notification"'],
    ['a GuardDuty event without a severity', guardDutyEvent({ ...SSH_BRUTE_FORCE, severity: 'HIGH' }), /^GuardDuty finding without the expected fields: severity/],
    ['neither', { hello: 'world' }, 'neither an SNS nor an EventBridge event'],
  ])('%s', (_name, event, reason) => {
    const parsed = alertsFromEvent(event);
    expect(parsed.alerts).toEqual([]);
    expect(parsed.ignored[0]?.reason).toMatch(reason);
  });
});
