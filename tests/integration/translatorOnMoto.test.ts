/**
 * The event path against moto: every mutating call the maker sends (recorded
 * by the SDK middleware of the pipeline's factory, gap moto-recorder-one-file)
 * becomes the CloudTrail event EventBridge would deliver, the real translator
 * turns the events into resource messages, and the remediator audits them
 * against moto: they reach the same resources, with the same findings, as the
 * poller does, except where a maker call has no trigger in our auditors
 * (listed below as data, with why). Accounts 250000000001-2 are this file's own.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUDITORS } from '../../auditors/registry.ts';
import type { MakerReport } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import type { ResourceType } from '../../services/core/resourceTypes.ts';
import { translateEvent, type Translation } from '../../services/event-translator/translateEvent.ts';
import { buildTriggerTable } from '../../services/event-translator/triggerTable.ts';
import type { CloudTrailApiCallEvent } from '../fixtures/cloudtrail/envelope.ts';
import { callerIdentity, cloudTrailEventOf } from './cloudTrailOfCall.ts';
import { motoGap } from './gaps.ts';
import { motoEnvironment } from './moto.ts';
import { findingsOf, motoPipeline, type MotoPipeline } from './motoPipeline.ts';

const ACCOUNTS = ['250000000001', '250000000002'] as const;
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const GAPS_MET = [motoGap('moto-recorder-one-file')];

interface UntriggeredCall {
  /** `eventSource eventName`, as CloudTrail records the maker's call. */
  event: string;
  why: string;
  /** A type whose resources this call alone makes non-compliant, so the event path misses them (a coverage gap of ours). */
  misses?: ResourceType;
}

/** Maker calls no auditor is triggered by: each is skipped by the translator, and this says why that is (or is not) fine. */
const UNTRIGGERED_MAKER_CALLS: readonly UntriggeredCall[] = [
  { event: 's3.amazonaws.com PutBucketTagging', why: 'tags alone: the same bucket is audited on CreateBucket and PutBucketPolicy; a later tag change waits for the nightly poll' },
  { event: 's3.amazonaws.com PutBucketOwnershipControls', why: 'object ownership is no check of ours; it only lets the later PutBucketAcl (triggered) take effect' },
  { event: 'rds.amazonaws.com CreateDBSnapshot', why: 'a new manual snapshot is private; sharing it is ModifyDBSnapshotAttribute (triggered)' },
  { event: 'iam.amazonaws.com CreatePolicy', why: 'a new policy is attached to nobody; AttachUserPolicy and AttachRolePolicy are triggered (CreatePolicyVersion on an attached policy is not: it names no user or role, and waits for the nightly poll)' },
  { event: 'iam.amazonaws.com CreateUser', why: 'a user with neither password nor key fails nothing; CreateLoginProfile and CreateAccessKey are triggered' },
  { event: 'elasticloadbalancing.amazonaws.com CreateTargetGroup', why: 'target groups are no audited type' },
  { event: 'ec2.amazonaws.com DeleteVolume', why: 'a deleted volume fails nothing (CreateVolume and AttachVolume are triggered)' },
  { event: 'ec2.amazonaws.com CreateSnapshot', why: 'a new snapshot is private; sharing it is ModifySnapshotAttribute (triggered)' },
  { event: 'ec2.amazonaws.com RegisterImage', why: 'a new AMI is private; sharing it is ModifyImageAttribute (triggered)' },
  { event: 'ec2.amazonaws.com CreateTags', why: "tags alone: the maker's VPC default group is reached by AuthorizeSecurityGroupEgress (triggered)" },
  { event: 'kms.amazonaws.com CreateAlias', why: 'an alias only names the key, which CreateKey (triggered) already audits' },
];
/**
 * Maker calls whose trigger audits something the maker did not make: the
 * translated messages of these types are left out of the comparisons with
 * the poll of test resources, which lists none of them.
 */
const AUDITS_BEYOND_THE_MAKER: readonly { event: string; type: ResourceType; why: string }[] = [
  { event: 'ec2.amazonaws.com CreateVpc', type: 'region', why: "a new VPC may lack flow logs: the region's audit (region.vpc_flow_logs_missing) is triggered, and the region is no test resource" },
];
const BEYOND_TYPES = new Set(AUDITS_BEYOND_THE_MAKER.map((a) => a.type));
/** Types a triggered call makes resources of without naming them: the event path misses those resources (a coverage gap of ours). */
const UNNAMED_BY_EVENTS: readonly { type: ResourceType; why: string }[] = [
  { type: 'ebs_volume', why: "RunInstances makes the instance's root volume, but its CloudTrail record names no volume id: ebs_volume.unencrypted on a root volume waits for the nightly poll" },
];
const MISSED_TYPES = new Set([...UNTRIGGERED_MAKER_CALLS.flatMap((c) => (c.misses ? [c.misses] : [])), ...UNNAMED_BY_EVENTS.map((u) => u.type)]);

/** Maker calls an auditor is triggered by that the translator skips as "not audited": the trigger's own reason. */
const NOT_AUDITED_MAKER_CALLS: readonly { event: string; why: string }[] = [
  {
    event: 'elasticloadbalancing.amazonaws.com CreateLoadBalancer',
    why: "Classic's (apiVersion 2012-06-01) is audited as elb; ELBv2's (2015-12-01) shares the source and name and is skipped: elbv2 is audited at CreateListener",
  },
];

const resourceKey = (m: { account: string; region: string; type: string; id: string }) => `${m.account} ${m.region} ${m.type} ${m.id}`;
const findingKey = (f: { account: string; region: string; checkId: string; id: string }) => `${f.account} ${f.region} ${f.checkId} ${f.id}`;
const eventKey = (event: CloudTrailApiCallEvent) => `${event.detail.eventSource} ${event.detail.eventName}`;

describe(`CloudTrail events of the maker's calls -> translator -> remediator on moto (integration; gaps met: ${GAPS_MET.map((g) => g.id).join(', ')})`, () => {
  let pipeline: MotoPipeline;
  let made: MakerReport[];
  let events: CloudTrailApiCallEvent[];
  let translations: { event: CloudTrailApiCallEvent; translation: Translation }[];
  let translated: ResourceMessage[];
  let polled: ResourceMessage[];

  beforeAll(async () => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
    // A dev account and a required tag the maker does not set: more checks to compare.
    pipeline = motoPipeline({ byRole: ACCOUNTS, regions: REGIONS, flags: { devAccounts: [ACCOUNTS[0]], requiredTags: ['cost-center'] } });
    made = await pipeline.make();
    const caller = (account: string) => callerIdentity(account, pipeline.config.memberRoleName);
    events = pipeline.factory.mutations.map((call) => cloudTrailEventOf(call, caller(call.account)));
    const table = buildTriggerTable(AUDITORS);
    translations = events.map((event) => ({ event, translation: translateEvent(event, table, { homeRegion: pipeline.config.homeRegion }) }));
    const unique = new Map<string, ResourceMessage>();
    for (const { translation } of translations) if (translation.status === 'messages') for (const { message } of translation.messages) unique.set(resourceKey(message), message);
    translated = [...unique.values()].filter((m) => !BEYOND_TYPES.has(m.type));
    // A listed call is a real one: its messages were there to leave out.
    for (const type of BEYOND_TYPES) expect([...unique.values()].some((m) => m.type === type)).toBe(true);
    polled = (await pipeline.poll()).messages;
  }, 120_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('the maker made every entry, and each of its calls succeeded and became one event', () => {
    expect(made.flatMap((r) => r.failed)).toEqual([]);
    expect(pipeline.factory.mutations.filter((call) => call.error !== undefined)).toEqual([]);
    expect(events.length).toBe(pipeline.factory.mutations.length);
  });

  it('the translator skips exactly the listed untriggered calls, and the listed not-audited ones, for that reason only', () => {
    const skipped = translations.flatMap(({ event, translation }) => (translation.status === 'skipped' ? [{ key: eventKey(event), reason: translation.reason }] : []));
    const notAudited = new Set(NOT_AUDITED_MAKER_CALLS.map((c) => c.event));
    const untriggered = skipped.filter(({ key }) => !notAudited.has(key));
    expect(untriggered.filter(({ key, reason }) => reason !== `no auditor is triggered by ${key}`)).toEqual([]);
    expect([...new Set(untriggered.map((s) => s.key))].sort()).toEqual(UNTRIGGERED_MAKER_CALLS.map((c) => c.event).sort());
    const skippedByTrigger = skipped.filter(({ key }) => notAudited.has(key));
    expect(skippedByTrigger.filter(({ key, reason }) => !reason.startsWith(`not audited: ${key.split(' ')[1] ?? ''} `))).toEqual([]);
    expect([...new Set(skippedByTrigger.map((s) => s.key))].sort()).toEqual([...notAudited].sort());
  });

  it('every resource the maker made is reached by an event, but for the listed coverage gaps', () => {
    const reached = new Set(translated.map((m) => `${m.account} ${m.type} ${m.id}`));
    const madeKeys = made.flatMap((r) => r.done.flatMap((d) => d.ids.filter((id) => !id.includes(':targetgroup/')).map((id) => ({ type: d.type, key: `${r.account} ${d.type} ${id}` }))));
    expect(madeKeys.filter((m) => !MISSED_TYPES.has(m.type as ResourceType) && !reached.has(m.key)).map((m) => m.key)).toEqual([]);
    // A listed gap is a real one: its type is made, and no event reaches what was made of it.
    for (const type of MISSED_TYPES) {
      expect(madeKeys.some((m) => m.type === type)).toBe(true);
      expect(madeKeys.filter((m) => m.type === type && reached.has(m.key))).toEqual([]);
    }
  });

  it('the translated messages name resources the poller lists, with the same id, account and region (but for the scratch volumes the maker deleted)', () => {
    const listed = new Set(polled.map(resourceKey));
    const deleted = new Set(pipeline.factory.mutations.filter((call) => call.command === 'DeleteVolume').map((call) => `${call.account} ${call.region} ebs_volume ${String(call.input.VolumeId)}`));
    expect(translated.length).toBeGreaterThan(0);
    expect(translated.map(resourceKey).filter((key) => !listed.has(key) && !deleted.has(key))).toEqual([]);
  });

  it('audited, the translated messages give exactly the findings the polled ones give, less the coverage gaps', async () => {
    const fromEvents = findingsOf(await pipeline.audit(translated, false));
    const fromPoll = findingsOf(await pipeline.audit(polled, false));
    // A listed coverage gap is a real one: the poll finds something of its type.
    for (const type of MISSED_TYPES) expect(fromPoll.some((f) => f.type === type)).toBe(true);
    expect(fromEvents.map(findingKey).sort()).toEqual(fromPoll.filter((f) => !MISSED_TYPES.has(f.type)).map(findingKey).sort());
  }, 120_000);
});
