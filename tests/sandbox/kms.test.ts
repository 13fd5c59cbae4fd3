import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

let org: SandboxOrganization;
let kms: KMSClient;

async function createKey(input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}): Promise<string> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand(input));
  if (!KeyMetadata?.KeyId) throw new Error('no key id');
  return KeyMetadata.KeyId;
}

beforeEach(() => {
  org = sandboxOrganization();
  kms = org.clients().get(KMSClient);
});

describe('KMS keys', () => {
  it('creates an enabled customer managed symmetric key with a UUID id, the default policy and rotation off', async () => {
    const keyId = await createKey({ Description: 'orders' });

    expect(keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}` }));
    expect(KeyMetadata).toMatchObject({ KeyId: keyId, KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS', Enabled: true, Description: 'orders' });
    expect(JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy ?? '')).toMatchObject({
      Statement: [{ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' }],
    });
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(false);
    expect((await kms.send(new ListGrantsCommand({ KeyId: keyId }))).Grants).toEqual([]);
  });

  it('pages ListKeys with Marker and Truncated, per account and region', async () => {
    const ids = [await createKey(), await createKey(), await createKey()];
    const listed: string[] = [];
    for await (const page of paginateListKeys({ client: kms, pageSize: 2 }, {})) listed.push(...(page.Keys ?? []).map((key) => key.KeyId ?? ''));
    expect(listed).toEqual(ids);
    const other = org.clients(ACCOUNT, OTHER_REGION).get(KMSClient);
    expect((await other.send(new ListKeysCommand({}))).Keys).toEqual([]);
  });

  it('turns rotation on and off; a key that cannot rotate says so', async () => {
    const keyId = await createKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(true);
    await kms.send(new DisableKeyRotationCommand({ KeyId: keyId }));
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(false);
    const signing = await createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await expectAwsError(kms.send(new EnableKeyRotationCommand({ KeyId: signing })), { name: 'UnsupportedOperationException', status: 400 });
  });

  it('replaces the key policy, and refuses one that is not a policy', async () => {
    const keyId = await createKey();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:DescribeKey', Resource: '*' }] });
    await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: policy }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy).toBe(policy);
    await expectAwsError(kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: '{"Version":' })), { name: 'MalformedPolicyDocumentException', status: 400 });
  });

  it('aliases: created once, listed by key, resolved by DescribeKey, deleted', async () => {
    const keyId = await createKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: keyId }));
    await expectAwsError(kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: keyId })), { name: 'AlreadyExistsException', status: 400 });
    await expectAwsError(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/orders', TargetKeyId: keyId })), { name: 'ValidationException', status: 400 });
    expect((await kms.send(new ListAliasesCommand({ KeyId: keyId }))).Aliases).toEqual([{ AliasName: 'alias/orders', AliasArn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/orders`, TargetKeyId: keyId }]);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/orders' }))).KeyMetadata?.KeyId).toBe(keyId);
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/orders' }));
    await expectAwsError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/orders' })), { name: 'NotFoundException', status: 400 });
  });

  it('schedules deletion 7 to 30 days out, refuses changes meanwhile, and cancels back to Disabled', async () => {
    const keyId = await createKey();
    await expectAwsError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 6 })), { name: 'ValidationException', status: 400 });
    const { DeletionDate, KeyState } = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(KeyState).toBe('PendingDeletion');
    expect(DeletionDate?.getTime()).toBe(org.clock.now().getTime() + 7 * 86_400_000);
    await expectAwsError(kms.send(new EnableKeyRotationCommand({ KeyId: keyId })), { name: 'KMSInvalidStateException', status: 400 });
    await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
  });

  it('a key that does not exist is NotFoundException', async () => {
    await expectAwsError(kms.send(new DescribeKeyCommand({ KeyId: '0b6f1ad2-8a3c-4e5d-9f7a-2c1e0d9b8a76' })), { name: 'NotFoundException', status: 400, message: /does not exist/ });
  });
});
