/** The CLI's findings store: a JSON file read at start and written back whole; a bad file is a clear error. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../services/core/errors.ts';
import { FileFindingsStore } from '../../services/findings-store/fileFindingsStore.ts';
import { bucketFinding, BUCKET, FINDING_ID } from './records.ts';

const T1 = new Date('2026-11-20T02:00:00.000Z');
const T2 = new Date('2026-11-21T02:00:00.000Z');
const directory = mkdtempSync(join(tmpdir(), 'findings-store-'));

describe('FileFindingsStore', () => {
  it('a missing file is an empty store; saved records are read back by the next run, which sees no change', async () => {
    const path = join(directory, 'store.json');
    const first = new FileFindingsStore(path);
    const recorded = await first.record({ outcome: 'failing', finding: bucketFinding() }, T1);
    expect(recorded.transition).toBe('new');
    if (recorded.record) await first.markNotified(recorded.record, T1);
    first.save();

    const second = new FileFindingsStore(path);
    expect(await second.recordsOf({ account: '111111111111', region: 'us-east-1', type: 's3_bucket', id: BUCKET })).toMatchObject([{ findingId: FINDING_ID, status: 'open', version: 2 }]);
    expect((await second.record({ outcome: 'failing', finding: bucketFinding() }, T2)).transition).toBe('unchanged');
    expect((await second.record({ outcome: 'passing', findingId: FINDING_ID, because: 'the check passes now' }, T2)).transition).toBe('resolved');
    second.save();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ kind: 'findings-store', records: [{ findingId: FINDING_ID, status: 'resolved', lastTransition: 'resolved' }] });
  });

  it.each([
    ['not JSON', '{"kind": "findings-store", "records": [', /is not JSON/],
    ['another JSON document', '{"findings": []}', /is not a findings store written by this CLI: kind: /],
    ['a record with an unknown status', JSON.stringify({ kind: 'findings-store', records: [{ findingId: 'x', status: 'closed' }] }), /records\.0\./],
  ])('%s: a clear error naming the file', (_name, text, message) => {
    const path = join(directory, `bad-${_name.replace(/\W/g, '-')}.json`);
    writeFileSync(path, text);
    expect(() => new FileFindingsStore(path)).toThrow(ConfigError);
    expect(() => new FileFindingsStore(path)).toThrow(message);
    expect(() => new FileFindingsStore(path)).toThrow(path);
  });
});
