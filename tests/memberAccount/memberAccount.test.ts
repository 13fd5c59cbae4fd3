import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDITORS } from '../../auditors/registry.ts';
import { eventPatternsFile, memberAccountTemplate } from '../../member-account/memberAccountTemplate.ts';
import { memberRoleActions } from '../../member-account/memberPermissions.ts';
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

describe('member-account stack', () => {
  it('the committed template and patterns are what the registry generates (npm run build:member-account)', () => {
    expect(committedTemplate).toEqual(JSON.parse(JSON.stringify(memberAccountTemplate(AUDITORS))));
    expect(committedPatterns).toEqual(JSON.parse(JSON.stringify(eventPatternsFile(AUDITORS))));
  });

  it('the member role allows every action the auditors declare and nothing else, with no wildcard action', () => {
    const declared = new Set(AUDITORS.flatMap((a) => [...a.permissions.list, ...a.permissions.collect, ...Object.values(a.remediations).flatMap((r) => r.permissions)]));
    const allowed = policyStatements('MemberRole').flatMap((s) => [s.Action].flat());
    expect(new Set(allowed)).toEqual(declared);
    expect(allowed).toEqual(memberRoleActions(AUDITORS));
    expect(allowed.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('the member role trusts only the security account functions, with the ExternalId', () => {
    const trust = committedTemplate.Resources.MemberRole?.Properties.AssumeRolePolicyDocument as { Statement: Statement[] };
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(statement?.Principal).toEqual({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${SecurityAccountId}:root' } });
    expect(statement?.Condition?.StringEquals?.['sts:ExternalId']).toEqual({ Ref: 'ExternalId' });
    expect(JSON.stringify(statement?.Condition?.ArnLike?.['aws:PrincipalArn'])).toContain(':role/${SecurityFunctionRolePrefix}*');
  });

  it('IAM roles are created once (global region); forwarding rules in every region', () => {
    expect(committedTemplate.Resources.MemberRole?.Condition).toBe('CreateGlobalResources');
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
