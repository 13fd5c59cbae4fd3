/** CloudTrail calls that trigger an audit of elb (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const elbTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'elasticloadbalancing.amazonaws.com',
    eventNames: ['RegisterInstancesWithLoadBalancer'],
    idPath: 'requestParameters.loadBalancerName',
  },
  {
    // A Classic Load Balancer is created with its listeners, scheme and tags. ELBv2's CreateLoadBalancer has the
    // same source and name, with apiVersion 2015-12-01 and requestParameters.name (no loadBalancerName):
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/ELB-API-Logs.html
    eventSource: 'elasticloadbalancing.amazonaws.com',
    eventNames: ['CreateLoadBalancer'],
    idPath: 'requestParameters.loadBalancerName',
    notAudited: (valueAt) =>
      valueAt('apiVersion') === '2015-12-01' ? `of ELBv2 load balancer "${valueAt('requestParameters.name') ?? ''}": audited as elbv2 when a listener is created or changed` : undefined,
  },
  {
    // A new listener (elb.listener_not_tls; deleting one cannot add a violation) and attributes (elb.access_logging_off).
    // ModifyLoadBalancerAttributes has
    // the same source and name in ELBv2, whose request names loadBalancerArn instead (auditors/triggers/elbv2.ts).
    eventSource: 'elasticloadbalancing.amazonaws.com',
    eventNames: ['CreateLoadBalancerListeners', 'ModifyLoadBalancerAttributes'],
    idPath: 'requestParameters.loadBalancerName',
  },
];
