/** CloudTrail calls that trigger an audit of ami (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const amiTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['ModifyImageAttribute'],
    idPath: 'requestParameters.imageId',
  },
];
