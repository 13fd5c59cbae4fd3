/** CloudTrail calls that trigger an audit of cloudtrail_trail (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

/**
 * A trail as the CloudTrail API names it (its name, or its ARN
 * `arn:aws:cloudtrail:<home region>:<account>:trail/<name>`) as the id the
 * poller lists: the name. Both calls run in the trail's home region only
 * (InvalidHomeRegionException elsewhere), the region the event carries.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateTrail.html#API_UpdateTrail_RequestSyntax
 */
export function trailNameOf(nameOrArn: string): string {
  const marker = ':trail/';
  const at = nameOrArn.indexOf(marker);
  return nameOrArn.startsWith('arn:') && at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
}

export const cloudTrailTrailTriggers: readonly CloudTrailTrigger[] = [
  {
    // requestParameters.name: CreateTrail's Name (a name); UpdateTrail's Name (a name or the trail's ARN).
    eventSource: 'cloudtrail.amazonaws.com',
    eventNames: ['CreateTrail', 'UpdateTrail'],
    idPath: 'requestParameters.name',
    transformId: trailNameOf,
  },
];
