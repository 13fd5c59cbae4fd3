import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { snsTopicAuditor } from '../../auditors/snsTopic.ts';
import { makerTopicArn, snsTopicMaker } from '../../misconfiguration-maker/entries/snsTopic.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, notifyOnlyIds, remediateAll } from './makerHarness.ts';

const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:misconfiguration-maker-topic-${ACCOUNT}-${REGION}`;

describe('sns_topic maker', () => {
  it('makes an unencrypted, tagged topic readable by anyone and publishable by the nonexistent account', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());

    expect(await snsTopicMaker.create(context)).toEqual([TOPIC_ARN]);
    expect(makerTopicArn(ACCOUNT, REGION)).toBe(TOPIC_ARN);
    const { Attributes } = await context.clients.get(SNSClient).send(new GetTopicAttributesCommand({ TopicArn: TOPIC_ARN }));
    expect(Attributes?.KmsMasterKeyId).toBeUndefined();
    expect(JSON.parse(Attributes?.Policy ?? '').Statement.slice(1)).toMatchObject([
      { Effect: 'Allow', Principal: '*', Action: 'sns:GetTopicAttributes' },
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${NONEXISTENT_ACCOUNT}:root` }, Action: 'sns:Publish' },
    ]);
  });

  it('fails exactly the provoked checks; remediation fixes the policy ones, encryption stays notify-only; a second run changes nothing', async () => {
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    await snsTopicMaker.create(context);
    await snsTopicMaker.create(context);

    const before = await auditListed(snsTopicAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(snsTopicAuditor, context);
    const again = await remediateAll(before);

    expect(before.map((a) => [a.id, a.maker])).toEqual([[TOPIC_ARN, true]]);
    expect(failedCheckIds(before)).toEqual([...snsTopicMaker.provokes(config)].sort());
    expect(failedCheckIds(before)).toEqual(['sns_topic.public_policy', 'sns_topic.shared_unknown_account', 'sns_topic.unencrypted']);
    expect(notifyOnlyIds(before)).toEqual(['sns_topic.unencrypted']);
    expect(outcomes).toEqual(['sns_topic.public_policy=applied', 'sns_topic.shared_unknown_account=applied']);
    expect(failedCheckIds(after)).toEqual(['sns_topic.unencrypted']);
    expect(again).toEqual(['sns_topic.public_policy=already_compliant', 'sns_topic.shared_unknown_account=already_compliant']);
    expect(await auditListed(snsTopicAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('does not claim shared_unknown_account when 000000000000 is configured as trusted', async () => {
    const config = makeConfig({ trustedAccounts: [NONEXISTENT_ACCOUNT] });
    const context = makerContext(sandboxOrganization(), config);
    await snsTopicMaker.create(context);
    expect(failedCheckIds(await auditListed(snsTopicAuditor, context))).toEqual([...snsTopicMaker.provokes(config)].sort());
    expect(snsTopicMaker.provokes(config)).not.toContain('sns_topic.shared_unknown_account');
  });

  it('re-creating puts the misconfiguration back on the same topic', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await snsTopicMaker.create(context);
    await remediateAll(await auditListed(snsTopicAuditor, context));
    await snsTopicMaker.create(context);
    expect(failedCheckIds(await auditListed(snsTopicAuditor, context))).toEqual(['sns_topic.public_policy', 'sns_topic.shared_unknown_account', 'sns_topic.unencrypted']);
  });

  it('tears down exactly its topic, idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await snsTopicMaker.create(context);
    expect(await snsTopicMaker.teardown(context)).toEqual([TOPIC_ARN]);
    expect(await snsTopicMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(snsTopicAuditor, context)).toEqual([]);
  });
});
