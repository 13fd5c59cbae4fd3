/**
 * A sandbox organization (two accounts x two regions) behind a real client
 * factory, on a clock the test sets and moves. What the sandbox creates is
 * dated by that clock: by default CREATED_AT, a minute before the NOW the
 * audits run at.
 */
import { ClientFactory, type AwsClients } from '../../services/core/clientFactory.ts';
import { Sandbox, type SandboxOptions } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import type { SandboxService } from '../../sandbox/serviceModel.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION } from './context.ts';

export const OTHER_REGION = 'eu-west-1';
export const CREATED_AT = new Date(NOW.getTime() - 60_000);

/** A clock the test moves. */
export interface TestClock {
  now(): Date;
  advanceSeconds(seconds: number): void;
}

export function testClock(start: Date): TestClock {
  let current = start.getTime();
  return { now: () => new Date(current), advanceSeconds: (seconds) => (current += seconds * 1000) };
}

export interface SandboxOrganizationOptions extends Omit<SandboxOptions, 'now'> {
  /** Where the clock starts; default CREATED_AT. */
  start?: Date;
  /** The services that answer; default every sandbox service. */
  services?: readonly SandboxService[];
}

export interface SandboxOrganization {
  sandbox: Sandbox;
  factory: ClientFactory;
  clock: TestClock;
  /** The clients of one account x region; default the test account in the test region. */
  clients(account?: string, region?: string): AwsClients;
}

export function sandboxOrganization(options: SandboxOrganizationOptions = {}): SandboxOrganization {
  const { start = CREATED_AT, services, ...sandboxOptions } = options;
  const clock = testClock(start);
  const state = createSandboxState({ accounts: [ACCOUNT, OTHER_ACCOUNT], regions: [REGION, OTHER_REGION] });
  const sandbox = new Sandbox(state, { ...sandboxOptions, now: clock.now }, services);
  const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  return { sandbox, factory, clock, clients: (account = ACCOUNT, region = REGION) => factory.forAccount(account, region) };
}
