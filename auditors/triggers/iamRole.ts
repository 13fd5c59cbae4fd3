/** CloudTrail calls that trigger an audit of iam_role (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const iamRoleTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'iam.amazonaws.com',
    eventNames: ['CreateRole', 'UpdateAssumeRolePolicy', 'AttachRolePolicy'],
    idPath: 'requestParameters.roleName',
  },
];
