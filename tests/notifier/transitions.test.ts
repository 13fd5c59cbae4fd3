/**
 * Notifications of a remediator with a findings store carry their transition:
 * `resolved` sends PagerDuty `resolve` (the trigger's dedup_key, no payload)
 * and a Slack "Resolved" post; the others trigger as before, saying what changed.
 */
import { describe, expect, it } from 'vitest';
import type { FindingsNotification } from '../../services/core/notifications.ts';
import { alertsFromEvent, type Alert } from '../../services/notifier/alerts.ts';
import { pagerDutyEventsFor, pagerDutyResolvesFor, reachesPagerDuty } from '../../services/notifier/pagerDutyEvent.ts';
import { RESOLVED_COLOUR, slackMessageFor } from '../../services/notifier/slackMessage.ts';
import { BUCKET_FINDINGS, snsEvent } from './fixtures.ts';

const KEY = 'R0UT1NGKEY0000000000000000000000';

function alertOf(notification: FindingsNotification): Alert {
  const { alerts, ignored } = alertsFromEvent(snsEvent(notification));
  expect(ignored).toEqual([]);
  expect(alerts).toHaveLength(1);
  return alerts[0] as Alert;
}

const resolved: FindingsNotification = { ...BUCKET_FINDINGS, transition: 'resolved' };

describe('a resolved notification', () => {
  it('PagerDuty: resolve for each finding at or above the minimum, dedup_key = findingId (the trigger\'s), and no trigger', () => {
    const alert = alertOf(resolved);
    expect(pagerDutyEventsFor(alert, 'medium', KEY)).toEqual([]);
    expect(pagerDutyResolvesFor(alert, 'medium', KEY)).toEqual([
      { routing_key: KEY, event_action: 'resolve', dedup_key: '5d41402abc4b2a76b9719d911017c592' },
      { routing_key: KEY, event_action: 'resolve', dedup_key: '7d793037a0760186574b0282f2f435e7' },
    ]);
    // The same severity filter as the triggers: what was never paged is not resolved either.
    expect(pagerDutyResolvesFor(alert, 'high', KEY).map((e) => e.dedup_key)).toEqual(['5d41402abc4b2a76b9719d911017c592']);
    expect(reachesPagerDuty(alert, 'critical')).toBe(true);
    const triggers = pagerDutyEventsFor(alertOf(BUCKET_FINDINGS), 'medium', KEY).map((e) => e.dedup_key);
    expect(pagerDutyResolvesFor(alert, 'medium', KEY).map((e) => e.dedup_key)).toEqual(triggers);
  });

  it('Slack: a "Resolved" post in the good colour, naming each check', () => {
    const message = slackMessageFor(alertOf(resolved), 'low');
    expect(message?.text).toBe('[CRITICAL] 2 findings resolved: s3_bucket acme-public-assets in 123456789012 eu-west-1');
    expect(message?.attachments[0]?.color).toBe(RESOLVED_COLOUR);
    const text = JSON.stringify(message?.attachments[0]?.blocks);
    expect(text).toContain('Resolved: 2 compliance findings: s3_bucket acme-public-assets');
    expect(text).toContain('*Resolved* `s3_bucket.public_policy`');
    expect(text).not.toContain('Remediation:');
  });
});

describe.each(['new', 'reopened', 'remediation_changed', 'digest', 'remediation_starting'] as const)('a %s notification', (transition) => {
  it('triggers PagerDuty (no resolve) and says the transition in Slack', () => {
    const alert = alertOf({ ...BUCKET_FINDINGS, transition });
    expect(pagerDutyResolvesFor(alert, 'medium', KEY)).toEqual([]);
    expect(pagerDutyEventsFor(alert, 'medium', KEY).map((e) => e.event_action)).toEqual(['trigger', 'trigger']);
    const message = slackMessageFor(alert, 'low');
    expect(message?.text).toContain(`2 findings ${transition.replace('_', ' ')}:`);
    expect(JSON.stringify(message?.attachments[0]?.blocks)).toContain(`2 compliance findings (${transition.replace('_', ' ')})`);
  });
});

it('an unknown transition is not a FindingsNotification (ignored, with why)', () => {
  const { alerts, ignored } = alertsFromEvent(snsEvent({ ...BUCKET_FINDINGS, transition: 'closed' }));
  expect(alerts).toEqual([]);
  expect(ignored[0]?.reason).toMatch(/^SNS message is not a FindingsNotification: transition: /);
});
