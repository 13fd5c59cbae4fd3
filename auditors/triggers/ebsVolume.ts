/** CloudTrail calls that trigger an audit of ebs_volume (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const ebsVolumeTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['CreateVolume'],
    idPath: 'responseElements.volumeId',
  },
  {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['AttachVolume'],
    idPath: 'requestParameters.volumeId',
  },
];
