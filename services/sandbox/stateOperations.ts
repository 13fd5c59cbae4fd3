/**
 * The sandbox's operations run directly on a state, in-process and
 * synchronously, as one account in one region: no SDK, no latency, no
 * throttling. For seeding a state (securityBaseline.ts) with the same
 * operations, and so the same rules, that answer the SDK clients.
 */
import { SandboxNotImplementedError, serviceError } from './sandboxErrors.ts';
import type { OperationContext } from './serviceModel.ts';
import type { SandboxState } from './sandboxState.ts';
import { SANDBOX_SERVICES } from './services/index.ts';

export interface StateOperations {
  context: OperationContext;
  /** Run one operation; the caller states the output type it expects (the SDK command's output). */
  call<O>(serviceId: string, operation: string, input?: object): O;
}

export function operationsOn(state: SandboxState, account: string, region: string, now: () => Date = () => new Date()): StateOperations {
  const accountState = state.accounts[account];
  if (!accountState) throw serviceError('InvalidClientTokenId', 403, `no sandbox account ${account}`);
  const regionState = accountState.regions[region];
  if (!regionState) throw serviceError('UnrecognizedClientException', 400, `region ${region} is not enabled in sandbox account ${account}`);
  const context: OperationContext = {
    state,
    account,
    region,
    global: <S>(name: string, init: () => S): S => {
      accountState.global[name] ??= init();
      return accountState.global[name] as S;
    },
    regional: <S>(name: string, init: () => S): S => {
      regionState[name] ??= init();
      return regionState[name] as S;
    },
    nextId: () => {
      state.sequence += 1;
      return state.sequence.toString(16).padStart(17, '0');
    },
    now,
  };
  return {
    context,
    call<O>(serviceId: string, operation: string, input: object = {}): O {
      const handler = SANDBOX_SERVICES.find((service) => service.serviceId === serviceId)?.operations[operation];
      if (!handler) throw new SandboxNotImplementedError(serviceId, operation);
      return structuredClone(handler(context, structuredClone(input))) as O;
    },
  };
}
