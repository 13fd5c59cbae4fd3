import { GetTopicAttributesCommand, ListTagsForResourceCommand, ListTopicsCommand, SNSClient, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { snsTopicAuditor } from '../../auditors/snsTopic.ts';
import { defaultTopicPolicy } from '../../auditors/snsTopicPolicy.ts';
import type { PolicyStatement } from '../../auditors/policy/index.ts';
import { SERVICE_STACK_TAG } from '../../services/core/selfProtection.ts';
import { awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const sns = mockClient(SNSClient);

const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:order-events';
/** SNS's own owner-only statement, as GetTopicAttributes returns it for a new topic. */
const OWNER_STATEMENT = defaultTopicPolicy(TOPIC_ARN).Statement[0] as PolicyStatement;
const KMS = { KmsMasterKeyId: 'alias/aws/sns' };
const publicPublish = (Sid = 'PublicPublish'): PolicyStatement => ({ Sid, Effect: 'Allow', Principal: { AWS: '*' }, Action: 'SNS:Publish', Resource: TOPIC_ARN });
const UNKNOWN_SUBSCRIBER: PolicyStatement = { Sid: 'unknown-subscriber', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: ['SNS:Subscribe', 'SNS:Receive'], Resource: TOPIC_ARN };
const MIXED_PUBLISHERS: PolicyStatement = {
  Sid: 'Publishers',
  Effect: 'Allow',
  Principal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::999999999999:role/publisher'] },
  Action: 'SNS:Publish',
  Resource: TOPIC_ARN,
};
/** An S3 event notification: principal a service, restricted to the owner's bucket. */
const S3_EVENTS: PolicyStatement = {
  Sid: 's3-events',
  Effect: 'Allow',
  Principal: { Service: 's3.amazonaws.com' },
  Action: 'SNS:Publish',
  Resource: TOPIC_ARN,
  Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::order-uploads' }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
};

function topicPolicy(...statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2008-10-17', Id: '__default_policy_ID', Statement: statements });
}

/** A topic that behaves like SNS: GetTopicAttributes answers what SetTopicAttributes last wrote. */
function givenTopic(attributes: Record<string, string>, tags: { Key: string; Value: string }[] = []): Record<string, string> {
  const stored = { ...attributes };
  sns.on(GetTopicAttributesCommand, { TopicArn: TOPIC_ARN }).callsFake(() => ({ Attributes: { TopicArn: TOPIC_ARN, Owner: '111111111111', SubscriptionsConfirmed: '1', ...stored } }));
  sns.on(ListTagsForResourceCommand, { ResourceArn: TOPIC_ARN }).resolves({ Tags: tags });
  sns.on(SetTopicAttributesCommand, { TopicArn: TOPIC_ARN }).callsFake((input: { AttributeName: string; AttributeValue?: string }) => {
    stored[input.AttributeName] = input.AttributeValue ?? '';
    return {};
  });
  return stored;
}

async function failedChecks(): Promise<FailedCheck[]> {
  return failedChecksOf(await snsTopicAuditor.audit(makeResourceContext(TOPIC_ARN), makeCheckContext(TOPIC_ARN)));
}
const failedIds = async (): Promise<string[]> => (await failedChecks()).map((f) => f.check.id);
const writtenPolicies = (): unknown[] => sns.commandCalls(SetTopicAttributesCommand).map((call) => JSON.parse(call.args[0].input.AttributeValue ?? 'null'));

describe('sns_topic auditor', () => {
  beforeEach(() => sns.reset());

  it('list follows NextToken and names each topic after its ARN', async () => {
    sns.on(ListTopicsCommand, { NextToken: undefined }).resolves({
      Topics: [{ TopicArn: TOPIC_ARN }, { TopicArn: 'arn:aws:sns:us-east-1:111111111111:alarms.fifo' }],
      NextToken: 'AAEcBHhVH5rM2Ka0DbDBmWRSjTr0xAI4kQ==',
    });
    sns.on(ListTopicsCommand, { NextToken: 'AAEcBHhVH5rM2Ka0DbDBmWRSjTr0xAI4kQ==' }).resolves({ Topics: [{ TopicArn: 'arn:aws:sns:us-east-1:111111111111:deploys' }] });
    expect(await collectAll(snsTopicAuditor.list(makeListContext()))).toEqual([
      { id: TOPIC_ARN, name: 'order-events' },
      { id: 'arn:aws:sns:us-east-1:111111111111:alarms.fifo', name: 'alarms.fifo' },
      { id: 'arn:aws:sns:us-east-1:111111111111:deploys', name: 'deploys' },
    ]);
  });

  describe('checks', () => {
    it.each([
      ['the default policy, SSE-KMS', { ...KMS, Policy: topicPolicy(OWNER_STATEMENT) }],
      ['a service restricted to the owner, a trusted account, a customer managed key', { KmsMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:key/0f8a5b7e-3c2d-4e1f-9a6b-5c4d3e2f1a0b', Policy: topicPolicy(OWNER_STATEMENT, S3_EVENTS, { ...MIXED_PUBLISHERS, Principal: { AWS: 'arn:aws:iam::222222222222:root' } }) }],
      ['a Deny to principal "*"', { ...KMS, Policy: topicPolicy(OWNER_STATEMENT, { ...publicPublish('DenyAll'), Effect: 'Deny' }) }],
    ])('a compliant topic fails no check: %s', async (_name, attributes) => {
      givenTopic(attributes);
      expect(await failedIds()).toEqual([]);
    });

    it.each<[string, PolicyStatement]>([
      ['Principal {"AWS":"*"}', publicPublish()],
      ['Principal "*"', { ...publicPublish(), Principal: '*' }],
      ['a condition that restricts nothing (aws:SecureTransport)', { ...publicPublish(), Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
      ['AWS:SourceOwner "*"', { ...publicPublish(), Condition: { StringLike: { 'AWS:SourceOwner': '*' } } }],
    ])('public_policy: %s', async (_name, statement) => {
      givenTopic({ ...KMS, Policy: topicPolicy(OWNER_STATEMENT, statement) });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['sns_topic.public_policy']);
      expect(failed[0]?.violation.detail).toBe('policy statement "PublicPublish" allows principal "*" without a restricting condition');
      expect(failed[0]?.check.severity).toBe('critical');
      expect(failed[0]?.check.controls).toEqual({ fsbp: ['SNS.4'] });
    });

    it.each<[string, PolicyStatement, string]>([
      ['an AddPermission grant', UNKNOWN_SUBSCRIBER, 'policy statement "unknown-subscriber" grants 999999999999'],
      ['a role of the unknown account beside a trusted account', MIXED_PUBLISHERS, 'policy statement "Publishers" grants 999999999999'],
      ['"*" limited by AWS:SourceOwner to the unknown account', { ...publicPublish('ForeignOwner'), Condition: { StringEquals: { 'AWS:SourceOwner': '999999999999' } } }, 'policy statement "ForeignOwner" grants 999999999999'],
    ])('shared_unknown_account: %s', async (_name, statement, detail) => {
      givenTopic({ ...KMS, Policy: topicPolicy(OWNER_STATEMENT, statement) });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['sns_topic.shared_unknown_account']);
      expect(failed[0]?.violation.detail).toBe(detail);
    });

    it.each([
      ['no KmsMasterKeyId', {}],
      ['an empty KmsMasterKeyId', { KmsMasterKeyId: '' }],
    ])('unencrypted: %s, notify-only', async (_name, attributes) => {
      givenTopic({ ...attributes, Policy: topicPolicy(OWNER_STATEMENT) });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['sns_topic.unencrypted']);
      expect(failed[0]?.remediate).toBeUndefined();
      expect(failed[0]?.check.controls).toEqual({ none: expect.stringContaining('SNS.1') });
    });

    it("the service's own topic (the stack's tag) is reported and protected", async () => {
      givenTopic({ Policy: topicPolicy(OWNER_STATEMENT, publicPublish()) }, [{ Key: SERVICE_STACK_TAG.key, Value: SERVICE_STACK_TAG.value }]);
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['sns_topic.public_policy', 'sns_topic.unencrypted']);
      expect(failed.every((f) => f.protectedBecause === `carries the service's own tag ${SERVICE_STACK_TAG.key}`)).toBe(true);
      expect(failed[0]?.tags).toEqual({ [SERVICE_STACK_TAG.key]: SERVICE_STACK_TAG.value });
    });

    it.each([
      ['GetTopicAttributes', 'NotFound'],
      ['GetTopicAttributes', 'NotFoundException'],
      ['ListTagsForResource', 'ResourceNotFoundException'],
    ])('a topic that vanished (%s answers %s) is gone', async (command, name) => {
      givenTopic({ ...KMS });
      if (command === 'GetTopicAttributes') sns.on(GetTopicAttributesCommand).rejects(awsError(name, 404));
      else sns.on(ListTagsForResourceCommand).rejects(awsError(name, 404));
      expect(await snsTopicAuditor.audit(makeResourceContext(TOPIC_ARN), makeCheckContext(TOPIC_ARN))).toBe(GONE);
    });

    it('AuthorizationError propagates (an error, not a finding)', async () => {
      sns.on(GetTopicAttributesCommand).rejects(awsError('AuthorizationError', 403));
      await expect(snsTopicAuditor.audit(makeResourceContext(TOPIC_ARN), makeCheckContext(TOPIC_ARN))).rejects.toThrow('AuthorizationError');
    });
  });

  describe('remediations', () => {
    async function remediation(checkId: string): Promise<() => Promise<string>> {
      const remediate = (await failedChecks()).find((f) => f.check.id === checkId)?.remediate;
      if (!remediate) throw new Error(`${checkId} did not fail or has no remediation`);
      return remediate;
    }

    it('public_policy removes only the public statements and keeps the rest', async () => {
      givenTopic({ ...KMS, Policy: topicPolicy(OWNER_STATEMENT, publicPublish(), S3_EVENTS, publicPublish('PublicPublish2')) });
      expect(await (await remediation('sns_topic.public_policy'))()).toBe('applied');
      expect(sns.commandCalls(SetTopicAttributesCommand).map((c) => [c.args[0].input.TopicArn, c.args[0].input.AttributeName])).toEqual([[TOPIC_ARN, 'Policy']]);
      expect(writtenPolicies()).toEqual([{ Version: '2008-10-17', Id: '__default_policy_ID', Statement: [OWNER_STATEMENT, S3_EVENTS] }]);
    });

    it("public_policy writes SNS's owner-only default when nothing would be left", async () => {
      givenTopic({ ...KMS, Policy: topicPolicy(publicPublish()) });
      expect(await (await remediation('sns_topic.public_policy'))()).toBe('applied');
      expect(writtenPolicies()).toEqual([defaultTopicPolicy(TOPIC_ARN)]);
    });

    it('shared_unknown_account removes the unknown account only, keeping the trusted one in the same statement', async () => {
      givenTopic({ ...KMS, Policy: topicPolicy(OWNER_STATEMENT, MIXED_PUBLISHERS, UNKNOWN_SUBSCRIBER) });
      expect(await (await remediation('sns_topic.shared_unknown_account'))()).toBe('applied');
      expect(writtenPolicies()).toEqual([{ Version: '2008-10-17', Id: '__default_policy_ID', Statement: [OWNER_STATEMENT, { ...MIXED_PUBLISHERS, Principal: { AWS: 'arn:aws:iam::222222222222:root' } }] }]);
    });

    it.each([
      ['sns_topic.public_policy', topicPolicy(OWNER_STATEMENT, publicPublish(), UNKNOWN_SUBSCRIBER)],
      ['sns_topic.shared_unknown_account', topicPolicy(OWNER_STATEMENT, publicPublish(), MIXED_PUBLISHERS)],
    ])('%s: a second run against the fixed topic makes no mutating call', async (checkId, policy) => {
      givenTopic({ ...KMS, Policy: policy });
      const remediate = await remediation(checkId);
      expect(await remediate()).toBe('applied');
      sns.resetHistory();
      expect(await remediate()).toBe('already_compliant');
      expect(sns.commandCalls(SetTopicAttributesCommand)).toHaveLength(0);
    });

    it('a topic deleted before remediation is gone, with no mutating call', async () => {
      givenTopic({ ...KMS, Policy: topicPolicy(publicPublish()) });
      const remediate = await remediation('sns_topic.public_policy');
      sns.on(GetTopicAttributesCommand).rejects(awsError('NotFound', 404));
      expect(await remediate()).toBe('gone');
      expect(sns.commandCalls(SetTopicAttributesCommand)).toHaveLength(0);
    });
  });

  it('declares what it calls', () => {
    expect(snsTopicAuditor.permissions).toEqual({ list: ['sns:ListTopics'], collect: ['sns:GetTopicAttributes', 'sns:ListTagsForResource'] });
    expect(Object.keys(snsTopicAuditor.remediations)).toEqual(['sns_topic.public_policy', 'sns_topic.shared_unknown_account']);
    expect(snsTopicAuditor.triggers).toEqual([
      { eventSource: 'sns.amazonaws.com', eventNames: ['CreateTopic'], idPath: 'responseElements.topicArn' },
      { eventSource: 'sns.amazonaws.com', eventNames: ['SetTopicAttributes', 'AddPermission'], idPath: 'requestParameters.topicArn' },
    ]);
  });
});
