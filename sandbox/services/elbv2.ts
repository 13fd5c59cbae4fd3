/**
 * Application, Network and Gateway Load Balancers (serviceId 'Elastic Load
 * Balancing v2'): what the `elbv2` auditor lists, collects and remediates,
 * and what the maker creates and deletes. Subnets and target ids are taken
 * as given, not checked against the EC2 sandbox (see loadBalancerNetwork.ts);
 * load balancers are `active` as soon as they are created.
 */
import type { DescribeTagsCommandInput, DescribeTagsCommandOutput, Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';
import { attributeOperations } from './elbv2Attributes.ts';
import { listenerAt, loadBalancerAt, targetGroupAt } from './elbv2State.ts';
import { loadBalancerOperations } from './elbv2LoadBalancers.ts';
import { targetGroupOperations } from './elbv2TargetGroups.ts';
import { boundedList } from './loadBalancerValidation.ts';

/** DescribeTags takes at most 20 ARNs. */
const MAX_TAGGED_ARNS = 20;

/** The tags of a load balancer, target group or listener, by the kind its ARN names. */
function tagsAt(context: OperationContext, arn: string): Tag[] {
  const kind = /^arn:[^:]+:elasticloadbalancing:[^:]*:\d{12}:(loadbalancer|targetgroup|listener)\//.exec(arn)?.[1];
  if (kind === 'loadbalancer') return loadBalancerAt(context, arn).tags;
  if (kind === 'targetgroup') return targetGroupAt(context, arn).tags;
  if (kind === 'listener') return listenerAt(context, arn).tags;
  throw serviceError('ValidationError', 400, `'${arn}' is not a valid load balancer, target group or listener ARN`);
}

export const elbv2Service: SandboxService = {
  serviceId: 'Elastic Load Balancing v2',
  operations: {
    ...loadBalancerOperations,
    ...targetGroupOperations,
    ...attributeOperations,
    DescribeTags: operation((context, input: DescribeTagsCommandInput): Output<DescribeTagsCommandOutput> => {
      const arns = boundedList(input.ResourceArns, 'ResourceArns', MAX_TAGGED_ARNS);
      return { TagDescriptions: arns.map((ResourceArn) => ({ ResourceArn, Tags: tagsAt(context, ResourceArn) })) };
    }),
  },
};
