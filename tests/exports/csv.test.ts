/** toCsv: RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180), the JSON lines' fields as columns. */
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, toCsv } from '../../services/exports/csv.ts';
import { exportedFinding } from './fixtures.ts';

/** An RFC 4180 reader, for the round trip: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += char;
  }
  return rows;
}

describe('toCsv', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
  ])('field %j -> %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('a fixed header, then one CRLF row per finding, every field round-trips', () => {
    const tricky = exportedFinding({ findingId: 'b'.repeat(32), detail: 'statement "Public", allows\ns3:GetObject', remediation: 'failed', remediationDetail: 'AccessDenied, retry' });
    const plain = exportedFinding({ controls: undefined });
    const text = toCsv([plain, tricky]);
    expect(text.startsWith('findingId,checkId,title,severity,account,region,type,id,detail,remediation,remediationDetail,controls,status,firstSeen,lastSeen\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    const record = (row: string[] | undefined) => Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, row?.[i]]));
    expect(record(rows[1])).toEqual({ ...tricky, controls: 'FSBP S3.2; FSBP S3.3; CIS 2.1.4' });
    expect(record(rows[0])).toEqual({ ...plain, controls: '', remediationDetail: '' });
  });

  it('no findings: the header alone', () => {
    expect(toCsv([])).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});
