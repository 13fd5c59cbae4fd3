/** CloudTrail calls that trigger an audit of elbv2 (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const elbv2Triggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['RegisterTargets'], idPath: 'requestParameters.targetGroupArn' },
  { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['CreateListener'], idPath: 'requestParameters.loadBalancerArn' },
  /** ModifyListener's request names only the listener; its response names the load balancer. */
  { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['ModifyListener'], idPath: 'responseElements.listeners[].loadBalancerArn' },
  /** Attributes (elbv2.access_logging_off); Classic's call of the same name names loadBalancerName (auditors/triggers/elb.ts). */
  { eventSource: 'elasticloadbalancing.amazonaws.com', eventNames: ['ModifyLoadBalancerAttributes'], idPath: 'requestParameters.loadBalancerArn' },
];
