import { CloudTrailClient, DescribeTrailsCommand, GetTrailCommand, ListTagsCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import { GetBucketAclCommand, GetBucketLocationCommand, GetBucketPolicyCommand, GetPublicAccessBlockCommand, S3Client, type Grant, type PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cloudTrailTrailAuditor } from '../../auditors/cloudTrailTrail.ts';
import { GONE, type AuditSummary, type FailedCheck, type Gone, type NotReady, type ResourceContext } from '../../auditors/contract.ts';
import { SERVICE_STACK_TAG } from '../../services/core/selfProtection.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, awsError, collectAll, makeCheckContext, makeFactory, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const cloudTrail = mockClient(CloudTrailClient);
const s3 = mockClient(S3Client);

const NAME = 'management-events';
const ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${NAME}`;
const BUCKET = `aws-cloudtrail-logs-${ACCOUNT}-5f2a7c1e`;
const OWNER = { DisplayName: 'security-team', ID: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' };
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const ALL_FLAGS_ON: PublicAccessBlockConfiguration = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const ALL_FLAGS_OFF: PublicAccessBlockConfiguration = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

/** GetTrail's Trail for a compliant multi-region trail, as CloudTrail answers it. */
function trail(overrides: Partial<Trail> = {}): Trail {
  return {
    Name: NAME,
    S3BucketName: BUCKET,
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: true,
    HomeRegion: REGION,
    TrailARN: ARN,
    LogFileValidationEnabled: true,
    CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:aws-cloudtrail-logs-${ACCOUNT}-1a2b3c4d:*`,
    CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/CloudTrailRoleForCloudWatchLogs_${NAME}`,
    KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d`,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
    ...overrides,
  };
}

/** The bucket policy CloudTrail's console writes, plus extra statements. */
function bucketPolicy(...extra: object[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AWSCloudTrailAclCheck20150319', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringEquals: { 'AWS:SourceArn': ARN } } },
      {
        Sid: 'AWSCloudTrailWrite20150319',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'AWS:SourceArn': ARN } },
      },
      ...extra,
    ],
  });
}

const PUBLIC_READ = { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
const OWNER_GRANT: Grant = { Grantee: { ...OWNER, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' };
const PUBLIC_GRANT: Grant = { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' };

interface BucketSetup {
  location?: string;
  policy?: string;
  grants?: Grant[];
  block?: PublicAccessBlockConfiguration;
}

function givenBucket({ location, policy = bucketPolicy(), grants = [OWNER_GRANT], block = ALL_FLAGS_ON }: BucketSetup = {}): void {
  s3.on(GetBucketLocationCommand, { Bucket: BUCKET }).resolves(location ? { LocationConstraint: location as 'eu-west-1' } : {});
  s3.on(GetBucketPolicyCommand, { Bucket: BUCKET }).resolves({ Policy: policy });
  s3.on(GetBucketAclCommand, { Bucket: BUCKET }).resolves({ Owner: OWNER, Grants: grants });
  s3.on(GetPublicAccessBlockCommand, { Bucket: BUCKET }).resolves({ PublicAccessBlockConfiguration: block });
}

function givenTrail(overrides: Partial<Trail> = {}, tags: { Key: string; Value: string }[] = [{ Key: 'team', Value: 'security' }]): void {
  cloudTrail.on(GetTrailCommand, { Name: NAME }).resolves({ Trail: trail(overrides) });
  cloudTrail.on(ListTagsCommand, { ResourceIdList: [ARN] }).resolves({ ResourceTagList: [{ ResourceId: ARN, TagsList: tags }] });
}

async function audit(context: ResourceContext = makeResourceContext(NAME)): Promise<{ result: FailedCheck[] | Gone | NotReady; summary: AuditSummary | undefined }> {
  let summary: AuditSummary | undefined;
  const result = await cloudTrailTrailAuditor.audit(context, makeCheckContext(NAME), (made) => {
    summary = made;
  });
  return { result, summary };
}

async function failed(context?: ResourceContext): Promise<[string, string][]> {
  return failedChecksOf((await audit(context)).result).map((f) => [f.check.id, f.violation.detail]);
}

describe('cloudtrail_trail auditor', () => {
  beforeEach(() => {
    cloudTrail.reset();
    s3.reset();
  });

  it('declares its reads, the CreateTrail/UpdateTrail trigger, CloudTrail.2 (CIS 3.5) and CloudTrail.5, CloudTrail.6 as none, and no remediation', () => {
    expect(cloudTrailTrailAuditor.permissions).toEqual({
      list: ['cloudtrail:DescribeTrails'],
      collect: ['cloudtrail:GetTrail', 'cloudtrail:ListTags', 's3:GetBucketLocation', 's3:GetBucketPolicy', 's3:GetBucketAcl', 's3:GetBucketPublicAccessBlock'],
    });
    expect(cloudTrailTrailAuditor.triggers.map((t) => [t.eventSource, t.eventNames, t.idPath])).toEqual([['cloudtrail.amazonaws.com', ['CreateTrail', 'UpdateTrail'], 'requestParameters.name']]);
    expect(cloudTrailTrailAuditor.triggers[0]?.transformId?.(ARN, {})).toBe(NAME);
    expect(cloudTrailTrailAuditor.triggers[0]?.transformId?.(NAME, {})).toBe(NAME);
    expect(cloudTrailTrailAuditor.checks.map((c) => [c.id, c.severity, c.controls])).toEqual([
      ['cloudtrail_trail.not_kms_encrypted', 'medium', { fsbp: ['CloudTrail.2'], cis: ['3.5'] }],
      ['cloudtrail_trail.no_cloudwatch_logs', 'medium', { fsbp: ['CloudTrail.5'] }],
      ['cloudtrail_trail.bucket_public', 'critical', { none: expect.stringContaining('CloudTrail.6') }],
    ]);
    expect(cloudTrailTrailAuditor.remediations).toEqual({});
  });

  it('list asks DescribeTrails without shadow trails, and keeps only this account\'s trails homed in this region', async () => {
    cloudTrail.on(DescribeTrailsCommand, { includeShadowTrails: false }).resolves({
      trailList: [
        trail(),
        trail({ Name: 'team-trail', TrailARN: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/team-trail`, IsMultiRegionTrail: false }),
        // Neither should come back without shadow trails; if one did, it is audited where it lives.
        trail({ Name: 'eu-trail', HomeRegion: 'eu-west-1', TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/eu-trail` }),
        trail({ Name: 'organization', IsOrganizationTrail: true, TrailARN: `arn:aws:cloudtrail:${REGION}:${OTHER_ACCOUNT}:trail/organization` }),
      ],
    });
    expect(await collectAll(cloudTrailTrailAuditor.list(makeListContext()))).toEqual([
      { id: NAME, name: NAME },
      { id: 'team-trail', name: 'team-trail' },
    ]);
    expect(cloudTrail.commandCalls(DescribeTrailsCommand).map((c) => c.args[0].input)).toEqual([{ includeShadowTrails: false }]);
  });

  it.each<[string, Partial<Trail>, BucketSetup, [string, string][]]>([
    ['KMS key, CloudWatch Logs, a private bucket', {}, {}, []],
    ['no KMS key', { KmsKeyId: undefined }, {}, [['cloudtrail_trail.not_kms_encrypted', 'no KmsKeyId: log files are encrypted with SSE-S3 only']]],
    [
      'no CloudWatch Logs',
      { CloudWatchLogsLogGroupArn: undefined, CloudWatchLogsRoleArn: undefined },
      {},
      [['cloudtrail_trail.no_cloudwatch_logs', 'no CloudWatchLogsLogGroupArn: events reach only the S3 bucket']],
    ],
    [
      'a public policy statement, Public Access Block off',
      {},
      { policy: bucketPolicy(PUBLIC_READ), block: ALL_FLAGS_OFF },
      [['cloudtrail_trail.bucket_public', `log bucket ${BUCKET}: policy statement "PublicRead" allows principal "*" without a restricting condition`]],
    ],
    ['a public policy statement voided by RestrictPublicBuckets', {}, { policy: bucketPolicy(PUBLIC_READ), block: { ...ALL_FLAGS_OFF, RestrictPublicBuckets: true } }, []],
    [
      'an ACL grant to AllUsers, no Public Access Block',
      {},
      { grants: [OWNER_GRANT, PUBLIC_GRANT], block: {} },
      [['cloudtrail_trail.bucket_public', `log bucket ${BUCKET}: ACL grants READ to AllUsers`]],
    ],
    ['an ACL grant to AllUsers voided by IgnorePublicAcls', {}, { grants: [OWNER_GRANT, PUBLIC_GRANT], block: { ...ALL_FLAGS_OFF, IgnorePublicAcls: true } }, []],
    [
      'all three at once',
      { KmsKeyId: undefined, CloudWatchLogsLogGroupArn: undefined },
      { policy: bucketPolicy(PUBLIC_READ), grants: [OWNER_GRANT, PUBLIC_GRANT], block: ALL_FLAGS_OFF },
      [
        ['cloudtrail_trail.not_kms_encrypted', 'no KmsKeyId: log files are encrypted with SSE-S3 only'],
        ['cloudtrail_trail.no_cloudwatch_logs', 'no CloudWatchLogsLogGroupArn: events reach only the S3 bucket'],
        ['cloudtrail_trail.bucket_public', `log bucket ${BUCKET}: ACL grants READ to AllUsers; policy statement "PublicRead" allows principal "*" without a restricting condition`],
      ],
    ],
  ])('%s', async (_case, overrides, bucket, expected) => {
    givenTrail(overrides);
    givenBucket(bucket);
    expect(await failed()).toEqual(expected);
  });

  it('a bucket without a policy or Public Access Block (NoSuchBucketPolicy, NoSuchPublicAccessBlockConfiguration) is judged by its ACL', async () => {
    givenTrail();
    givenBucket({ grants: [OWNER_GRANT, PUBLIC_GRANT] });
    s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 404));
    s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    expect(await failed()).toEqual([['cloudtrail_trail.bucket_public', `log bucket ${BUCKET}: ACL grants READ to AllUsers`]]);
  });

  it.each([
    ['GetBucketLocation answers AccessDenied (another account\'s bucket)', () => s3.on(GetBucketLocationCommand).rejects(awsError('AccessDenied', 403)), /cannot read it \(AccessDenied\); it may belong to another account/],
    ['GetBucketPolicy answers AccessDenied', () => s3.on(GetBucketPolicyCommand).rejects(awsError('AccessDenied', 403)), /cannot read it \(AccessDenied\)/],
    ['the bucket does not exist (NoSuchBucket)', () => s3.on(GetBucketLocationCommand).rejects(awsError('NoSuchBucket', 404)), /the bucket does not exist/],
  ])('not judged, and the summary says why, when %s', async (_case, given, reason) => {
    givenTrail({ KmsKeyId: undefined });
    givenBucket({ policy: bucketPolicy(PUBLIC_READ), block: ALL_FLAGS_OFF });
    given();
    const { result, summary } = await audit();
    expect(failedChecksOf(result).map((f) => f.check.id)).toEqual(['cloudtrail_trail.not_kms_encrypted']);
    expect(summary).toEqual({ homeRegion: REGION, multiRegion: true, organization: false, logBucket: { name: BUCKET, judged: false, reason: expect.stringMatching(reason) } });
  });

  it('a bucket in another region is read there, through the clients for that region', async () => {
    givenTrail();
    givenBucket({ location: 'eu-west-1', policy: bucketPolicy(PUBLIC_READ), block: ALL_FLAGS_OFF });
    const clientsFor = vi.fn((account: string, region: string) => makeFactory().forAccount(account, region));
    expect((await failed({ ...makeResourceContext(NAME), clientsFor })).map(([id]) => id)).toEqual(['cloudtrail_trail.bucket_public']);
    expect(clientsFor.mock.calls).toEqual([[ACCOUNT, 'eu-west-1']]);
    const [policyCall] = s3.commandCalls(GetBucketPolicyCommand);
    expect(await (policyCall?.thisValue as S3Client).config.region()).toBe('eu-west-1');
  });

  it('a bucket in another region is not judged where the caller offers no clients there', async () => {
    givenTrail();
    givenBucket({ location: 'eu-west-1', policy: bucketPolicy(PUBLIC_READ), block: ALL_FLAGS_OFF });
    const { result, summary } = await audit();
    expect(failedChecksOf(result)).toEqual([]);
    expect(summary?.logBucket).toEqual({ name: BUCKET, judged: false, reason: `log bucket ${BUCKET} not judged: it is in eu-west-1, and this audit has no clients there` });
  });

  it('the trail\'s tags (ListTags) identify it: the service\'s own trail is reported, never remediated', async () => {
    givenTrail({ KmsKeyId: undefined }, [{ Key: SERVICE_STACK_TAG.key, Value: SERVICE_STACK_TAG.value }]);
    givenBucket();
    const [finding] = failedChecksOf((await audit()).result);
    expect(finding?.tags).toEqual({ [SERVICE_STACK_TAG.key]: SERVICE_STACK_TAG.value });
    expect(finding?.protectedBecause).toMatch(/service's own tag/);
    expect(finding?.remediate).toBeUndefined();
  });

  it.each([
    ['GetTrail answers TrailNotFoundException', () => cloudTrail.on(GetTrailCommand).rejects(awsError('TrailNotFoundException', 400, `Unknown trail: ${NAME} for the user: ${ACCOUNT}`))],
    ['the name is another region\'s multi-region trail (a shadow)', () => givenTrail({ HomeRegion: 'eu-west-1', TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${NAME}` })],
    ['the name is the organization\'s trail (another account\'s)', () => givenTrail({ IsOrganizationTrail: true, TrailARN: `arn:aws:cloudtrail:${REGION}:${OTHER_ACCOUNT}:trail/${NAME}` })],
  ])('gone when %s', async (_case, given) => {
    given();
    expect((await audit()).result).toBe(GONE);
    expect(s3.calls()).toEqual([]);
  });

  it('other errors propagate (AccessDenied on the trail is the caller\'s to report)', async () => {
    cloudTrail.on(GetTrailCommand).rejects(awsError('AccessDeniedException', 400));
    await expect(audit()).rejects.toThrow(/AccessDeniedException/);
  });
});
