/**
 * The sandbox's S3 Control (serviceId 'S3 Control'): the account-level
 * S3 Public Access Block. A new account has none (all four flags off):
 * GetPublicAccessBlock answers NoSuchPublicAccessBlockConfiguration (404).
 * An account may only read and set its own (AccessDenied otherwise).
 *
 * Not modelled: the sandbox's S3 does not apply the account-level flags to
 * bucket ACLs and policies (only the bucket-level ones).
 */
import type {
  GetPublicAccessBlockCommandInput,
  GetPublicAccessBlockCommandOutput,
  PublicAccessBlockConfiguration,
  PutPublicAccessBlockCommandInput,
} from '@aws-sdk/client-s3-control';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface S3ControlState {
  publicAccessBlock?: PublicAccessBlockConfiguration;
}

/** The caller's own account-level settings; another account id is refused. */
function accountState(context: OperationContext, accountId: string | undefined): S3ControlState {
  if (!accountId) throw serviceError('InvalidRequest', 400, 'Missing required header for this request: x-amz-account-id');
  if (accountId !== context.account) throw serviceError('AccessDenied', 403, 'Access Denied');
  return context.global<S3ControlState>('s3control', () => ({}));
}

export const s3ControlService: SandboxService = {
  serviceId: 'S3 Control',
  operations: {
    GetPublicAccessBlock: operation((context, input: GetPublicAccessBlockCommandInput): Output<GetPublicAccessBlockCommandOutput> => {
      const block = accountState(context, input.AccountId).publicAccessBlock;
      if (!block) throw serviceError('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found');
      return { PublicAccessBlockConfiguration: { ...block } };
    }),
    PutPublicAccessBlock: operation((context, input: PutPublicAccessBlockCommandInput) => {
      const given = input.PublicAccessBlockConfiguration;
      if (!given) throw serviceError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');
      // Flags left out are false, as S3 stores them.
      accountState(context, input.AccountId).publicAccessBlock = {
        BlockPublicAcls: given.BlockPublicAcls === true,
        IgnorePublicAcls: given.IgnorePublicAcls === true,
        BlockPublicPolicy: given.BlockPublicPolicy === true,
        RestrictPublicBuckets: given.RestrictPublicBuckets === true,
      };
      return {};
    }),
  },
};
