/**
 * `elbv2` load balancer attributes: DescribeLoadBalancerAttributes answers
 * the defaults AWS gives a new load balancer of each type (access logs and
 * deletion protection off), as strings, the way the API does.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancerAttributes.html
 */
import type { DescribeLoadBalancerAttributesCommandInput, DescribeLoadBalancerAttributesCommandOutput, LoadBalancerAttribute } from '@aws-sdk/client-elastic-load-balancing-v2';
import { operation, required, type OperationHandler, type Output } from '../serviceModel.ts';
import { loadBalancerAt } from './elbv2State.ts';

const COMMON: readonly LoadBalancerAttribute[] = [
  { Key: 'access_logs.s3.enabled', Value: 'false' },
  { Key: 'access_logs.s3.bucket', Value: '' },
  { Key: 'access_logs.s3.prefix', Value: '' },
  { Key: 'deletion_protection.enabled', Value: 'false' },
];

const BY_TYPE: Readonly<Record<string, readonly LoadBalancerAttribute[]>> = {
  application: [
    { Key: 'idle_timeout.timeout_seconds', Value: '60' },
    { Key: 'routing.http2.enabled', Value: 'true' },
    { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'false' },
    { Key: 'routing.http.desync_mitigation_mode', Value: 'defensive' },
  ],
  network: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'false' }],
  gateway: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'false' }],
};

export const attributeOperations: Readonly<Record<string, OperationHandler>> = {
  DescribeLoadBalancerAttributes: operation((context, input: DescribeLoadBalancerAttributesCommandInput): Output<DescribeLoadBalancerAttributesCommandOutput> => {
    const { description } = loadBalancerAt(context, required(input.LoadBalancerArn, 'LoadBalancerArn'));
    const gateway = description.Type === 'gateway';
    return { Attributes: [...(gateway ? COMMON.filter((a) => !a.Key?.startsWith('access_logs')) : COMMON), ...(BY_TYPE[description.Type ?? ''] ?? [])] };
  }),
};
