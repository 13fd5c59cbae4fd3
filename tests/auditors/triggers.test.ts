/** The SDK-free trigger index (auditors/triggers) is the registry's, so the translator and the auditors cannot drift. */
import { describe, expect, it } from 'vitest';
import { REGION_CONTROLS } from '../../auditors/region/index.ts';
import { AUDITORS } from '../../auditors/registry.ts';
import { TRIGGER_DECLARATIONS, TRIGGERS_BY_TYPE } from '../../auditors/triggers/index.ts';
import { REGION_CONTROL_TRIGGERS, regionTriggers } from '../../auditors/triggers/region.ts';

describe('the trigger index', () => {
  it('lists the registered types, in the registry order', () => {
    expect(Object.keys(TRIGGERS_BY_TYPE)).toEqual(AUDITORS.map((auditor) => auditor.type));
    expect(TRIGGER_DECLARATIONS.map((declaration) => declaration.type)).toEqual(AUDITORS.map((auditor) => auditor.type));
  });

  it.each(AUDITORS.map((auditor) => [auditor.type, auditor] as const))('%s: the auditor declares the index triggers and scope', (type, auditor) => {
    expect(auditor.triggers).toBe(TRIGGERS_BY_TYPE[type].triggers);
    expect(auditor.scope).toBe(TRIGGERS_BY_TYPE[type].scope);
  });
});

describe('the region posture controls triggers', () => {
  it('are each control own, in the controls order, account-level where the control is', () => {
    const fromControls = REGION_CONTROLS.flatMap(({ control }) =>
      control.triggers.map((trigger) => ({ eventSource: trigger.eventSource, eventNames: trigger.eventNames, accountLevel: control.level === 'account' })),
    );
    const declared = regionTriggers.map((trigger) => ({ eventSource: trigger.eventSource, eventNames: trigger.eventNames, accountLevel: trigger.accountLevel === true }));
    expect(declared).toEqual(fromControls);
    expect(Object.keys(REGION_CONTROL_TRIGGERS)).toHaveLength(REGION_CONTROLS.length);
  });

  it('audit the region under the id "" whatever the event', () => {
    for (const trigger of regionTriggers) {
      expect(trigger.idPath).toBe('eventName');
      expect(trigger.transformId?.('StopLogging', {})).toBe('');
    }
  });
});
