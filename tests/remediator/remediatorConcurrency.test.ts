/**
 * The remediator works on several records of an invocation at once
 * (RECORDS_AT_ONCE): the bound holds, results do not depend on the order of
 * the records, the run's cap is not exceeded, records about one resource
 * never overlap, and the deadline stops new records and none is lost.
 */
import { CreateBucketCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkIdsWithRisk } from '../../auditors/registry.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig, type ConfigInput } from '../../services/core/config.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { FindingsNotification } from '../../services/core/notifications.ts';
import { createRemediatorHandler, RECORDS_AT_ONCE, type DeadlineContext } from '../../services/remediator/remediatorHandler.ts';
import { publishedMessages, securityAccountMocks } from '../helpers/securityAccountMocks.ts';
import { sqsRecord } from '../helpers/sqsRecord.ts';

const ACCOUNT = '218000000001';
const HOME = 'us-east-1';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:compliance-findings';
const security = securityAccountMocks();

/** A sandbox that records, per bucket, when each of its calls started and ended, and which calls mutate. */
class TimedSandbox extends Sandbox {
  readonly spans = new Map<string, { start: number; end: number }>();
  readonly mutations: string[] = [];
  private clock = 0;

  override async call(serviceId: string, operation: string, input: object, account: string, region: string): Promise<unknown> {
    const bucket = (input as { Bucket?: string }).Bucket;
    if (!bucket) return super.call(serviceId, operation, input, account, region);
    if (!/^(Get|List|Head|Describe)/.test(operation)) this.mutations.push(`${bucket} ${operation}`);
    const start = (this.clock += 1);
    try {
      return await super.call(serviceId, operation, input, account, region);
    } finally {
      const span = this.spans.get(bucket);
      this.spans.set(bucket, { start: span?.start ?? start, end: (this.clock += 1) });
    }
  }

  /** The most buckets whose calls overlapped at one moment. */
  maxOverlap(): number {
    const spans = [...this.spans.values()];
    return Math.max(0, ...spans.map((s) => spans.filter((o) => o.start <= s.start && s.start < o.end).length));
  }
}

function world(buckets: readonly string[], config: Partial<ConfigInput> = {}) {
  const sandbox = new TimedSandbox(createSandboxState({ accounts: [ACCOUNT], regions: [HOME] }), { latencyMs: 5 });
  const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  const loaded = loadConfig({ flags: { accounts: [ACCOUNT], regions: [HOME], notificationsTopicArn: TOPIC, ...config }, env: {} });
  const log = memoryLog();
  const handler = createRemediatorHandler({ config: loaded, factory, log, directory: new AccountDirectory(loaded, factory.forSecurityAccount(HOME)) });
  const seed = async () => {
    const s3 = factory.forAccount(ACCOUNT, HOME).get(S3Client);
    for (const name of buckets) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await s3.send(new PutPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
      await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }] }) }));
    }
    sandbox.spans.clear();
    sandbox.mutations.length = 0;
  };
  return { sandbox, handler, log, seed };
}

const bucketMessage = (id: string) => ({ account: ACCOUNT, region: HOME, type: 's3_bucket', id });
const batchOf = (ids: readonly string[]): SQSEvent => ({ Records: ids.map((id, index) => sqsRecord(bucketMessage(id), index)) });
const BUCKETS = Array.from({ length: 10 }, (_, i) => `public-${String(i).padStart(2, '0')}`);
const REMEDIATE = { remediate: true, remediateChecks: checkIdsWithRisk('disruptive') };

/** The last published state of each finding: `bucket checkId remediation`. */
function finalFindings(): string[] {
  const last = new Map<string, Finding>();
  for (const published of publishedMessages(security.sns)) for (const finding of (JSON.parse(published.Message ?? '{}') as FindingsNotification).findings) last.set(finding.findingId, finding);
  return [...last.values()].map((f) => `${f.id} ${f.checkId} ${f.remediation}`).sort();
}

beforeEach(() => security.answer());

describe('remediator: records of an invocation at once', () => {
  it(`works on at most ${RECORDS_AT_ONCE} records at once, and on more than one`, async () => {
    const { sandbox, handler, seed } = world(BUCKETS);
    await seed();
    expect(await handler(batchOf(BUCKETS))).toEqual({ batchItemFailures: [] });
    expect(sandbox.spans.size).toBe(BUCKETS.length);
    expect(sandbox.maxOverlap()).toBeGreaterThan(1);
    expect(sandbox.maxOverlap()).toBeLessThanOrEqual(RECORDS_AT_ONCE);
  });

  it('the results do not depend on the order of the records', async () => {
    const outcomes = [];
    for (const order of [BUCKETS, [...BUCKETS].reverse()]) {
      security.answer();
      // A cap that binds would pick its buckets by order: the budget's test is below.
      const { handler, seed } = world(BUCKETS, { ...REMEDIATE, maxRemediationsPerRun: 100 });
      await seed();
      const response = await handler(batchOf(order));
      outcomes.push({ failures: response.batchItemFailures.length, findings: finalFindings() });
    }
    expect(outcomes[0]?.findings).toHaveLength(BUCKETS.length * 3);
    expect(outcomes[0]?.findings.every((f) => f.endsWith(' applied'))).toBe(true);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it('the run\'s cap holds under concurrency: exactly 5 applied, the rest planned with the reason', async () => {
    const { sandbox, handler, seed } = world(BUCKETS, { ...REMEDIATE, maxRemediationsPerRun: 5 });
    await seed();
    expect(await handler(batchOf(BUCKETS))).toEqual({ batchItemFailures: [] });
    const findings = finalFindings();
    expect(findings.filter((f) => f.endsWith(' applied'))).toHaveLength(5);
    expect(findings.filter((f) => f.endsWith(' planned')).length).toBeGreaterThan(0);
    expect(new Set(sandbox.mutations.map((m) => m.split(' ')[0])).size).toBeLessThanOrEqual(5);
  });

  it('two records about one resource run one after the other: the second finds it fixed', async () => {
    const { sandbox, handler, seed } = world(['public-00', 'public-01'], REMEDIATE);
    await seed();
    const event: SQSEvent = { Records: [sqsRecord(bucketMessage('public-00'), 0), sqsRecord(bucketMessage('public-01'), 1), sqsRecord(bucketMessage('public-00'), 2)] };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const mutationsOf = (bucket: string) => sandbox.mutations.filter((m) => m.startsWith(`${bucket} `)).map((m) => m.split(' ')[1]);
    expect(mutationsOf('public-01').length).toBeGreaterThan(0);
    expect(mutationsOf('public-00')).toEqual(mutationsOf('public-01'));
  });

  it('near the deadline no further record starts; those are reported failed, the others finish, none is lost', async () => {
    const { sandbox, handler, seed, log } = world(BUCKETS);
    await seed();
    const asked: number[] = [];
    const context: DeadlineContext = { getRemainingTimeInMillis: () => (asked.push(asked.length), asked.length <= 3 ? 120_000 : 30_000) };
    const event = batchOf(BUCKETS);
    const response = await handler(event, context);
    const reported = response.batchItemFailures.map((f) => f.itemIdentifier);
    expect(reported).toEqual(event.Records.slice(3).map((r) => r.messageId));
    expect([...sandbox.spans.keys()].sort()).toEqual(BUCKETS.slice(0, 3));
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringMatching(/7 record\(s\) not started/) }));
  });
});
