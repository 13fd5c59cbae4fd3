import { DescribeSecretCommand, GetResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { secretAuditor } from '../../auditors/secret.ts';
import { makerSecretName, secretMaker } from '../../misconfiguration-maker/entries/secret.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, notifyOnlyIds, remediateAll } from './makerHarness.ts';

const NAME = makerSecretName(ACCOUNT, REGION);

describe('secret maker', () => {
  it('makes a tagged secret whose policy lets anyone describe it and the nonexistent account read it', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());

    const [arn, ...more] = await secretMaker.create(context);

    expect(more).toEqual([]);
    expect(arn).toMatch(new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${NAME}-[A-Za-z0-9]{6}$`));
    const client = context.clients.get(SecretsManagerClient);
    expect(await client.send(new DescribeSecretCommand({ SecretId: NAME }))).toMatchObject({ ARN: arn, Tags: [{ Key: 'created-by', Value: 'misconfiguration-maker' }] });
    expect(JSON.parse((await client.send(new GetResourcePolicyCommand({ SecretId: arn }))).ResourcePolicy ?? '')).toMatchObject({
      Statement: [
        { Principal: '*', Action: 'secretsmanager:DescribeSecret' },
        { Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Condition: { StringEquals: { 'aws:PrincipalAccount': NONEXISTENT_ACCOUNT } } },
      ],
    });
  });

  it('fails exactly the provoked checks; the policy remediations fix theirs and delete the emptied policy, a second run makes no call', async () => {
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    const [arn] = await secretMaker.create(context);
    await secretMaker.create(context);

    const before = await auditListed(secretAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(secretAuditor, context);
    const again = await remediateAll(before);

    expect(before.map((a) => [a.id, a.maker])).toEqual([[arn, true]]);
    expect(failedCheckIds(before)).toEqual([...secretMaker.provokes(config)].sort());
    expect(failedCheckIds(before)).toEqual(['secret.public_policy', 'secret.rotation_off', 'secret.shared_unknown_account']);
    expect(notifyOnlyIds(before)).toEqual(['secret.rotation_off']);
    expect(outcomes).toEqual(['secret.public_policy=applied', 'secret.shared_unknown_account=applied']);
    expect(failedCheckIds(after)).toEqual(['secret.rotation_off']);
    expect(again).toEqual(['secret.public_policy=already_compliant', 'secret.shared_unknown_account=already_compliant']);
    expect((await context.clients.get(SecretsManagerClient).send(new GetResourcePolicyCommand({ SecretId: arn }))).ResourcePolicy).toBeUndefined();
    expect(await auditListed(secretAuditor, makerContext(organization, config, { region: 'eu-west-1' }))).toEqual([]);
    expect(await auditListed(secretAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('does not claim shared_unknown_account when 000000000000 is configured as trusted', async () => {
    const config = makeConfig({ trustedAccounts: [NONEXISTENT_ACCOUNT] });
    const context = makerContext(sandboxOrganization(), config);
    await secretMaker.create(context);

    expect(failedCheckIds(await auditListed(secretAuditor, context))).toEqual([...secretMaker.provokes(config)].sort());
    expect(secretMaker.provokes(config)).not.toContain('secret.shared_unknown_account');
  });

  it('re-creating puts the policy back on the same secret', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    const [arn] = await secretMaker.create(context);
    await remediateAll(await auditListed(secretAuditor, context));

    expect(await secretMaker.create(context)).toEqual([arn]);

    expect(failedCheckIds(await auditListed(secretAuditor, context))).toEqual(['secret.public_policy', 'secret.rotation_off', 'secret.shared_unknown_account']);
  });

  it('tears down exactly its secret, at once and idempotently', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    const [arn] = await secretMaker.create(context);

    expect(await secretMaker.teardown(context)).toEqual([arn]);
    expect(await secretMaker.teardown(context)).toEqual([]);
    expect(await makerResourcesListed(secretAuditor, context)).toEqual([]);
    const [again] = await secretMaker.create(context);
    expect(again).not.toBe(arn);
  });
});
