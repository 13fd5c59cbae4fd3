import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDITORS } from '../../auditors/registry.ts';
import type { Auditor, RemediationInfo } from '../../auditors/contract.ts';
import { accessOf } from '../../member-account/actionAccess.ts';
import { eventPatternsFile, memberAccountTemplate, ROLE_CHANGING_ACTIONS } from '../../member-account/memberAccountTemplate.ts';
import { AUDIT_ROLE_FINDINGS_IMPORT, auditRoleActions, remediationPermissionsByRisk } from '../../member-account/memberPermissions.ts';
import { IMPORT_ACTION } from '../../services/securityhub/importFindings.ts';
import { OWN_ROLE_KEYS } from '../../services/core/selfProtection.ts';
import { makeConfig } from '../helpers/context.ts';
import { resolveTemplate, type Template } from './resolveTemplate.ts';
import { EVENT_PATTERN_LIMIT, eventBridgeSource, eventPatterns } from '../../services/event-translator/eventPatterns.ts';
import { buildTriggerTable } from '../../services/event-translator/triggerTable.ts';

const committedTemplate = JSON.parse(readFileSync(new URL('../../member-account/template.json', import.meta.url), 'utf8')) as {
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
};
const committedPatterns = JSON.parse(readFileSync(new URL('../../member-account/event-patterns.json', import.meta.url), 'utf8')) as Record<string, unknown>;

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };

function policyStatements(resource: string): Statement[] {
  const policies = committedTemplate.Resources[resource]?.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

const template = committedTemplate as unknown as Template;
const PARAMETERS = { SecurityAccountId: '999999999999', ExternalId: 'external-id-for-tests' };
const MEMBER_ACCOUNT = '210987654321';

/** Every remediation's declarations. */
const REMEDIATIONS: RemediationInfo[] = AUDITORS.flatMap((auditor) => Object.values(auditor.remediations));

type Resolved = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

/** The remediation role's statements as CloudFormation creates them at a RemediationLevel; undefined when no role is created. */
function remediationRoleAt(level: string): Resolved[] | undefined {
  const role = resolveTemplate(template, { ...PARAMETERS, RemediationLevel: level }, { account: MEMBER_ACCOUNT }).RemediationRole;
  if (!role) return undefined;
  const policies = role.Properties.Policies as unknown as { PolicyDocument: { Statement: Resolved[] } }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

function allowedActions(statements: Resolved[]): Set<string> {
  return new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()));
}

describe('member-account remediation role', () => {
  it.each([
    { level: 'none', risks: [] },
    { level: 'safe', risks: ['safe'] },
    { level: 'disruptive', risks: ['safe', 'disruptive'] },
  ])('at RemediationLevel $level allows exactly the actions of the $risks remediations', ({ level, risks }) => {
    const statements = remediationRoleAt(level);
    if (risks.length === 0) {
      expect(statements).toBeUndefined();
      return;
    }
    const expected = new Set(REMEDIATIONS.filter((r) => (risks as string[]).includes(r.risk)).flatMap((r) => r.permissions));
    expect(allowedActions(statements ?? [])).toEqual(expected);
  });

  it('at level safe, no action only a disruptive remediation needs is allowed', () => {
    const safe = new Set(REMEDIATIONS.filter((r) => r.risk === 'safe').flatMap((r) => r.permissions));
    const onlyDisruptive = REMEDIATIONS.filter((r) => r.risk === 'disruptive').flatMap((r) => r.permissions).filter((a) => !safe.has(a));
    expect(onlyDisruptive).toContain('iam:UpdateAssumeRolePolicy');
    const allowed = allowedActions(remediationRoleAt('safe') ?? []);
    expect(onlyDisruptive.filter((action) => allowed.has(action))).toEqual([]);
  });

  it.each(['safe', 'disruptive'])('at level %s, iam:PassRole is allowed only with iam:PassedToService naming the declared services', (level) => {
    const statements = remediationRoleAt(level) ?? [];
    const passing = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('iam:PassRole'));
    expect(passing.length).toBeGreaterThan(0);
    const services = new Set<unknown>();
    for (const statement of passing) {
      expect([statement.Action].flat()).toEqual(['iam:PassRole']);
      expect(Object.keys(statement.Condition ?? {})).toEqual(['StringEquals']);
      for (const service of [statement.Condition?.StringEquals?.['iam:PassedToService']].flat()) services.add(service);
    }
    const declared = REMEDIATIONS.filter((r) => (level === 'safe' ? r.risk === 'safe' : true) && r.permissions.includes('iam:PassRole')).flatMap((r) => r.passRoleTo ?? []);
    expect(declared).toEqual(expect.arrayContaining(['config.amazonaws.com', 'vpc-flow-logs.amazonaws.com']));
    expect(services).toEqual(new Set(declared));
  });

  it('a remediation with iam:PassRole but no passRoleTo stops the generation', () => {
    const auditor: Auditor = {
      ...(AUDITORS[0] as Auditor),
      remediations: { 'region.config_not_recording': { description: 'd', risk: 'safe', permissions: ['config:PutConfigurationRecorder', 'iam:PassRole'] } },
    };
    expect(() => remediationPermissionsByRisk([auditor])).toThrow(/region.config_not_recording.*passRoleTo/);
  });

  it.each(['safe', 'disruptive'])('at level %s, trust- and policy-changing IAM actions are denied on every one of the service\'s own roles', (level) => {
    const denies = (remediationRoleAt(level) ?? []).filter((s) => s.Effect === 'Deny');
    expect(denies).toHaveLength(1);
    const [deny] = denies;
    expect([deny?.Action].flat()).toEqual(expect.arrayContaining(['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:DeleteRolePolicy', 'iam:DeleteRole', 'iam:UpdateRole', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary']));
    expect([deny?.Action].flat()).toEqual([...ROLE_CHANGING_ACTIONS]);
    const arns = [deny?.Resource].flat();
    const config = makeConfig();
    const role = (name: string) => `arn:aws:iam::${MEMBER_ACCOUNT}:role/${name}`;
    expect(arns).toEqual(expect.arrayContaining([
      ...OWN_ROLE_KEYS.map((key) => role(config[key])),
      role('ComplianceAuditorMemberRole'),
      role('ComplianceAuditorRemediationRole'),
      role('GuardDutyEnrolmentRole'),
      role('compliance-auditor-event-forwarding'),
      role('compliance-auditor-*'),
      role('aws-service-role/*'),
    ]));
    // Every IAM role action a remediation may call on others' roles is among the denied ones.
    const roleWrites = [...allowedActions(remediationRoleAt(level) ?? [])].filter((a) => a.startsWith('iam:') && /Role/.test(a) && accessOf(a) === 'write');
    expect(roleWrites.filter((a) => !['iam:PassRole', 'iam:CreateServiceLinkedRole'].includes(a) && !(ROLE_CHANGING_ACTIONS as readonly string[]).includes(a))).toEqual([]);
  });
});

describe('member-account role sizes', () => {
  // The inline policies of a role may hold 10,240 non-whitespace characters in all: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  it.each(['MemberRole', 'RemediationRole'])('%s at RemediationLevel disruptive stays within the inline policy quota of a role', (name) => {
    const role = resolveTemplate(template, { ...PARAMETERS, RemediationLevel: 'disruptive' }, { account: MEMBER_ACCOUNT })[name];
    const policies = role?.Properties.Policies as unknown as { PolicyDocument: unknown }[];
    const size = policies.reduce((total, policy) => total + JSON.stringify(policy.PolicyDocument).replace(/\s/g, '').length, 0);
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThanOrEqual(10_240);
  });
});

describe('member-account stack', () => {
  it('the committed template and patterns are what the registry generates (npm run build:member-account)', () => {
    expect(committedTemplate).toEqual(JSON.parse(JSON.stringify(memberAccountTemplate(AUDITORS))));
    expect(committedPatterns).toEqual(JSON.parse(JSON.stringify(eventPatternsFile(AUDITORS))));
  });

  it('the audit role allows every list and collect action the auditors declare, each a read action, and one write: the Security Hub import', () => {
    const declared = new Set(AUDITORS.flatMap((a) => [...a.permissions.list, ...a.permissions.collect]));
    const statements = policyStatements('MemberRole') as (Statement & { Sid?: string })[];
    expect(statements.map((s) => [s.Sid, s.Effect])).toEqual([['AuditorReadActions', 'Allow'], ['ImportOwnFindingsToSecurityHub', 'Allow']]);
    const reads = [statements[0]?.Action ?? []].flat();
    expect(new Set(reads)).toEqual(declared);
    expect(reads.filter((action) => accessOf(action) !== 'read')).toEqual([]);
    const allowed = statements.flatMap((s) => [s.Action].flat());
    expect(allowed.filter((action) => accessOf(action) === 'write')).toEqual(['securityhub:BatchImportFindings']);
    for (const write of ['iam:PassRole', 'iam:UpdateAssumeRolePolicy', 's3:PutBucketAcl', 'ec2:StopInstances', 'securityhub:BatchUpdateFindings']) expect(allowed).not.toContain(write);
  });

  it('the audit role\'s one write, securityhub:BatchImportFindings, is allowed alone in its statement, on its own account\'s default product only', () => {
    const role = resolveTemplate(template, { ...PARAMETERS, RemediationLevel: 'none' }, { account: MEMBER_ACCOUNT }).MemberRole;
    const statements = (role?.Properties.Policies as unknown as { PolicyDocument: { Statement: Resolved[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
    const writing = statements.filter((s) => [s.Action].flat().some((action) => accessOf(action) === 'write'));
    expect(writing).toEqual([
      {
        Sid: 'ImportOwnFindingsToSecurityHub',
        Effect: 'Allow',
        Action: 'securityhub:BatchImportFindings',
        // Any region: the role is global; the account and the product are fixed (product/<account>/default).
        Resource: `arn:aws:securityhub:*:${MEMBER_ACCOUNT}:product/${MEMBER_ACCOUNT}/default`,
      },
    ]);
    expect(AUDIT_ROLE_FINDINGS_IMPORT.action).toBe(IMPORT_ACTION);
  });

  it.each([
    ['ec2:DescribeInstances', 'read'],
    ['s3:GetBucketAcl', 'read'],
    ['s3:ListAllMyBuckets', 'read'],
    ['inspector2:BatchGetAccountStatus', 'read'],
    ['s3:HeadBucket', 'read'],
    ['securityhub:GetFindings', 'read'],
    // The audit role's one write (a statement of its own, on its own default product ARN): still a write here.
    ['securityhub:BatchImportFindings', 'write'],
    ['securityhub:BatchUpdateFindings', 'write'],
    ['iam:PassRole', 'write'],
    ['iam:UpdateAssumeRolePolicy', 'write'],
    ['ec2:ModifyImageAttribute', 'write'],
    ['inspector2:Enable', 'write'],
    ['s3:Getaway', 'write'],
    ['ec2:Describe*', 'write'],
    ['*', 'write'],
    ['DescribeInstances', 'write'],
  ])('the action classifier: %s is %s', (action, access) => {
    expect(accessOf(action)).toBe(access);
  });

  it('refuses to generate an audit role holding a write action', () => {
    const [first] = AUDITORS;
    if (!first) throw new Error('no auditor registered');
    const writing: Auditor = { ...first, permissions: { list: first.permissions.list, collect: [...first.permissions.collect, 's3:PutBucketAcl'] } };
    expect(() => auditRoleActions([writing])).toThrow(/reads only.*s3:PutBucketAcl/);
  });

  it('both roles trust only the security account functions, with the ExternalId', () => {
    for (const role of ['MemberRole', 'RemediationRole']) {
      const trust = committedTemplate.Resources[role]?.Properties.AssumeRolePolicyDocument as { Statement: Statement[] };
      expect(trust.Statement).toHaveLength(1);
      const [statement] = trust.Statement;
      expect(statement?.Principal).toEqual({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${SecurityAccountId}:root' } });
      expect(statement?.Condition?.StringEquals?.['sts:ExternalId']).toEqual({ Ref: 'ExternalId' });
      expect(JSON.stringify(statement?.Condition?.ArnLike?.['aws:PrincipalArn'])).toContain(':role/${SecurityFunctionRolePrefix}*');
    }
  });

  it('no statement of any role allows a wildcard action', () => {
    const actions = JSON.stringify(committedTemplate.Resources).match(/"Action":(\[[^\]]*\]|"[^"]*")/g) ?? [];
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('IAM roles are created once (global region); forwarding rules in every region', () => {
    expect(committedTemplate.Resources.MemberRole?.Condition).toBe('CreateGlobalResources');
    expect(Object.keys(resolveTemplate(template, { ...PARAMETERS, RemediationLevel: 'disruptive' }, { region: 'eu-west-1' })).filter((name) => name.endsWith('Role'))).toEqual([]);
    expect(committedTemplate.Resources.EventForwardingRole?.Condition).toBe('CreateEventForwardingRole');
    const rules = Object.values(committedTemplate.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules.length).toBe(eventPatterns(AUDITORS).length);
    for (const rule of rules) expect(rule.Condition).toBe('ForwardEventsInThisRegion');
    expect(policyStatements('EventForwardingRole')).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:events:*:${SecurityAccountId}:event-bus/default' } },
    ]);
  });

  it('the EventBridge patterns, the translator table and the member template agree', () => {
    const table = buildTriggerTable(AUDITORS);
    const patterns = eventPatterns(AUDITORS);
    const matched = new Set<string>();
    for (const pattern of patterns) {
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(EVENT_PATTERN_LIMIT);
      for (const source of pattern.detail.eventSource) {
        expect(pattern.source).toContain(eventBridgeSource(source));
        for (const name of pattern.detail.eventName) if (table.has(`${source} ${name}`)) matched.add(`${source} ${name}`);
      }
    }
    expect([...matched].sort()).toEqual([...table.keys()].sort());
    const names = new Set(patterns.flatMap((p) => p.detail.eventName));
    expect(names).toEqual(new Set([...table.keys()].map((key) => key.split(' ')[1])));
    const templatePatterns = Object.values(committedTemplate.Resources).filter((r) => r.Type === 'AWS::Events::Rule').map((r) => r.Properties.EventPattern);
    expect(templatePatterns).toEqual(patterns);
  });

  it('serverless.yml and serverless-regional.yml subscribe the translator to every generated pattern', () => {
    for (const file of ['serverless.yml', 'serverless-regional.yml']) {
      const yaml = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      const referenced = [...yaml.matchAll(/event-patterns\.json\):(pattern\d+)/g)].map((m) => m[1]);
      expect(referenced.sort()).toEqual(Object.keys(committedPatterns).sort());
    }
  });
});
