import { describe, expect, it } from 'vitest';
import { exceptionSchema, loadConfig, type RemediationException } from '../../services/core/config.ts';
import { expiryOf, matchingException, type ExceptionSubject } from '../../services/core/exceptions.ts';

const BUCKET: ExceptionSubject = { checkId: 's3_bucket.public_acl', account: '111111111111', type: 's3_bucket', id: 'marketing-site-prod' };
const NOW = new Date('2027-01-31T12:00:00Z');

describe('matchingException: configured exceptions', () => {
  it.each<[string, RemediationException, boolean]>([
    ['the exact id', { type: 's3_bucket', id: 'marketing-site-prod' }, true],
    ['a * wildcard', { type: 's3_bucket', id: 'marketing-*' }, true],
    ['a ? wildcard', { id: 'marketing-site-pro?' }, true],
    ['a wildcard must cover the whole id', { id: 'marketing' }, false],
    ['? is exactly one character', { id: 'marketing-site-pro??' }, false],
    ['dots and brackets are literal', { id: 'marketing.site-prod' }, false],
    ['another check', { checkId: 's3_bucket.public_policy', id: '*' }, false],
    ['an account x type', { account: '111111111111', type: 's3_bucket' }, true],
    ['another account', { account: '222222222222', type: 's3_bucket' }, false],
    ['a date that has not ended (valid through that day, UTC)', { id: 'marketing-site-prod', expires: '2027-01-31' }, true],
    ['a date that has ended', { id: 'marketing-site-prod', expires: '2027-01-30' }, false],
    ['a date-time still ahead', { id: 'marketing-site-prod', expires: '2027-01-31T12:00:01Z' }, true],
    ['a date-time reached', { id: 'marketing-site-prod', expires: '2027-01-31T12:00:00Z' }, false],
    ['a date-time with an offset, passed', { id: 'marketing-site-prod', expires: '2027-01-31T13:00:00+02:00' }, false],
  ])('%s', (_case, exception, matches) => {
    expect(matchingException(BUCKET, [exception], { now: NOW }) !== undefined).toBe(matches);
  });

  it('returns the reason of the first exception that applies', () => {
    const exceptions = [
      { id: 'marketing-*', expires: '2026-12-31', reason: 'expired waiver' },
      { id: 'marketing-*', reason: 'public website, ticket SEC-142' },
    ];
    expect(matchingException(BUCKET, exceptions, { now: NOW })).toEqual({ source: 'config', reason: 'public website, ticket SEC-142' });
  });

  it('a date expires at the end of that day, UTC', () => {
    expect(expiryOf('2027-01-31').toISOString()).toBe('2027-02-01T00:00:00.000Z');
  });
});

describe('matchingException: the tag form', () => {
  const tagged = (value: string): ExceptionSubject => ({ ...BUCKET, tags: { 'compliance-exception': value, owner: 'web' } });
  it.each<[string, string, string | undefined, boolean]>([
    ['the check id', 's3_bucket.public_acl', 'compliance-exception', true],
    ['* (every check)', '*', 'compliance-exception', true],
    ['several check ids, space-separated', 's3_bucket.public_policy s3_bucket.public_acl', 'compliance-exception', true],
    ['another check only', 's3_bucket.public_policy', 'compliance-exception', false],
    ['off unless a tag key is configured', '*', undefined, false],
    ['another configured key', '*', 'waiver', false],
  ])('%s', (_case, value, tagKey, matches) => {
    expect(matchingException(tagged(value), [], { now: NOW, ...(tagKey ? { tagKey } : {}) }) !== undefined).toBe(matches);
  });

  it('records the tag as the reason', () => {
    expect(matchingException(tagged('*'), [], { tagKey: 'compliance-exception' })).toEqual({ source: 'tag', reason: 'tagged compliance-exception=*' });
  });
});

describe('exception validation', () => {
  it.each(['2027-1-31', '31/01/2027', '2027-01-31T12:00:00', 'tomorrow', '2027-02-30T00:00:00Z'])('refuses expires %j, saying what it takes', (expires) => {
    const result = exceptionSchema.safeParse({ id: 'x', expires });
    expect(result.success).toBe(false);
  });

  it('EXCEPTIONS in the environment takes expires and wildcards; EXCEPTION_TAG_KEY turns the tag form on', () => {
    const config = loadConfig({ env: { EXCEPTIONS: '[{"id":"marketing-*","expires":"2027-03-31","reason":"campaign"}]', EXCEPTION_TAG_KEY: 'compliance-exception' } });
    expect(config.exceptions).toEqual([{ id: 'marketing-*', expires: '2027-03-31', reason: 'campaign' }]);
    expect(config.exceptionTagKey).toBe('compliance-exception');
  });
});
