/**
 * The sandbox's STS (serviceId 'STS'): GetCallerIdentity, for tools that
 * ask who they run as (guardduty-enrol), and AssumeRole, for a factory that
 * assumes member roles through the sandbox (a test or benchmark that counts
 * AssumeRole calls). A member account's clients are the member role's
 * session; the security account's own clients act as the management account
 * (see Sandbox.attach).
 */
import type { AssumeRoleCommandInput, AssumeRoleCommandOutput, GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { partitionOf } from '../../services/core/regions.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, required, type Output } from '../serviceModel.ts';
import type { SandboxService } from '../serviceModel.ts';

/** `arn:aws:iam::123456789012:role/path/Name`: the account and the role's name. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

export const stsService: SandboxService = {
  serviceId: 'STS',
  operations: {
    GetCallerIdentity: operation((context): Output<GetCallerIdentityCommandOutput> => ({
      UserId: `AROASANDBOX${context.account}:sandbox`,
      Account: context.account,
      Arn: `arn:${partitionOf(context.region)}:sts::${context.account}:assumed-role/SandboxRole/sandbox`,
    })),
    // Any role of an account of the sandbox organization may be assumed; another account answers like a role that does not trust the caller.
    AssumeRole: operation((context, input: AssumeRoleCommandInput): Output<AssumeRoleCommandOutput> => {
      const roleArn = required(input.RoleArn, 'RoleArn');
      const sessionName = required(input.RoleSessionName, 'RoleSessionName');
      const match = ROLE_ARN.exec(roleArn);
      if (!match) throw serviceError('ValidationError', 400, `${roleArn} is invalid`);
      const [, account = '', roleName = ''] = match;
      if (!context.state.accounts[account]) throw serviceError('AccessDenied', 403, `User: arn:aws:sts::${context.account}:assumed-role/SandboxRole/sandbox is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      const id = context.nextId().toUpperCase().slice(0, 16);
      return {
        Credentials: {
          AccessKeyId: `ASIA${id}`,
          SecretAccessKey: `sandbox-${id}`,
          SessionToken: `sandbox-session-${id}`,
          Expiration: new Date(context.now().getTime() + (input.DurationSeconds ?? 3600) * 1000),
        },
        AssumedRoleUser: { AssumedRoleId: `AROA${id}:${sessionName}`, Arn: `arn:${partitionOf(context.region)}:sts::${account}:assumed-role/${roleName}/${sessionName}` },
      };
    }),
  },
};
