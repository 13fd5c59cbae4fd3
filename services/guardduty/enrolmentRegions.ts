/** APIs: ec2:DescribeRegions (the security account's own credentials). */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';

/**
 * The configured GuardDuty regions, or every region enabled for the account:
 * DescribeRegions with AllRegions=false returns opt-in regions only when
 * they are enabled, so a disabled opt-in region is never attempted.
 */
export async function enrolmentRegions(config: Pick<Config, 'guardDutyRegions'>, security: AwsClients): Promise<string[]> {
  if (config.guardDutyRegions) return [...config.guardDutyRegions];
  const { Regions } = await security.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: false }));
  return (Regions ?? [])
    .filter((region) => region.OptInStatus !== 'not-opted-in')
    .map((region) => region.RegionName)
    .filter((name): name is string => typeof name === 'string' && name.length > 0)
    .sort();
}
