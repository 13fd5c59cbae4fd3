/**
 * The sandbox's Audit Manager (serviceId 'AuditManager'), per (account,
 * region): INACTIVE until RegisterAccount. Audit Manager exists in a subset
 * of regions only: elsewhere its endpoint does not resolve, and the sandbox
 * answers with the network's message (getaddrinfo ENOTFOUND ...). It leaves
 * out the error's `code`, which would make the SDK retry for seconds, as it
 * does against AWS before giving up with the same error.
 */
import type { GetAccountStatusCommandOutput, RegisterAccountCommandInput, RegisterAccountCommandOutput } from '@aws-sdk/client-auditmanager';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

/** Regions with an Audit Manager endpoint. */
export const AUDIT_MANAGER_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
];

interface AuditManagerState {
  status: 'ACTIVE' | 'INACTIVE';
}

/** A DNS failure as it reaches the caller, without the code that would be retried. */
function noEndpoint(region: string): Error {
  const hostname = `auditmanager.${region}.amazonaws.com`;
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { hostname });
}

function auditManagerState(context: OperationContext): AuditManagerState {
  if (!AUDIT_MANAGER_REGIONS.includes(context.region)) throw noEndpoint(context.region);
  return context.regional<AuditManagerState>('auditmanager', () => ({ status: 'INACTIVE' }));
}

export const auditManagerService: SandboxService = {
  serviceId: 'AuditManager',
  operations: {
    GetAccountStatus: operation((context): Output<GetAccountStatusCommandOutput> => ({ status: auditManagerState(context).status })),

    RegisterAccount: operation((context, _input: RegisterAccountCommandInput): Output<RegisterAccountCommandOutput> => {
      const state = auditManagerState(context);
      state.status = 'ACTIVE';
      return { status: state.status };
    }),
  },
};
