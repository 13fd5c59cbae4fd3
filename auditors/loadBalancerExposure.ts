/**
 * What the `elb` and `elbv2` auditors share: when a load balancer counts as
 * internet-facing in a dev account, and which instances behind it may stay.
 */
import type { Config } from '../services/core/config.ts';

/** `Scheme` of a load balancer reachable from the internet (classic and v2 alike). */
export const INTERNET_FACING = 'internet-facing';

/** Pure: an internet-facing load balancer in one of config.devAccounts. */
export function internetFacingInDevAccount(scheme: string | undefined, context: { account: string; config: Config }): boolean {
  return scheme === INTERNET_FACING && context.config.devAccounts.includes(context.account);
}

/** Pure: config.ignoredInstances exempts this instance (it is never deregistered). */
export function isIgnoredInstance(instanceId: string, config: Config): boolean {
  return config.ignoredInstances.includes(instanceId);
}
