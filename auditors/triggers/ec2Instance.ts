/** CloudTrail calls that trigger an audit of ec2 (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const ec2Triggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'ec2.amazonaws.com', eventNames: ['RunInstances'], idPath: 'responseElements.instancesSet.items[].instanceId' },
  { eventSource: 'ec2.amazonaws.com', eventNames: ['StartInstances'], idPath: 'requestParameters.instancesSet.items[].instanceId' },
  // An address goes to an instance or to a network interface (one of the two is required):
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateAddress.html
  { eventSource: 'ec2.amazonaws.com', eventNames: ['AssociateAddress'], idPath: 'requestParameters.instanceId' },
  // The interface's event names no instance and the translator makes no AWS call: the message carries the
  // interface id, and canonicalId (in the member account) turns it into the instance it is attached to.
  { eventSource: 'ec2.amazonaws.com', eventNames: ['AssociateAddress'], idPath: 'requestParameters.networkInterfaceId' },
  {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['ModifyInstanceMetadataOptions'],
    idPath: 'requestParameters.ModifyInstanceMetadataOptionsRequest.InstanceId',
  },
];
