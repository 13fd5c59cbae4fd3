/**
 * The sandbox's Security Hub (serviceId 'SecurityHub'), per (account,
 * region): whether the account is subscribed, its enabled standards, and
 * the findings imported into it (./securityHubFindings.ts).
 * A new account is not subscribed: DescribeHub answers
 * InvalidAccessException (401), as AWS does.
 */
import type {
  BatchEnableStandardsCommandInput,
  BatchEnableStandardsCommandOutput,
  DescribeHubCommandInput,
  DescribeHubCommandOutput,
  DescribeStandardsCommandInput,
  DescribeStandardsCommandOutput,
  EnableSecurityHubCommandInput,
  GetEnabledStandardsCommandInput,
  GetEnabledStandardsCommandOutput,
  StandardsSubscription,
} from '@aws-sdk/client-securityhub';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';
import { securityHubFindingsOperations } from './securityHubFindings.ts';
import { defaultStandardsIn, isStandardIn, standardsIn, subscriptionArn } from './securityHubStandards.ts';

interface SecurityHubState {
  /** Absent: not subscribed. */
  subscribedAt?: string;
  /** Enabled standards ARNs, in the order they were enabled. */
  standards: string[];
}

function hubState(context: OperationContext): SecurityHubState {
  return context.regional<SecurityHubState>('securityhub', () => ({ standards: [] }));
}

/** The hub, or InvalidAccessException as Security Hub answers an account that is not subscribed. */
function subscribedHub(context: OperationContext): SecurityHubState & { subscribedAt: string } {
  const state = hubState(context);
  if (state.subscribedAt === undefined) throw serviceError('InvalidAccessException', 401, `Account ${context.account} is not subscribed to AWS Security Hub`);
  return { ...state, subscribedAt: state.subscribedAt };
}

function invalidInput(message: string): Error {
  return serviceError('InvalidInputException', 400, message);
}

/** MaxResults 1..100 (default 100 here). */
function pageSize(maxResults: number | undefined): number {
  if (maxResults === undefined) return 100;
  if (maxResults < 1 || maxResults > 100) throw invalidInput(`MaxResults ${maxResults} is not between 1 and 100`);
  return maxResults;
}

function subscriptionOf(context: OperationContext, standardsArn: string, status: 'PENDING' | 'READY'): StandardsSubscription {
  return { StandardsSubscriptionArn: subscriptionArn(standardsArn, context.account, context.region), StandardsArn: standardsArn, StandardsInput: {}, StandardsStatus: status };
}

export const securityHubService: SandboxService = {
  serviceId: 'SecurityHub',
  operations: {
    // BatchImportFindings, GetFindings (./securityHubFindings.ts)
    ...securityHubFindingsOperations((context) => hubState(context).subscribedAt !== undefined),

    DescribeHub: operation((context, input: DescribeHubCommandInput): Output<DescribeHubCommandOutput> => {
      const hub = subscribedHub(context);
      const arn = `arn:aws:securityhub:${context.region}:${context.account}:hub/default`;
      if (input.HubArn !== undefined && input.HubArn !== arn) throw serviceError('ResourceNotFoundException', 404, `Hub ${input.HubArn} not found`);
      return { HubArn: arn, SubscribedAt: hub.subscribedAt, AutoEnableControls: true, ControlFindingGenerator: 'SECURITY_CONTROL' };
    }),

    EnableSecurityHub: operation((context, input: EnableSecurityHubCommandInput) => {
      const state = hubState(context);
      if (state.subscribedAt !== undefined) throw serviceError('ResourceConflictException', 409, 'Account is already subscribed to Security Hub');
      state.subscribedAt = context.now().toISOString();
      state.standards = input.EnableDefaultStandards === false ? [] : defaultStandardsIn(context.region);
      return {};
    }),

    GetEnabledStandards: operation((context, input: GetEnabledStandardsCommandInput): Output<GetEnabledStandardsCommandOutput> => {
      const hub = subscribedHub(context);
      const wanted = input.StandardsSubscriptionArns ?? [];
      const all = hub.standards
        .map((arn) => subscriptionOf(context, arn, 'READY'))
        .filter((subscription) => wanted.length === 0 || wanted.includes(subscription.StandardsSubscriptionArn ?? ''));
      const { items, next } = page(all, input.NextToken, pageSize(input.MaxResults));
      return { StandardsSubscriptions: items, ...(next ? { NextToken: next } : {}) };
    }),

    DescribeStandards: operation((context, input: DescribeStandardsCommandInput): Output<DescribeStandardsCommandOutput> => {
      const { items, next } = page(standardsIn(context.region), input.NextToken, pageSize(input.MaxResults));
      return { Standards: items, ...(next ? { NextToken: next } : {}) };
    }),

    /** Enabling takes a moment in AWS: the answer says PENDING, later reads say READY. */
    BatchEnableStandards: operation((context, input: BatchEnableStandardsCommandInput): Output<BatchEnableStandardsCommandOutput> => {
      subscribedHub(context);
      const requests = input.StandardsSubscriptionRequests ?? [];
      if (requests.length < 1 || requests.length > 25) throw invalidInput('StandardsSubscriptionRequests must contain 1 to 25 items');
      const arns = requests.map((request) => request.StandardsArn ?? '');
      const unknown = arns.find((arn) => !isStandardIn(arn, context.region));
      if (unknown !== undefined) throw invalidInput(`Invalid StandardsArn: ${unknown}`);
      const state = hubState(context);
      for (const arn of arns) if (!state.standards.includes(arn)) state.standards.push(arn);
      return { StandardsSubscriptions: arns.map((arn) => subscriptionOf(context, arn, 'PENDING')) };
    }),
  },
};
