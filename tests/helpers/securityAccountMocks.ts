import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { PublishBatchCommand, PublishCommand, SNSClient, type MessageAttributeValue, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
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
      sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => ({
        Successful: input.PublishBatchRequestEntries.map((entry, index) => ({ Id: entry.Id, MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb${String(index).padStart(2, '0')}` })),
        Failed: [],
      }));
      sts.reset();
      sts.on(GetCallerIdentityCommand).resolves({ Account: '000000000000', Arn: 'arn:aws:sts::000000000000:assumed-role/compliance-auditor-prod-us-east-1-remediator/session', UserId: 'AROAEXAMPLE:session' });
      organizations.reset();
      organizations.on(ListAccountsCommand).rejects(awsError('AWSOrganizationsNotInUseException'));
    },
  };
}

/** A message SNS was asked to publish, by Publish or as an entry of PublishBatch. */
export interface PublishedMessage {
  TopicArn?: string;
  Subject?: string;
  Message?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

/** Every message published through the mock, Publish and PublishBatch entries alike, in call order. */
export function publishedMessages(sns: ReturnType<typeof securityAccountMocks>['sns']): PublishedMessage[] {
  return sns.calls().flatMap((call): PublishedMessage[] => {
    const command = call.args[0];
    if (command instanceof PublishCommand) return [command.input];
    if (command instanceof PublishBatchCommand) return (command.input.PublishBatchRequestEntries ?? []).map((entry) => ({ TopicArn: command.input.TopicArn, ...entry }));
    return [];
  });
}
