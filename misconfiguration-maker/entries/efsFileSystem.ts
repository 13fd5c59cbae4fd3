/**
 * One EFS file system, `misconfiguration-maker-efs-<account>-<region>`
 * (its CreationToken and Name tag): empty, unencrypted (Encrypted false:
 * efs_file_system.unencrypted), with no mount target, so no client can
 * reach it over any network, and a file system policy of three statements:
 * ClientMount for everyone (public_policy), ClientMount for the nonexistent
 * account 000000000000 (shared_unknown_account: nobody can act as it), and
 * the console's "enforce in-transit encryption" Deny, which the
 * remediations keep (EFS's default policy would let every reachable client
 * in, so they never delete a policy; see auditors/efsFileSystem.ts).
 *
 * Real AWS: an empty file system is billed by the data stored (a few KiB of
 * metadata, a fraction of a cent a month); no mount target, no cost of its
 * own. CreateFileSystem answers `creating`; the policy is put once it is
 * `available` (seconds).
 */
import {
  CreateFileSystemCommand,
  DeleteFileSystemCommand,
  DescribeFileSystemsCommand,
  EFSClient,
  PutFileSystemPolicyCommand,
  type FileSystemDescription,
} from '@aws-sdk/client-efs';
import { ComplianceError, RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

const AVAILABLE_POLLS = 15;
const POLL_INTERVAL_MS = 2_000;

export function makerFileSystemName(account: string, region: string): string {
  return makerName('efs', account, region);
}

export function makerFileSystemPolicy(account: string, region: string, fileSystemId: string): string {
  const partition = partitionOf(region);
  const resource = `arn:${partition}:elasticfilesystem:${region}:${account}:file-system/${fileSystemId}`;
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'misconfiguration-maker',
    Statement: [
      { Sid: 'MisconfigurationMakerPublicMount', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'elasticfilesystem:ClientMount', Resource: resource },
      { Sid: 'MisconfigurationMakerUnknownAccount', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${NONEXISTENT_ACCOUNT}:root` }, Action: 'elasticfilesystem:ClientMount', Resource: resource },
      { Sid: 'MisconfigurationMakerSecureTransport', Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Resource: resource, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  });
}

async function findFileSystem(context: MakerContext): Promise<FileSystemDescription | undefined> {
  const { FileSystems } = await context.clients.get(EFSClient).send(new DescribeFileSystemsCommand({ CreationToken: makerFileSystemName(context.account, context.region) }));
  return FileSystems?.find((fileSystem) => fileSystem.LifeCycleState !== 'deleting' && fileSystem.LifeCycleState !== 'deleted');
}

/** Wait (briefly) for `available`, re-reading at once and then every 2 s: EFS refuses a policy on a file system that is still creating. */
async function untilAvailable(context: MakerContext, made: FileSystemDescription): Promise<string> {
  const where = { account: context.account, region: context.region };
  let fileSystem = made;
  for (let poll = 0; fileSystem.LifeCycleState !== 'available'; poll += 1) {
    if (poll >= AVAILABLE_POLLS) throw new ComplianceError(`file system ${fileSystem.FileSystemId} is still ${fileSystem.LifeCycleState}: run the maker again in a minute`, where);
    if (poll > 0) await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    const found = await findFileSystem(context);
    if (!found) throw new ComplianceError(`file system ${fileSystem.FileSystemId} vanished while creating`, where);
    fileSystem = found;
  }
  if (!fileSystem.FileSystemId) throw new Error('DescribeFileSystems returned no FileSystemId');
  return fileSystem.FileSystemId;
}

export const efsFileSystemMaker: MisconfigurationEntry = {
  type: 'efs_file_system',
  scope: 'regional',
  provokes: (config) => [
    'efs_file_system.unencrypted',
    'efs_file_system.public_policy',
    ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['efs_file_system.shared_unknown_account']),
  ],
  plan: (account, region) => [
    `EFS file system ${makerFileSystemName(account, region)}: empty, unencrypted, no mount target (unreachable); policy lets anyone and account ${NONEXISTENT_ACCOUNT} mount it, and denies unencrypted transport`,
  ],
  async create(context) {
    const name = makerFileSystemName(context.account, context.region);
    const made =
      (await findFileSystem(context)) ??
      (await context.clients.get(EFSClient).send(new CreateFileSystemCommand({ CreationToken: name, Encrypted: false, PerformanceMode: 'generalPurpose', Tags: [{ Key: 'Name', Value: name }, ...MAKER_TAGS] })));
    const fileSystemId = await untilAvailable(context, made);
    // Reused or new: (re)put the misconfigured policy (a remediation may have narrowed it).
    await context.clients.get(EFSClient).send(new PutFileSystemPolicyCommand({ FileSystemId: fileSystemId, Policy: makerFileSystemPolicy(context.account, context.region, fileSystemId) }));
    return [fileSystemId];
  },
  async teardown(context) {
    const found = await findFileSystem(context);
    if (!found?.FileSystemId) return [];
    const fileSystemId = found.FileSystemId;
    const deleted = await unlessGone(() => context.clients.get(EFSClient).send(new DeleteFileSystemCommand({ FileSystemId: fileSystemId })), RESOURCE_GONE_ERRORS.efs_file_system, undefined);
    return deleted ? [fileSystemId] : [];
  },
};
