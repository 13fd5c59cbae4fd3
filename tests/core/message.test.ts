import { describe, expect, it } from 'vitest';
import { InvalidMessageError } from '../../services/core/errors.ts';
import { MAX_ID_LENGTH, formatResourceMessage, parseResourceMessage } from '../../services/core/message.ts';

const GOOD = { account: '123456789012', region: 'us-east-1', type: 's3_bucket', id: 'my-bucket' };

describe('resource message', () => {
  it('accepts a valid message and round-trips through formatResourceMessage', () => {
    const { message, ignoredFields } = parseResourceMessage(JSON.stringify(GOOD));
    expect(message).toEqual(GOOD);
    expect(ignoredFields).toEqual([]);
    expect(JSON.parse(formatResourceMessage(message))).toEqual(GOOD);
  });

  it('accepts the region type with an empty id', () => {
    expect(parseResourceMessage(JSON.stringify({ ...GOOD, type: 'region', id: '' })).message.id).toBe('');
  });

  it('ignores extra fields and names them', () => {
    const { message, ignoredFields } = parseResourceMessage(JSON.stringify({ ...GOOD, source: 'event', extra: 1 }));
    expect(message).toEqual(GOOD);
    expect(ignoredFields).toEqual(['source', 'extra']);
  });

  it.each([
    ['non-JSON body', 'not json at all', 'body is not JSON'],
    ['truncated JSON', '{"account":"1234', 'body is not JSON'],
    ['a JSON array', '[1,2]', 'message must be a JSON object, got an array'],
    ['a JSON string', '"s3_bucket"', 'message must be a JSON object, got string'],
    ['JSON null', 'null', 'message must be a JSON object, got null'],
    ['missing account', JSON.stringify({ ...GOOD, account: undefined }), 'account: is required'],
    ['missing id', JSON.stringify({ ...GOOD, id: undefined }), 'id: is required'],
    ['account not 12 digits', JSON.stringify({ ...GOOD, account: '12345' }), 'account: must be a 12-digit AWS account id (got "12345")'],
    ['account as a number', JSON.stringify({ ...GOOD, account: 123456789012 }), 'account: '],
    ['account with letters', JSON.stringify({ ...GOOD, account: '12345678901a' }), 'account: must be a 12-digit AWS account id'],
    ['unknown region', JSON.stringify({ ...GOOD, region: 'mars-north-1' }), 'region: is not a known AWS region (got "mars-north-1")'],
    ['unknown type', JSON.stringify({ ...GOOD, type: 'kinesis_stream' }), 'type: must be one of'],
    ['oversized id', JSON.stringify({ ...GOOD, id: 'b'.repeat(MAX_ID_LENGTH + 1) }), `id: must be at most ${MAX_ID_LENGTH} characters`],
    ['empty id', JSON.stringify({ ...GOOD, id: '' }), 'id: must be "" for type region and non-empty'],
    ['region type with an id', JSON.stringify({ ...GOOD, type: 'region', id: 'x' }), 'id: must be "" for type region'],
  ])('rejects %s with a clear error', (_name, body, expected) => {
    expect(() => parseResourceMessage(body)).toThrow(InvalidMessageError);
    expect(() => parseResourceMessage(body)).toThrow(expected);
  });
});
