import { serviceError } from './sandboxErrors.ts';
import type { OperationContext } from './serviceModel.ts';
import type { SandboxState } from './sandboxState.ts';

/**
 * What an operation sees when it acts as one account in one region: that
 * account's slices of state, fresh ids and the clock. An account outside
 * the organization, or a region it has not enabled, is refused as AWS would.
 */
export function operationContext(state: SandboxState, account: string, region: string, now: () => Date): OperationContext {
  const accountState = state.accounts[account];
  if (!accountState) throw serviceError('InvalidClientTokenId', 403, `The security token included in the request is invalid (no sandbox account ${account})`);
  const regionState = accountState.regions[region];
  if (!regionState) throw serviceError('UnrecognizedClientException', 400, `region ${region} is not enabled in sandbox account ${account}`);
  return {
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
}
