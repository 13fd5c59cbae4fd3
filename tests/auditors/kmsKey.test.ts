import {
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  type GrantListEntry,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE } from '../../auditors/contract.ts';
import { kmsKeyAuditor } from '../../auditors/kmsKey.ts';
import { ACCOUNT, awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const kms = mockClient(KMSClient);
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;

/** DescribeKey's KeyMetadata for a customer managed symmetric key, as KMS answers it. */
function metadata(overrides: Partial<KeyMetadata> = {}): KeyMetadata {
  return {
    AWSAccountId: ACCOUNT,
    KeyId: KEY_ID,
    Arn: KEY_ARN,
    CreationDate: new Date('2026-03-02T10:41:19.000Z'),
    Enabled: true,
    Description: 'orders data key',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...overrides,
  };
}

const ROOT_STATEMENT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
/** The statement the console writes to let EBS use the key for every principal of the account. */
const VIA_EBS = {
  Sid: 'Allow access through EBS for all principals in the account that are authorized to use EBS',
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
  Resource: '*',
  Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } },
};
const PUBLIC_DECRYPT = { Sid: 'AllowAnyoneToDecrypt', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };

function keyPolicy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: statements });
}

interface GivenKey {
  metadata?: KeyMetadata;
  policy?: string;
  rotation?: boolean;
  aliases?: string[];
  grants?: GrantListEntry[];
}

/** A key that behaves like KMS: EnableKeyRotation turns what GetKeyRotationStatus answers on. */
function givenKey({ metadata: meta = metadata(), policy = keyPolicy(ROOT_STATEMENT), rotation = false, aliases = [], grants = [] }: GivenKey = {}): void {
  let enabled = rotation;
  kms.on(DescribeKeyCommand, { KeyId: KEY_ID }).resolves({ KeyMetadata: meta });
  kms.on(GetKeyPolicyCommand, { KeyId: KEY_ID, PolicyName: 'default' }).resolves({ Policy: policy, PolicyName: 'default' });
  kms.on(GetKeyRotationStatusCommand, { KeyId: KEY_ID }).callsFake(() => ({ KeyRotationEnabled: enabled, KeyId: KEY_ARN }));
  kms.on(EnableKeyRotationCommand, { KeyId: KEY_ID }).callsFake(() => {
    enabled = true;
    return {};
  });
  kms.on(ListAliasesCommand, { KeyId: KEY_ID }).resolves({
    Aliases: aliases.map((name) => ({ AliasName: name, AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:${name}`, TargetKeyId: KEY_ID })),
    Truncated: false,
  });
  kms.on(ListGrantsCommand, { KeyId: KEY_ID }).resolves({ Grants: grants, Truncated: false });
  kms.on(ListResourceTagsCommand, { KeyId: KEY_ID }).resolves({ Tags: [{ TagKey: 'team', TagValue: 'orders' }], Truncated: false });
}

async function failed(options: { trustedAccounts?: string[] } = {}) {
  return failedChecksOf(await kmsKeyAuditor.audit(makeResourceContext(KEY_ID), makeCheckContext(KEY_ID, options)));
}

async function failedIds(): Promise<string[]> {
  return (await failed()).map((f) => f.check.id);
}

const GRANT: GrantListEntry = {
  KeyId: KEY_ARN,
  GrantId: '0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60',
  Name: '',
  CreationDate: new Date('2026-05-11T08:00:00.000Z'),
  GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/orders-api`,
  IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
  Operations: ['Decrypt'],
};

describe('kms_key auditor', () => {
  beforeEach(() => kms.reset());

  it('declares its APIs, triggers, controls and one remediation (rotation)', () => {
    expect(kmsKeyAuditor.permissions).toEqual({
      list: ['kms:ListKeys', 'kms:ListAliases'],
      collect: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListAliases', 'kms:ListGrants', 'kms:ListResourceTags'],
    });
    expect(kmsKeyAuditor.triggers.map((t) => [t.eventNames, t.idPath])).toEqual([
      [['CreateKey'], 'responseElements.keyMetadata.keyId'],
      [['PutKeyPolicy', 'EnableKeyRotation', 'DisableKeyRotation', 'ScheduleKeyDeletion'], 'requestParameters.keyId'],
    ]);
    expect(kmsKeyAuditor.triggers[1]?.transformId?.(KEY_ARN, {})).toBe(KEY_ID);
    expect(kmsKeyAuditor.triggers[1]?.transformId?.(KEY_ID, {})).toBe(KEY_ID);
    expect(Object.keys(kmsKeyAuditor.remediations)).toEqual(['kms_key.rotation_off']);
    expect(kmsKeyAuditor.remediations['kms_key.rotation_off']?.risk).toBe('safe');
  });

  it('list follows NextMarker (Limit 1000 keys, 100 aliases), names a key by its first alias and leaves out AWS managed keys', async () => {
    const marker = 'AE0AAAACAHVzZXItMDgwMTY2YmVkMmEzNDNjODk0ZmJiZWQxNDJkYjVlNmY';
    const aliasMarker = 'AE0AAAACAHVzZXItYWxpYXMtbWFya2VyLW9yZGVycw';
    const awsManaged = '0b6f1ad2-8a3c-4e5d-9f7a-2c1e0d9b8a76';
    const multiRegion = 'mrk-1234abcd12ab34cd56ef1234567890ab';
    const arn = (id: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;
    const aliasArn = (name: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:${name}`;
    kms.on(ListAliasesCommand, { Marker: undefined }).resolves({
      Aliases: [
        { AliasName: 'alias/aws/ebs', AliasArn: aliasArn('alias/aws/ebs'), TargetKeyId: awsManaged },
        { AliasName: 'alias/aws/rds', AliasArn: aliasArn('alias/aws/rds') },
        { AliasName: 'alias/orders', AliasArn: aliasArn('alias/orders'), TargetKeyId: KEY_ID },
      ],
      NextMarker: aliasMarker,
      Truncated: true,
    });
    kms.on(ListAliasesCommand, { Marker: aliasMarker }).resolves({ Aliases: [{ AliasName: 'alias/orders-legacy', AliasArn: aliasArn('alias/orders-legacy'), TargetKeyId: KEY_ID }], Truncated: false });
    kms.on(ListKeysCommand, { Marker: undefined }).resolves({ Keys: [{ KeyId: KEY_ID, KeyArn: KEY_ARN }, { KeyId: awsManaged, KeyArn: arn(awsManaged) }], NextMarker: marker, Truncated: true });
    kms.on(ListKeysCommand, { Marker: marker }).resolves({ Keys: [{ KeyId: multiRegion, KeyArn: arn(multiRegion) }], Truncated: false });
    expect(await collectAll(kmsKeyAuditor.list(makeListContext()))).toEqual([{ id: KEY_ID, name: 'orders' }, { id: multiRegion }]);
    expect(kms.commandCalls(ListKeysCommand)[0]?.args[0].input).toMatchObject({ Limit: 1000 });
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(2);
    expect(kms.commandCalls(ListAliasesCommand)[0]?.args[0].input).toMatchObject({ Limit: 100 });
  });

  describe('checks', () => {
    it.each([
      ['rotation on, the default key policy', { rotation: true }],
      ['principal "*" limited to the account by kms:CallerAccount (the console\'s EBS statement)', { rotation: true, policy: keyPolicy(ROOT_STATEMENT, VIA_EBS) }],
      ['a Deny to principal "*"', { rotation: true, policy: keyPolicy(ROOT_STATEMENT, { ...PUBLIC_DECRYPT, Effect: 'Deny' }) }],
      ['a key pending deletion that nothing references', { metadata: metadata({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date('2026-11-27T15:02:17.000Z') }) }],
    ] as [string, GivenKey][])('a compliant key fails no check: %s', async (_name, key) => {
      givenKey(key);
      expect(await failedIds()).toEqual([]);
    });

    it('an AWS managed key is judged by no check, and only described', async () => {
      givenKey({ metadata: metadata({ KeyManager: 'AWS', Description: 'Default key that protects my EBS volumes when no other key is defined' }), policy: keyPolicy(PUBLIC_DECRYPT) });
      expect(await failedIds()).toEqual([]);
      expect(kms.calls().map((call) => call.args[0].constructor.name)).toEqual(['DescribeKeyCommand']);
    });

    it('rotation_off: an enabled customer managed symmetric key that does not rotate', async () => {
      givenKey();
      const [finding, ...rest] = await failed();
      expect(rest).toEqual([]);
      expect(finding?.check.id).toBe('kms_key.rotation_off');
      expect(finding?.check.severity).toBe('medium');
      expect(finding?.violation.detail).toBe('automatic key rotation is off');
      expect(finding?.tags).toEqual({ team: 'orders' });
    });

    it.each([
      ['an asymmetric key', metadata({ KeySpec: 'RSA_2048', CustomerMasterKeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })],
      ['an HMAC key', metadata({ KeySpec: 'HMAC_256', CustomerMasterKeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })],
      ['imported key material', metadata({ Origin: 'EXTERNAL' })],
      ['a custom key store', metadata({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-1234567890abcdef0' })],
      ['a multi-Region replica (rotation is the primary key\'s)', metadata({ MultiRegion: true, MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA' } })],
      ['a disabled key', metadata({ KeyState: 'Disabled', Enabled: false })],
      ['a key pending deletion', metadata({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date('2026-11-27T15:02:17.000Z') })],
    ])('rotation is not judged (and not read) for %s', async (_name, meta) => {
      givenKey({ metadata: meta });
      expect(await failedIds()).toEqual([]);
      expect(kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(0);
    });

    it.each([
      ['Principal "*"', PUBLIC_DECRYPT],
      ['Principal {"AWS":"*"}', { ...PUBLIC_DECRYPT, Principal: { AWS: '*' } }],
      ['kms:CallerAccount with a wildcard', { ...PUBLIC_DECRYPT, Condition: { StringLike: { 'kms:CallerAccount': '*' } } }],
      ['a condition that limits nothing (kms:ViaService alone)', { ...PUBLIC_DECRYPT, Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }],
    ])('public_policy: %s', async (_name, statement) => {
      givenKey({ rotation: true, policy: keyPolicy(ROOT_STATEMENT, statement) });
      const [finding, ...rest] = await failed();
      expect(rest).toEqual([]);
      expect(finding?.check.id).toBe('kms_key.public_policy');
      expect(finding?.check.severity).toBe('critical');
      expect(finding?.violation.detail).toBe('policy statement "AllowAnyoneToDecrypt" allows principal "*" without a restricting condition');
      expect(finding?.remediate).toBeUndefined();
    });

    it.each([
      ['a role of an unknown account', { Sid: 'PartnerDecrypt', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:role/etl' }, Action: 'kms:Decrypt', Resource: '*' }, 'policy statement "PartnerDecrypt" grants 999999999999'],
      ['principal "*" limited to an unknown account by kms:CallerAccount', { ...VIA_EBS, Sid: 'ForeignEbs', Condition: { StringEquals: { 'kms:CallerAccount': '999999999999' } } }, 'policy statement "ForeignEbs" grants 999999999999'],
    ])('shared_unknown_account: %s', async (_name, statement, detail) => {
      givenKey({ rotation: true, policy: keyPolicy(ROOT_STATEMENT, statement) });
      const [finding, ...rest] = await failed();
      expect(rest).toEqual([]);
      expect(finding?.check.id).toBe('kms_key.shared_unknown_account');
      expect(finding?.check.severity).toBe('high');
      expect(finding?.violation.detail).toBe(detail);
    });

    it('shared_unknown_account: a trusted account is fine', async () => {
      givenKey({ rotation: true, policy: keyPolicy(ROOT_STATEMENT, { Sid: 'PartnerDecrypt', Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'kms:Decrypt', Resource: '*' }) });
      expect(await failed({ trustedAccounts: [ACCOUNT, '999999999999'] })).toEqual([]);
    });

    it.each([
      ['an alias', { aliases: ['alias/orders'] }, 'deleted on 2026-11-27, still referenced by alias/orders'],
      ['grants', { grants: [GRANT, { ...GRANT, GrantId: 'f1a2' }] }, 'deleted on 2026-11-27, still referenced by 2 grants'],
      ['an alias and a grant', { aliases: ['alias/orders'], grants: [GRANT] }, 'deleted on 2026-11-27, still referenced by alias/orders, 1 grant'],
    ])('pending_deletion_in_use: %s', async (_name, use, detail) => {
      givenKey({ metadata: metadata({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date('2026-11-27T15:02:17.000Z') }), ...use });
      const [finding, ...rest] = await failed();
      expect(rest).toEqual([]);
      expect(finding?.check.id).toBe('kms_key.pending_deletion_in_use');
      expect(finding?.check.severity).toBe('low');
      expect(finding?.violation.detail).toBe(detail);
      expect(finding?.remediate).toBeUndefined();
    });

    it('grants are read only for a key pending deletion', async () => {
      givenKey({ rotation: true, grants: [GRANT] });
      expect(await failedIds()).toEqual([]);
      expect(kms.commandCalls(ListGrantsCommand)).toHaveLength(0);
    });

    it.each([DescribeKeyCommand, GetKeyPolicyCommand])('a key deleted before %s answers is gone (NotFoundException)', async (command) => {
      givenKey();
      kms.on(command).rejects(awsError('NotFoundException', 400, `Key '${KEY_ARN}' does not exist`));
      expect(await kmsKeyAuditor.audit(makeResourceContext(KEY_ID), makeCheckContext(KEY_ID))).toBe(GONE);
    });

    it('AccessDeniedException propagates (an error, not a finding)', async () => {
      kms.on(DescribeKeyCommand).rejects(awsError('AccessDeniedException'));
      await expect(kmsKeyAuditor.audit(makeResourceContext(KEY_ID), makeCheckContext(KEY_ID))).rejects.toThrow('AccessDeniedException');
    });
  });

  describe('remediation: rotation_off', () => {
    async function remediate(): Promise<() => Promise<string>> {
      const action = (await failed()).find((f) => f.check.id === 'kms_key.rotation_off')?.remediate;
      if (!action) throw new Error('rotation_off did not fail or has no remediation');
      return action;
    }

    it('turns rotation on; a second run makes no mutating call', async () => {
      givenKey();
      const action = await remediate();
      expect(await action()).toBe('applied');
      expect(kms.commandCalls(EnableKeyRotationCommand).map((call) => call.args[0].input)).toEqual([{ KeyId: KEY_ID }]);
      expect(await action()).toBe('already_compliant');
      expect(kms.commandCalls(EnableKeyRotationCommand)).toHaveLength(1);
      expect(await failedIds()).toEqual([]);
    });

    it('a key scheduled for deletion since the audit gets no call', async () => {
      givenKey();
      const action = await remediate();
      kms.on(DescribeKeyCommand, { KeyId: KEY_ID }).resolves({ KeyMetadata: metadata({ KeyState: 'PendingDeletion', Enabled: false }) });
      expect(await action()).toBe('already_compliant');
      expect(kms.commandCalls(EnableKeyRotationCommand)).toHaveLength(0);
    });

    it('a key deleted since the audit is gone', async () => {
      givenKey();
      const action = await remediate();
      kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
      expect(await action()).toBe('gone');
      expect(kms.commandCalls(EnableKeyRotationCommand)).toHaveLength(0);
    });
  });
});
