/**
 * The sandbox's Macie (serviceId 'Macie2'), per (account, region): no
 * session (Macie off, as in a new account), or a session ENABLED or PAUSED.
 * Without a session Macie answers AccessDeniedException "Macie is not
 * enabled." (403), as AWS does.
 */
import type { EnableMacieCommandInput, GetMacieSessionCommandInput, GetMacieSessionCommandOutput, UpdateMacieSessionCommandInput } from '@aws-sdk/client-macie2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

type Frequency = NonNullable<GetMacieSessionCommandOutput['findingPublishingFrequency']>;

interface MacieSession {
  status: 'ENABLED' | 'PAUSED';
  findingPublishingFrequency: Frequency;
  createdAt: string;
  updatedAt: string;
}

interface MacieState {
  session?: MacieSession;
}

function macieState(context: OperationContext): MacieState {
  return context.regional<MacieState>('macie', () => ({}));
}

function session(context: OperationContext): MacieSession {
  const current = macieState(context).session;
  if (!current) throw serviceError('AccessDeniedException', 403, 'Macie is not enabled.');
  return current;
}

function validStatus(status: string | undefined): 'ENABLED' | 'PAUSED' | undefined {
  if (status === undefined || status === 'ENABLED' || status === 'PAUSED') return status;
  throw serviceError('ValidationException', 400, `status ${status} is not one of ENABLED, PAUSED`);
}

export const macieService: SandboxService = {
  serviceId: 'Macie2',
  operations: {
    GetMacieSession: operation((context, _input: GetMacieSessionCommandInput): Output<GetMacieSessionCommandOutput> => {
      const current = session(context);
      return {
        createdAt: new Date(current.createdAt),
        findingPublishingFrequency: current.findingPublishingFrequency,
        serviceRole: `arn:aws:iam::${context.account}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`,
        status: current.status,
        updatedAt: new Date(current.updatedAt),
      };
    }),

    EnableMacie: operation((context, input: EnableMacieCommandInput) => {
      const state = macieState(context);
      if (state.session) throw serviceError('ConflictException', 409, 'Macie is already enabled.');
      const now = context.now().toISOString();
      state.session = { status: validStatus(input.status) ?? 'ENABLED', findingPublishingFrequency: input.findingPublishingFrequency ?? 'FIFTEEN_MINUTES', createdAt: now, updatedAt: now };
      return {};
    }),

    UpdateMacieSession: operation((context, input: UpdateMacieSessionCommandInput) => {
      const current = session(context);
      const status = validStatus(input.status);
      macieState(context).session = {
        ...current,
        ...(status ? { status } : {}),
        ...(input.findingPublishingFrequency ? { findingPublishingFrequency: input.findingPublishingFrequency } : {}),
        updatedAt: context.now().toISOString(),
      };
      return {};
    }),
  },
};
