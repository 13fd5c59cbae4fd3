import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  SNSClient,
  SetTopicAttributesCommand,
  paginateListTopics,
} from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:orders`;
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: 'SNS:Publish', Resource: ARN }] });
const NOT_FOUND = { name: 'NotFoundException', code: 'NotFound', status: 404, message: /Topic does not exist/ };

let org: SandboxOrganization;
let sns: SNSClient;

beforeEach(() => {
  org = sandboxOrganization();
  sns = org.clients().get(SNSClient);
});

describe('SNS topics', () => {
  it("creates a topic with SNS's owner-only default policy, no KmsMasterKeyId, and its tags", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders', Tags: [{ Key: 'team', Value: 'payments' }] }));

    expect(TopicArn).toBe(ARN);
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: ARN }));
    expect(Attributes).toMatchObject({ TopicArn: ARN, Owner: ACCOUNT, SubscriptionsConfirmed: '0' });
    expect(Attributes?.KmsMasterKeyId).toBeUndefined();
    expect(JSON.parse(Attributes?.Policy ?? '')).toMatchObject({
      Id: '__default_policy_ID',
      Statement: [{ Principal: { AWS: '*' }, Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } } }],
    });
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: ARN }))).Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
  });

  it('CreateTopic is idempotent, but refuses other tags for an existing name', async () => {
    await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { Policy: POLICY } }));
    expect((await sns.send(new CreateTopicCommand({ Name: 'orders' }))).TopicArn).toBe(ARN);
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: ARN }))).Attributes?.Policy).toBe(POLICY);
    await expectAwsError(sns.send(new CreateTopicCommand({ Name: 'orders', Tags: [{ Key: 'team', Value: 'other' }] })), {
      name: 'InvalidParameterException',
      code: 'InvalidParameter',
      status: 400,
      message: /different tags/,
    });
  });

  it.each(['', 'has space', 'x'.repeat(257)])('refuses the topic name %j', async (name) => {
    await expectAwsError(sns.send(new CreateTopicCommand({ Name: name })), { name: 'InvalidParameterException', code: 'InvalidParameter', status: 400 });
  });

  it('SetTopicAttributes sets a Policy and a KmsMasterKeyId ("" turns SSE off); refuses non-JSON policies and unknown names', async () => {
    await sns.send(new CreateTopicCommand({ Name: 'orders' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn: ARN, AttributeName: 'Policy', AttributeValue: POLICY }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn: ARN, AttributeName: 'KmsMasterKeyId', AttributeValue: 'alias/aws/sns' }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: ARN }))).Attributes).toMatchObject({ Policy: POLICY, KmsMasterKeyId: 'alias/aws/sns' });

    await sns.send(new SetTopicAttributesCommand({ TopicArn: ARN, AttributeName: 'KmsMasterKeyId', AttributeValue: '' }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: ARN }))).Attributes?.KmsMasterKeyId).toBeUndefined();
    await expectAwsError(sns.send(new SetTopicAttributesCommand({ TopicArn: ARN, AttributeName: 'Policy', AttributeValue: '{not json' })), { name: 'InvalidParameterException', code: 'InvalidParameter', status: 400 });
    await expectAwsError(sns.send(new SetTopicAttributesCommand({ TopicArn: ARN, AttributeName: 'FifoTopic', AttributeValue: 'true' })), { name: 'InvalidParameterException', code: 'InvalidParameter', status: 400 });
  });

  it('a topic of another account, another region or none answers NotFound (ListTagsForResource: ResourceNotFound)', async () => {
    await sns.send(new CreateTopicCommand({ Name: 'orders' }));
    await expectAwsError(org.clients(OTHER_ACCOUNT).get(SNSClient).send(new GetTopicAttributesCommand({ TopicArn: ARN })), NOT_FOUND);
    await expectAwsError(org.clients(ACCOUNT, OTHER_REGION).get(SNSClient).send(new GetTopicAttributesCommand({ TopicArn: ARN })), NOT_FOUND);
    await expectAwsError(sns.send(new SetTopicAttributesCommand({ TopicArn: `${ARN}-gone`, AttributeName: 'Policy', AttributeValue: POLICY })), NOT_FOUND);
    await expectAwsError(sns.send(new ListTagsForResourceCommand({ ResourceArn: `${ARN}-gone` })), { name: 'ResourceNotFoundException', code: 'ResourceNotFound', status: 404 });
  });

  it('lists topics 100 a page and deletes them (deleting a missing topic succeeds)', async () => {
    for (let index = 0; index < 101; index += 1) await sns.send(new CreateTopicCommand({ Name: `t-${String(index).padStart(3, '0')}` }));
    const pages = [];
    for await (const listed of paginateListTopics({ client: sns }, {})) pages.push(listed.Topics?.length);
    expect(pages).toEqual([100, 1]);

    await sns.send(new DeleteTopicCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:t-000` }));
    await sns.send(new DeleteTopicCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:t-000` }));
    await expectAwsError(sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:t-000` })), NOT_FOUND);
  });
});
