import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryLog } from '../../services/core/log.ts';
import { brakeWindowOf, windowEnd, type BrakeStore } from '../../services/remediator/brakeStore.ts';
import { DynamoBrakeStore } from '../../services/remediator/dynamoBrakeStore.ts';
import { MemoryBrakeStore } from '../../services/remediator/memoryBrakeStore.ts';
import { makeBrake } from '../helpers/brake.ts';
import { awsError, makeFactory } from '../helpers/context.ts';

const TABLE = 'compliance-auditor-prod-RemediationBrake';
const ALARMS = 'arn:aws:sns:us-east-1:000000000000:compliance-auditor-prod-AlarmsTopic';
const dynamo = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);

/** As the SDK raises it: the modelled exception class, with DynamoDB's message. */
function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } });
}

describe('brake windows', () => {
  it.each([
    ['2026-12-05T17:00:00.000Z', '2026-12-05T17', '2026-12-05T18:00:00.000Z'],
    ['2026-12-05T17:59:59.999Z', '2026-12-05T17', '2026-12-05T18:00:00.000Z'],
    ['2026-12-31T23:30:00.000Z', '2026-12-31T23', '2027-01-01T00:00:00.000Z'],
  ])('%s is in window %s, which ends at %s', (now, window, end) => {
    expect(brakeWindowOf(new Date(now))).toBe(window);
    expect(windowEnd(window).toISOString()).toBe(end);
  });

  it('a malformed window is refused clearly', () => {
    expect(() => windowEnd('yesterday')).toThrow('not a brake window (YYYY-MM-DDTHH): yesterday');
  });
});

describe('MemoryBrakeStore', () => {
  it('takes up to the limit per window, and each window has its own count', async () => {
    const store = new MemoryBrakeStore();
    const first = await Promise.all(Array.from({ length: 5 }, () => store.take('2026-12-05T17', 3)));
    expect(first).toEqual([true, true, true, false, false]);
    expect(await store.take('2026-12-05T18', 3)).toBe(true);
  });

  it('a limit of 0 takes nothing', async () => {
    expect(await new MemoryBrakeStore().take('2026-12-05T17', 0)).toBe(false);
  });

  it('claims the alarm once per window', async () => {
    const store = new MemoryBrakeStore();
    expect([await store.claimAlarm('2026-12-05T17'), await store.claimAlarm('2026-12-05T17'), await store.claimAlarm('2026-12-05T18')]).toEqual([true, false, true]);
  });
});

describe('DynamoBrakeStore (aws-sdk-client-mock)', () => {
  beforeEach(() => dynamo.reset());
  const store = (): DynamoBrakeStore => new DynamoBrakeStore(new DynamoDBClient({ region: 'us-east-1' }), TABLE);

  it('take is one conditional ADD on the window item, expiring a day after the window', async () => {
    dynamo.on(UpdateItemCommand).resolves({});
    expect(await store().take('2026-12-05T17', 50)).toBe(true);
    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { window: { S: '2026-12-05T17' } },
      UpdateExpression: 'ADD #taken :one SET #expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#taken) OR #taken < :limit',
      ExpressionAttributeNames: { '#taken': 'taken', '#expiresAt': 'expiresAt' },
      // 2026-12-05T18:00Z + 24 h = 2026-12-06T18:00Z
      ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: '50' }, ':expiresAt': { N: String(Date.parse('2026-12-06T18:00:00Z') / 1000) } },
    });
  });

  it('the condition failing means the window is spent: false', async () => {
    dynamo.on(UpdateItemCommand).rejects(conditionFailed());
    expect(await store().take('2026-12-05T17', 50)).toBe(false);
  });

  it.each([
    ['throttled past the retries', awsError('ProvisionedThroughputExceededException', 400)],
    ['the table is missing', awsError('ResourceNotFoundException', 400, 'Requested resource not found')],
    ['access denied', awsError('AccessDeniedException', 400)],
    ['a server error', awsError('InternalServerError', 500)],
  ])('any other failure (%s) throws: the caller holds the remediation', async (_name, error) => {
    dynamo.on(UpdateItemCommand).rejects(error);
    await expect(store().take('2026-12-05T17', 50)).rejects.toThrow(error.message);
  });

  it('claimAlarm sets alarmed only where it is not set', async () => {
    dynamo.on(UpdateItemCommand).resolvesOnce({}).rejects(conditionFailed());
    expect([await store().claimAlarm('2026-12-05T17'), await store().claimAlarm('2026-12-05T17')]).toEqual([true, false]);
    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      Key: { window: { S: '2026-12-05T17' } },
      UpdateExpression: 'SET #alarmed = :alarmed, #expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#alarmed)',
    });
  });
});

describe('OrganizationBrake', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e' });
  });
  const NOW = new Date('2026-12-05T17:42:00.000Z');

  it('past the limit: the reason says when it resumes, and one alarm is published for the window', async () => {
    const log = memoryLog();
    const brake = makeBrake(makeFactory(), log, { limit: 2, alarmsTopicArn: ALARMS });
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await brake.take(NOW));
    const reason = 'organization-wide cap of 2 remediations per hour reached; resumes at 18:00 UTC';
    expect(answers).toEqual([undefined, undefined, reason, reason, reason]);
    const alarms = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ TopicArn: ALARMS, Subject: 'Remediation brake engaged: 2 remediations in the hour 2026-12-05T17' });
    expect(alarms[0]?.Message).toContain(reason);
  });

  it('the next window takes again (and alarms again when it too is spent)', async () => {
    const brake = makeBrake(makeFactory(), memoryLog(), { limit: 1, alarmsTopicArn: ALARMS });
    expect(await brake.take(NOW)).toBeUndefined();
    expect(await brake.take(NOW)).toContain('resumes at 18:00 UTC');
    const next = new Date('2026-12-05T18:00:00.000Z');
    expect(await brake.take(next)).toBeUndefined();
    expect(await brake.take(next)).toContain('resumes at 19:00 UTC');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('a store that fails holds the remediation (fail closed), logs an error and publishes no alarm', async () => {
    const failing: BrakeStore = { take: () => Promise.reject(awsError('ResourceNotFoundException', 400, 'Requested resource not found')), claimAlarm: () => Promise.resolve(true) };
    const log = memoryLog();
    const reason = await makeBrake(makeFactory(), log, { store: failing, alarmsTopicArn: ALARMS }).take(NOW);
    expect(reason).toBe('organization-wide brake unavailable (ResourceNotFoundException: Requested resource not found): remediation held until it answers');
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['the organization-wide brake could not be read: remediation held']);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('without an alarms topic the engaged brake is logged as an error', async () => {
    const log = memoryLog();
    const brake = makeBrake(makeFactory(), log, { limit: 0 });
    expect(await brake.take(NOW)).toContain('cap of 0 remediations per hour');
    expect(log.lines.find((l) => l.level === 'error')?.message).toContain('ALARMS_TOPIC_ARN is not set');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('an alarm that cannot be published is logged; the finding still gets its reason', async () => {
    sns.on(PublishCommand).rejects(awsError('AuthorizationError', 403, 'User is not authorized to perform: SNS:Publish'));
    const log = memoryLog();
    const reason = await makeBrake(makeFactory(), log, { limit: 0, alarmsTopicArn: ALARMS }).take(NOW);
    expect(reason).toContain('cap of 0 remediations per hour');
    expect(log.lines.find((l) => l.level === 'error')?.message).toBe('remediation brake engaged and its alarm could not be published');
  });
});
