import { describe, expect, it } from 'vitest';
import { GONE, defineAuditor, type Auditor, type CloudTrailTrigger } from '../../auditors/contract.ts';
import { AUDITORS } from '../../auditors/registry.ts';
import type { ResourceType } from '../../services/core/resourceTypes.ts';
import { EVENT_PATTERN_LIMIT, eventPatterns, type EventPattern } from '../../services/event-translator/eventPatterns.ts';
import { translateEvent } from '../../services/event-translator/translateEvent.ts';
import { buildTriggerTable, triggeredEvents } from '../../services/event-translator/triggerTable.ts';
import { ecsCreateCluster } from '../fixtures/cloudtrail/ecs.ts';
import { apiCall } from '../fixtures/cloudtrail/envelope.ts';
import { TRIGGER_FIXTURES, fixtureKey } from '../fixtures/cloudtrail/index.ts';
import * as ec2 from '../fixtures/cloudtrail/ec2.ts';
import * as s3 from '../fixtures/cloudtrail/s3.ts';

/**
 * EventBridge pattern matching for the subset the generated patterns use:
 * a leaf array of strings matches a value equal to one of them; an object
 * matches when each of its fields matches the event's field of that name.
 * Anything else (prefix, anything-but, numeric, exists...) is refused, so
 * a pattern that starts using it fails here instead of being half-checked.
 */
function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    if (!pattern.every((candidate) => typeof candidate === 'string')) throw new Error(`unsupported pattern syntax: ${JSON.stringify(pattern)}`);
    return typeof value === 'string' && pattern.includes(value);
  }
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof value !== 'object' || value === null) return false;
    return Object.entries(pattern).every(([key, sub]) => matchesPattern(sub, (value as Record<string, unknown>)[key]));
  }
  throw new Error(`unsupported pattern syntax: ${JSON.stringify(pattern)}`);
}

function matchingPatterns(patterns: readonly EventPattern[], event: unknown): EventPattern[] {
  return patterns.filter((pattern) => matchesPattern(pattern, event));
}

describe('the pattern matcher (the subset of EventBridge syntax the patterns use)', () => {
  const pattern = { source: ['aws.s3'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventSource: ['s3.amazonaws.com'], eventName: ['PutBucketAcl', 'PutBucketPolicy'] } };

  it('matches an event whose every field is one of the listed strings', () => {
    expect(matchesPattern(pattern, s3.putBucketPolicy)).toBe(true);
  });

  it('does not match when one field is not listed or is missing', () => {
    expect(matchesPattern(pattern, s3.createBucket)).toBe(false);
    expect(matchesPattern(pattern, { ...s3.putBucketPolicy, source: 'aws.ec2' })).toBe(false);
    expect(matchesPattern(pattern, { ...s3.putBucketPolicy, detail: undefined })).toBe(false);
  });

  it('refuses syntax it does not implement', () => {
    expect(() => matchesPattern({ detail: { eventName: [{ prefix: 'Put' }] } }, s3.putBucketPolicy)).toThrow(/unsupported pattern syntax/);
  });
});

describe('eventPatterns from the registry', () => {
  const patterns = eventPatterns(AUDITORS);

  it.each(TRIGGER_FIXTURES.map((event) => ({ name: fixtureKey(event), event })))('$name matches a generated pattern', ({ event }) => {
    expect(matchingPatterns(patterns, event).length).toBeGreaterThan(0);
  });

  it('every pattern is under EventBridge’s 2,048 characters', () => {
    for (const pattern of patterns) expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(EVENT_PATTERN_LIMIT);
  });

  it('a failed call matches too (the translator, not the rule, drops it)', () => {
    expect(matchingPatterns(patterns, ec2.runInstancesUnauthorized).length).toBeGreaterThan(0);
  });

  it('calls no auditor is triggered by match no pattern: read-only calls, an untriggered service’s same-named event', () => {
    const describeInstances = { ...ec2.startInstances, detail: { ...ec2.startInstances.detail, eventName: 'DescribeInstances', readOnly: true } };
    expect(matchingPatterns(patterns, describeInstances)).toEqual([]);
    // MSK's CreateCluster: a service no auditor is triggered by.
    const mskCreateCluster = { ...ecsCreateCluster, source: 'aws.kafka', detail: { ...ecsCreateCluster.detail, eventSource: 'kafka.amazonaws.com' } };
    expect(matchingPatterns(patterns, mskCreateCluster)).toEqual([]);
  });

  it('a pattern is a cross product of sources and names: a triggered service’s untriggered call named like another’s trigger (ECS CreateCluster, like Redshift’s) can match, and the translator skips it', () => {
    expect(matchingPatterns(patterns, ecsCreateCluster).length).toBeGreaterThan(0);
    expect(translateEvent(ecsCreateCluster, buildTriggerTable(AUDITORS))).toStrictEqual({ status: 'skipped', reason: 'no auditor is triggered by ecs.amazonaws.com CreateCluster' });
  });
});

/** An auditor that declares triggers and nothing else: enough for the patterns. */
function fakeAuditor(type: ResourceType, triggers: readonly CloudTrailTrigger[]): Auditor {
  return defineAuditor<Record<string, never>>({
    type,
    scope: 'regional',
    description: `synthetic ${type} auditor with ${triggers.length} trigger(s)`,
    permissions: { list: [], collect: [] },
    triggers,
    async *list() {
      yield* [];
    },
    collect: async () => GONE,
    checks: [],
    remediations: {},
  });
}

/** `PutResourceConfigurationVariant042`: names as long as real ones (ModifyDBClusterSnapshotAttribute is 32). */
function syntheticNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}ConfigurationVariant${String(i).padStart(3, '0')}`);
}

describe('eventPatterns for a registry with very many event names', () => {
  const triggers = {
    ec2: [{ eventSource: 'ec2.amazonaws.com', eventNames: syntheticNames('ModifyInstance', 150), idPath: 'requestParameters.instanceId' }],
    sqs: [{ eventSource: 'sqs.amazonaws.com', eventNames: syntheticNames('SetQueue', 40), idPath: 'requestParameters.queueUrl' }],
    rds: [
      { eventSource: 'rds.amazonaws.com', eventNames: syntheticNames('ModifyDBInstance', 30), idPath: 'requestParameters.dBInstanceIdentifier' },
      { eventSource: 'rds.amazonaws.com', eventNames: ['ModifyDBCluster'], idPath: 'requestParameters.dBClusterIdentifier' },
    ],
    iam: [{ eventSource: 'iam.amazonaws.com', eventNames: ['CreateRole'], idPath: 'requestParameters.roleName' }],
  } as const;
  const auditors = [
    fakeAuditor('ec2', triggers.ec2),
    fakeAuditor('sqs', triggers.sqs),
    fakeAuditor('rds', triggers.rds),
    fakeAuditor('iam_role', triggers.iam),
    // a second auditor on a source already seen: its names join the same source
    fakeAuditor('security_group', [{ eventSource: 'ec2.amazonaws.com', eventNames: ['AuthorizeSecurityGroupIngress'], idPath: 'requestParameters.groupId' }]),
  ];
  const declared = [...triggeredEvents(auditors)].flatMap(([source, names]) => names.map((name) => ({ source, name })));
  const patterns = eventPatterns(auditors);

  it('would not fit in one pattern', () => {
    const everything = { source: [], 'detail-type': [], detail: { eventSource: [...triggeredEvents(auditors).keys()], eventName: declared.map((d) => d.name) } };
    expect(JSON.stringify(everything).length).toBeGreaterThan(EVENT_PATTERN_LIMIT);
  });

  it('is split into several patterns, each under 2,048 characters', () => {
    expect(patterns.length).toBeGreaterThan(1);
    for (const pattern of patterns) expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(EVENT_PATTERN_LIMIT);
  });

  it('a service with more names than one pattern holds is split by name', () => {
    const withEc2 = patterns.filter((p) => p.detail.eventSource.includes('ec2.amazonaws.com'));
    expect(withEc2.length).toBeGreaterThan(1);
  });

  it('together the patterns cover every declared (eventSource, eventName)', () => {
    const uncovered = declared.filter(({ source, name }) => {
      const event = apiCall({
        id: '00000000-0000-4000-8000-000000000000',
        eventID: '00000000-0000-4000-8000-000000000001',
        requestID: '00000000-0000-4000-8000-000000000002',
        eventSource: source,
        eventName: name,
        eventTime: '2026-11-20T12:00:00Z',
        region: 'us-east-1',
        requestParameters: {},
        responseElements: null,
      });
      return matchingPatterns(patterns, event).length === 0;
    });
    expect(uncovered).toEqual([]);
  });

  it('every pattern is a CloudTrail API call pattern whose sources are the services it names', () => {
    for (const pattern of patterns) {
      expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
      expect(pattern.source).toEqual(pattern.detail.eventSource.map((source) => `aws.${source.split('.')[0]}`));
    }
  });
});
