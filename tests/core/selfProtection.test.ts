import { OrganizationsClient, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { protectionOf, SERVICE_STACK_TAG } from '../../services/core/selfProtection.ts';
import { awsError, makeConfig, makeFactory } from '../helpers/context.ts';

const SECURITY = '123456789012';
const MEMBER = '210987654321';
const SIBLING = '345678901234';
const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);

describe('protectionOf: what is never remediated, declared once', () => {
  const config = makeConfig();
  it.each([
    { resource: { type: 'iam_role' as const, id: 'ComplianceAuditorMemberRole', path: '/' }, protected: true },
    { resource: { type: 'iam_role' as const, id: 'ComplianceAuditorRemediationRole', path: '/' }, protected: true },
    { resource: { type: 'iam_role' as const, id: 'GuardDutyEnrolmentRole', path: '/' }, protected: true },
    { resource: { type: 'iam_role' as const, id: 'compliance-auditor-event-forwarding', path: '/' }, protected: true },
    { resource: { type: 'iam_role' as const, id: 'AWSServiceRoleForSupport', path: '/aws-service-role/support.amazonaws.com/' }, protected: true },
    { resource: { type: 'iam_role' as const, id: 'team-deployer', path: '/' }, protected: false },
    { resource: { type: 's3_bucket' as const, id: 'stack-artifacts', tags: { [SERVICE_STACK_TAG.key]: SERVICE_STACK_TAG.value } }, protected: true },
    { resource: { type: 's3_bucket' as const, id: 'ComplianceAuditorMemberRole' }, protected: false },
  ])('$resource.type $resource.id -> protected $protected', ({ resource, protected: expected }) => {
    expect(protectionOf(resource, config) !== undefined).toBe(expected);
  });
});

describe('AccountDirectory.trustedAccounts with an explicit account list', () => {
  beforeEach(() => {
    sts.reset();
    organizations.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: SECURITY, Arn: `arn:aws:sts::${SECURITY}:assumed-role/r/s`, UserId: 'AROAEXAMPLE:s' });
  });

  it('trusts the security account and every organization account even when not listed', async () => {
    organizations.on(ListAccountsCommand).resolves({ Accounts: [{ Id: MEMBER, Status: 'ACTIVE' }, { Id: SIBLING, Status: 'ACTIVE' }] });
    const directory = new AccountDirectory(makeConfig({ accounts: [MEMBER], remediate: true }), makeFactory().forSecurityAccount('us-east-1'));
    expect([...(await directory.trustedAccounts())].sort()).toEqual([SECURITY, SIBLING, MEMBER].sort());
  });

  it('still trusts the security account when the organization cannot be listed', async () => {
    organizations.on(ListAccountsCommand).rejects(awsError('AWSOrganizationsNotInUseException'));
    const directory = new AccountDirectory(makeConfig({ accounts: [MEMBER], remediate: true }), makeFactory().forSecurityAccount('us-east-1'));
    expect([...(await directory.trustedAccounts())].sort()).toEqual([SECURITY, MEMBER].sort());
  });

  it('refuses to remediate when the security account cannot be told', async () => {
    organizations.on(ListAccountsCommand).resolves({ Accounts: [] });
    sts.on(GetCallerIdentityCommand).rejects(awsError('ExpiredToken', 403));
    const directory = new AccountDirectory(makeConfig({ accounts: [MEMBER], remediate: true }), makeFactory().forSecurityAccount('us-east-1'));
    await expect(directory.trustedAccounts()).rejects.toThrow(/security account/);
  });
});
