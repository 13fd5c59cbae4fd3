/**
 * region.s3_account_public_access_block_off (account level, home region
 * only): the account-level S3 Public Access Block has all four flags on.
 *
 * APIs: S3 Control GetPublicAccessBlock; enablement: PutPublicAccessBlock.
 */
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3ControlClient, type PublicAccessBlockConfiguration } from '@aws-sdk/client-s3-control';
import { hasErrorName } from '../../services/core/errors.ts';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

export const ACCOUNT_BLOCK_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

export interface AccountPublicAccessBlockState {
  /** Empty when the account has none. */
  block: PublicAccessBlockConfiguration;
}

export function offAccountFlags(block: PublicAccessBlockConfiguration): string[] {
  return ACCOUNT_BLOCK_FLAGS.filter((flag) => block[flag] !== true);
}

export function judgeAccountPublicAccessBlock(state: AccountPublicAccessBlockState): Verdict {
  const off = offAccountFlags(state.block);
  if (off.length === 0) return { status: 'enabled', detail: 'all four account-level flags on' };
  if (off.length === ACCOUNT_BLOCK_FLAGS.length) return { status: 'disabled', detail: 'no account-level Public Access Block (all four flags off)' };
  return { status: 'disabled', detail: `off or unset: ${off.join(', ')}` };
}

async function readAccountBlock(client: S3ControlClient, account: string): Promise<AccountPublicAccessBlockState> {
  try {
    const { PublicAccessBlockConfiguration } = await client.send(new GetPublicAccessBlockCommand({ AccountId: account }));
    return { block: PublicAccessBlockConfiguration ?? {} };
  } catch (error) {
    if (hasErrorName(error, 'NoSuchPublicAccessBlockConfiguration')) return { block: {} };
    throw error;
  }
}

export const s3AccountPublicAccessBlockControl: RegionControl<AccountPublicAccessBlockState> = {
  key: 's3_account_public_access_block',
  check: 's3_account_public_access_block_off',
  label: 'S3 account Public Access Block',
  level: REGION_CONTROL_TRIGGERS.s3AccountPublicAccessBlock.level,
  title: 'Account-level S3 Public Access Block is not fully on',
  severity: 'high',
  rationale: 'The account-level flags stop any bucket of the account, present or future, from being made public by an ACL or a policy.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html
  controls: { fsbp: ['S3.1'], cis: ['2.1.4'] },
  reads: 'S3 Control GetPublicAccessBlock: all four flags true',
  permissions: ['s3:GetAccountPublicAccessBlock'],
  triggers: REGION_CONTROL_TRIGGERS.s3AccountPublicAccessBlock.triggers,

  collect: (context) => readAccountBlock(context.clients.get(S3ControlClient), context.account),
  judge: (state) => judgeAccountPublicAccessBlock(state),

  enablement: {
    description: 'Turn on all four account-level S3 Public Access Block flags.',
    permissions: ['s3:GetAccountPublicAccessBlock', 's3:PutAccountPublicAccessBlock'],
    enabled: (config) => config.enableS3AccountPublicAccessBlock,
    async apply(context) {
      const client = context.clients.get(S3ControlClient);
      if (offAccountFlags((await readAccountBlock(client, context.account)).block).length === 0) return 'already_compliant';
      await client.send(
        new PutPublicAccessBlockCommand({
          AccountId: context.account,
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        }),
      );
      return 'applied';
    },
  },
};
