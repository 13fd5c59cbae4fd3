/** CloudTrail calls that trigger an audit of secret (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

// The secret's full ARN is in responseElements.arn of each of these calls (the
// caller may have named it by name or partial ARN in requestParameters.secretId);
// before February 2024 some calls wrote it as "aRN":
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html
// https://repost.aws/knowledge-center/secrets-manager-arn
export const secretTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'secretsmanager.amazonaws.com',
    eventNames: ['CreateSecret', 'PutResourcePolicy', 'RotateSecret', 'CancelRotateSecret'],
    idPath: 'responseElements.arn',
  },
];
