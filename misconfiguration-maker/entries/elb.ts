/**
 * One internet-facing Classic Load Balancer, `misconfiguration-maker-elb`,
 * in one default subnet, listening on HTTP 80 -> 80, with no instance
 * behind it: it fails `elb.internet_facing_in_dev_account` in a dev account
 * (and nowhere else), `elb.listener_not_tls` (HTTP, no TLS) and
 * `elb.access_logging_off` (access logs are off on a new load balancer)
 * everywhere, and `elb.missing_required_tags` when a required tag is not one
 * of the maker's.
 *
 * Harmless: nothing is registered behind it, so it answers nothing but 503s.
 * Its violation reads "internet-facing in dev account A; no instance behind
 * it outside ignoredInstances"; the remediation (deregister the instances)
 * has nothing to do and answers `already_compliant`, and the finding stays:
 * the check looks at the scheme, which the remediation never changes.
 *
 * Name: ELB names have at most 32 characters, so it carries neither account
 * nor region (names are per account and region anyway).
 *
 * Real AWS: needs the region's default VPC (EC2 DescribeSubnets,
 * default-for-az). Cost about $0.025 per hour (~$0.60/day) for the load
 * balancer plus $0.005 per hour for its public IPv4 address, while it
 * exists. In the default VPC, AWS attaches (and creates once per account and
 * region if missing) its `default_elb_<id>` security group, open to the
 * internet on port 80 only (an allowed port: no security_group finding);
 * AWS does not delete it with the load balancer, nor does teardown, since
 * other classic load balancers of the account may use it.
 */
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import { TEST_RESOURCE_PREFIX } from '../../services/core/testResources.ts';
import { MAKER_TAGS, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';
import { defaultSubnets } from './defaultSubnets.ts';
import { requiredTagsMissingFromMaker } from './missingMakerTags.ts';

/** `misconfiguration-maker-elb`: 26 of the 32 characters a classic load balancer name may have. */
export const MAKER_CLASSIC_LOAD_BALANCER = `${TEST_RESOURCE_PREFIX}elb`;

async function exists(context: MakerContext): Promise<boolean> {
  const elb = context.clients.get(ElasticLoadBalancingClient);
  const describe = new DescribeLoadBalancersCommand({ LoadBalancerNames: [MAKER_CLASSIC_LOAD_BALANCER] });
  const found = await unlessGone(() => elb.send(describe), ['LoadBalancerNotFound', 'AccessPointNotFoundException'], undefined);
  return (found?.LoadBalancerDescriptions ?? []).length > 0;
}

export const elbMaker: MisconfigurationEntry = {
  type: 'elb',
  scope: 'regional',
  devAccountChecks: ['elb.internet_facing_in_dev_account'],
  provokes: (config) => [
    'elb.internet_facing_in_dev_account',
    'elb.listener_not_tls',
    'elb.access_logging_off',
    ...(requiredTagsMissingFromMaker(config).length > 0 ? ['elb.missing_required_tags'] : []),
  ],
  plan: () => [
    `Classic Load Balancer ${MAKER_CLASSIC_LOAD_BALANCER}: internet-facing, HTTP 80 -> 80, one default subnet, no instances (~$0.03/h on AWS)`,
  ],
  async create(context) {
    if (await exists(context)) return [MAKER_CLASSIC_LOAD_BALANCER];
    const [subnet] = await defaultSubnets(context, 1);
    await context.clients.get(ElasticLoadBalancingClient).send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: MAKER_CLASSIC_LOAD_BALANCER,
        Scheme: 'internet-facing',
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80 }],
        Subnets: subnet ? [subnet.subnetId] : [],
        Tags: [...MAKER_TAGS],
      }),
    );
    return [MAKER_CLASSIC_LOAD_BALANCER];
  },
  async teardown(context) {
    if (!(await exists(context))) return [];
    await context.clients.get(ElasticLoadBalancingClient).send(new DeleteLoadBalancerCommand({ LoadBalancerName: MAKER_CLASSIC_LOAD_BALANCER }));
    return [MAKER_CLASSIC_LOAD_BALANCER];
  },
};
