/** Console links that work in every partition (aws, aws-us-gov, aws-cn). */
import { partitionOf } from '../core/regions.ts';

export const CONSOLE_HOSTS = {
  aws: 'https://console.aws.amazon.com',
  'aws-us-gov': 'https://console.amazonaws-us-gov.com',
  'aws-cn': 'https://console.amazonaws.cn',
} as const;

type Partition = keyof typeof CONSOLE_HOSTS;

function consoleHost(region: string, partition?: string): string {
  const known = partition !== undefined && partition in CONSOLE_HOSTS ? (partition as Partition) : partitionOf(region);
  return CONSOLE_HOSTS[known];
}

/** The finding in the GuardDuty console of its region (open it signed in to the administrator or the member account). */
export function guardDutyFindingUrl(region: string, findingId: string, partition?: string): string {
  const r = encodeURIComponent(region);
  return `${consoleHost(region, partition)}/guardduty/home?region=${r}#/findings?macros=current&fId=${encodeURIComponent(findingId)}`;
}

/** The event in CloudTrail event history (of the account it happened in). */
export function cloudTrailEventUrl(region: string, eventId: string): string {
  const r = encodeURIComponent(region);
  return `${consoleHost(region)}/cloudtrailv2/home?region=${r}#/events/${encodeURIComponent(eventId)}`;
}
