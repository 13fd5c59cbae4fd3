/**
 * DescribeRegions as the sandbox organization sees it: the regions an
 * account has (its scopes in the sandbox state) are enabled, opt-in ones
 * reported `opted-in`; an opt-in region the account does not have is
 * `not-opted-in` (listed with AllRegions only, as in AWS). A region that
 * needs no opt-in but is not in the sandbox is not listed at all: the
 * sandbox organization does not extend there, and nothing could be asked
 * of it.
 */
import type { DescribeRegionsCommandInput, DescribeRegionsCommandOutput, Region } from '@aws-sdk/client-ec2';
import { KNOWN_REGIONS, partitionOf } from '../../services/core/regions.ts';
import { operation, type OperationHandler, type Output } from '../serviceModel.ts';
import { filterRecords, type FilterFields } from './ec2Query.ts';
import { invalidParameterValue } from './ec2State.ts';

/** Regions an account must opt in to before it can use them. */
export const OPT_IN_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
];

const REGION_FILTERS: FilterFields<Region> = {
  endpoint: (r) => r.Endpoint,
  'opt-in-status': (r) => r.OptInStatus,
  'region-name': (r) => r.RegionName,
};

export const regionOperations: Readonly<Record<string, OperationHandler>> = {
  DescribeRegions: operation((context, input: DescribeRegionsCommandInput): Output<DescribeRegionsCommandOutput> => {
    const partition = partitionOf(context.region);
    const known = KNOWN_REGIONS.filter((region) => partitionOf(region) === partition);
    const unknown = (input.RegionNames ?? []).filter((name) => !(known as readonly string[]).includes(name));
    if (unknown.length > 0) throw invalidParameterValue(`Invalid region names: ${unknown.join(', ')}`);
    const enabled = new Set(Object.keys(context.state.accounts[context.account]?.regions ?? {}));
    const regions = known.flatMap((name): Region[] => {
      const optIn = OPT_IN_REGIONS.includes(name);
      const status = enabled.has(name) ? (optIn ? 'opted-in' : 'opt-in-not-required') : optIn ? 'not-opted-in' : undefined;
      if (status === undefined || (status === 'not-opted-in' && input.AllRegions !== true)) return [];
      return [{ Endpoint: `ec2.${name}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}`, RegionName: name, OptInStatus: status }];
    });
    const named = regions.filter((region) => !input.RegionNames?.length || input.RegionNames.includes(region.RegionName ?? ''));
    return { Regions: filterRecords(named, input.Filters, REGION_FILTERS, () => []) };
  }),
};
