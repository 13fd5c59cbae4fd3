import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { sqsAuditor } from '../../auditors/sqsQueue.ts';
import { makerQueueName, sqsQueueMaker } from '../../misconfiguration-maker/entries/sqsQueue.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, remediateAll } from './makerHarness.ts';

const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${makerQueueName(ACCOUNT, REGION)}`;

describe('sqs maker', () => {
  it('makes an unencrypted queue readable by anyone and writable by the nonexistent account', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());

    const ids = await sqsQueueMaker.create(context);

    expect(ids).toEqual([`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/misconfiguration-maker-queue-${ACCOUNT}-${REGION}`]);
    const { Attributes } = await context.clients.get(SQSClient).send(new GetQueueAttributesCommand({ QueueUrl: QUEUE_URL, AttributeNames: ['Policy', 'SqsManagedSseEnabled'] }));
    expect(Attributes?.SqsManagedSseEnabled).toBe('false');
    expect(JSON.parse(Attributes?.Policy ?? '')).toMatchObject({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'sqs:GetQueueAttributes' },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${NONEXISTENT_ACCOUNT}:root` }, Action: 'sqs:SendMessage' },
      ],
    });
  });

  it('fails exactly the provoked checks, once each; remediation fixes them all and removes the emptied policy', async () => {
    // Prepare
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    await sqsQueueMaker.create(context);
    await sqsQueueMaker.create(context);

    // Act
    const before = await auditListed(sqsAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(sqsAuditor, context);
    const again = await remediateAll(before);

    // Assess
    expect(before.map((a) => a.id)).toEqual([QUEUE_URL]);
    expect(failedCheckIds(before)).toEqual([...sqsQueueMaker.provokes(config)].sort());
    expect(failedCheckIds(before)).toEqual(['sqs.public_policy', 'sqs.shared_unknown_account', 'sqs.unencrypted']);
    expect(outcomes).toEqual(['sqs.public_policy=applied', 'sqs.shared_unknown_account=applied', 'sqs.unencrypted=applied']);
    expect(failedCheckIds(after)).toEqual([]);
    expect(again).toEqual(['sqs.public_policy=already_compliant', 'sqs.shared_unknown_account=already_compliant', 'sqs.unencrypted=already_compliant']);
    const { Attributes } = await context.clients.get(SQSClient).send(new GetQueueAttributesCommand({ QueueUrl: QUEUE_URL, AttributeNames: ['Policy', 'SqsManagedSseEnabled'] }));
    expect(Attributes).toEqual({ SqsManagedSseEnabled: 'true' });
    expect(await auditListed(sqsAuditor, makerContext(organization, config, { region: 'eu-west-1' }))).toEqual([]);
    expect(await auditListed(sqsAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('does not claim shared_unknown_account when 000000000000 is configured as trusted', async () => {
    const config = makeConfig({ trustedAccounts: [NONEXISTENT_ACCOUNT] });
    const context = makerContext(sandboxOrganization(), config);
    await sqsQueueMaker.create(context);

    expect(failedCheckIds(await auditListed(sqsAuditor, context))).toEqual([...sqsQueueMaker.provokes(config)].sort());
    expect(sqsQueueMaker.provokes(config)).not.toContain('sqs.shared_unknown_account');
  });

  it('re-creating puts the misconfiguration back on the same queue', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await sqsQueueMaker.create(context);
    await remediateAll(await auditListed(sqsAuditor, context));

    await sqsQueueMaker.create(context);

    const audited = await auditListed(sqsAuditor, context);
    expect(audited.map((a) => a.id)).toEqual([QUEUE_URL]);
    expect(failedCheckIds(audited)).toEqual(['sqs.public_policy', 'sqs.shared_unknown_account', 'sqs.unencrypted']);
  });

  it('tears down exactly its queue, idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    await sqsQueueMaker.create(context);

    expect(await sqsQueueMaker.teardown(context)).toEqual([QUEUE_URL]);
    expect(await sqsQueueMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(sqsAuditor, context)).toEqual([]);
  });
});
