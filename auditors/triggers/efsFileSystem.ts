/**
 * CloudTrail calls that trigger an audit of efs_file_system (SDK-free: the
 * event translator imports these, not the auditor). EFS is a REST-JSON API:
 * CloudTrail writes its members in lower camel case, the file system as
 * requestParameters.fileSystemId (the CreateTags/DeleteTags records of
 * https://docs.aws.amazon.com/efs/latest/ug/logging-using-cloudtrail.html), and
 * CreateFileSystem's answer (a FileSystemDescription) as responseElements.fileSystemId.
 */
import type { CloudTrailTrigger } from '../contract.ts';

const FILE_SYSTEM_ARN = /^arn:[^:]+:elasticfilesystem:[^:]*:\d{12}:file-system\/(fs-[0-9a-f]+)$/;

/** The file system id, also when a call named it by ARN (arn:aws:elasticfilesystem:<region>:<account>:file-system/fs-...). */
export function fileSystemIdOf(value: string): string {
  return FILE_SYSTEM_ARN.exec(value)?.[1] ?? value;
}

export const efsFileSystemTriggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'elasticfilesystem.amazonaws.com', eventNames: ['CreateFileSystem'], idPath: 'responseElements.fileSystemId' },
  { eventSource: 'elasticfilesystem.amazonaws.com', eventNames: ['PutFileSystemPolicy'], idPath: 'requestParameters.fileSystemId', transformId: fileSystemIdOf },
];
