/**
 * The `region` auditor (account and region posture) against moto, in a
 * fresh account reached by AssumeRole, with every control required and
 * every enablement switched on: the poller lists one message per region,
 * the dry run finds every control off, --remediate switches on what moto
 * lets it, and a second --remediate makes no mutating call. Where moto
 * cannot answer a control, the table below names the gap and expects the
 * control to stay unknown (a finding, never a silent pass).
 * Account 280000000003 is this file's own.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ResourceMessage } from '../../services/core/message.ts';
import { everyPostureControlOn } from '../fixtures/regionPosture.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { motoGap, type MotoGap } from './gaps.ts';
import { motoEnvironment } from './moto.ts';
import { findingsOf, motoPipeline, type MotoPipeline } from './motoPipeline.ts';

const ACCOUNT = '280000000003';
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const [HOME] = REGIONS;
const BUCKETS = { trail: `posture-trail-${ACCOUNT}`, config: `posture-config-${ACCOUNT}`, flowLogs: `posture-flowlogs-${ACCOUNT}` };

interface ControlRow {
  checkId: string;
  /** Account-level controls are judged in the home region only. */
  accountLevel: boolean;
  /** After --remediate: fixed, kept (no enablement: notify-only), or kept because of a moto gap. */
  after: 'fixed' | 'notify-only' | MotoGap;
}

const CONTROLS: readonly ControlRow[] = [
  { checkId: 'region.guardduty_not_enrolled', accountLevel: false, after: 'fixed' },
  { checkId: 'region.config_not_recording', accountLevel: false, after: 'fixed' },
  { checkId: 'region.cloudtrail_not_logging', accountLevel: false, after: 'fixed' },
  { checkId: 'region.vpc_flow_logs_missing', accountLevel: false, after: 'fixed' },
  { checkId: 'region.ebs_default_encryption_off', accountLevel: false, after: 'fixed' },
  { checkId: 'region.securityhub_off', accountLevel: false, after: motoGap('moto-securityhub-standards-missing') },
  { checkId: 'region.macie_off', accountLevel: false, after: motoGap('moto-macie-naive-dates') },
  { checkId: 'region.inspector_off', accountLevel: false, after: 'fixed' },
  { checkId: 'region.auditmanager_off', accountLevel: false, after: motoGap('moto-no-audit-manager') },
  { checkId: 'region.root_mfa_off', accountLevel: true, after: 'notify-only' },
  { checkId: 'region.password_policy_weak', accountLevel: true, after: 'fixed' },
  { checkId: 'region.s3_account_public_access_block_off', accountLevel: true, after: 'fixed' },
];
/** Controls moto cannot read at all: unknown from the start, so no remediation is ever planned. */
const UNREADABLE = new Set(['region.macie_off', 'region.auditmanager_off']);
const GAPS_MET = [
  motoGap('moto-config-service-linked-role-name'),
  ...CONTROLS.flatMap((row) => (typeof row.after === 'object' ? [row.after] : [])),
];

const key = (f: { region: string; checkId: string }) => `${f.region} ${f.checkId}`;
const expectedKeys = (rows: readonly ControlRow[]) => rows.flatMap((row) => REGIONS.filter((r) => r === HOME || !row.accountLevel).map((region) => key({ region, checkId: row.checkId }))).sort();

describe(`region posture on moto, every control required and every enablement on (integration; gaps met: ${GAPS_MET.map((g) => g.id).join(', ')})`, () => {
  let pipeline: MotoPipeline;
  let messages: ResourceMessage[];

  beforeAll(async () => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
    pipeline = motoPipeline({
      byRole: [ACCOUNT],
      regions: REGIONS,
      flags: {
        ...everyPostureControlOn(BUCKETS),
        configRecorderRoleArn: `arn:aws:iam::${ACCOUNT}:role/config-recorder`,
      },
    });
    const s3 = pipeline.factory.forAccount(ACCOUNT, HOME).get(S3Client);
    for (const bucket of Object.values(BUCKETS)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    messages = [];
    await pollUnits(unitsOf([ACCOUNT], REGIONS), { config: pipeline.config, factory: pipeline.factory, log: pipeline.log, types: ['region'] }, async (batch) => {
      messages.push(...batch);
    });
  }, 120_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('the poller lists one region message per region', () => {
    expect(messages.map((m) => `${m.account} ${m.region} ${m.type} "${m.id}"`).sort()).toEqual(REGIONS.map((r) => `${ACCOUNT} ${r} region ""`).sort());
  });

  it('dry run: every required control is off (or unknown where moto cannot read it), each remediation planned unless unreadable', async () => {
    const findings = findingsOf(await pipeline.audit(messages, false));
    expect(findings.map(key).sort()).toEqual(expectedKeys(CONTROLS));
    const wrong = findings.filter((f) => {
      if (f.checkId === 'region.root_mfa_off' || UNREADABLE.has(f.checkId)) return f.remediation !== 'none';
      return f.remediation !== 'planned';
    });
    expect(wrong.map((f) => `${key(f)} ${f.remediation}`)).toEqual([]);
    expect(findings.filter((f) => UNREADABLE.has(f.checkId)).every((f) => f.detail?.startsWith('unknown:'))).toBe(true);
  }, 120_000);

  it('--remediate switches on what moto lets it; what stays is notify-only or a named moto gap; a second run makes no mutating call', async () => {
    const first = findingsOf(await pipeline.audit(messages, true));
    const failed = first.filter((f) => f.remediation === 'failed').map(key).sort();
    // EnableSecurityHub succeeds; its BatchEnableStandards does not exist on moto.
    expect(failed).toEqual(expectedKeys(CONTROLS.filter((row) => row.checkId === 'region.securityhub_off')));

    const after = findingsOf(await pipeline.audit(messages, false));
    expect(after.map(key).sort()).toEqual(expectedKeys(CONTROLS.filter((row) => row.after !== 'fixed')));

    const before = pipeline.factory.mutations.length;
    await pipeline.audit(messages, true);
    expect(pipeline.factory.mutations.slice(before).map((m) => `${m.region} ${m.command}`)).toEqual([]);
  }, 120_000);
});
