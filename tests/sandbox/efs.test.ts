import {
  CreateFileSystemCommand,
  DeleteFileSystemCommand,
  DeleteFileSystemPolicyCommand,
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  EFSClient,
  PutFileSystemPolicyCommand,
  paginateDescribeFileSystems,
} from '@aws-sdk/client-efs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'elasticfilesystem:ClientMount' }] });

let org: SandboxOrganization;
let efs: EFSClient;

beforeEach(() => {
  org = sandboxOrganization();
  efs = org.clients().get(EFSClient);
});

async function created(token: string, encrypted = false): Promise<string> {
  const { FileSystemId } = await efs.send(new CreateFileSystemCommand({ CreationToken: token, Encrypted: encrypted, Tags: [{ Key: 'Name', Value: token }] }));
  if (!FileSystemId) throw new Error('no FileSystemId');
  return FileSystemId;
}

describe('EFS file systems', () => {
  it('CreateFileSystem answers creating; DescribeFileSystems then answers available, with the Name tag, ARN and encryption', async () => {
    const answer = await efs.send(new CreateFileSystemCommand({ CreationToken: 'home', Encrypted: true, Tags: [{ Key: 'Name', Value: 'home' }] }));
    expect(answer).toMatchObject({ LifeCycleState: 'creating', CreationToken: 'home', OwnerId: ACCOUNT, Encrypted: true, Name: 'home', NumberOfMountTargets: 0 });
    expect(answer.FileSystemId).toMatch(/^fs-[0-9a-f]{17}$/);
    expect(answer.KmsKeyId).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${ACCOUNT}:key/`));

    const { FileSystems } = await efs.send(new DescribeFileSystemsCommand({ FileSystemId: answer.FileSystemId }));
    expect(FileSystems).toEqual([expect.objectContaining({ FileSystemId: answer.FileSystemId, LifeCycleState: 'available', FileSystemArn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${answer.FileSystemId}`, Tags: [{ Key: 'Name', Value: 'home' }] })]);
  });

  it('a CreationToken is used once (FileSystemAlreadyExists) and finds its file system; a KMS key needs Encrypted', async () => {
    const id = await created('home');
    await expectAwsError(efs.send(new CreateFileSystemCommand({ CreationToken: 'home' })), { name: 'FileSystemAlreadyExists', status: 409 });
    expect((await efs.send(new DescribeFileSystemsCommand({ CreationToken: 'home' }))).FileSystems?.map((f) => f.FileSystemId)).toEqual([id]);
    expect((await efs.send(new DescribeFileSystemsCommand({ CreationToken: 'other' }))).FileSystems).toEqual([]);
    await expectAwsError(efs.send(new CreateFileSystemCommand({ CreationToken: 'keyed', KmsKeyId: 'alias/efs' })), { name: 'BadRequest', status: 400 });
  });

  it('pages with Marker / NextMarker, per region', async () => {
    const ids = await Promise.all(['a', 'b', 'c'].map((token) => created(token)));
    const pages = [];
    for await (const page of paginateDescribeFileSystems({ client: efs, pageSize: 2 }, {})) pages.push(page.FileSystems?.map((f) => f.FileSystemId));
    expect(pages).toEqual([[...ids].sort().slice(0, 2), [...ids].sort().slice(2)]);
    expect((await org.clients(ACCOUNT, OTHER_REGION).get(EFSClient).send(new DescribeFileSystemsCommand({}))).FileSystems).toEqual([]);
  });

  it('file system policy: PolicyNotFound under the default policy; Put, Describe and Delete; InvalidPolicyException for a bad one', async () => {
    const id = await created('home');
    await expectAwsError(efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id })), { name: 'PolicyNotFound', status: 404 });
    expect(await efs.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: POLICY }))).toMatchObject({ FileSystemId: id, Policy: POLICY });
    expect(await efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id }))).toMatchObject({ FileSystemId: id, Policy: POLICY });
    await expectAwsError(efs.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: '{not json' })), { name: 'InvalidPolicyException', status: 400 });
    await expectAwsError(efs.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }) })), { name: 'InvalidPolicyException', status: 400 });
    await efs.send(new DeleteFileSystemPolicyCommand({ FileSystemId: id }));
    await expectAwsError(efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id })), { name: 'PolicyNotFound', status: 404 });
  });

  it('a deleted or unknown file system is FileSystemNotFound everywhere', async () => {
    const id = await created('home');
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
    for (const call of [
      efs.send(new DescribeFileSystemsCommand({ FileSystemId: id })),
      efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id })),
      efs.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: POLICY })),
      efs.send(new DeleteFileSystemCommand({ FileSystemId: id })),
    ]) {
      await expectAwsError(call, { name: 'FileSystemNotFound', status: 404 });
    }
  });
});
