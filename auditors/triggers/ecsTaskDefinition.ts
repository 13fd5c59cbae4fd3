/** CloudTrail calls that trigger an audit of ecs_task_definition (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

/**
 * A task definition as ECS calls name it (`family`, `family:revision`, or
 * the ARN `arn:aws:ecs:<region>:<account>:task-definition/family:revision`)
 * as the id the poller lists: the family, whose latest ACTIVE revision is
 * audited.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html#ECS-DescribeTaskDefinition-request-taskDefinition
 */
export function familyOf(taskDefinition: string): string {
  const marker = ':task-definition/';
  const at = taskDefinition.indexOf(marker);
  const familyAndRevision = taskDefinition.startsWith('arn:') && at >= 0 ? taskDefinition.slice(at + marker.length) : taskDefinition;
  return familyAndRevision.replace(/:\d+$/, '');
}

export const ecsTaskDefinitionTriggers: readonly CloudTrailTrigger[] = [
  {
    // A new revision, now the family's latest ACTIVE one: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
    eventSource: 'ecs.amazonaws.com',
    eventNames: ['RegisterTaskDefinition'],
    idPath: 'requestParameters.family',
  },
  {
    // Deregistering the latest revision makes an older one the latest ACTIVE; RunTask puts a revision to use
    // (one of the ECS calls the framework this service replaces reacted to).
    eventSource: 'ecs.amazonaws.com',
    eventNames: ['DeregisterTaskDefinition', 'RunTask'],
    idPath: 'requestParameters.taskDefinition',
    transformId: familyOf,
  },
  {
    // A service started or moved to a revision; UpdateService without taskDefinition changes only counts or settings.
    eventSource: 'ecs.amazonaws.com',
    eventNames: ['CreateService', 'UpdateService'],
    idPath: 'requestParameters.taskDefinition',
    transformId: familyOf,
    notAudited: (valueAt) => (valueAt('requestParameters.taskDefinition') === undefined ? 'names no task definition (a change of count or settings, or an EXTERNAL deployment controller)' : undefined),
  },
];
