/**
 * Issue 12's Done-when for the organization-wide brake: 200 remediable
 * findings through 20 concurrent remediator invocations (20 handlers, as 20
 * Lambda containers would be, each with a batch of 10) with
 * maxRemediationsPerHour=50 give exactly 50 mutating remediations, 150
 * findings `planned` with the reason, and one alarm. The shared counter is
 * the in-memory store, and DynamoDB (moto's) through the deployed store
 * (whose requests reach moto one at a time: motoGap('moto-dynamodb-update-race')).
 * The clock is fixed, so the window cannot roll over mid-test.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { isReadOnlyCommand } from '../../services/core/commandKind.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { FindingsNotification } from '../../services/core/notifications.ts';
import type { BrakeStore } from '../../services/remediator/brakeStore.ts';
import { MemoryBrakeStore } from '../../services/remediator/memoryBrakeStore.ts';
import { createRemediatorHandler } from '../../services/remediator/remediatorHandler.ts';
import { ALL_USERS_READ, OWNER_GRANT } from '../fixtures/s3.ts';
import { ACCOUNT, makeConfig, makeFactory } from '../helpers/context.ts';
import { compliantBucket, fakeS3, type FakeBucket } from '../helpers/fakeS3.ts';
import { motoBrakeStore } from '../integration/motoBrakeStore.ts';
import { publishedMessages, securityAccountMocks } from '../helpers/securityAccountMocks.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:compliance-auditor-prod-NotificationsTopic';
const ALARMS = 'arn:aws:sns:us-east-1:000000000000:compliance-auditor-prod-AlarmsTopic';
const NOW = new Date('2026-12-05T17:20:00.000Z');
const REASON = 'organization-wide cap of 50 remediations per hour reached; resumes at 18:00 UTC';
const BUCKETS = Array.from({ length: 200 }, (_, i) => `public-assets-${String(i).padStart(3, '0')}`);
const INVOCATIONS = 20;

const security = securityAccountMocks();
const { sns } = security;

let brakeTables = 0;
/** A fresh brake table on moto, and the deployed store over it. */
async function dynamoStore(): Promise<BrakeStore> {
  brakeTables += 1;
  return (await motoBrakeStore(`brake-organization-test-${brakeTables}`)).store;
}

function publicBucket(name: string): FakeBucket {
  return { ...compliantBucket(name), grants: [OWNER_GRANT, ALL_USERS_READ] };
}

function batch(ids: readonly string[], invocation: number): SQSEvent {
  return {
    Records: ids.map((id, index) => ({
      messageId: `6a1f3c2e-0b7d-4e59-9c1a-${String(invocation).padStart(4, '0')}${String(index).padStart(8, '0')}`,
      receiptHandle: `AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq${invocation}-${index}`,
      body: JSON.stringify({ account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id }),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1764955200000', SenderId: 'AIDAIENQZJOLO23YVJ4VO', ApproximateFirstReceiveTimestamp: '1764955200050' },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:compliance-auditor-prod-ResourceQueue',
      awsRegion: 'us-east-1',
    })),
  };
}

/** One remediator container: its own factory, log and handler; the brake's store is what they share. */
function container(store: BrakeStore, now: Date) {
  const config = makeConfig({ remediate: true, maxRemediationsPerHour: 50, notificationsTopicArn: TOPIC, alarmsTopicArn: ALARMS });
  const factory = makeFactory();
  const log = memoryLog();
  const handler = createRemediatorHandler({ config, factory, log, directory: new AccountDirectory(config, factory.forSecurityAccount('us-east-1')), brakeStore: store, now: () => now });
  return { handler, log };
}

/** The last notification's finding about each bucket (a remediation publishes before and after). */
function finalFindings(): Map<string, Finding> {
  const last = new Map<string, Finding>();
  for (const published of publishedMessages(sns)) {
    if (published.TopicArn !== TOPIC) continue;
    const notification = JSON.parse(published.Message ?? '{}') as FindingsNotification;
    for (const finding of notification.findings) last.set(finding.id, finding);
  }
  return last;
}

describe.each([
  ['in memory (CLI, sandbox)', () => Promise.resolve<BrakeStore>(new MemoryBrakeStore())],
  ["DynamoDB (moto's), as deployed", dynamoStore],
])('organization-wide brake, shared store %s', (_name, makeStore) => {
  let s3: ReturnType<typeof fakeS3>['mock'];
  beforeEach(() => {
    security.answer();
    s3 = fakeS3(Object.fromEntries(BUCKETS.map((name) => [name, publicBucket(name)]))).mock;
  });

  /** Mutating S3 calls per bucket (whatever the command). */
  const mutationsByBucket = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const call of s3.calls()) {
      const command = call.args[0] as { constructor: { name: string }; input: { Bucket?: string } };
      if (isReadOnlyCommand(command.constructor.name)) continue;
      const bucket = command.input.Bucket ?? '(none)';
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    return counts;
  };

  it('200 public buckets, 20 concurrent invocations, maxRemediationsPerHour=50: exactly 50 remediated, 150 planned with the reason, one alarm', { timeout: 60_000 }, async () => {
    const store = await makeStore();
    const containers = Array.from({ length: INVOCATIONS }, () => container(store, NOW));
    const responses = await Promise.all(containers.map(({ handler }, i) => handler(batch(BUCKETS.slice(i * 10, i * 10 + 10), i))));
    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);

    const mutations = mutationsByBucket();
    expect(mutations.size).toBe(50);
    expect([...mutations.values()].every((count) => count === 1)).toBe(true);

    const findings = finalFindings();
    expect(findings.size).toBe(200);
    const byOutcome = (status: string) => [...findings.values()].filter((f) => f.checkId === 's3_bucket.public_acl' && f.remediation === status);
    expect(byOutcome('applied').map((f) => f.id).sort()).toEqual([...mutations.keys()].sort());
    const planned = byOutcome('planned');
    expect(planned).toHaveLength(150);
    expect(new Set(planned.map((f) => f.remediationDetail))).toEqual(new Set([REASON]));

    const alarms = sns.commandCalls(PublishCommand).filter((call) => call.args[0].input.TopicArn === ALARMS);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.args[0].input.Message).toContain(REASON);

    // The next window: remediation resumes for what was held.
    const next = container(store, new Date('2026-12-05T18:00:05.000Z'));
    const held = planned.slice(0, 10).map((f) => f.id);
    await next.handler(batch(held, INVOCATIONS));
    expect(held.map((id) => finalFindings().get(id)?.remediation)).toEqual(held.map(() => 'applied'));
    expect(mutationsByBucket().size).toBe(60);
  });
});
