/**
 * The sandbox's STS (serviceId 'STS'): GetCallerIdentity, for tools that
 * ask who they run as (guardduty-enrol). A member account's clients are the
 * member role's session; the security account's own clients act as the
 * management account (see Sandbox.attach).
 */
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { partitionOf } from '../../services/core/regions.ts';
import { operation, type Output, type SandboxService } from '../serviceModel.ts';

export const stsService: SandboxService = {
  serviceId: 'STS',
  operations: {
    GetCallerIdentity: operation((context): Output<GetCallerIdentityCommandOutput> => ({
      UserId: `AROASANDBOX${context.account}:sandbox`,
      Account: context.account,
      Arn: `arn:${partitionOf(context.region)}:sts::${context.account}:assumed-role/SandboxRole/sandbox`,
    })),
  },
};
