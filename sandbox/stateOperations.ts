/**
 * The sandbox's operations run directly on a state, in-process and
 * synchronously, as one account in one region: no SDK, no latency, no
 * throttling. For seeding a state (securityBaseline.ts) with the same
 * operations, and so the same rules, that answer the SDK clients.
 */
import { operationContext } from './operationContext.ts';
import { SandboxNotImplementedError } from './sandboxErrors.ts';
import type { OperationContext } from './serviceModel.ts';
import type { SandboxState } from './sandboxState.ts';
import { SANDBOX_SERVICES } from './services/index.ts';

export interface StateOperations {
  context: OperationContext;
  /** Run one operation; the caller states the output type it expects (the SDK command's output). */
  call<O>(serviceId: string, operation: string, input?: object): O;
}

export function operationsOn(state: SandboxState, account: string, region: string, now: () => Date = () => new Date()): StateOperations {
  const context = operationContext(state, account, region, now);
  return {
    context,
    call<O>(serviceId: string, operation: string, input: object = {}): O {
      const handler = SANDBOX_SERVICES.find((service) => service.serviceId === serviceId)?.operations[operation];
      if (!handler) throw new SandboxNotImplementedError(serviceId, operation);
      return structuredClone(handler(context, structuredClone(input))) as O;
    },
  };
}
