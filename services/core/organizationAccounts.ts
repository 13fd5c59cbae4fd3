/** APIs: organizations:ListAccounts (from the management account or a delegated administrator). */
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import type { AwsClients } from './clientFactory.ts';

export interface OrganizationAccount {
  id: string;
  email?: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE. */
  status: string;
  /** The organization's id (o-…), from the account's ARN (`arn:aws:organizations::<management>:account/o-…/<id>`). */
  organizationId?: string;
}

const ORGANIZATION_IN_ACCOUNT_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:account\/(o-[a-z0-9]{10,32})\/\d{12}$/;

/** Every account of the organization with its email and state (ACTIVE, SUSPENDED, ...), paginated. */
export async function listOrganizationAccounts(clients: AwsClients): Promise<OrganizationAccount[]> {
  const client = clients.get(OrganizationsClient);
  const accounts: OrganizationAccount[] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const account of page.Accounts ?? []) {
      if (!account.Id) continue;
      const organizationId = ORGANIZATION_IN_ACCOUNT_ARN.exec(account.Arn ?? '')?.[1];
      accounts.push({
        id: account.Id,
        ...(account.Email ? { email: account.Email } : {}),
        status: account.State ?? account.Status ?? 'UNKNOWN',
        ...(organizationId ? { organizationId } : {}),
      });
    }
  }
  return accounts;
}
