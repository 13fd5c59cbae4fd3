/**
 * cloudtrail_trail: each trail of the account, once, in its home region:
 * log files not encrypted with a KMS key (Security Hub CloudTrail.2), no
 * CloudWatch Logs delivery (CloudTrail.5), the S3 bucket it delivers to
 * public (CloudTrail.6). Whether a multi-region trail logs at all is the
 * region auditor's control (region.cloudtrail_not_logging), not repeated here.
 *
 * Notify-only: a trail's encryption key, log group and bucket are a
 * decision for the people who own the logs (a KMS key policy CloudTrail may
 * use, a log group and the role that writes to it, where the logs live).
 * The bucket's public grants are the s3_bucket auditor's to remove, where
 * the bucket is this account's.
 *
 * APIs: DescribeTrails (list, includeShadowTrails false: only the trails
 * whose home region this is, of this account), GetTrail, ListTags; the log
 * bucket through the s3_bucket auditor's reads and pure judgements
 * (GetBucketLocation, GetBucketPolicy, GetBucketAcl, GetPublicAccessBlock).
 * A multi-region or organization trail shows in DescribeTrails of every
 * region (a shadow trail) unless includeShadowTrails is false:
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html#API_DescribeTrails_RequestSyntax
 * A log bucket this account cannot read (another account's, as an
 * organization's log archive is) is not judged, and the audit says so.
 *
 * CloudTrail: cloudtrail CreateTrail, UpdateTrail (requestParameters.name,
 * a name or an ARN).
 */
import { CloudTrailClient, DescribeTrailsCommand, GetTrailCommand, ListTagsCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import { GetBucketLocationCommand, S3Client, type Grant, type PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import { RESOURCE_GONE_ERRORS, awsErrorName, hasErrorName, isAccessDenied } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { cloudTrailTrailTriggers } from './triggers/cloudTrailTrail.ts';
import { describePublicStatements, type PolicyDocument } from './policy/index.ts';
import { describePublicGrants, readAcl, readPolicy, readPublicAccessBlock, regionOfLocation } from './s3Bucket.ts';

/** What the log bucket's ACL, policy and Public Access Block say, as far as this account can read them. */
export interface LogBucketView {
  policy?: PolicyDocument;
  grants: Grant[];
  publicAccessBlock: PublicAccessBlockConfiguration;
}

export type LogBucket = { name: string; view: LogBucketView } | { name: string; notJudged: string };

export interface CloudTrailTrailState {
  name: string;
  arn: string;
  homeRegion: string;
  multiRegion: boolean;
  organization: boolean;
  /** The KMS key CloudTrail encrypts log files with; undefined: SSE-S3 only. */
  kmsKeyId?: string;
  cloudWatchLogsLogGroupArn?: string;
  logBucket: LogBucket;
  tags: Readonly<Record<string, string>>;
}

// ---------- pure ----------

/**
 * Why the log bucket is public, or undefined: a public ACL grant the
 * bucket's IgnorePublicAcls does not void, a public policy statement its
 * RestrictPublicBuckets does not void (the s3_bucket auditor's judgements).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options
 */
export function logBucketExposure(view: LogBucketView): string | undefined {
  const acl = view.publicAccessBlock.IgnorePublicAcls === true ? undefined : describePublicGrants(view.grants);
  const policy = view.publicAccessBlock.RestrictPublicBuckets === true ? undefined : describePublicStatements(view.policy);
  const reasons = [acl, policy].filter((reason): reason is string => reason !== undefined);
  return reasons.length === 0 ? undefined : reasons.join('; ');
}

function accountOfArn(arn: string): string | undefined {
  return arn.split(':')[4];
}

// ---------- reads ----------

function cloudTrail(context: ResourceContext): CloudTrailClient {
  return context.clients.get(CloudTrailClient);
}

/** The trail now, GONE when it does not exist here (GetTrail answers TrailNotFoundException) or is not this account's, homed here. */
async function readTrail(context: ResourceContext): Promise<Trail | Gone> {
  try {
    const { Trail: trail } = await cloudTrail(context).send(new GetTrailCommand({ Name: context.id }));
    if (!trail?.Name || !trail.TrailARN) return GONE;
    // A shadow (another region's multi-region trail, or the organization's trail seen from a member)
    // is audited where it lives: its home region, its owner's account.
    if (accountOfArn(trail.TrailARN) !== context.account || (trail.HomeRegion !== undefined && trail.HomeRegion !== context.region)) return GONE;
    return trail;
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.cloudtrail_trail)) return GONE;
    throw error;
  }
}

async function readTags(context: ResourceContext, arn: string): Promise<Record<string, string>> {
  const { ResourceTagList } = await cloudTrail(context).send(new ListTagsCommand({ ResourceIdList: [arn] }));
  return tagsToRecord(ResourceTagList?.find((entry) => entry.ResourceId === arn)?.TagsList);
}

function notJudged(name: string, reason: string): LogBucket {
  return { name, notJudged: `log bucket ${name} not judged: ${reason}` };
}

/** Reads of the bucket that fail because this account may not make them: another account's bucket, as a rule. */
function unreadable(name: string, context: ResourceContext, error: unknown): LogBucket {
  return notJudged(name, `account ${context.account} cannot read it (${awsErrorName(error)}); it may belong to another account, such as the organization's log archive`);
}

/** The bucket's ACL, policy and Public Access Block, read in the bucket's own region with the s3_bucket auditor's reads. */
async function readLogBucket(context: ResourceContext, name: string): Promise<LogBucket> {
  try {
    const { LocationConstraint } = await context.clients.get(S3Client).send(new GetBucketLocationCommand({ Bucket: name }));
    const region = regionOfLocation(LocationConstraint);
    const clients = region === context.region ? context.clients : context.clientsFor?.(context.account, region);
    if (!clients) return notJudged(name, `it is in ${region}, and this audit has no clients there`);
    const bucketContext: ResourceContext = { ...context, region, id: name, clients };
    const policy = await readPolicy(bucketContext);
    const acl = await readAcl(bucketContext);
    const publicAccessBlock = await readPublicAccessBlock(bucketContext);
    if (policy === GONE || acl === GONE || publicAccessBlock === GONE) return notJudged(name, 'the bucket does not exist');
    return { name, view: { ...(policy ? { policy } : {}), grants: acl.grants, publicAccessBlock } };
  } catch (error) {
    if (hasErrorName(error, 'NoSuchBucket')) return notJudged(name, 'the bucket does not exist');
    if (isAccessDenied(error)) return unreadable(name, context, error);
    throw error;
  }
}

function describeLogBucket(bucket: LogBucket): Record<string, unknown> {
  if ('notJudged' in bucket) return { name: bucket.name, judged: false, reason: bucket.notJudged };
  return { name: bucket.name, judged: true, public: logBucketExposure(bucket.view) !== undefined };
}

// ---------- the auditor ----------

export const cloudTrailTrailAuditor = defineAuditor<CloudTrailTrailState>({
  type: 'cloudtrail_trail',
  scope: 'regional',
  description: 'CloudTrail trails (each in its home region): KMS encryption, CloudWatch Logs delivery, a public log bucket',
  permissions: {
    list: ['cloudtrail:DescribeTrails'],
    collect: ['cloudtrail:GetTrail', 'cloudtrail:ListTags', 's3:GetBucketLocation', 's3:GetBucketPolicy', 's3:GetBucketAcl', 's3:GetBucketPublicAccessBlock'],
  },
  triggers: cloudTrailTrailTriggers,

  /** This account's trails homed here: DescribeTrails answers every trail at once (no pagination). */
  async *list({ clients, account, region }) {
    const { trailList } = await clients.get(CloudTrailClient).send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    for (const trail of trailList ?? []) {
      if (!trail.Name || !trail.TrailARN) continue;
      if (accountOfArn(trail.TrailARN) !== account || (trail.HomeRegion !== undefined && trail.HomeRegion !== region)) continue;
      yield { id: trail.Name, name: trail.Name };
    }
  },

  async collect(context) {
    const trail = await readTrail(context);
    if (trail === GONE) return GONE;
    const arn = trail.TrailARN ?? '';
    const tags = await readTags(context, arn);
    const logBucket: LogBucket = trail.S3BucketName ? await readLogBucket(context, trail.S3BucketName) : notJudged('(none)', 'the trail names no S3 bucket');
    if ('notJudged' in logBucket) context.log?.info('cloudtrail_trail: log bucket not judged', { account: context.account, region: context.region, trail: context.id, reason: logBucket.notJudged });
    return {
      name: trail.Name ?? context.id,
      arn,
      homeRegion: trail.HomeRegion ?? context.region,
      multiRegion: trail.IsMultiRegionTrail === true,
      organization: trail.IsOrganizationTrail === true,
      ...(trail.KmsKeyId ? { kmsKeyId: trail.KmsKeyId } : {}),
      ...(trail.CloudWatchLogsLogGroupArn ? { cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn } : {}),
      logBucket,
      tags,
    };
  },

  identity: (state) => ({ tags: state.tags }),

  summarise: (state) => ({ homeRegion: state.homeRegion, multiRegion: state.multiRegion, organization: state.organization, logBucket: describeLogBucket(state.logBucket) }),

  checks: [
    {
      id: 'cloudtrail_trail.not_kms_encrypted',
      title: 'Trail log files are not encrypted with a KMS key',
      severity: 'medium',
      rationale:
        'With SSE-S3 alone, anyone who may read the log bucket reads the account\'s API history; with SSE-KMS, reading also takes decrypt permission on the key, and every decryption is itself logged.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-2 (CIS v3.0.0 3.5)
      controls: { fsbp: ['CloudTrail.2'], cis: ['3.5'] },
      evaluate(state) {
        return state.kmsKeyId ? undefined : { detail: 'no KmsKeyId: log files are encrypted with SSE-S3 only' };
      },
    },
    {
      id: 'cloudtrail_trail.no_cloudwatch_logs',
      title: 'Trail does not deliver to CloudWatch Logs',
      severity: 'medium',
      rationale: 'Without CloudWatch Logs delivery, no metric filter or alarm can react to the API calls the trail records as they happen; the S3 files serve only later analysis.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-5 (CIS v1.2.0 2.4 and v1.4.0 3.4; not in CIS v3.0.0)
      controls: { fsbp: ['CloudTrail.5'] },
      evaluate(state) {
        return state.cloudWatchLogsLogGroupArn ? undefined : { detail: 'no CloudWatchLogsLogGroupArn: events reach only the S3 bucket' };
      },
    },
    {
      id: 'cloudtrail_trail.bucket_public',
      title: 'Trail delivers its logs to a public S3 bucket',
      severity: 'critical',
      rationale:
        'A public log bucket hands the account\'s API history (who did what, from where, to which resource) to anyone, and a public write lets them add or overwrite files. A bucket this account cannot read (another account\'s) is not judged.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-6
      controls: { none: 'CloudTrail.6 belongs to CIS v1.2.0 (2.3), CIS v1.4.0 (3.3) and PCI DSS, neither to FSBP nor to CIS v3.0.0' },
      evaluate(state) {
        if ('notJudged' in state.logBucket) return undefined;
        const exposure = logBucketExposure(state.logBucket.view);
        return exposure ? { detail: `log bucket ${state.logBucket.name}: ${exposure}` } : undefined;
      },
    },
  ],

  // Notify-only: see the header.
  remediations: {},
});
