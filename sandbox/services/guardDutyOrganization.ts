/**
 * GuardDuty in the organization, per region: the delegated administrator
 * (set and listed by the management account) and the organization
 * configuration (auto-enable, read and set by the delegated administrator).
 * Auto-enable is recorded, not acted on: accounts are enrolled by
 * CreateMembers (guardduty-enrol does both).
 */
import type {
  DescribeOrganizationConfigurationCommandInput,
  DescribeOrganizationConfigurationCommandOutput,
  EnableOrganizationAdminAccountCommandInput,
  EnableOrganizationAdminAccountCommandOutput,
  ListOrganizationAdminAccountsCommandInput,
  ListOrganizationAdminAccountsCommandOutput,
  OrganizationFeatureConfigurationResult,
  UpdateOrganizationConfigurationCommandInput,
  UpdateOrganizationConfigurationCommandOutput,
} from '@aws-sdk/client-guardduty';
import { page } from '../pagination.ts';
import { operation, type OperationHandler, type Output } from '../serviceModel.ts';
import { assertDelegatedAdministrator, assertManagementAccount, badRequest, guardDutyPageSize, guardDutyStateOf, ownDetector } from './guardDutyState.ts';

export const organizationOperations: Readonly<Record<string, OperationHandler>> = {
  ListOrganizationAdminAccounts: operation((context, input: ListOrganizationAdminAccountsCommandInput): Output<ListOrganizationAdminAccountsCommandOutput> => {
    assertManagementAccount(context);
    const admin = guardDutyStateOf(context).delegatedAdministrator;
    const { items, next } = page(admin ? [{ AdminAccountId: admin.accountId, AdminStatus: admin.status }] : [], input.NextToken, guardDutyPageSize(input.MaxResults));
    return { AdminAccounts: items, ...(next ? { NextToken: next } : {}) };
  }),

  EnableOrganizationAdminAccount: operation((context, input: EnableOrganizationAdminAccountCommandInput): Output<EnableOrganizationAdminAccountCommandOutput> => {
    assertManagementAccount(context);
    const account = input.AdminAccountId;
    if (!account || !/^\d{12}$/.test(account)) throw badRequest('the parameter adminAccountId has an invalid value');
    if (!context.state.accounts[account]) throw badRequest(`the account ${account} is not a member of the organization`);
    const state = guardDutyStateOf(context);
    const current = state.delegatedAdministrator;
    if (current && current.accountId !== account) throw badRequest(`the organization already has the delegated administrator ${current.accountId}`);
    state.delegatedAdministrator = { accountId: account, status: 'ENABLED' };
    return {};
  }),

  DescribeOrganizationConfiguration: operation((context, input: DescribeOrganizationConfigurationCommandInput): Output<DescribeOrganizationConfigurationCommandOutput> => {
    ownDetector(context, input.DetectorId);
    assertDelegatedAdministrator(context);
    const configuration = guardDutyStateOf(context).organizationConfiguration;
    const features: OrganizationFeatureConfigurationResult[] = Object.entries(configuration.features).map(([name, autoEnable]) => ({
      Name: name as OrganizationFeatureConfigurationResult['Name'],
      AutoEnable: autoEnable,
    }));
    const { items, next } = page(features, input.NextToken, guardDutyPageSize(input.MaxResults));
    return {
      AutoEnable: configuration.autoEnableOrganizationMembers !== 'NONE',
      MemberAccountLimitReached: false,
      AutoEnableOrganizationMembers: configuration.autoEnableOrganizationMembers,
      Features: items,
      ...(next ? { NextToken: next } : {}),
    };
  }),

  UpdateOrganizationConfiguration: operation((context, input: UpdateOrganizationConfigurationCommandInput): Output<UpdateOrganizationConfigurationCommandOutput> => {
    ownDetector(context, input.DetectorId);
    assertDelegatedAdministrator(context);
    const configuration = guardDutyStateOf(context).organizationConfiguration;
    if (input.AutoEnableOrganizationMembers) configuration.autoEnableOrganizationMembers = input.AutoEnableOrganizationMembers;
    else if (input.AutoEnable !== undefined) configuration.autoEnableOrganizationMembers = input.AutoEnable ? 'NEW' : 'NONE';
    for (const feature of input.Features ?? []) {
      if (!feature.Name || !feature.AutoEnable) throw badRequest('a feature must have a Name and an AutoEnable');
      configuration.features[feature.Name] = feature.AutoEnable;
    }
    return {};
  }),
};
