/**
 * The Slack incoming-webhook payload this service sends: a fallback `text`
 * and one attachment (for the severity colour bar) holding Block Kit blocks.
 */
import { truncate } from '../core/text.ts';

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'actions'; elements: { type: 'button'; text: SlackText; url: string }[] };

export interface SlackMessage {
  text: string;
  attachments: { color: string; blocks: SlackBlock[] }[];
}

/** Block Kit limits. */
export const SLACK_LIMITS = { header: 150, section: 3000, field: 2000, fields: 10, blocks: 50 } as const;

/** Slack's mrkdwn treats &, < and > as control characters. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.header) } };
}

export function markdown(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.section) } };
}

/** Label/value pairs as section fields (values escaped, at most 10 per section). */
export function fields(pairs: readonly [string, string][]): SlackBlock {
  return {
    type: 'section',
    fields: pairs.slice(0, SLACK_LIMITS.fields).map(([label, value]) => ({ type: 'mrkdwn', text: truncate(`*${label}*\n${escapeSlack(value)}`, SLACK_LIMITS.field) })),
  };
}

export function linkButton(text: string, url: string): SlackBlock {
  return { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text }, url }] };
}
