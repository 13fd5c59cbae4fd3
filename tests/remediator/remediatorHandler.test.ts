import { GetBucketPolicyCommand, PutBucketAclCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, DeleteBucketPolicyCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { FindingsNotification } from '../../services/core/notifications.ts';
import { createRemediatorHandler } from '../../services/remediator/remediatorHandler.ts';
import { ACCOUNT, OTHER_ACCOUNT, awsError, makeConfig, makeFactory } from '../helpers/context.ts';
import { compliantBucket, fakeS3, type FakeBucket } from '../helpers/fakeS3.ts';
import { ALL_USERS_READ, OWNER_GRANT } from '../fixtures/s3.ts';
import { publishedMessages, securityAccountMocks } from '../helpers/securityAccountMocks.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:compliance-findings';
const security = securityAccountMocks();
const { sns } = security;

/** Public by its ACL only: its TLS deny names the bucket itself (a deny on another bucket enforces nothing here). */
function publicBucket(name: string): FakeBucket {
  return { ...compliantBucket(name), grants: [OWNER_GRANT, ALL_USERS_READ] };
}

function record(body: unknown, index: number): SQSRecord {
  return {
    messageId: `059f36b4-87a3-44ab-83d2-66197${String(index).padStart(7, '0')}`,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${index}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1732345678901',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1732345678950',
    },
    messageAttributes: {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:compliance-auditor-prod-ResourceQueue',
    awsRegion: 'us-east-1',
  };
}

function event(...bodies: unknown[]): SQSEvent {
  return { Records: bodies.map((body, index) => record(body, index)) };
}

function bucketMessage(id: string, account = ACCOUNT) {
  return { account, region: 'us-east-1', type: 's3_bucket', id };
}

function handlerWith(overrides: Partial<ConfigInput> = {}) {
  const config = makeConfig({ notificationsTopicArn: TOPIC, ...overrides });
  const factory = makeFactory();
  const log = memoryLog();
  const handler = createRemediatorHandler({ config, factory, log, directory: new AccountDirectory(config, factory.forSecurityAccount('us-east-1')) });
  return { handler, log };
}

function published(): FindingsNotification[] {
  return publishedMessages(sns).map((published) => JSON.parse(published.Message ?? '{}') as FindingsNotification);
}

/** The findings of the last notification about a resource (a remediation publishes twice: before and after). */
function findingsOf(id: string): Finding[] {
  return published().filter((n) => n.resource.id === id).at(-1)?.findings ?? [];
}


describe('remediator Lambda handler', () => {
  let s3: ReturnType<typeof fakeS3>['mock'];
  const mutatingCalls = () =>
    s3.commandCalls(PutBucketAclCommand).length +
    s3.commandCalls(PutBucketPolicyCommand).length +
    s3.commandCalls(PutPublicAccessBlockCommand).length +
    s3.commandCalls(DeleteBucketPolicyCommand).length;
  beforeEach(() => {
    security.answer();
    s3 = fakeS3({ 'public-assets': publicBucket('public-assets'), 'team-logs': compliantBucket('team-logs'), 'public-site': publicBucket('public-site') }).mock;
  });

  const BAD_INPUTS: [string, unknown, string][] = [
    ['a non-JSON body', 'this is not json', 'body is not JSON'],
    ['JSON that is not an object', '[1,2,3]', 'must be a JSON object'],
    ['a missing field', { account: ACCOUNT, region: 'us-east-1', type: 's3_bucket' }, 'id: is required'],
    ['an account that is not 12 digits', bucketMessage('team-logs', '12345'), 'must be a 12-digit AWS account id'],
    ['an account that is not allowed', bucketMessage('team-logs', '333333333333'), 'account 333333333333 is not in the configured accounts'],
    ['an unknown region', { ...bucketMessage('team-logs'), region: 'xx-nowhere-1' }, 'is not a known AWS region'],
    ['an unknown type', { ...bucketMessage('team-logs'), type: 'kinesis_stream' }, 'type: must be one of'],
    ['an oversized id', bucketMessage('b'.repeat(5000)), 'id: must be at most 2048 characters'],
  ];

  it.each(BAD_INPUTS)('%s is reported failed with a clear log line; the rest of the batch succeeds', async (_name, bad, expected) => {
    const { handler, log } = handlerWith();
    const response = await handler(event(bucketMessage('team-logs'), bad, bucketMessage('public-assets')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record(bad, 1).messageId }]);
    const errorLines = log.lines.filter((line) => line.level === 'error');
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]?.message).toContain(expected);
    expect(findingsOf('public-assets').map((f) => f.checkId)).toEqual(['s3_bucket.public_acl']);
  });

  it('every bad input in one batch: exactly those records fail', async () => {
    const { handler } = handlerWith();
    const bodies = [bucketMessage('team-logs'), ...BAD_INPUTS.map(([, bad]) => bad), bucketMessage('public-assets')];
    const response = await handler(event(...bodies));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(BAD_INPUTS.map((_, i) => record('', i + 1).messageId));
  });

  it('extra fields are ignored and logged, and the message is processed', async () => {
    const { handler, log } = handlerWith();
    const response = await handler(event({ ...bucketMessage('public-assets'), source: 'cloudtrail', eventId: 'abc' }));
    expect(response.batchItemFailures).toEqual([]);
    expect(log.lines.find((l) => l.level === 'warn')?.fields?.ignoredFields).toEqual(['source', 'eventId']);
    expect(findingsOf('public-assets')).toHaveLength(1);
  });

  it('a resource that vanished is skipped cleanly: no failure, no notification', async () => {
    const { handler } = handlerWith();
    const response = await handler(event(bucketMessage('deleted-yesterday')));
    expect(response.batchItemFailures).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('AccessDenied while describing fails only that record', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'team-logs' }).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const { handler, log } = handlerWith();
    const response = await handler(event(bucketMessage('team-logs'), bucketMessage('public-assets')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record('', 0).messageId }]);
    expect(log.lines.find((l) => l.level === 'error')?.message).toContain('AccessDenied');
    expect(findingsOf('public-assets')).toHaveLength(1);
  });

  it('dry run by default: findings are "planned" and no mutating call is made', async () => {
    const { handler } = handlerWith();
    await handler(event(bucketMessage('public-assets')));
    expect(findingsOf('public-assets')).toEqual([
      expect.objectContaining({ checkId: 's3_bucket.public_acl', severity: 'high', remediation: 'planned', account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id: 'public-assets', detail: 'ACL grants READ to AllUsers' }),
    ]);
    expect(mutatingCalls()).toBe(0);
  });

  it('one SNS message per resource with findings: readable subject, JSON body, severity and type attributes', async () => {
    const { handler } = handlerWith();
    await handler(event(bucketMessage('public-assets'), bucketMessage('team-logs')));
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      TopicArn: TOPIC,
      Subject: '[HIGH] 1 finding: s3_bucket public-assets in 111111111111 us-east-1',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' }, type: { DataType: 'String', StringValue: 's3_bucket' } },
    });
  });

  it('the SNS message carries the findings\' framework controls, in the body and as String.Array attributes for filter policies', async () => {
    const { handler } = handlerWith();
    await handler(event(bucketMessage('public-assets')));
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.MessageAttributes).toMatchObject({
      frameworks: { DataType: 'String.Array', StringValue: '["fsbp"]' },
      controls: { DataType: 'String.Array', StringValue: '["FSBP S3.2","FSBP S3.3"]' },
    });
    expect(published().flatMap((n) => n.findings).map((f) => f.controls)).toEqual([{ fsbp: ['S3.2', 'S3.3'] }]);
  });

  it('the finding id is stable across runs', async () => {
    const { handler } = handlerWith();
    await handler(event(bucketMessage('public-assets')));
    await handler(event(bucketMessage('public-assets')));
    const [first, second] = published().flatMap((n) => n.findings);
    expect(first?.findingId).toMatch(/^[0-9a-f]{32}$/);
    expect(second?.findingId).toBe(first?.findingId);
  });

  it('with remediation on, fixes; a second run makes no mutating call and finds nothing', async () => {
    const { handler } = handlerWith({ remediate: true });
    await handler(event(bucketMessage('public-assets')));
    expect(findingsOf('public-assets')[0]).toMatchObject({ remediation: 'applied' });
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(1);
    s3.resetHistory();
    sns.resetHistory();
    const response = await handler(event(bucketMessage('public-assets')));
    expect(response.batchItemFailures).toEqual([]);
    expect(mutatingCalls()).toBe(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it.each([
    ['resource id', { type: 's3_bucket', id: 'public-assets', reason: 'public by design' }],
    ['account x type', { account: ACCOUNT, type: 's3_bucket', reason: 'sandbox account' }],
    ['check id', { checkId: 's3_bucket.public_acl', reason: 'ACLs reviewed' }],
  ] as const)('an exception by %s stops remediation but not the finding', async (_name, exception) => {
    const { handler } = handlerWith({ remediate: true, exceptions: [exception] });
    await handler(event(bucketMessage('public-assets')));
    expect(findingsOf('public-assets')).toEqual([expect.objectContaining({ checkId: 's3_bucket.public_acl', remediation: 'excepted', remediationDetail: exception.reason })]);
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
  });

  it('an exception for one record does not carry over to the next', async () => {
    const { handler } = handlerWith({ remediate: true, exceptions: [{ type: 's3_bucket', id: 'public-assets' }] });
    await handler(event(bucketMessage('public-assets'), bucketMessage('public-site')));
    expect(findingsOf('public-assets')[0]?.remediation).toBe('excepted');
    expect(findingsOf('public-site')[0]?.remediation).toBe('applied');
    expect(s3.commandCalls(PutBucketAclCommand).map((c) => c.args[0].input.Bucket)).toEqual(['public-site']);
  });

  it('the cap stops remediating after N per invocation and reports the rest as planned', async () => {
    const { handler } = handlerWith({ remediate: true, maxRemediationsPerRun: 1 });
    await handler(event(bucketMessage('public-assets'), bucketMessage('public-site')));
    // Records run at once: which of the two takes the one remediation is not fixed, only that one does.
    const [held] = ['public-assets', 'public-site'].filter((id) => findingsOf(id)[0]?.remediation === 'planned');
    expect(['public-assets', 'public-site'].map((id) => findingsOf(id)[0]?.remediation).sort()).toEqual(['applied', 'planned']);
    expect(findingsOf(held ?? '')[0]).toMatchObject({ remediation: 'planned', remediationDetail: 'cap of 1 remediations per run reached' });
    sns.resetHistory();
    await handler(event(bucketMessage(held ?? '')));
    expect(findingsOf(held ?? '')[0]?.remediation).toBe('applied');
  });

  it('messages for a second configured account are accepted', async () => {
    const { handler } = handlerWith();
    const response = await handler(event(bucketMessage('team-logs', OTHER_ACCOUNT)));
    expect(response.batchItemFailures).toEqual([]);
  });

  it('publishes the findings it is about to remediate before the first mutating call, then their outcome', async () => {
    const { handler } = handlerWith({ remediate: true });
    await handler(event(bucketMessage('public-assets')));
    const [before, after] = published();
    expect(before?.findings).toEqual([expect.objectContaining({ checkId: 's3_bucket.public_acl', remediation: 'planned', remediationDetail: 'remediation starting' })]);
    expect(after?.findings).toEqual([expect.objectContaining({ checkId: 's3_bucket.public_acl', remediation: 'applied' })]);
    const [announce] = sns.commandCalls(PublishCommand);
    const [fix] = s3.commandCalls(PutBucketAclCommand);
    expect(announce && fix && announce.calledBefore(fix)).toBe(true);
  });

  it('with remediation on and SNS failing, nothing is changed and the record is retried', async () => {
    sns.on(PublishCommand).rejects(awsError('InternalError', 500));
    const { handler } = handlerWith({ remediate: true });
    const response = await handler(event(bucketMessage('public-assets')));
    expect(response.batchItemFailures).toHaveLength(1);
    expect(mutatingCalls()).toBe(0);
  });

  it('stops starting records when less time is left than one record needs, and reports the rest as failures', async () => {
    const { handler } = handlerWith();
    const remaining = [120_000, 45_000];
    const batch = event(bucketMessage('public-assets'), bucketMessage('public-site'), bucketMessage('team-logs'));
    const response = await handler(batch, { getRemainingTimeInMillis: () => remaining.shift() ?? 0 });
    expect(response.batchItemFailures).toEqual(batch.Records.slice(1).map((r) => ({ itemIdentifier: r.messageId })));
    expect(published().map((n) => n.resource.id)).toEqual(['public-assets']);
  });

  it('a failing SNS publish fails the record so it is retried (the finding is not lost)', async () => {
    sns.on(PublishCommand).rejects(awsError('InternalError', 500));
    const { handler } = handlerWith();
    const response = await handler(event(bucketMessage('public-assets')));
    expect(response.batchItemFailures).toHaveLength(1);
  });
});

describe('remediator Lambda handler: resources not ready to judge', () => {
  const rds = mockClient(RDSClient);
  const sqs = mockClient(SQSClient);
  const QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/compliance-auditor-prod-ResourceQueue';
  beforeEach(() => {
    rds.reset();
    sqs.reset();
    sns.reset();
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [{ DBInstanceIdentifier: 'orders-db', DBInstanceStatus: 'creating', StorageEncrypted: false, PubliclyAccessible: true, TagList: [] }],
    });
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: 'x' })), Failed: [] }));
  });

  function rdsRecord(requeues?: number): SQSRecord {
    const base = record({ account: ACCOUNT, region: 'us-east-1', type: 'rds', id: 'orders-db' }, 0);
    return requeues === undefined ? base : { ...base, messageAttributes: { notReadyRequeues: { stringValue: String(requeues), dataType: 'String', stringListValues: [], binaryListValues: [] } } };
  }

  it('re-queues a database that is still creating, with a delay and a count, and does not judge it', async () => {
    const { handler } = handlerWith({ resourceQueueUrl: QUEUE });
    const response = await handler({ Records: [rdsRecord()] });
    expect(response.batchItemFailures).toEqual([]);
    const entries = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries ?? [];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ DelaySeconds: 300, MessageAttributes: { notReadyRequeues: { DataType: 'String', StringValue: '1' } } });
    expect(JSON.parse(entries[0]?.MessageBody ?? '{}')).toEqual({ account: ACCOUNT, region: 'us-east-1', type: 'rds', id: 'orders-db' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('after the last re-queue the record fails (and reaches the DLQ) instead of looping forever', async () => {
    const { handler, log } = handlerWith({ resourceQueueUrl: QUEUE });
    const response = await handler({ Records: [rdsRecord(12)] });
    expect(response.batchItemFailures).toHaveLength(1);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(log.lines.find((l) => l.level === 'error')?.message).toContain('still not ready after 12 re-queues');
  });
});
