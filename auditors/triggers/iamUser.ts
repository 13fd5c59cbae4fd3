/** CloudTrail calls that trigger an audit of iam_user (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const iamUserTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'iam.amazonaws.com',
    eventNames: ['CreateLoginProfile', 'DeactivateMFADevice', 'UpdateAccessKey', 'AttachUserPolicy'],
    idPath: 'requestParameters.userName',
  },
  {
    // A user creating its own key sends no UserName; the response always names the user.
    eventSource: 'iam.amazonaws.com',
    eventNames: ['CreateAccessKey'],
    idPath: 'responseElements.accessKey.userName',
    // The root user creating its own key: no userName anywhere (the response's accessKey has none),
    // as in the RootAccessKeyCreated rule's test record of panther-labs/panther-analysis.
    notAudited: (valueAt) =>
      valueAt('userIdentity.type') === 'Root' && valueAt('responseElements.accessKey.userName') === undefined
        ? "by the root user for itself: the root user's access keys belong to no IAM user, and no auditor covers them"
        : undefined,
  },
];
