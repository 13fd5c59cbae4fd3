import { answerCommands, serviceIdOf } from './answerCommands.ts';
import { SandboxNotImplementedError, serviceError } from './sandboxErrors.ts';
import { operationContext } from './operationContext.ts';
import type { SandboxService } from './serviceModel.ts';
import type { SandboxState } from './sandboxState.ts';
import { DEFAULT_THROTTLING_ERROR, THROTTLING_ERRORS, TokenBuckets, type ThrottleSettings } from './throttling.ts';
import { SANDBOX_SERVICES } from './services/index.ts';

export interface SandboxOptions {
  /** Added to every call, to make benchmarks look like the network. */
  latencyMs?: number;
  throttle?: ThrottleSettings;
  now?: () => Date;
}

/**
 * The security account's own clients reach the sandbox only for these
 * services (acting as the management account): Organizations, and what
 * guardduty-enrol asks of its own account: STS GetCallerIdentity, EC2
 * DescribeRegions, GuardDuty (the administrator is the caller by default).
 */
const SECURITY_ACCOUNT_SERVICES = new Set(['Organizations', 'STS', 'EC2', 'GuardDuty']);

/**
 * An in-process, stateful AWS organization behind the client factory: the
 * factory attaches it to each SDK client it makes, and from then on the
 * client's commands are answered from the sandbox's state. The SDK's own
 * middleware (serialization, retries) still runs, so throttling errors are
 * retried as they would be against AWS.
 */
export class Sandbox {
  readonly state: SandboxState;
  private readonly services: ReadonlyMap<string, SandboxService>;
  private readonly options: SandboxOptions;
  private readonly buckets?: TokenBuckets;
  calls = 0;

  constructor(state: SandboxState, options: SandboxOptions = {}, services: readonly SandboxService[] = SANDBOX_SERVICES) {
    this.state = state;
    this.options = options;
    this.services = new Map(services.map((s) => [s.serviceId, s]));
    if (options.throttle) this.buckets = new TokenBuckets(options.throttle);
  }

  /** Whether a client of this service, acting as this account, is answered by the sandbox. */
  handles(serviceId: string, account: string): boolean {
    if (account === 'self') return SECURITY_ACCOUNT_SERVICES.has(serviceId);
    return true;
  }

  /** Answer every command of this client from the sandbox (see ClientFactory). */
  attach(client: unknown, account: string, region: string): void {
    const serviceId = serviceIdOf(client);
    if (!serviceId || !this.handles(serviceId, account)) return;
    const actingAs = account === 'self' ? this.state.managementAccount : account;
    answerCommands(client, 'sandbox', (service, operation, input) => this.call(service, operation, input, actingAs, region));
  }

  /** Run one operation against the state: what a client's command ends in. */
  async call(serviceId: string, operation: string, input: object, account: string, region: string): Promise<unknown> {
    this.calls += 1;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const service = this.services.get(serviceId);
    const handler = service?.operations[operation];
    if (!handler) throw new SandboxNotImplementedError(serviceId, operation);
    if (this.buckets && !this.buckets.take(`${account}/${region}/${serviceId}/${operation.replace(/^(Describe|List|Get).*/, '$1')}`)) {
      const throttling = THROTTLING_ERRORS[serviceId] ?? DEFAULT_THROTTLING_ERROR;
      throw serviceError(throttling.code, throttling.status, 'Rate exceeded');
    }
    const context = operationContext(this.state, account, region, () => this.options.now?.() ?? new Date());
    // Outputs are copied so callers never hold references into the state.
    return structuredClone(handler(context, structuredClone(input)));
  }
}
