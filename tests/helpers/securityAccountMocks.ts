import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from './context.ts';

/**
 * The security account's own clients as the remediator Lambda sees them
 * outside an organization: SNS accepts every publish, STS names the account
 * (GetCallerIdentity, for the trusted accounts), Organizations is not in use.
 * Call `answer()` in beforeEach: it resets the mocks and their answers.
 */
export function securityAccountMocks() {
  const sns = mockClient(SNSClient);
  const sts = mockClient(STSClient);
  const organizations = mockClient(OrganizationsClient);
  return {
    sns,
    sts,
    organizations,
    answer(): void {
      sns.reset();
      sns.on(PublishCommand).resolves({ MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e' });
      sts.reset();
      sts.on(GetCallerIdentityCommand).resolves({ Account: '000000000000', Arn: 'arn:aws:sts::000000000000:assumed-role/compliance-auditor-prod-us-east-1-remediator/session', UserId: 'AROAEXAMPLE:session' });
      organizations.reset();
      organizations.on(ListAccountsCommand).rejects(awsError('AWSOrganizationsNotInUseException'));
    },
  };
}
