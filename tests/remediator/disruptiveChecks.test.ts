/**
 * Issue 12, done when: `disruptive` remediations do nothing with
 * `remediate=true` alone, one test per disruptive check (the table is the
 * registry's, so a new disruptive check is covered, or fails loudly when
 * nothing provokes it). Each check is provoked in a fresh sandbox and its
 * resource audited through the remediator's auditResource:
 * - remediate=true, every other check skipped: `planned`, "disruptive: ...",
 *   and not one mutating call;
 * - remediate=true alone (the safe remediations of the resource run): still `planned`;
 * - remediateChecks naming it: `applied`, with at least one mutating call;
 *   a second such run makes none.
 * And the same table for `safe` checks: remediate=true applies them (with
 * its enablement switch where the remediation has one, as region controls
 * do), unless skipChecks names them.
 */
import { describe, expect, it } from 'vitest';
import { checkIdsWithRisk } from '../../auditors/registry.ts';
import type { AuditUnderFlags } from '../helpers/provokedCheck.ts';
import { provokeCheck, remediableCheckIds } from '../helpers/provokedCheck.ts';

const DISRUPTIVE = checkIdsWithRisk('disruptive');
const SAFE = checkIdsWithRisk('safe');

function everyCheckBut(checkId: string): string[] {
  return remediableCheckIds().filter((id) => id !== checkId);
}

/** What a finding's remediation came to, and the mutating calls, as one readable line each. */
function outcomeOf(audited: AuditUnderFlags): { remediation?: string; detail?: string; mutations: string[] } {
  return {
    ...(audited.finding ? { remediation: audited.finding.remediation, detail: audited.finding.remediationDetail } : {}),
    mutations: audited.mutations.map((call) => `${call.client} ${call.command}`),
  };
}

describe('disruptive remediations run only when remediateChecks names them (sandbox)', () => {
  it('the registry has disruptive checks to prove', () => {
    expect(DISRUPTIVE.length).toBeGreaterThan(0);
  });

  it.each(DISRUPTIVE)('%s: remediate=true without remediateChecks plans it, with not one mutating call', async (checkId) => {
    const provoked = await provokeCheck(checkId);

    // Every other check skipped, so that any mutating call would be this check's.
    const held = await provoked.audit({ remediate: true, skipChecks: everyCheckBut(checkId) });
    const alone = await provoked.audit({ remediate: true });

    expect(outcomeOf(held)).toEqual({ remediation: 'planned', detail: `disruptive: runs only when remediateChecks lists ${checkId}`, mutations: [] });
    expect(alone.finding).toMatchObject({ remediation: 'planned', remediationDetail: `disruptive: runs only when remediateChecks lists ${checkId}` });
  });

  it.each(DISRUPTIVE)('%s: named in remediateChecks, it is applied, and a second run changes nothing', async (checkId) => {
    const provoked = await provokeCheck(checkId);
    const optIn = { remediate: true, remediateChecks: [checkId], skipChecks: everyCheckBut(checkId) };

    const opted = await provoked.audit(optIn);
    const again = await provoked.audit(optIn);

    expect(opted.finding).toMatchObject({ remediation: 'applied' });
    expect(opted.mutations.length).toBeGreaterThan(0);
    expect(outcomeOf(again).mutations).toEqual([]);
    expect(again.finding?.remediation).not.toBe('applied');
  });
});

describe('safe remediations run with remediate=true, unless skipChecks names them (sandbox)', () => {
  it('the registry has safe checks to prove', () => {
    expect(SAFE.length).toBeGreaterThan(0);
  });

  it.each(SAFE)('%s: skipped it changes nothing; remediate=true applies it; a second run changes nothing', async (checkId) => {
    const provoked = await provokeCheck(checkId);
    // Every other check skipped, so that each mutating call is this check's.
    const others = { remediate: true, skipChecks: everyCheckBut(checkId) };

    const skipped = await provoked.audit({ ...others, skipChecks: [...others.skipChecks, checkId] });
    const applied = await provoked.audit(others);
    const again = await provoked.audit(others);

    expect(outcomeOf(skipped)).toEqual({ remediation: 'planned', detail: 'skipChecks lists this check', mutations: [] });
    expect(applied.finding).toMatchObject({ remediation: 'applied' });
    expect(applied.mutations.length).toBeGreaterThan(0);
    expect(outcomeOf(again).mutations).toEqual([]);
    expect(again.finding?.remediation).not.toBe('applied');
  });
});
