/**
 * The sandbox's Inspector (serviceId 'Inspector2'), per (account, region):
 * the scan status of each resource type (EC2, ECR, Lambda, Lambda code),
 * all DISABLED in a new account. Enable answers ENABLING, as AWS does;
 * later reads say ENABLED. Another account's status is refused per account
 * (failedAccounts, ACCESS_DENIED), inside a 200 answer, as Inspector does
 * for an account that is not its member.
 */
import type {
  Account,
  AccountState,
  BatchGetAccountStatusCommandInput,
  BatchGetAccountStatusCommandOutput,
  EnableCommandInput,
  EnableCommandOutput,
  FailedAccount,
  ResourceScanType,
  Status,
} from '@aws-sdk/client-inspector2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

const SCAN_KEYS = { EC2: 'ec2', ECR: 'ecr', LAMBDA: 'lambda', LAMBDA_CODE: 'lambdaCode' } as const;
type ScanKey = (typeof SCAN_KEYS)[keyof typeof SCAN_KEYS];

type InspectorState = Record<ScanKey, Status>;

function inspectorState(context: OperationContext): InspectorState {
  return context.regional<InspectorState>('inspector2', () => ({ ec2: 'DISABLED', ecr: 'DISABLED', lambda: 'DISABLED', lambdaCode: 'DISABLED' }));
}

function accountStatus(state: InspectorState): Status {
  return Object.values(state).some((status) => status === 'ENABLED' || status === 'ENABLING') ? 'ENABLED' : 'DISABLED';
}

function stateOf(status: Status) {
  return { status, errorCode: undefined, errorMessage: undefined };
}

function accountsAsked(context: OperationContext, ids: readonly string[] | undefined): { own: boolean; failed: FailedAccount[] } {
  const asked = ids && ids.length > 0 ? ids : [context.account];
  const failed = asked
    .filter((id) => id !== context.account)
    .map((accountId): FailedAccount => ({ accountId, errorCode: 'ACCESS_DENIED', errorMessage: `You do not have permission to access account ${accountId}` }));
  return { own: asked.includes(context.account), failed };
}

export const inspectorService: SandboxService = {
  serviceId: 'Inspector2',
  operations: {
    BatchGetAccountStatus: operation((context, input: BatchGetAccountStatusCommandInput): Output<BatchGetAccountStatusCommandOutput> => {
      const { own, failed } = accountsAsked(context, input.accountIds);
      const state = inspectorState(context);
      const accounts: AccountState[] = own
        ? [
            {
              accountId: context.account,
              state: stateOf(accountStatus(state)),
              resourceState: { ec2: stateOf(state.ec2), ecr: stateOf(state.ecr), lambda: stateOf(state.lambda), lambdaCode: stateOf(state.lambdaCode) },
            },
          ]
        : [];
      return { accounts, failedAccounts: failed };
    }),

    Enable: operation((context, input: EnableCommandInput): Output<EnableCommandOutput> => {
      const types: readonly ResourceScanType[] = input.resourceTypes ?? [];
      if (types.length === 0) throw serviceError('ValidationException', 400, 'resourceTypes must contain at least 1 item');
      const unknown = types.find((type) => !(type in SCAN_KEYS));
      if (unknown !== undefined) throw serviceError('ValidationException', 400, `resourceTypes: ${unknown} is not supported`);
      const { own, failed } = accountsAsked(context, input.accountIds);
      if (!own) return { accounts: [], failedAccounts: failed };
      const state = inspectorState(context);
      const answer: InspectorState = { ...state };
      for (const type of types) {
        const key = SCAN_KEYS[type as keyof typeof SCAN_KEYS];
        if (state[key] !== 'ENABLED') answer[key] = 'ENABLING';
        state[key] = 'ENABLED';
      }
      const account: Account = { accountId: context.account, status: 'ENABLING', resourceStatus: { ...answer } };
      return { accounts: [account], failedAccounts: failed };
    }),
  },
};
