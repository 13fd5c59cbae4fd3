import type { Auditor } from '../auditors/contract.ts';
import { configFields } from '../services/core/config.ts';
import { OWN_ROLE_KEYS, SERVICE_LINKED_ROLE_PATH, SERVICE_ROLE_PREFIX, type OwnRoleKey } from '../services/core/selfProtection.ts';
import { eventPatterns, type EventPattern } from '../services/event-translator/eventPatterns.ts';
import { AUDIT_ROLE_FINDINGS_IMPORT, auditRoleActions, PASS_ROLE, remediationPermissionsByRisk, RISK_LEVELS, type RiskPermissions } from './memberPermissions.ts';

export const EVENT_FORWARDING_ROLE_NAME = 'compliance-auditor-event-forwarding';

/** The EventBridge patterns file that serverless.yml reads: `{ "pattern1": {...}, ... }`. */
export function eventPatternsFile(auditors: readonly Auditor[]): Record<string, EventPattern> {
  return Object.fromEntries(eventPatterns(auditors).map((pattern, index) => [`pattern${index + 1}`, pattern]));
}

/**
 * Actions that change a role's trust, policies, boundary or existence: the
 * remediation role is denied them on the service's own roles, whatever its
 * Allow statements say (iam_role.* remediations rewrite other roles' trust).
 */
export const ROLE_CHANGING_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
] as const;

/** `memberRoleName` -> `MemberRoleName`: the template parameter naming one of the service's own roles. */
export function roleParameterOf(key: OwnRoleKey): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

const OWN_ROLE_DESCRIPTIONS: Record<OwnRoleKey, string> = {
  memberRoleName: 'Name of the read-only audit role the auditor assumes (config memberRoleName)',
  remediationRoleName: 'Name of the role the remediator assumes only to remediate (config remediationRoleName)',
  guardDutyManagementRoleName: 'Name of the GuardDuty enrolment role (config guardDutyManagementRoleName): protected here like the service\'s other roles',
};

function ownRoleParameters(): Record<string, object> {
  return Object.fromEntries(
    OWN_ROLE_KEYS.map((key) => [roleParameterOf(key), { Type: 'String', Default: String(configFields.shape[key].parse(undefined)), Description: OWN_ROLE_DESCRIPTIONS[key] }]),
  );
}

function roleArn(name: string): { 'Fn::Sub': string } {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${name}` };
}

/** The service's own roles in the member account (services/core/selfProtection.ts), service-linked roles included. */
function ownRoleArns(): { 'Fn::Sub': string }[] {
  return [
    ...OWN_ROLE_KEYS.map((key) => roleArn(`\${${roleParameterOf(key)}}`)),
    roleArn(EVENT_FORWARDING_ROLE_NAME),
    roleArn(`${SERVICE_ROLE_PREFIX}*`),
    roleArn('${SecurityFunctionRolePrefix}*'),
    roleArn(`${SERVICE_LINKED_ROLE_PATH.slice(1)}*`),
  ];
}

/** Both member roles trust the same principals: the security account's function roles, with the ExternalId. */
const SECURITY_FUNCTIONS_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'SecurityAccountAuditorFunctionsOnly',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${SecurityAccountId}:root' } },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } },
        ArnLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${SecurityAccountId}:role/${SecurityFunctionRolePrefix}*' } },
      },
    },
  ],
};

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The condition under which a risk level's statements apply: RemediationLevel is that level or above. */
export function levelConditionOf(risk: (typeof RISK_LEVELS)[number]): string {
  return `Remediate${capitalised(risk)}`;
}

function levelConditions(): Record<string, object> {
  return Object.fromEntries(
    RISK_LEVELS.slice(1).map((risk) => {
      const atOrAbove = RISK_LEVELS.slice(RISK_LEVELS.indexOf(risk)).map((level) => ({ 'Fn::Equals': [{ Ref: 'RemediationLevel' }, level] }));
      const [only] = atOrAbove;
      return [levelConditionOf(risk), only && atOrAbove.length === 1 ? only : { 'Fn::Or': atOrAbove }];
    }),
  );
}

/** One risk level's Allow statements; above the first level, each applies only under its level's condition. */
function riskStatements(permissions: RiskPermissions, first: boolean): object[] {
  const name = capitalised(permissions.risk);
  const statements: object[] = [
    ...(permissions.actions.length > 0 ? [{ Sid: `${name}Remediations`, Effect: 'Allow', Action: permissions.actions, Resource: '*' }] : []),
    ...(permissions.passRoleTo.length > 0
      ? [
          {
            Sid: `${name}RemediationsPassRole`,
            Effect: 'Allow',
            Action: PASS_ROLE,
            Resource: '*',
            // Only to the services the remediations name: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
            Condition: { StringEquals: { 'iam:PassedToService': permissions.passRoleTo } },
          },
        ]
      : []),
  ];
  return first ? statements : statements.map((statement) => ({ 'Fn::If': [levelConditionOf(permissions.risk), statement, { Ref: 'AWS::NoValue' }] }));
}

function remediationStatements(auditors: readonly Auditor[]): object[] {
  return [
    ...remediationPermissionsByRisk(auditors).flatMap((permissions, index) => riskStatements(permissions, index === 0)),
    { Sid: 'NeverChangeTheServicesOwnRoles', Effect: 'Deny', Action: [...ROLE_CHANGING_ACTIONS], Resource: ownRoleArns() },
  ];
}

/**
 * The CloudFormation template every member account runs, as a StackSet in
 * every region: the read-only audit role and, with RemediationLevel safe or
 * disruptive, the remediation role (both created once, in the
 * global-resources region, with exactly the auditors' declared actions), and
 * in each region the rules that forward matching CloudTrail events to the
 * security account's event bus.
 */
export function memberAccountTemplate(auditors: readonly Auditor[]): object {
  const patterns = eventPatterns(auditors);
  const rules = Object.fromEntries(
    patterns.map((pattern, index) => [
      `ForwardCloudTrailEventsRule${index + 1}`,
      {
        Type: 'AWS::Events::Rule',
        Condition: 'ForwardEventsInThisRegion',
        Properties: {
          Description: `Forwards the CloudTrail API calls the compliance auditors react to (${index + 1}/${patterns.length})`,
          EventPattern: pattern,
          State: 'ENABLED',
          Targets: [
            {
              Id: 'security-account-event-bus',
              Arn: { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${SecurityAccountId}:event-bus/default' },
              RoleArn: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${EVENT_FORWARDING_ROLE_NAME}` },
            },
          ],
        },
      },
    ]),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Compliance auditor: member-account audit and remediation roles, CloudTrail event forwarding (generated by npm run build:member-account; do not edit)',
    Parameters: {
      SecurityAccountId: { Type: 'String', AllowedPattern: '^\\d{12}$', Description: 'The security account that runs the auditor' },
      ExternalId: { Type: 'String', NoEcho: true, MinLength: 8, Description: 'Shared secret the auditor passes to AssumeRole' },
      ...ownRoleParameters(),
      RemediationLevel: {
        Type: 'String',
        Default: 'none',
        AllowedValues: ['none', ...RISK_LEVELS],
        Description: 'Which remediations the remediation role can perform: none (no remediation role), safe, or disruptive (safe and disruptive)',
      },
      SecurityFunctionRolePrefix: {
        Type: 'String',
        Default: 'compliance-auditor-',
        Description: "Prefix of the security account's function role names (serverless.yml: compliance-auditor-<stage>-<region>-<function>)",
      },
      GlobalResourcesRegion: { Type: 'String', Default: 'us-east-1', Description: 'The one region where the IAM roles are created' },
      ForwardEvents: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'], Description: 'Forward CloudTrail events for real-time audits' },
    },
    Conditions: {
      CreateGlobalResources: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'GlobalResourcesRegion' }] },
      ForwardEventsInThisRegion: { 'Fn::Equals': [{ Ref: 'ForwardEvents' }, 'true'] },
      CreateEventForwardingRole: { 'Fn::And': [{ Condition: 'CreateGlobalResources' }, { Condition: 'ForwardEventsInThisRegion' }] },
      CreateRemediationRole: { 'Fn::And': [{ Condition: 'CreateGlobalResources' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'RemediationLevel' }, 'none'] }] }] },
      ...levelConditions(),
    },
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Condition: 'CreateGlobalResources',
        Properties: {
          RoleName: { Ref: 'MemberRoleName' },
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: SECURITY_FUNCTIONS_TRUST,
          Policies: [
            {
              PolicyName: 'compliance-auditor-audit',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Sid: 'AuditorReadActions', Effect: 'Allow', Action: auditRoleActions(auditors), Resource: '*' },
                  {
                    Sid: 'ImportOwnFindingsToSecurityHub',
                    Effect: 'Allow',
                    Action: AUDIT_ROLE_FINDINGS_IMPORT.action,
                    Resource: { 'Fn::Sub': AUDIT_ROLE_FINDINGS_IMPORT.resource },
                  },
                ],
              },
            },
          ],
        },
      },
      RemediationRole: {
        Type: 'AWS::IAM::Role',
        Condition: 'CreateRemediationRole',
        Properties: {
          RoleName: { Ref: 'RemediationRoleName' },
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: SECURITY_FUNCTIONS_TRUST,
          Policies: [
            {
              PolicyName: 'compliance-auditor-remediation',
              PolicyDocument: { Version: '2012-10-17', Statement: remediationStatements(auditors) },
            },
          ],
        },
      },
      EventForwardingRole: {
        Type: 'AWS::IAM::Role',
        Condition: 'CreateEventForwardingRole',
        Properties: {
          RoleName: EVENT_FORWARDING_ROLE_NAME,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [
            {
              PolicyName: 'put-events-to-security-account',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'events:PutEvents',
                    Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:events:*:${SecurityAccountId}:event-bus/default' },
                  },
                ],
              },
            },
          ],
        },
      },
      ...rules,
    },
    Outputs: {
      MemberRoleArn: { Condition: 'CreateGlobalResources', Value: { 'Fn::GetAtt': ['MemberRole', 'Arn'] } },
      RemediationRoleArn: { Condition: 'CreateRemediationRole', Value: { 'Fn::GetAtt': ['RemediationRole', 'Arn'] } },
    },
  };
}
