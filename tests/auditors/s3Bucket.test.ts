import {
  DeleteBucketPolicyCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { s3BucketAuditor } from '../../auditors/s3Bucket.ts';
import { awsError, collectAll, makeCheckContext, makeConfig, makeListContext, makeResourceContext } from '../helpers/context.ts';
import {
  ALL_FLAGS_ON,
  ALL_USERS_READ,
  AUTHENTICATED_USERS_READ_ACP,
  LOG_DELIVERY_GRANT,
  OWNER,
  OWNER_GRANT,
  crossAccountRead,
  policy,
  publicRead,
  tlsDeny,
} from '../fixtures/s3.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const s3 = mockClient(S3Client);
const BUCKET = 'acme-logs-prod';

interface BucketFixture {
  policy?: string;
  grants?: readonly (typeof OWNER_GRANT)[];
  block?: Partial<typeof ALL_FLAGS_ON>;
  tags?: { Key: string; Value: string }[];
  /** GetBucketPolicyStatus: IsPublic, or the error it raises; unset: AccessDenied (S3 does not answer). */
  policyStatus?: boolean | string;
}

/** A compliant bucket, with overrides. */
function givenBucket(fixture: BucketFixture = {}): void {
  const text = 'policy' in fixture ? fixture.policy : policy(tlsDeny(BUCKET));
  if (text === undefined) s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 404));
  else s3.on(GetBucketPolicyCommand).resolves({ Policy: text });
  const status = fixture.policyStatus ?? 'AccessDenied';
  if (typeof status === 'boolean') s3.on(GetBucketPolicyStatusCommand).resolves({ PolicyStatus: { IsPublic: status } });
  else s3.on(GetBucketPolicyStatusCommand).rejects(awsError(status, status === 'AccessDenied' ? 403 : status === 'NotImplemented' ? 501 : 404));
  s3.on(GetBucketAclCommand).resolves({ Owner: OWNER, Grants: [...(fixture.grants ?? [OWNER_GRANT])] });
  if (fixture.block === undefined) s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_FLAGS_ON });
  else s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: fixture.block });
  if (fixture.tags) s3.on(GetBucketTaggingCommand).resolves({ TagSet: fixture.tags });
  else s3.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet', 404));
}

async function failedChecks(options: { requiredTags?: string[] } = {}): Promise<FailedCheck[]> {
  const config = makeConfig({ requiredTags: options.requiredTags ?? [] });
  return failedChecksOf(await s3BucketAuditor.audit(makeResourceContext(BUCKET, { config }), makeCheckContext(BUCKET, { config })));
}

async function failedIds(options: { requiredTags?: string[] } = {}): Promise<string[]> {
  return (await failedChecks(options)).map((f) => f.check.id);
}

describe('s3_bucket auditor', () => {
  beforeEach(() => s3.reset());

  describe('list', () => {
    it('follows ContinuationToken and keeps only buckets of the polled region', async () => {
      // Prepare
      s3.on(ListBucketsCommand, { ContinuationToken: undefined }).resolves({
        Buckets: [
          { Name: 'a-use1', CreationDate: new Date('2024-01-02T03:04:05Z'), BucketRegion: 'us-east-1' },
          { Name: 'b-euw1', CreationDate: new Date('2024-01-02T03:04:05Z'), BucketRegion: 'eu-west-1' },
        ],
        ContinuationToken: 'eyJDb250aW51YXRpb25Ub2tlbiI6IDF9',
        Owner: OWNER,
      });
      s3.on(ListBucketsCommand, { ContinuationToken: 'eyJDb250aW51YXRpb25Ub2tlbiI6IDF9' }).resolves({
        Buckets: [{ Name: 'c-legacy', CreationDate: new Date('2014-01-02T03:04:05Z') }],
        Owner: OWNER,
      });
      s3.on(GetBucketLocationCommand, { Bucket: 'c-legacy' }).resolves({});
      // Act
      const listed = await collectAll(s3BucketAuditor.list(makeListContext({ region: 'us-east-1' })));
      // Assess
      expect(listed.map((r) => r.id)).toEqual(['a-use1', 'c-legacy']);
      expect(s3.commandCalls(ListBucketsCommand)[0]?.args[0].input).toMatchObject({ BucketRegion: 'us-east-1' });
    });

    it('maps the legacy "EU" location constraint to eu-west-1', async () => {
      s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'old-eu' }] });
      s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' });
      const listed = await collectAll(s3BucketAuditor.list(makeListContext({ region: 'eu-west-1' })));
      expect(listed.map((r) => r.id)).toEqual(['old-eu']);
    });
  });

  describe('checks', () => {
    it('a compliant bucket fails no check', async () => {
      givenBucket();
      expect(await failedIds()).toEqual([]);
    });

    it.each([
      ['AllUsers READ', [OWNER_GRANT, ALL_USERS_READ], 'READ to AllUsers'],
      ['AuthenticatedUsers READ_ACP', [OWNER_GRANT, AUTHENTICATED_USERS_READ_ACP], 'READ_ACP to AuthenticatedUsers'],
    ])('public_acl: %s', async (_name, grants, detail) => {
      givenBucket({ grants });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['s3_bucket.public_acl']);
      expect(failed[0]?.violation.detail).toContain(detail);
    });

    it('public_acl: the LogDelivery group is not public', async () => {
      givenBucket({ grants: [OWNER_GRANT, LOG_DELIVERY_GRANT] });
      expect(await failedIds()).toEqual([]);
    });

    const publicForms: [string, object][] = [
      ['Principal "*"', publicRead(BUCKET)],
      ['Principal {"AWS":"*"}', { ...publicRead(BUCKET), Principal: { AWS: '*' } }],
      ['Principal {"AWS":["*"]}', { ...publicRead(BUCKET), Principal: { AWS: ['*'] } }],
      ['a condition that does not restrict (aws:SecureTransport)', { ...publicRead(BUCKET), Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
      ['aws:SourceIp 0.0.0.0/0', { ...publicRead(BUCKET), Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }],
      ['StringNotEquals aws:PrincipalOrgID', { ...publicRead(BUCKET), Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }],
      ['IfExists aws:SourceVpce', { ...publicRead(BUCKET), Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }],
    ];
    it.each(publicForms)('public_policy: %s', async (_name, statement) => {
      givenBucket({ policy: policy(tlsDeny(BUCKET), statement) });
      expect(await failedIds()).toEqual(['s3_bucket.public_policy']);
    });

    const restrictedForms: [string, object][] = [
      ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }],
      ['aws:SourceVpce', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }],
      ['aws:SourceVpc', { StringEquals: { 'aws:sourceVpc': 'vpc-111bbb22' } }],
      ['aws:SourceIp', { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } }],
      ['aws:SourceAccount', { StringEquals: { 'aws:SourceAccount': '111111111111' } }],
      ['aws:SourceArn', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::111111111111:distribution/EDFDVBD6EXAMPLE' } }],
    ];
    it.each(restrictedForms)('public_policy: principal "*" restricted by %s is not public', async (_name, condition) => {
      givenBucket({ policy: policy(tlsDeny(BUCKET), { ...publicRead(BUCKET), Condition: condition }) });
      expect(await failedIds()).toEqual([]);
    });

    // S3's own verdict (GetBucketPolicyStatus) where it answers; the analyser alone where it does not.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
    const vpceOnly = { ...publicRead(BUCKET), Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } };
    it.each<[string, object, boolean | string, string[], boolean]>([
      ['S3 says public, the analyser does not', vpceOnly, true, ['s3_bucket.public_policy'], true],
      ['S3 says not public, nor does the analyser', vpceOnly, false, [], false],
      ['the analyser says public, S3 does not', publicRead(BUCKET), false, ['s3_bucket.public_policy'], true],
      ['both say public', publicRead(BUCKET), true, ['s3_bucket.public_policy'], false],
      ['S3 answers AccessDenied: the analyser decides (not public)', vpceOnly, 'AccessDenied', [], false],
      ['S3 answers NotImplemented: the analyser decides (public)', publicRead(BUCKET), 'NotImplemented', ['s3_bucket.public_policy'], false],
      ['S3 answers NoSuchBucketPolicy: the analyser decides', vpceOnly, 'NoSuchBucketPolicy', [], false],
    ])('public_policy: %s', async (_name, statement, policyStatus, expected, disagreement) => {
      // Prepare
      givenBucket({ policy: policy(tlsDeny(BUCKET), statement), policyStatus });
      const log = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      // Act
      const result = await s3BucketAuditor.audit({ ...makeResourceContext(BUCKET), log }, makeCheckContext(BUCKET));
      // Assess
      expect(failedChecksOf(result).map((f) => f.check.id)).toEqual(expected);
      expect(log.warn).toHaveBeenCalledTimes(disagreement ? 1 : 0);
    });

    it('public_policy: S3 calling public what the analyser does not is notify-only (no statement to remove is known)', async () => {
      givenBucket({ policy: policy(tlsDeny(BUCKET), vpceOnly), policyStatus: true });
      const [failed] = await failedChecks();
      expect(failed?.violation.detail).toContain('GetBucketPolicyStatus IsPublic true');
      expect(failed?.remediate).toBeUndefined();
    });

    it('a bucket without a policy is not asked for its policy status', async () => {
      givenBucket({ policy: undefined, policyStatus: true });
      expect(await failedIds()).toEqual(['s3_bucket.tls_not_enforced']);
      expect(s3.commandCalls(GetBucketPolicyStatusCommand)).toHaveLength(0);
    });

    it('a bucket that vanished between GetBucketPolicy and GetBucketPolicyStatus is gone', async () => {
      givenBucket({ policy: policy(tlsDeny(BUCKET)), policyStatus: 'NoSuchBucket' });
      expect(await s3BucketAuditor.audit(makeResourceContext(BUCKET), makeCheckContext(BUCKET))).toBe(GONE);
    });

    it.each([
      ['no policy', undefined],
      ['a TLS deny on the bucket ARN only (objects stay reachable over HTTP)', policy({ ...tlsDeny(BUCKET), Resource: `arn:aws:s3:::${BUCKET}` })],
      ['a TLS deny on one prefix of objects', policy({ ...tlsDeny(BUCKET), Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/private/*`] })],
      ['a TLS deny on another bucket', policy({ ...tlsDeny(BUCKET), Resource: ['arn:aws:s3:::acme-other', 'arn:aws:s3:::acme-other/*'] })],
      ['a policy without the TLS deny', policy(crossAccountRead(BUCKET))],
      ['a TLS deny limited to GetObject', policy({ ...tlsDeny(BUCKET), Action: 's3:GetObject' })],
      ['a TLS deny on aws:SecureTransport true', policy({ ...tlsDeny(BUCKET), Condition: { Bool: { 'aws:SecureTransport': 'true' } } })],
    ])('tls_not_enforced: %s', async (_name, text) => {
      givenBucket({ policy: text });
      expect(await failedIds()).toEqual(['s3_bucket.tls_not_enforced']);
    });

    it.each([
      ['bucket and objects', [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`]],
      ['objects only', `arn:aws:s3:::${BUCKET}/*`],
      ['"*"', '*'],
      ['a pattern covering the bucket and its objects', `arn:aws:s3:::${BUCKET}*`],
    ])('tls_not_enforced: a TLS deny on %s passes', async (_name, Resource) => {
      givenBucket({ policy: policy({ ...tlsDeny(BUCKET), Resource }) });
      expect(await failedIds()).toEqual([]);
    });

    it('tls_not_enforced: a TLS deny with a boolean false and {"AWS":"*"} passes', async () => {
      givenBucket({ policy: policy({ ...tlsDeny(BUCKET), Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': false } } }) });
      expect(await failedIds()).toEqual([]);
    });

    it.each([
      ['no configuration', {}, 'BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets'],
      ['one flag false', { ...ALL_FLAGS_ON, RestrictPublicBuckets: false }, 'RestrictPublicBuckets'],
      ['one flag unset', { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true }, 'RestrictPublicBuckets'],
    ])('public_access_block_off: %s', async (_name, block, detail) => {
      givenBucket({ block });
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['s3_bucket.public_access_block_off']);
      expect(failed[0]?.violation.detail).toBe(`off or unset: ${detail}`);
    });

    it('public_access_block_off: NoSuchPublicAccessBlockConfiguration means all off', async () => {
      givenBucket();
      s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
      expect(await failedIds()).toEqual(['s3_bucket.public_access_block_off']);
    });

    it.each([
      ['no required tags configured checks nothing', [], undefined, []],
      ['all present', ['owner', 'data-classification'], [{ Key: 'owner', Value: 'team-a' }, { Key: 'data-classification', Value: 'internal' }], []],
      ['one missing', ['owner', 'data-classification'], [{ Key: 'owner', Value: 'team-a' }], ['s3_bucket.missing_required_tags']],
      ['no tag set', ['owner'], undefined, ['s3_bucket.missing_required_tags']],
    ])('missing_required_tags: %s', async (_name, requiredTags, tags, expected) => {
      givenBucket({ tags });
      expect(await failedIds({ requiredTags })).toEqual(expected);
    });

    it.each(['NoSuchBucket'])('a bucket that vanished (%s) is gone: no finding, no error', async (name) => {
      s3.on(GetBucketPolicyCommand).rejects(awsError(name, 404));
      const result = await s3BucketAuditor.audit(makeResourceContext(BUCKET), makeCheckContext(BUCKET));
      expect(result).toBe(GONE);
    });

    it('AccessDenied propagates (it is an error, not a finding)', async () => {
      s3.on(GetBucketPolicyCommand).rejects(awsError('AccessDenied', 403));
      await expect(s3BucketAuditor.audit(makeResourceContext(BUCKET), makeCheckContext(BUCKET))).rejects.toThrow('AccessDenied');
    });
  });

  describe('remediations', () => {
    async function remediate(checkId: string): Promise<string | undefined> {
      const failed = (await failedChecks()).find((f) => f.check.id === checkId);
      return failed?.remediate?.();
    }

    it('public_acl removes only the public grants, keeping owner and LogDelivery', async () => {
      givenBucket({ grants: [OWNER_GRANT, LOG_DELIVERY_GRANT, ALL_USERS_READ, AUTHENTICATED_USERS_READ_ACP] });
      expect(await remediate('s3_bucket.public_acl')).toBe('applied');
      const puts = s3.commandCalls(PutBucketAclCommand);
      expect(puts).toHaveLength(1);
      expect(puts[0]?.args[0].input).toEqual({
        Bucket: BUCKET,
        AccessControlPolicy: { Owner: OWNER, Grants: [OWNER_GRANT, LOG_DELIVERY_GRANT] },
      });
    });

    it('public_policy removes only the public statement and keeps the others', async () => {
      givenBucket({ policy: policy(tlsDeny(BUCKET), crossAccountRead(BUCKET), publicRead(BUCKET)) });
      expect(await remediate('s3_bucket.public_policy')).toBe('applied');
      const puts = s3.commandCalls(PutBucketPolicyCommand);
      expect(puts).toHaveLength(1);
      expect(JSON.parse(puts[0]?.args[0].input.Policy ?? '{}')).toEqual({
        Version: '2012-10-17',
        Statement: [tlsDeny(BUCKET), crossAccountRead(BUCKET)],
      });
      expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
    });

    it('public_policy deletes the policy when nothing would be left', async () => {
      givenBucket({ policy: policy(publicRead(BUCKET)) });
      expect(await remediate('s3_bucket.public_policy')).toBe('applied');
      expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(1);
      expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    });

    it('tls_not_enforced merges a TLS deny into the existing policy', async () => {
      givenBucket({ policy: policy(crossAccountRead(BUCKET)) });
      expect(await remediate('s3_bucket.tls_not_enforced')).toBe('applied');
      const written = JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]?.args[0].input.Policy ?? '{}');
      expect(written.Statement).toEqual([crossAccountRead(BUCKET), { ...tlsDeny(BUCKET), Principal: { AWS: '*' } }]);
    });

    it('tls_not_enforced adds a full TLS deny beside one that covers only the bucket ARN', async () => {
      const bucketOnly = { ...tlsDeny(BUCKET), Resource: `arn:aws:s3:::${BUCKET}` };
      givenBucket({ policy: policy(bucketOnly) });
      expect(await remediate('s3_bucket.tls_not_enforced')).toBe('applied');
      const written = JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]?.args[0].input.Policy ?? '{}');
      expect(written.Statement).toEqual([bucketOnly, { ...tlsDeny(BUCKET), Principal: { AWS: '*' }, Sid: 'DenyInsecureTransport1' }]);
    });

    it('tls_not_enforced writes a new policy when the bucket has none', async () => {
      givenBucket({ policy: undefined });
      expect(await remediate('s3_bucket.tls_not_enforced')).toBe('applied');
      const written = JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]?.args[0].input.Policy ?? '{}');
      expect(written).toEqual({ Version: '2012-10-17', Statement: [{ ...tlsDeny(BUCKET), Principal: { AWS: '*' } }] });
    });

    it('public_access_block_off turns on all four flags', async () => {
      givenBucket({ block: { BlockPublicAcls: true } });
      expect(await remediate('s3_bucket.public_access_block_off')).toBe('applied');
      expect(s3.commandCalls(PutPublicAccessBlockCommand)[0]?.args[0].input).toEqual({
        Bucket: BUCKET,
        PublicAccessBlockConfiguration: ALL_FLAGS_ON,
      });
    });

    it('missing_required_tags is notify-only', async () => {
      givenBucket();
      const config = makeConfig({ requiredTags: ['owner'] });
      const result = await s3BucketAuditor.audit(makeResourceContext(BUCKET, { config }), makeCheckContext(BUCKET, { config }));
      expect(Array.isArray(result) && result[0]?.remediate).toBeUndefined();
    });

    it.each<[string, BucketFixture]>([
      ['s3_bucket.public_acl', { grants: [OWNER_GRANT] }],
      ['s3_bucket.public_policy', { policy: policy(tlsDeny(BUCKET)) }],
      ['s3_bucket.tls_not_enforced', { policy: policy(tlsDeny(BUCKET)) }],
      ['s3_bucket.public_access_block_off', {}],
    ])('%s: a second run against the fixed bucket makes no mutating call', async (checkId, fixed) => {
      // Prepare: the check failed on the first read, the bucket was fixed since
      givenBucket({ grants: [OWNER_GRANT, ALL_USERS_READ], policy: policy(publicRead(BUCKET)), block: {} });
      const failed = (await failedChecks()).find((f) => f.check.id === checkId);
      s3.reset();
      givenBucket(fixed);
      // Act
      const outcome = await failed?.remediate?.();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
      expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
      expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
      expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
    });

    it('a bucket deleted before remediation is gone, with no mutating call', async () => {
      givenBucket({ grants: [OWNER_GRANT, ALL_USERS_READ] });
      const failed = (await failedChecks()).find((f) => f.check.id === 's3_bucket.public_acl');
      s3.reset();
      s3.on(GetBucketAclCommand).rejects(awsError('NoSuchBucket', 404));
      expect(await failed?.remediate?.()).toBe('gone');
      expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
    });
  });
});
