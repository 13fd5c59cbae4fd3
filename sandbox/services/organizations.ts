import type { ListAccountsCommandInput, ListAccountsCommandOutput } from '@aws-sdk/client-organizations';
import { page } from '../pagination.ts';
import { operation, type Output, type SandboxService } from '../serviceModel.ts';

export const organizationsService: SandboxService = {
  serviceId: 'Organizations',
  operations: {
    ListAccounts: operation((context, input: ListAccountsCommandInput): Output<ListAccountsCommandOutput> => {
      const accounts = Object.entries(context.state.accounts).map(([Id, account]) => ({
        Id,
        Arn: `arn:aws:organizations::${context.state.managementAccount}:account/${context.state.organizationId}/${Id}`,
        Email: `${account.name}@example.com`,
        Name: account.name,
        Status: 'ACTIVE' as const,
        State: 'ACTIVE' as const,
        JoinedMethod: 'CREATED' as const,
        JoinedTimestamp: new Date('2024-01-01T00:00:00Z'),
      }));
      const { items, next } = page(accounts, input.NextToken, input.MaxResults ?? 20);
      return { Accounts: items, ...(next ? { NextToken: next } : {}) };
    }),
  },
};
