import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { kmsKeyAuditor } from '../../auditors/kmsKey.ts';
import { kmsKeyMaker, makerKeyAlias } from '../../misconfiguration-maker/entries/kmsKey.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, makerResourcesListed, notifyOnlyIds, remediateAll } from './makerHarness.ts';

describe('kms_key maker', () => {
  it('makes a tagged symmetric key, found by its alias, rotation off, described by anyone and decryptable by the nonexistent account', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());

    const [keyId, ...more] = await kmsKeyMaker.create(context);

    expect(more).toEqual([]);
    const kms = context.clients.get(KMSClient);
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: makerKeyAlias(ACCOUNT, REGION) }));
    expect(KeyMetadata).toMatchObject({ KeyId: keyId, KeySpec: 'SYMMETRIC_DEFAULT', KeyManager: 'CUSTOMER', KeyState: 'Enabled' });
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(false);
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags).toEqual([{ TagKey: 'created-by', TagValue: 'misconfiguration-maker' }]);
    const policy: unknown = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy ?? '');
    expect(policy).toMatchObject({
      Statement: [
        { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' },
        { Principal: '*', Action: 'kms:DescribeKey' },
        { Principal: { AWS: '*' }, Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:CallerAccount': NONEXISTENT_ACCOUNT } } },
      ],
    });
  });

  it('fails exactly the provoked checks; only rotation is remediated, and a second run makes no call', async () => {
    const config = makeConfig();
    const organization = sandboxOrganization();
    const context = makerContext(organization, config);
    const [keyId] = await kmsKeyMaker.create(context);
    await kmsKeyMaker.create(context);

    const before = await auditListed(kmsKeyAuditor, context);
    const outcomes = await remediateAll(before);
    const after = await auditListed(kmsKeyAuditor, context);
    const again = await remediateAll(before);

    expect(before.map((a) => [a.id, a.maker])).toEqual([[keyId, true]]);
    expect(failedCheckIds(before)).toEqual([...kmsKeyMaker.provokes(config)].sort());
    expect(failedCheckIds(before)).toEqual(['kms_key.public_policy', 'kms_key.rotation_off', 'kms_key.shared_unknown_account']);
    expect(notifyOnlyIds(before)).toEqual(['kms_key.public_policy', 'kms_key.shared_unknown_account']);
    expect(outcomes).toEqual(['kms_key.rotation_off=applied']);
    expect(failedCheckIds(after)).toEqual(['kms_key.public_policy', 'kms_key.shared_unknown_account']);
    expect(again).toEqual(['kms_key.rotation_off=already_compliant']);
    expect(await auditListed(kmsKeyAuditor, makerContext(organization, config, { region: 'eu-west-1' }))).toEqual([]);
    expect(await auditListed(kmsKeyAuditor, makerContext(organization, config, { account: OTHER_ACCOUNT }))).toEqual([]);
  });

  it('does not claim shared_unknown_account when 000000000000 is configured as trusted', async () => {
    const config = makeConfig({ trustedAccounts: [NONEXISTENT_ACCOUNT] });
    const context = makerContext(sandboxOrganization(), config);
    await kmsKeyMaker.create(context);

    expect(failedCheckIds(await auditListed(kmsKeyAuditor, context))).toEqual([...kmsKeyMaker.provokes(config)].sort());
    expect(kmsKeyMaker.provokes(config)).not.toContain('kms_key.shared_unknown_account');
  });

  it('re-creating puts rotation back off on the same key', async () => {
    const context = makerContext(sandboxOrganization(), makeConfig());
    const [keyId] = await kmsKeyMaker.create(context);
    await remediateAll(await auditListed(kmsKeyAuditor, context));

    expect(await kmsKeyMaker.create(context)).toEqual([keyId]);

    expect(failedCheckIds(await auditListed(kmsKeyAuditor, context))).toContain('kms_key.rotation_off');
  });

  it('teardown removes the alias and schedules the key for deletion in 7 days, idempotently; a new run makes a new key', async () => {
    const organization = sandboxOrganization();
    const context = makerContext(organization, makeConfig());
    const [keyId] = await kmsKeyMaker.create(context);

    expect(await kmsKeyMaker.teardown(context)).toEqual([keyId]);
    expect(await kmsKeyMaker.teardown(context)).toEqual([]);

    const { KeyMetadata } = await context.clients.get(KMSClient).send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(KeyMetadata?.KeyState).toBe('PendingDeletion');
    expect(KeyMetadata?.DeletionDate?.getTime()).toBe(organization.clock.now().getTime() + 7 * 86_400_000);
    expect(await makerResourcesListed(kmsKeyAuditor, context)).toEqual([]);
    // Referenced by nothing, the key pending deletion gets no notice (its policy stays as it was until KMS deletes it).
    expect(failedCheckIds(await auditListed(kmsKeyAuditor, context))).toEqual(['kms_key.public_policy', 'kms_key.shared_unknown_account']);
    const [newKey] = await kmsKeyMaker.create(context);
    expect(newKey).not.toBe(keyId);
  });
});
