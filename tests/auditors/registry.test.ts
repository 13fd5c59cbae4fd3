/** One meta-test over the whole registry: what every auditor must declare. */
import { describe, expect, it } from 'vitest';
import { AUDITORS, auditorFor } from '../../auditors/registry.ts';
import { SEVERITIES } from '../../services/core/findings.ts';
import { FRAMEWORKS, declaresFramework, isNoControl, malformedControls } from '../../services/core/frameworks.ts';
import { RESOURCE_TYPES } from '../../services/core/resourceTypes.ts';

const IAM_ACTION = /^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/;

describe('auditor registry', () => {
  it('has one auditor per type, each a known type', () => {
    const types = AUDITORS.map((a) => a.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) expect(RESOURCE_TYPES).toContain(type);
    for (const auditor of AUDITORS) expect(auditorFor(auditor.type)).toBe(auditor);
  });

  it('check ids are unique, stable "<type>.<name>" strings', () => {
    const ids = AUDITORS.flatMap((a) => a.checks.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const auditor of AUDITORS) {
      for (const check of auditor.checks) expect(check.id).toMatch(new RegExp(`^${auditor.type}\\.[a-z0-9_]+$`));
    }
  });

  describe.each(AUDITORS.map((a) => [a.type, a] as const))('%s', (_type, auditor) => {
    it('has checks with a title, a known severity and a rationale', () => {
      expect(auditor.checks.length).toBeGreaterThan(0);
      for (const check of auditor.checks) {
        expect(check.title.length).toBeGreaterThan(5);
        expect(SEVERITIES).toContain(check.severity);
        expect(check.rationale.length).toBeGreaterThan(20);
      }
    });

    it('declares framework controls only in their forms (FSBP "S3.2", CIS v3.0.0 "2.1.4"), each once, no empty list', () => {
      for (const check of auditor.checks) {
        expect(malformedControls(check.controls), check.id).toEqual([]);
        if (isNoControl(check.controls)) continue;
        for (const framework of FRAMEWORKS) {
          const ids = check.controls[framework];
          if (ids === undefined) continue;
          expect(ids.length, `${check.id} ${framework}`).toBeGreaterThan(0);
          expect(new Set(ids).size, `${check.id} ${framework}`).toBe(ids.length);
        }
        expect(Object.keys(check.controls).filter((key) => !(FRAMEWORKS as readonly string[]).includes(key)), check.id).toEqual([]);
      }
    });

    it('names at least one control of a framework, or says with { none: reason } why no control matches (never both)', () => {
      for (const check of auditor.checks) {
        const declared = FRAMEWORKS.filter((framework) => declaresFramework(check.controls, framework));
        if (isNoControl(check.controls)) {
          expect(check.controls.none.length, `${check.id}: the reason for no control`).toBeGreaterThan(20);
          expect(Object.keys(check.controls), check.id).toEqual(['none']);
        } else {
          expect(declared, `${check.id} declares no control and no { none: reason }`).not.toEqual([]);
        }
      }
    });

    it('declares the IAM actions its lister and collector call', () => {
      expect(auditor.permissions.list.length).toBeGreaterThan(0);
      expect(auditor.permissions.collect.length).toBeGreaterThan(0);
      for (const action of [...auditor.permissions.list, ...auditor.permissions.collect]) expect(action).toMatch(IAM_ACTION);
    });

    it('keys remediations by its own check ids, each with a description and its IAM actions', () => {
      const checkIds = auditor.checks.map((c) => c.id);
      for (const [checkId, remediation] of Object.entries(auditor.remediations)) {
        expect(checkIds).toContain(checkId);
        expect(remediation.description.length).toBeGreaterThan(10);
        expect(remediation.permissions.length).toBeGreaterThan(0);
        expect(['safe', 'disruptive']).toContain(remediation.risk);
        for (const action of remediation.permissions) expect(action).toMatch(IAM_ACTION);
      }
    });

    it('declares CloudTrail triggers with an event source, names and an id path', () => {
      expect(auditor.triggers.length).toBeGreaterThan(0);
      for (const trigger of auditor.triggers) {
        expect(trigger.eventSource).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
        expect(trigger.eventNames.length).toBeGreaterThan(0);
        // region (id ""): every event of the control's services names no resource; the id comes from transformId.
        if (auditor.type === 'region') expect([trigger.idPath, trigger.transformId?.('any', {})]).toEqual(['eventName', '']);
        else expect(trigger.idPath).toMatch(/^(requestParameters|responseElements)\./);
        expect(trigger.delaySeconds ?? 0).toBeLessThanOrEqual(900);
      }
    });
  });

  // One event may name a resource in two places (a rename's old and new name; a group by id or, in the response, by rule): one trigger each.
  it('no CloudTrail event is claimed twice for the same type and id path', () => {
    const keys = AUDITORS.flatMap((a) => a.triggers.flatMap((t) => t.eventNames.map((name) => `${a.type}:${t.eventSource}:${name}:${t.idPath}`)));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
