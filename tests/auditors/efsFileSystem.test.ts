import {
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  EFSClient,
  PutFileSystemPolicyCommand,
  type FileSystemDescription,
} from '@aws-sdk/client-efs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { efsFileSystemAuditor } from '../../auditors/efsFileSystem.ts';
import { ACCOUNT, OTHER_ACCOUNT, UNKNOWN_ACCOUNT, awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const efs = mockClient(EFSClient);
const FS = 'fs-0a1b2c3d4e5f60718';
const FS_ARN = `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/${FS}`;
const CLIENT_ACTIONS = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'];

/** A DescribeFileSystems FileSystemDescription as EFS answers it. */
function fileSystem(overrides: Partial<FileSystemDescription> = {}, id = FS): FileSystemDescription {
  return {
    OwnerId: ACCOUNT,
    CreationToken: 'console-7d1b4c5e-0f7e-4a0c-9d55-3b0f7d9a2c61',
    FileSystemId: id,
    FileSystemArn: `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/${id}`,
    CreationTime: new Date('2026-11-02T09:14:17.000Z'),
    LifeCycleState: 'available',
    Name: 'shared-home',
    NumberOfMountTargets: 2,
    SizeInBytes: { Value: 6144, ValueInIA: 0, ValueInStandard: 6144, ValueInArchive: 0 },
    PerformanceMode: 'generalPurpose',
    Encrypted: true,
    KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d`,
    ThroughputMode: 'elastic',
    Tags: [{ Key: 'Name', Value: 'shared-home' }, { Key: 'team', Value: 'platform' }],
    FileSystemProtection: { ReplicationOverwriteProtection: 'ENABLED' },
    ...overrides,
  };
}

const PUBLIC_MOUNT = { Sid: 'PublicMount', Effect: 'Allow', Principal: { AWS: '*' }, Action: CLIENT_ACTIONS, Resource: FS_ARN };
const VIA_MOUNT_TARGET_ONLY = { ...PUBLIC_MOUNT, Sid: 'ViaVpce', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0f1e2d3c4b5a69788' } } };
const APP_ROLE = { Sid: 'AppRole', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` }, Action: CLIENT_ACTIONS, Resource: FS_ARN };
const PARTNER_MOUNT = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'elasticfilesystem:ClientMount', Resource: FS_ARN };
const UNKNOWN_MOUNT = { Sid: 'Unknown', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${UNKNOWN_ACCOUNT}:root`, `arn:aws:iam::${OTHER_ACCOUNT}:root`] }, Action: 'elasticfilesystem:ClientMount', Resource: FS_ARN };
const ONLY_UNKNOWN = { ...UNKNOWN_MOUNT, Principal: { AWS: `arn:aws:iam::${UNKNOWN_ACCOUNT}:root` } };
const SECURE_TRANSPORT = { Sid: 'SecureTransport', Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Resource: FS_ARN, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Id: 'efs-policy', Statement: statements });

/** A file system that behaves like EFS: DescribeFileSystemPolicy answers what PutFileSystemPolicy last wrote, PolicyNotFound when none. */
function givenFileSystem(overrides: Partial<FileSystemDescription> = {}, initialPolicy?: string): { policy?: string } {
  const stored: { policy?: string } = initialPolicy === undefined ? {} : { policy: initialPolicy };
  efs.on(DescribeFileSystemsCommand, { FileSystemId: FS }).resolves({ FileSystems: [fileSystem(overrides)] });
  efs.on(DescribeFileSystemPolicyCommand, { FileSystemId: FS }).callsFake(() => {
    if (stored.policy === undefined) throw awsError('PolicyNotFound', 404, 'No file system policy found.');
    return { FileSystemId: FS, Policy: stored.policy };
  });
  efs.on(PutFileSystemPolicyCommand, { FileSystemId: FS }).callsFake((input: { Policy?: string }) => {
    stored.policy = input.Policy;
    return { FileSystemId: FS, Policy: input.Policy };
  });
  return stored;
}

async function failedChecks(): Promise<FailedCheck[]> {
  return failedChecksOf(await efsFileSystemAuditor.audit(makeResourceContext(FS), makeCheckContext(FS)));
}

const sids = (text: string | undefined) => (JSON.parse(text ?? '{}') as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid);

describe('efs_file_system auditor', () => {
  beforeEach(() => efs.reset());

  it('declares its APIs, CloudTrail triggers and controls (EFS.1 / CIS 2.4.1; the policy checks match no control)', () => {
    expect(efsFileSystemAuditor.permissions).toEqual({
      list: ['elasticfilesystem:DescribeFileSystems'],
      collect: ['elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeFileSystemPolicy'],
    });
    expect(efsFileSystemAuditor.triggers.map((t) => [t.eventSource, t.eventNames, t.idPath])).toEqual([
      ['elasticfilesystem.amazonaws.com', ['CreateFileSystem'], 'responseElements.fileSystemId'],
      ['elasticfilesystem.amazonaws.com', ['PutFileSystemPolicy'], 'requestParameters.fileSystemId'],
    ]);
    expect(efsFileSystemAuditor.triggers[1]?.transformId?.(FS_ARN, {})).toBe(FS);
    expect(efsFileSystemAuditor.triggers[1]?.transformId?.(FS, {})).toBe(FS);
    expect(efsFileSystemAuditor.checks.map((c) => c.id)).toEqual(['efs_file_system.unencrypted', 'efs_file_system.public_policy', 'efs_file_system.shared_unknown_account']);
    expect(efsFileSystemAuditor.checks[0]?.controls).toEqual({ fsbp: ['EFS.1'], cis: ['2.4.1'] });
    expect(Object.keys(efsFileSystemAuditor.remediations)).toEqual(['efs_file_system.public_policy', 'efs_file_system.shared_unknown_account']);
    expect(Object.values(efsFileSystemAuditor.remediations).map((r) => [r.risk, r.permissions])).toEqual([
      ['safe', ['elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeFileSystemPolicy', 'elasticfilesystem:PutFileSystemPolicy']],
      ['safe', ['elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeFileSystemPolicy', 'elasticfilesystem:PutFileSystemPolicy']],
    ]);
  });

  it('list follows NextMarker (100 a page) and yields id, name and tags', async () => {
    const marker = 'fs-0b2c3d4e5f6071829';
    efs.on(DescribeFileSystemsCommand, { Marker: undefined }).resolves({ FileSystems: [fileSystem(), fileSystem({ Name: undefined, Tags: [] }, 'fs-0f9e8d7c6b5a40312')], NextMarker: marker });
    efs.on(DescribeFileSystemsCommand, { Marker: marker }).resolves({ Marker: marker, FileSystems: [fileSystem({ Name: 'scratch', Tags: [{ Key: 'Name', Value: 'scratch' }] }, marker)] });
    expect(await collectAll(efsFileSystemAuditor.list(makeListContext()))).toEqual([
      { id: FS, name: 'shared-home', tags: { Name: 'shared-home', team: 'platform' } },
      { id: 'fs-0f9e8d7c6b5a40312', name: undefined, tags: {} },
      { id: marker, name: 'scratch', tags: { Name: 'scratch' } },
    ]);
    expect(efs.commandCalls(DescribeFileSystemsCommand).map((c) => c.args[0].input.MaxItems)).toEqual([100, 100]);
  });

  it.each<[string, Partial<FileSystemDescription>, string | undefined, string[]]>([
    ['encrypted, no policy (the default policy: network reach decides)', {}, undefined, []],
    ['encrypted, policy for one role of the account', {}, policy(APP_ROLE, SECURE_TRANSPORT), []],
    ['encrypted, public statement limited to a VPC endpoint', {}, policy(VIA_MOUNT_TARGET_ONLY), []],
    ['encrypted, shared with a trusted account', {}, policy(PARTNER_MOUNT), []],
    ['unencrypted', { Encrypted: false, KmsKeyId: undefined }, undefined, ['efs_file_system.unencrypted']],
    ['Encrypted absent (treated as unencrypted)', { Encrypted: undefined, KmsKeyId: undefined }, undefined, ['efs_file_system.unencrypted']],
    ['public statement', {}, policy(PUBLIC_MOUNT, APP_ROLE), ['efs_file_system.public_policy']],
    ['Principal "*" as a string', {}, policy({ ...PUBLIC_MOUNT, Principal: '*' }), ['efs_file_system.public_policy']],
    ['shared with an unknown account', {}, policy(UNKNOWN_MOUNT), ['efs_file_system.shared_unknown_account']],
    ['everything at once', { Encrypted: false }, policy(PUBLIC_MOUNT, ONLY_UNKNOWN), ['efs_file_system.unencrypted', 'efs_file_system.public_policy', 'efs_file_system.shared_unknown_account']],
  ])('%s', async (_case, overrides, text, failed) => {
    givenFileSystem(overrides, text);
    expect((await failedChecks()).map((f) => f.check.id)).toEqual(failed);
  });

  it('the findings say what is wrong; unencrypted is notify-only', async () => {
    givenFileSystem({ Encrypted: false }, policy(PUBLIC_MOUNT, UNKNOWN_MOUNT, SECURE_TRANSPORT));
    const failed = await failedChecks();
    expect(failed.map((f) => [f.check.id, f.violation.detail, f.remediate !== undefined])).toEqual([
      ['efs_file_system.unencrypted', 'Encrypted is false', false],
      ['efs_file_system.public_policy', expect.stringContaining('PublicMount'), true],
      ['efs_file_system.shared_unknown_account', expect.stringContaining(UNKNOWN_ACCOUNT), true],
    ]);
  });

  describe('remediation', () => {
    it('public_policy removes only the public statements, and a second run makes no call', async () => {
      const stored = givenFileSystem({}, policy(PUBLIC_MOUNT, APP_ROLE, SECURE_TRANSPORT));
      const [finding] = await failedChecks();
      expect(await finding?.remediate?.()).toBe('applied');
      expect(sids(stored.policy)).toEqual(['AppRole', 'SecureTransport']);
      expect(await finding?.remediate?.()).toBe('already_compliant');
      expect(efs.commandCalls(PutFileSystemPolicyCommand)).toHaveLength(1);
      expect(await failedChecks()).toEqual([]);
    });

    it('shared_unknown_account removes only the unknown account, keeping the trusted one in the same statement', async () => {
      const stored = givenFileSystem({}, policy(UNKNOWN_MOUNT));
      const [finding] = await failedChecks();
      expect(await finding?.remediate?.()).toBe('applied');
      expect(JSON.parse(stored.policy ?? '{}')).toMatchObject({ Statement: [{ Sid: 'Unknown', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` } }] });
      expect(await finding?.remediate?.()).toBe('already_compliant');
      expect(efs.commandCalls(PutFileSystemPolicyCommand)).toHaveLength(1);
    });

    it.each([
      ['public_policy, when the public statement is the only one', policy(PUBLIC_MOUNT), 'efs_file_system.public_policy'],
      ['shared_unknown_account, when the unknown account is all there is', policy(ONLY_UNKNOWN), 'efs_file_system.shared_unknown_account'],
    ])('%s: notify-only, never deleting the policy (EFS\'s default would let every reachable client in)', async (_case, text, checkId) => {
      givenFileSystem({}, text);
      const failed = await failedChecks();
      expect(failed.map((f) => [f.check.id, f.remediate])).toEqual([[checkId, undefined]]);
    });

    it('refuses, with the reason, when the policy changed since the audit so that nothing would be left', async () => {
      const stored = givenFileSystem({}, policy(PUBLIC_MOUNT, APP_ROLE));
      const [finding] = await failedChecks();
      stored.policy = policy(PUBLIC_MOUNT);
      await expect(finding?.remediate?.()).rejects.toThrow(/without a policy, and EFS's default policy grants every client/);
      expect(efs.commandCalls(PutFileSystemPolicyCommand)).toHaveLength(0);
    });

    it('gone when the file system was deleted before the fix; already compliant when the policy was deleted', async () => {
      const stored = givenFileSystem({}, policy(PUBLIC_MOUNT, APP_ROLE));
      const [finding] = await failedChecks();
      delete stored.policy;
      expect(await finding?.remediate?.()).toBe('already_compliant');
      efs.on(DescribeFileSystemsCommand, { FileSystemId: FS }).rejects(awsError('FileSystemNotFound', 404, `File system '${FS}' does not exist.`));
      expect(await finding?.remediate?.()).toBe('gone');
      expect(efs.commandCalls(PutFileSystemPolicyCommand)).toHaveLength(0);
    });
  });

  it.each([
    ['DescribeFileSystems answers FileSystemNotFound', () => efs.on(DescribeFileSystemsCommand).rejects(awsError('FileSystemNotFound', 404))],
    ['the file system is deleting', () => givenFileSystem({ LifeCycleState: 'deleting' })],
    ['DescribeFileSystemPolicy answers FileSystemNotFound (deleted in between)', () => {
      efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [fileSystem()] });
      efs.on(DescribeFileSystemPolicyCommand).rejects(awsError('FileSystemNotFound', 404));
    }],
  ])('gone when %s', async (_case, given) => {
    given();
    expect(await efsFileSystemAuditor.audit(makeResourceContext(FS), makeCheckContext(FS))).toBe(GONE);
  });

  it('not ready while creating (re-queued, judged once available)', async () => {
    givenFileSystem({ LifeCycleState: 'creating' });
    const result = await efsFileSystemAuditor.audit(makeResourceContext(FS), makeCheckContext(FS));
    expect(result).toBeInstanceOf(NotReady);
  });

  it('other errors propagate (AccessDenied is the caller\'s to report)', async () => {
    efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [fileSystem()] });
    efs.on(DescribeFileSystemPolicyCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(efsFileSystemAuditor.audit(makeResourceContext(FS), makeCheckContext(FS))).rejects.toThrow(/AccessDeniedException/);
  });
});
