/**
 * The findings store on moto's DynamoDB (table of this file's own, as
 * serverless.yml declares it): concurrent remediators recording the same
 * finding never lose a transition nor record one twice. Each invocation's
 * read is held until every invocation has read, so all decide on the same
 * version; the conditional put makes all but one re-read and decide again.
 * Writes reach moto one at a time: motoGap('moto-dynamodb-put-race').
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingIdOf } from '../../services/core/findings.ts';
import { NOTIFY_LEASE_MS } from '../../services/findings-store/decideTransition.ts';
import { DynamoFindingsStore } from '../../services/findings-store/dynamoFindingsStore.ts';
import type { FindingRecord, Observation } from '../../services/findings-store/findingRecord.ts';
import { bucketFinding, BUCKET } from '../findings-store/records.ts';
import { motoGap } from './gaps.ts';
import { createFindingsTable } from './motoFindingsTable.ts';
import { motoEndpoint } from './moto.ts';

const TABLE = 'findings-store-on-moto';
const GAP = motoGap('moto-dynamodb-put-race');
const T1 = new Date('2026-11-20T02:00:00.000Z');
const T2 = new Date('2026-11-21T02:00:00.000Z');

function motoDynamo(): DynamoDBClient {
  return new DynamoDBClient({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

/** Opens when `count` reads have arrived: every invocation then decides on what it read. */
function gate(count: number): { arrive(): Promise<void> } {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    arrive() {
      arrived += 1;
      if (arrived >= count) open();
      return opened;
    },
  };
}

/** One remediator invocation's store: the first read waits at the gate; writes queue on one shared line (the gap). */
class Invocation extends DynamoFindingsStore {
  reads = 0;
  constructor(client: DynamoDBClient, private readonly gate: { arrive(): Promise<void> }, private readonly line: { last: Promise<unknown> }) {
    super(client, TABLE);
  }

  protected override async read(findingId: string): Promise<FindingRecord | undefined> {
    const record = await super.read(findingId);
    this.reads += 1;
    if (this.reads === 1) await this.gate.arrive();
    return record;
  }

  protected override write(record: FindingRecord, readVersion: number | undefined): Promise<boolean> {
    const next = this.line.last.then(() => super.write(record, readVersion));
    this.line.last = next.catch(() => undefined);
    return next;
  }
}

function invocations(client: DynamoDBClient, count: number): Invocation[] {
  const shared = gate(count);
  const line = { last: Promise.resolve() as Promise<unknown> };
  return Array.from({ length: count }, () => new Invocation(client, shared, line));
}

async function versionOf(client: DynamoDBClient, findingId: string): Promise<string | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { findingId: { S: findingId } }, ConsistentRead: true }));
  return Item?.version?.N;
}

describe('DynamoFindingsStore on moto: concurrent remediators', () => {
  let client: DynamoDBClient;

  beforeAll(async () => {
    expect(GAP.workaround.test).toBe('tests/integration/findingsStoreOnMoto.test.ts');
    client = motoDynamo();
    await createFindingsTable(client, TABLE);
  });

  it('8 invocations see the same new finding at once: exactly one records it as new, the others re-read and find it unchanged', async () => {
    const finding = bucketFinding({ findingId: findingIdOf('s3_bucket.public_acl', '111111111111', 'us-east-1', 'bucket-seen-by-eight'), id: 'bucket-seen-by-eight' });
    const stores = invocations(client, 8);
    const results = await Promise.all(stores.map((store) => store.record({ outcome: 'failing', finding }, T1)));
    expect(results.map((r) => r.transition).sort()).toEqual(['new', ...Array<string>(7).fill('unchanged')]);
    expect(await versionOf(client, finding.findingId)).toBe('8');
    // Every invocation but the winner lost at least one write and read again.
    expect(stores.filter((store) => store.reads > 1)).toHaveLength(7);
  });

  it('one invocation sees the fix applied while another sees the check pass: both transitions are recorded, in one order or the other', async () => {
    const finding = bucketFinding();
    const [setup] = invocations(client, 1);
    expect((await setup?.record({ outcome: 'failing', finding }, T1))?.transition).toBe('new');
    if (!setup) throw new Error('no store');

    const [applying, passing] = invocations(client, 2);
    if (!applying || !passing) throw new Error('no stores');
    const observations: [Observation, Observation] = [
      { outcome: 'failing', finding: { ...finding, remediation: 'applied', remediationDetail: 'fixed' } },
      { outcome: 'passing', findingId: finding.findingId, because: 'the check passes now' },
    ];
    const [applied, resolved] = await Promise.all([applying.record(observations[0], T2), passing.record(observations[1], T2)]);
    const transitions = [applied.transition, resolved.transition];
    // Applied first: remediation_changed then resolved. Resolved first: resolved then reopened. Never unchanged.
    expect([['remediation_changed', 'resolved'], ['reopened', 'resolved']]).toContainEqual(transitions);
    expect(await versionOf(client, finding.findingId)).toBe('3');
    expect(applying.reads + passing.reads).toBe(3);

    const records = await setup.recordsOf({ account: '111111111111', region: 'us-east-1', type: 's3_bucket', id: BUCKET });
    expect(records.map((r) => [r.findingId, r.status, r.version])).toEqual([[finding.findingId, applied.transition === 'reopened' ? 'open' : 'resolved', 3]]);
  });

  it('a resolved record carries its TTL (expiresAt, epoch seconds, 90 days on); markNotified is conditional on the version', async () => {
    const finding = bucketFinding({ findingId: findingIdOf('s3_bucket.public_acl', '111111111111', 'us-east-1', 'bucket-resolved'), id: 'bucket-resolved' });
    const store = new DynamoFindingsStore(client, TABLE);
    const opened = await store.record({ outcome: 'failing', finding }, T1);
    if (!opened.record) throw new Error('no record');
    await store.markNotified(opened.record, T1);
    const resolved = await store.record({ outcome: 'passing', findingId: finding.findingId, because: 'the check passes now' }, T2);
    expect(resolved.transition).toBe('resolved');
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { findingId: { S: finding.findingId } }, ConsistentRead: true }));
    expect(Item?.expiresAt).toEqual({ N: String(T2.getTime() / 1000 + 90 * 86_400) });
    expect(Item?.status).toEqual({ S: 'resolved' });
    // A stale markNotified (the version it names was overwritten) writes nothing.
    await store.markNotified(opened.record, T2);
    expect(await versionOf(client, finding.findingId)).toBe('3');
    // Its resolution was never marked notified: within the lease it is left to its writer, after it it is sent again.
    expect((await store.record({ outcome: 'passing', findingId: finding.findingId, because: 'the check passes now' }, T2)).transition).toBe('unchanged');
    expect((await store.record({ outcome: 'passing', findingId: finding.findingId, because: 'the check passes now' }, new Date(T2.getTime() + NOTIFY_LEASE_MS))).transition).toBe('resolved');
  });
});
