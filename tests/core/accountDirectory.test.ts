/**
 * The audited organization's id, as the AMI sharing check needs it: read
 * from ListAccounts' ARNs (`arn:aws:organizations::<management>:account/o-…/<id>`),
 * with no further call; unknown when the accounts are a configured list.
 */
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { ACCOUNT, OTHER_ACCOUNT, makeConfig, makeFactory } from '../helpers/context.ts';

const organizations = mockClient(OrganizationsClient);
const MANAGEMENT = '123456789012';

function account(id: string, state: 'ACTIVE' | 'SUSPENDED', organizationId = 'o-a1b2c3d4e5') {
  return {
    Id: id,
    Arn: `arn:aws:organizations::${MANAGEMENT}:account/${organizationId}/${id}`,
    Email: `aws+${id}@example.com`,
    Name: `account-${id}`,
    Status: state,
    State: state,
    JoinedMethod: 'CREATED' as const,
    JoinedTimestamp: new Date('2024-03-01T10:00:00Z'),
  };
}

function directory(accounts: 'organization' | string[]): AccountDirectory {
  const config = makeConfig({ accounts });
  return new AccountDirectory(config, makeFactory().forSecurityAccount('us-east-1'));
}

describe('AccountDirectory: the organization', () => {
  beforeEach(() => organizations.reset());

  it('reads the organization id from the account ARNs, over pages, with one listing for accounts and id', async () => {
    organizations.on(ListAccountsCommand, { NextToken: undefined }).resolves({ Accounts: [account(ACCOUNT, 'ACTIVE')], NextToken: 'AAEAAbN0ZXh0LXRva2Vu' });
    organizations.on(ListAccountsCommand, { NextToken: 'AAEAAbN0ZXh0LXRva2Vu' }).resolves({ Accounts: [account(OTHER_ACCOUNT, 'SUSPENDED')] });
    const organization = directory('organization');
    expect(await organization.organizationId()).toBe('o-a1b2c3d4e5');
    expect(await organization.auditedAccounts()).toEqual([ACCOUNT]);
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(2);
  });

  it.each([
    ['accounts configured as a list', [ACCOUNT], undefined],
    ['ARNs that name no organization', 'organization' as const, undefined],
  ])('unknown with %s', async (_name, accounts, expected) => {
    organizations.on(ListAccountsCommand).resolves({ Accounts: [{ ...account(ACCOUNT, 'ACTIVE'), Arn: `arn:aws:iam::${ACCOUNT}:root` }] });
    expect(await directory(accounts).organizationId()).toBe(expected);
  });
});
