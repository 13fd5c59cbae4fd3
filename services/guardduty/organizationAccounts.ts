/** APIs: organizations:ListAccounts (in the management account). */
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import type { AwsClients } from '../core/clientFactory.ts';
import type { OrganizationAccount } from './enrolmentPlan.ts';

/** Every account of the organization with its email and state (ACTIVE, SUSPENDED, ...), paginated. */
export async function listOrganizationAccounts(management: AwsClients): Promise<OrganizationAccount[]> {
  const client = management.get(OrganizationsClient);
  const accounts: OrganizationAccount[] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const account of page.Accounts ?? []) {
      if (!account.Id) continue;
      accounts.push({ id: account.Id, ...(account.Email ? { email: account.Email } : {}), status: account.State ?? account.Status ?? 'UNKNOWN' });
    }
  }
  return accounts;
}
