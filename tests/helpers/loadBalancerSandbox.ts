/**
 * A sandbox organization for the elb and elbv2 tests, behind a real client
 * factory. The load balancer makers read the default subnets with EC2
 * DescribeSubnets, which the EC2 sandbox service answers.
 */
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { Sandbox, type SandboxOptions } from '../../services/sandbox/sandbox.ts';
import { createSandboxState } from '../../services/sandbox/sandboxState.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from './context.ts';

export const OTHER_REGION = 'eu-west-1';

export interface LoadBalancerSandbox {
  sandbox: Sandbox;
  factory: ClientFactory;
}

export function loadBalancerSandbox(options: SandboxOptions = {}): LoadBalancerSandbox {
  const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT, OTHER_ACCOUNT], regions: [REGION, OTHER_REGION] }), options);
  const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  return { sandbox, factory };
}

/** A clock the test moves. */
export function testClock(start: Date): { now: () => Date; advanceSeconds(seconds: number): void } {
  let current = start.getTime();
  return { now: () => new Date(current), advanceSeconds: (seconds) => (current += seconds * 1000) };
}
