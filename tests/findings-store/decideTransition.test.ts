/** Every transition of a finding, from a stored record (or none) and an observation. */
import { describe, expect, it } from 'vitest';
import { decideTransition, type LifecycleSettings } from '../../services/findings-store/decideTransition.ts';
import type { FindingRecord, Observation, Transition } from '../../services/findings-store/findingRecord.ts';
import { FINDING_ID, T0, bucketFinding, storedRecord } from './records.ts';

const SETTINGS: LifecycleSettings = { renotifyDays: 7, resolvedRetentionDays: 90 };
const NOW = new Date('2026-11-05T02:00:00.000Z');
const EIGHT_DAYS_LATER = new Date('2026-11-09T02:00:01.000Z');
const failing = (overrides: Parameters<typeof bucketFinding>[0] = {}): Observation => ({ outcome: 'failing', finding: bucketFinding(overrides) });
const passing: Observation = { outcome: 'passing', findingId: FINDING_ID, because: 'the check passes now' };

describe('decideTransition', () => {
  it.each<[string, FindingRecord | undefined, Observation, Date, Partial<LifecycleSettings>, Transition, Partial<FindingRecord> | undefined]>([
    ['first seen failing: new, open', undefined, failing(), NOW, {}, 'new', { status: 'open', firstSeen: NOW.toISOString(), lastChange: NOW.toISOString(), lastTransition: 'new', version: 1 }],
    ['first seen failing and excepted: new, excepted', undefined, failing({ remediation: 'excepted', remediationDetail: 'approved' }), NOW, {}, 'new', { status: 'excepted', version: 1 }],
    ['failing again, same remediation: unchanged (lastSeen moves, lastChange stays)', storedRecord(), failing(), NOW, {}, 'unchanged', { lastSeen: NOW.toISOString(), lastChange: T0, version: 4 }],
    ['failing again, the detail changed only: unchanged', storedRecord(), failing({ detail: 'ACL grants READ_ACP to AllUsers' }), NOW, {}, 'unchanged', { detail: 'ACL grants READ_ACP to AllUsers' }],
    ['failing, remediation planned -> applied: remediation_changed', storedRecord(), failing({ remediation: 'applied', remediationDetail: 'fixed' }), NOW, {}, 'remediation_changed', { lastRemediation: { status: 'applied', detail: 'fixed' }, lastChange: NOW.toISOString(), lastTransition: 'remediation_changed' }],
    ['failing, open -> excepted: remediation_changed', storedRecord(), failing({ remediation: 'excepted', remediationDetail: 'approved' }), NOW, {}, 'remediation_changed', { status: 'excepted' }],
    ['failing after resolved: reopened, no longer expiring', storedRecord({ status: 'resolved', lastTransition: 'resolved', expiresAt: 1_800_000_000 }), failing(), NOW, {}, 'reopened', { status: 'open', expiresAt: undefined, firstSeen: T0, lastTransition: 'reopened' }],
    ['passing, never failed: nothing to record', undefined, passing, NOW, {}, 'unchanged', undefined],
    ['passing, was open: resolved, expiring 90 days later', storedRecord(), passing, NOW, {}, 'resolved', { status: 'resolved', lastChange: NOW.toISOString(), lastTransition: 'resolved', expiresAt: NOW.getTime() / 1000 + 90 * 86_400, lastSeen: T0 }],
    ['passing, was excepted: resolved', storedRecord({ status: 'excepted' }), passing, NOW, {}, 'resolved', { status: 'resolved' }],
    ['passing, already resolved and notified: unchanged', storedRecord({ status: 'resolved', lastTransition: 'resolved' }), passing, NOW, {}, 'unchanged', undefined],
    ['open, last notified 8 days ago: digest', storedRecord(), failing(), EIGHT_DAYS_LATER, {}, 'digest', { lastChange: T0 }],
    ['open, last notified 8 days ago, renotifyDays 0: unchanged', storedRecord(), failing(), EIGHT_DAYS_LATER, { renotifyDays: 0 }, 'unchanged', {}],
    ['excepted, last notified 8 days ago: no digest', storedRecord({ status: 'excepted', lastRemediation: { status: 'excepted' } }), failing({ remediation: 'excepted' }), EIGHT_DAYS_LATER, {}, 'unchanged', {}],
    ['new but never notified (publish failed): new again', storedRecord({ lastNotified: undefined }), failing(), NOW, {}, 'new', { lastChange: T0 }],
    ['remediation_changed notified before the change: sent again', storedRecord({ lastTransition: 'remediation_changed', lastChange: '2026-11-02T02:00:00.000Z' }), failing(), NOW, {}, 'remediation_changed', {}],
    ['new, not yet notified, within the lease (another invocation is notifying it): unchanged', storedRecord({ lastNotified: undefined, lastChange: '2026-11-05T01:50:00.000Z' }), failing(), NOW, {}, 'unchanged', {}],
    ['resolved, never notified: resolved again', storedRecord({ status: 'resolved', lastTransition: 'resolved', lastChange: '2026-11-02T02:00:00.000Z' }), passing, NOW, {}, 'resolved', undefined],
  ])('%s', (_name, previous, observation, now, settings, transition, written) => {
    const decision = decideTransition(previous, observation, now, { ...SETTINGS, ...settings });
    expect(decision.transition).toBe(transition);
    if (written === undefined) {
      expect(decision.next).toBeUndefined();
      return;
    }
    // A field given as undefined must be absent from the written record.
    const absent = Object.entries(written).filter(([, value]) => value === undefined).map(([key]) => key);
    const present = Object.fromEntries(Object.entries(written).filter(([, value]) => value !== undefined));
    expect(decision.next).toMatchObject({ ...present, version: written.version ?? (previous?.version ?? 0) + 1 });
    for (const key of absent) expect(decision.next).not.toHaveProperty(key);
    expect(decision.record).toBe(decision.next);
  });
});
