/**
 * Issue 14's Done-when on the sandbox, with the in-memory findings store:
 * poll -> audit twice with no change: the second audit publishes nothing; a
 * fix between audits (a remediation run) then publishes exactly one
 * `resolved` per fixed finding, and the notifier sends PagerDuty `resolve`
 * for them with the dedup_key of their trigger.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SetTopicAttributesCommand,
  type PublishCommandInput,
} from '@aws-sdk/client-sns';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMisconfigurations } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import type { Config } from '../../services/core/config.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import type { FindingsNotification } from '../../services/core/notifications.ts';
import { MemoryFindingsStore } from '../../services/findings-store/memoryFindingsStore.ts';
import { createNotifierHandler } from '../../services/notifier/notifierHandler.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { processMessage, type MessageOutcome } from '../../services/remediator/processMessage.ts';
import { startRun } from '../../services/remediator/remediatorRun.ts';
import { ACCOUNT, NOW, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { snsEvent } from '../notifier/fixtures.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:compliance-findings';
const ROUTING_KEY = 'e93facc04764012d7bfb002500d5d1a6';
const sns = mockClient(SNSClient);

interface Published {
  input: PublishCommandInput;
  body: FindingsNotification;
}

function publishedSince(index: number): Published[] {
  return sns
    .commandCalls(PublishCommand)
    .slice(index)
    .map((call) => ({ input: call.args[0].input, body: JSON.parse(call.args[0].input.Message ?? '{}') as FindingsNotification }));
}

const hours = (n: number) => new Date(NOW.getTime() + n * 3600 * 1000);

describe('finding lifecycle: poll -> audit with a findings store (sandbox)', () => {
  let organization: SandboxOrganization;
  const store = new MemoryFindingsStore();
  const log = memoryLog();

  async function pollAndAudit(config: Config, now: Date): Promise<{ outcomes: MessageOutcome[]; published: Published[] }> {
    const before = sns.commandCalls(PublishCommand).length;
    const messages: ResourceMessage[] = [];
    const polled = await pollUnits(unitsOf([ACCOUNT], [REGION]), { config, factory: organization.factory, log, onlyTestResources: true }, async (batch) => {
      messages.push(...batch);
    });
    expect(polled.failedUnits).toEqual([]);
    const directory = new AccountDirectory(config, organization.factory.forSecurityAccount(REGION));
    const run = await startRun(config, organization.factory, directory, log, { now, findings: store });
    const outcomes: MessageOutcome[] = [];
    for (const message of messages) outcomes.push(await processMessage(JSON.stringify(message), run));
    expect(outcomes.filter((o) => o.status === 'error' || o.status === 'rejected')).toEqual([]);
    return { outcomes, published: publishedSince(before) };
  }

  const dryRun = () => makeConfig({ accounts: [ACCOUNT], regions: [REGION], notificationsTopicArn: TOPIC });
  const findingsOf = (outcomes: readonly MessageOutcome[]): Finding[] => outcomes.flatMap((o) => (o.status === 'audited' ? o.findings : []));
  const idsOf = (published: readonly Published[]) => published.flatMap((p) => p.body.findings.map((f) => f.findingId)).sort();

  let first: Awaited<ReturnType<typeof pollAndAudit>>;
  let fixed: Finding[] = [];
  let resolvedMessages: Published[] = [];

  beforeAll(async () => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e' });
    organization = sandboxOrganization();
    // mockClient replaces the send of every SNSClient, the member account's too: its topic calls (the maker's and
    // the sns_topic auditor's) go on to the sandbox, as the member account (only ACCOUNT in REGION is made and audited here).
    const member = (operation: string) => (input: object) => organization.sandbox.call('SNS', operation, input, ACCOUNT, REGION);
    sns.on(ListTopicsCommand).callsFake(member('ListTopics'));
    sns.on(GetTopicAttributesCommand).callsFake(member('GetTopicAttributes'));
    sns.on(ListTagsForResourceCommand).callsFake(member('ListTagsForResource'));
    sns.on(CreateTopicCommand).callsFake(member('CreateTopic'));
    sns.on(SetTopicAttributesCommand).callsFake(member('SetTopicAttributes'));
    await makeMisconfigurations({ account: ACCOUNT, region: REGION }, { config: dryRun(), factory: organization.factory, log });
    first = await pollAndAudit(dryRun(), hours(0));
  });

  it('the first audit publishes every finding once, as new (body and SNS attribute)', () => {
    const findings = findingsOf(first.outcomes);
    expect(findings.length).toBeGreaterThan(5);
    expect(first.published.map((p) => p.body.transition)).toEqual(first.published.map(() => 'new'));
    expect(first.published.map((p) => p.input.MessageAttributes?.transition)).toEqual(first.published.map(() => ({ DataType: 'String', StringValue: 'new' })));
    expect(idsOf(first.published)).toEqual(findings.map((f) => f.findingId).sort());
  });

  it('the second audit, nothing changed: publishes nothing', async () => {
    const second = await pollAndAudit(dryRun(), hours(1));
    expect(findingsOf(second.outcomes).map((f) => f.findingId).sort()).toEqual(findingsOf(first.outcomes).map((f) => f.findingId).sort());
    expect(second.published).toEqual([]);
  });

  it('a remediation run announces the fixes before making them and publishes the changed outcomes, nothing else', async () => {
    const fixing = await pollAndAudit(makeConfig({ accounts: [ACCOUNT], regions: [REGION], notificationsTopicArn: TOPIC, remediate: true }), hours(2));
    fixed = findingsOf(fixing.outcomes).filter((f) => f.remediation === 'applied');
    expect(fixed.length).toBeGreaterThan(2);
    const starting = fixing.published.filter((p) => p.body.transition === 'remediation_starting');
    expect(idsOf(starting)).toEqual(fixed.map((f) => f.findingId).sort());
    // Changed outcomes only: planned (dry run) -> applied for the fixed ones, the others are unchanged and silent.
    const changed = fixing.published.filter((p) => p.body.transition !== 'remediation_starting');
    expect(changed.every((p) => p.body.transition === 'remediation_changed')).toBe(true);
    expect(changed.flatMap((p) => p.body.findings.filter((f) => f.remediation === 'applied').map((f) => f.findingId)).sort()).toEqual(fixed.map((f) => f.findingId).sort());
  });

  it('the next audit publishes exactly one resolved per fixed finding, and nothing else', async () => {
    const after = await pollAndAudit(dryRun(), hours(3));
    resolvedMessages = after.published;
    expect(after.published.map((p) => p.body.transition)).toEqual(after.published.map(() => 'resolved'));
    expect(after.published.map((p) => p.input.MessageAttributes?.transition?.StringValue)).toEqual(after.published.map(() => 'resolved'));
    expect(idsOf(after.published)).toEqual(fixed.map((f) => f.findingId).sort());
    const stillOpen = findingsOf(after.outcomes).map((f) => f.findingId);
    expect(stillOpen.filter((id) => fixed.some((f) => f.findingId === id))).toEqual([]);
  });

  it('and the one after that publishes nothing again', async () => {
    expect((await pollAndAudit(dryRun(), hours(4))).published).toEqual([]);
  });

  describe('the notifier', () => {
    let server: Server;
    let base = '';
    const posted: { event_action: string; dedup_key: string }[] = [];

    beforeAll(async () => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          const event = JSON.parse(body) as { event_action: string; dedup_key: string };
          posted.push({ event_action: event.event_action, dedup_key: event.dedup_key });
          response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: event.dedup_key }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    async function notify(messages: readonly Published[]): Promise<{ event_action: string; dedup_key: string }[]> {
      posted.length = 0;
      const handler = createNotifierHandler({
        settings: {
          pagerDutyRoutingKeyParameter: '/compliance/pagerduty-routing-key',
          slackMinSeverity: 'low',
          pagerDutyMinSeverity: 'info',
          pagerDutyEventsUrl: `${base}/v2/enqueue`,
          notifierTimeoutMs: 2000,
          notifierMaxAttempts: 1,
        },
        secrets: { get: async () => ROUTING_KEY },
        log,
      });
      for (const message of messages) {
        const event: SNSEvent = snsEvent(message.body, message.input.Subject);
        await handler(event);
      }
      return [...posted];
    }

    it('PagerDuty gets resolve for each fixed finding, with the dedup_key its trigger had', async () => {
      const triggers = await notify(first.published);
      expect(triggers.every((e) => e.event_action === 'trigger')).toBe(true);
      const resolves = await notify(resolvedMessages);
      expect(resolves.map((e) => e.event_action)).toEqual(resolves.map(() => 'resolve'));
      expect(resolves.map((e) => e.dedup_key).sort()).toEqual(fixed.map((f) => f.findingId).sort());
      const triggered = new Set(triggers.map((e) => e.dedup_key));
      expect(resolves.filter((e) => !triggered.has(e.dedup_key))).toEqual([]);
    });
  });
});
