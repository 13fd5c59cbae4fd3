/**
 * Customer-managed prefix lists: CreateManagedPrefixList,
 * DescribeManagedPrefixLists, GetManagedPrefixListEntries (paginated,
 * MaxResults 1 to 100, as the API reference says). A security group rule may
 * reference one by PrefixListId (ec2SecurityGroupRules.ts).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetManagedPrefixListEntries.html
 *
 * moto differs (moto/ec2/responses/vpcs.py:290, get_managed_prefix_list_entries):
 * it ignores MaxResults/NextToken and answers an empty list for an unknown
 * id; the sandbox pages and answers InvalidPrefixListID.NotFound, like AWS.
 */
import type {
  CreateManagedPrefixListCommandInput,
  CreateManagedPrefixListCommandOutput,
  DescribeManagedPrefixListsCommandInput,
  DescribeManagedPrefixListsCommandOutput,
  GetManagedPrefixListEntriesCommandInput,
  GetManagedPrefixListEntriesCommandOutput,
  ManagedPrefixList,
  PrefixListState,
} from '@aws-sdk/client-ec2';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { IPV4_CIDR, IPV6_CIDR } from './ec2SecurityGroupRules.ts';
import { assertPageInput, ec2Page, filterRecords, nextTokenField, type FilterFields } from './ec2Query.ts';
import {
  PREFIX_LIST_ID,
  ec2Arn,
  ec2StateOf,
  invalidParameterValue,
  recordById,
  recordsById,
  requiredParameter,
  tagsField,
  tagsFor,
  type PrefixListRecord,
} from './ec2State.ts';

const PREFIX_LIST_FILTERS: FilterFields<PrefixListRecord> = {
  'prefix-list-id': (p) => p.prefixListId,
  'prefix-list-name': (p) => p.name,
};

const PAGE_LIMITS = { min: 1, max: 100, idsParameter: 'prefixListId' };

function prefixListOf(context: OperationContext, list: PrefixListRecord, state: PrefixListState = 'create-complete'): ManagedPrefixList {
  return {
    PrefixListId: list.prefixListId,
    AddressFamily: list.addressFamily,
    State: state,
    PrefixListArn: ec2Arn(context, `prefix-list/${list.prefixListId}`),
    PrefixListName: list.name,
    MaxEntries: list.maxEntries,
    Version: list.version,
    OwnerId: context.account,
    ...tagsField(list.tags),
  };
}

export const prefixListOperations: Readonly<Record<string, OperationHandler>> = {
  CreateManagedPrefixList: operation((context, input: CreateManagedPrefixListCommandInput): Output<CreateManagedPrefixListCommandOutput> => {
    const name = requiredParameter(input.PrefixListName, 'PrefixListName');
    const maxEntries = requiredParameter(input.MaxEntries, 'MaxEntries');
    const family = requiredParameter(input.AddressFamily, 'AddressFamily');
    if (family !== 'IPv4' && family !== 'IPv6') throw invalidParameterValue(`Invalid value '${family}' for AddressFamily. Valid values: IPv4, IPv6`);
    const entries = (input.Entries ?? []).map((entry) => {
      const cidr = requiredParameter(entry.Cidr, 'Entries.Cidr');
      if (!(family === 'IPv4' ? IPV4_CIDR : IPV6_CIDR).test(cidr)) throw invalidParameterValue(`The CIDR '${cidr}' is invalid for address family ${family}`);
      return { cidr, ...(entry.Description ? { description: entry.Description } : {}) };
    });
    if (maxEntries < 1 || entries.length > maxEntries) throw invalidParameterValue(`The number of entries (${entries.length}) exceeds the maximum number of entries (${maxEntries})`);
    const list: PrefixListRecord = {
      prefixListId: `pl-${context.nextId()}`,
      name,
      addressFamily: family,
      maxEntries,
      version: 1,
      entries,
      tags: tagsFor(input.TagSpecifications, 'prefix-list'),
    };
    ec2StateOf(context).prefixLists[list.prefixListId] = list;
    return { PrefixList: prefixListOf(context, list, 'create-in-progress') };
  }),

  DescribeManagedPrefixLists: operation((context, input: DescribeManagedPrefixListsCommandInput): Output<DescribeManagedPrefixListsCommandOutput> => {
    const state = ec2StateOf(context);
    const ids = input.PrefixListIds ?? [];
    assertPageInput(input, ids.length > 0, PAGE_LIMITS);
    const candidates = ids.length > 0 ? recordsById(PREFIX_LIST_ID, ids, state.prefixLists) : Object.values(state.prefixLists);
    const matching = filterRecords(candidates, input.Filters, PREFIX_LIST_FILTERS, (p) => p.tags);
    const { items, next } = ec2Page(matching, input, ids.length > 0, PAGE_LIMITS);
    return { PrefixLists: items.map((p) => prefixListOf(context, p)), ...nextTokenField(next) };
  }),

  GetManagedPrefixListEntries: operation((context, input: GetManagedPrefixListEntriesCommandInput): Output<GetManagedPrefixListEntriesCommandOutput> => {
    const list = recordById(PREFIX_LIST_ID, input.PrefixListId, 'PrefixListId', ec2StateOf(context).prefixLists);
    const { items, next } = ec2Page(list.entries, input, false, PAGE_LIMITS);
    return { Entries: items.map((e) => ({ Cidr: e.cidr, ...(e.description ? { Description: e.description } : {}) })), ...nextTokenField(next) };
  }),
};
