/** CloudTrail calls that trigger an audit of security_group (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

export const securityGroupTriggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'ec2.amazonaws.com', eventNames: ['CreateSecurityGroup'], idPath: 'responseElements.groupId' },
  { eventSource: 'ec2.amazonaws.com', eventNames: ['AuthorizeSecurityGroupIngress'], idPath: 'requestParameters.groupId' },
  // Egress rules matter to a default group (security_group.default_allows_traffic); GroupId is required,
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupEgress.html
  { eventSource: 'ec2.amazonaws.com', eventNames: ['AuthorizeSecurityGroupEgress'], idPath: 'requestParameters.groupId' },
  {
    // A group named by groupName (EC2-Classic style, default VPC) has no groupId in the request;
    // the response's rules name their group. A response without rules (records from before
    // security group rule ids, 2021) cannot be resolved without an AWS call, which the translator does not make.
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['AuthorizeSecurityGroupIngress'],
    idPath: 'responseElements.securityGroupRuleSet.items[].groupId',
    notAudited: (valueAt) => {
      const name = valueAt('requestParameters.groupName');
      return name === undefined ? undefined : `on security group "${name}" by name: the response names no group id, so the group is audited at the next poll`;
    },
  },
  // requestParameters.ModifySecurityGroupRulesRequest.GroupId, as CloudTrail records it (PascalCase inside the wrapper,
  // like ModifyInstanceMetadataOptions); seen in aws-samples/cloud-trail-lake-query-samples ec2-security-historical-changes.sql.
  { eventSource: 'ec2.amazonaws.com', eventNames: ['ModifySecurityGroupRules'], idPath: 'requestParameters.ModifySecurityGroupRulesRequest.GroupId' },
];
