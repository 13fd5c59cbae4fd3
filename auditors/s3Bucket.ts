/**
 * s3_bucket: public ACLs and policies, TLS enforcement, the bucket's Public
 * Access Block, required tags.
 *
 * APIs: ListBuckets, GetBucketLocation, GetBucketPolicy,
 * GetBucketPolicyStatus, GetBucketAcl, GetPublicAccessBlock,
 * GetBucketTagging; remediation: PutBucketAcl, PutBucketPolicy,
 * DeleteBucketPolicy, PutPublicAccessBlock.
 *
 * public_policy: where GetBucketPolicyStatus answers, a bucket S3 calls
 * public is a finding even when the policy analyser finds no public
 * statement (the disagreement is logged); where it does not answer
 * (AccessDenied, not implemented, no policy), the analyser decides alone.
 */
import {
  DeleteBucketPolicyCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  paginateListBuckets,
  type Grant,
  type Owner,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { hasErrorName } from '../services/core/errors.ts';
import { partitionOf } from '../services/core/regions.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { s3BucketTriggers } from './triggers/s3Bucket.ts';
import {
  asList,
  awsPrincipals,
  describePublicStatements,
  isPublicStatement,
  parsePolicyDocument,
  publicStatements,
  serialisePolicyDocument,
  withoutStatements,
  type PolicyDocument,
  type PolicyStatement,
} from './policy/index.ts';
import { requiredTagsCheck } from './requiredTags.ts';

export const PUBLIC_GROUPS = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
} as const satisfies Record<string, string>;

export const PUBLIC_ACCESS_BLOCK_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

export const TLS_DENY_SID = 'DenyInsecureTransport';

export interface BucketState {
  name: string;
  /** undefined: the bucket has no policy. */
  policy?: PolicyDocument;
  /** GetBucketPolicyStatus IsPublic: S3's own verdict on the policy; undefined where S3 did not answer. */
  publicByS3?: boolean;
  grants: Grant[];
  owner?: Owner;
  publicAccessBlock: PublicAccessBlockConfiguration;
  tags: Record<string, string>;
}

// ---------- pure helpers (shared by checks and remediations) ----------

export function isPublicGrant(grant: Grant): boolean {
  return grant.Grantee?.Type === 'Group' && grant.Grantee.URI !== undefined && grant.Grantee.URI in PUBLIC_GROUPS;
}

/** What a public ACL grants (`ACL grants READ to AllUsers`), or undefined when no grant is public. */
export function describePublicGrants(grants: readonly Grant[]): string | undefined {
  const names = grants.filter(isPublicGrant).map((g) => `${g.Permission} to ${PUBLIC_GROUPS[g.Grantee?.URI as keyof typeof PUBLIC_GROUPS]}`);
  return names.length === 0 ? undefined : `ACL grants ${names.join(', ')}`;
}

function isFalse(value: unknown): boolean {
  return (Array.isArray(value) ? value : [value]).some((v) => String(v).toLowerCase() === 'false');
}

/** An IAM resource pattern (`*` any run, `?` one character) as a whole-string matcher. */
function resourcePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * Whether the statement's Resource covers every object of the bucket
 * (`arn:aws:s3:::b/*` or `*`), not only the bucket ARN: a Deny on the
 * bucket alone leaves GetObject and PutObject over plain HTTP allowed.
 */
function coversObjects(statement: PolicyStatement, bucket: string, region: string): boolean {
  // A key no narrower pattern (b/public/*, b/a*) could name: only b/*, b* or * cover it.
  const anyObject = `arn:${partitionOf(region)}:s3:::${bucket}/\u0000any-object-key`;
  return asList(statement.Resource).some((resource) => resourcePattern(resource).test(anyObject));
}

/** A Deny for everyone on all S3 actions, objects included, when aws:SecureTransport is false. */
export function isTlsDenyStatement(statement: PolicyStatement, bucket: string, region: string): boolean {
  if (statement.Effect !== 'Deny') return false;
  const everyone = awsPrincipals(statement.Principal).includes('*');
  const actions = asList(statement.Action);
  const allS3 = (actions.includes('s3:*') || actions.includes('*')) && coversObjects(statement, bucket, region);
  const secureTransportFalse = Object.entries(statement.Condition ?? {}).some(
    ([operator, entries]) =>
      operator.toLowerCase() === 'bool' &&
      Object.entries(entries).some(([key, value]) => key.toLowerCase() === 'aws:securetransport' && isFalse(value)),
  );
  return everyone && allS3 && secureTransportFalse;
}

export function tlsDenyStatement(bucket: string, region: string): PolicyStatement {
  const arn = `arn:${partitionOf(region)}:s3:::${bucket}`;
  return {
    Sid: TLS_DENY_SID,
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

function offFlags(block: PublicAccessBlockConfiguration): string[] {
  return PUBLIC_ACCESS_BLOCK_FLAGS.filter((flag) => block[flag] !== true);
}

// ---------- reads (collect and the read half of remediations) ----------

function s3(context: ResourceContext): S3Client {
  return context.clients.get(S3Client);
}

/** Answers of GetBucketPolicyStatus that mean "S3 will not say" (the analyser then decides alone). */
const POLICY_STATUS_UNANSWERED = ['NoSuchBucketPolicy', 'AccessDenied', 'NotImplemented', 'MethodNotAllowed'] as const;

/** S3's verdict on the policy (IsPublic), undefined when it does not answer, GONE when the bucket is gone. */
async function readPublicByS3(context: ResourceContext): Promise<boolean | undefined | Gone> {
  try {
    const { PolicyStatus } = await s3(context).send(new GetBucketPolicyStatusCommand({ Bucket: context.id }));
    return typeof PolicyStatus?.IsPublic === 'boolean' ? PolicyStatus.IsPublic : undefined;
  } catch (error) {
    if (hasErrorName(error, 'NoSuchBucket')) return GONE;
    if (hasErrorName(error, ...POLICY_STATUS_UNANSWERED)) return undefined;
    throw error;
  }
}

/** The bucket's policy, undefined when it has none, GONE when the bucket is gone. */
export async function readPolicy(context: ResourceContext): Promise<PolicyDocument | undefined | Gone> {
  try {
    const { Policy } = await s3(context).send(new GetBucketPolicyCommand({ Bucket: context.id }));
    return Policy ? parsePolicyDocument(Policy) : undefined;
  } catch (error) {
    if (hasErrorName(error, 'NoSuchBucketPolicy')) return undefined;
    if (hasErrorName(error, 'NoSuchBucket')) return GONE;
    throw error;
  }
}

export async function readAcl(context: ResourceContext): Promise<{ grants: Grant[]; owner?: Owner } | Gone> {
  try {
    const acl = await s3(context).send(new GetBucketAclCommand({ Bucket: context.id }));
    return { grants: acl.Grants ?? [], owner: acl.Owner };
  } catch (error) {
    if (hasErrorName(error, 'NoSuchBucket')) return GONE;
    throw error;
  }
}

export async function readPublicAccessBlock(context: ResourceContext): Promise<PublicAccessBlockConfiguration | Gone> {
  try {
    const { PublicAccessBlockConfiguration } = await s3(context).send(new GetPublicAccessBlockCommand({ Bucket: context.id }));
    return PublicAccessBlockConfiguration ?? {};
  } catch (error) {
    if (hasErrorName(error, 'NoSuchPublicAccessBlockConfiguration')) return {};
    if (hasErrorName(error, 'NoSuchBucket')) return GONE;
    throw error;
  }
}

async function readTags(context: ResourceContext): Promise<Record<string, string> | Gone> {
  try {
    const { TagSet } = await s3(context).send(new GetBucketTaggingCommand({ Bucket: context.id }));
    return tagsToRecord(TagSet);
  } catch (error) {
    if (hasErrorName(error, 'NoSuchTagSet')) return {};
    if (hasErrorName(error, 'NoSuchBucket')) return GONE;
    throw error;
  }
}

async function writePolicy(context: ResourceContext, policy: PolicyDocument): Promise<void> {
  if (policy.Statement.length === 0) {
    await s3(context).send(new DeleteBucketPolicyCommand({ Bucket: context.id }));
  } else {
    await s3(context).send(new PutBucketPolicyCommand({ Bucket: context.id, Policy: serialisePolicyDocument(policy) }));
  }
}

/** GetBucketLocation answers null for us-east-1 and "EU" for the oldest eu-west-1 buckets. */
export function regionOfLocation(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

// ---------- the auditor ----------

export const s3BucketAuditor = defineAuditor<BucketState>({
  type: 's3_bucket',
  scope: 'regional',
  description: 'S3 buckets: public ACLs and policies, TLS enforcement, Public Access Block, required tags',
  permissions: {
    list: ['s3:ListAllMyBuckets', 's3:GetBucketLocation'],
    collect: ['s3:GetBucketPolicy', 's3:GetBucketPolicyStatus', 's3:GetBucketAcl', 's3:GetBucketPublicAccessBlock', 's3:GetBucketTagging'],
  },
  identity: (state) => ({ tags: state.tags }),
  triggers: s3BucketTriggers,

  /** Each bucket once, in its own region: ListBuckets is global, so keep this region's. */
  async *list({ clients, region }) {
    const client = clients.get(S3Client);
    for await (const page of paginateListBuckets({ client, pageSize: 1000 }, { BucketRegion: region })) {
      for (const bucket of page.Buckets ?? []) {
        if (!bucket.Name) continue;
        let bucketRegion = bucket.BucketRegion;
        if (!bucketRegion) {
          const { LocationConstraint } = await client.send(new GetBucketLocationCommand({ Bucket: bucket.Name }));
          bucketRegion = regionOfLocation(LocationConstraint);
        }
        if (bucketRegion === region) yield { id: bucket.Name, name: bucket.Name };
      }
    }
  },

  async collect(context) {
    const policy = await readPolicy(context);
    if (policy === GONE) return GONE;
    // No policy: nothing for S3 to judge (it would answer NoSuchBucketPolicy).
    const publicByS3 = policy ? await readPublicByS3(context) : undefined;
    if (publicByS3 === GONE) return GONE;
    const byAnalyser = publicStatements(policy).length > 0;
    if (publicByS3 !== undefined && publicByS3 !== byAnalyser) {
      context.log?.warn('S3 and the policy analyser disagree on whether the bucket policy is public', {
        account: context.account, region: context.region, bucket: context.id, publicByS3, publicByAnalyser: byAnalyser,
      });
    }
    const acl = await readAcl(context);
    if (acl === GONE) return GONE;
    const publicAccessBlock = await readPublicAccessBlock(context);
    if (publicAccessBlock === GONE) return GONE;
    const tags = await readTags(context);
    if (tags === GONE) return GONE;
    return { name: context.id, policy, ...(publicByS3 === undefined ? {} : { publicByS3 }), grants: acl.grants, owner: acl.owner, publicAccessBlock, tags };
  },

  checks: [
    {
      id: 's3_bucket.public_acl',
      title: 'Bucket ACL grants access to everyone',
      severity: 'high',
      rationale: 'A grant to AllUsers or AuthenticatedUsers lets anyone on the internet (or any AWS customer) use the bucket.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html
      controls: { fsbp: ['S3.2', 'S3.3'] },
      evaluate(state) {
        const detail = describePublicGrants(state.grants);
        return detail ? { detail } : undefined;
      },
    },
    {
      id: 's3_bucket.public_policy',
      title: 'Bucket policy allows access to everyone',
      severity: 'critical',
      rationale:
        'An Allow to principal "*" (or with NotPrincipal) without a condition limiting it to fixed accounts, an organization, a VPC or IP ranges makes the bucket public (ForAllValues: conditions and wildcards such as "o-*" limit nothing); so does a policy S3 itself reports public (GetBucketPolicyStatus).',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html
      controls: { fsbp: ['S3.2', 'S3.3'] },
      evaluate(state) {
        const detail = describePublicStatements(state.policy);
        if (detail) return { detail };
        if (state.publicByS3 !== true) return undefined;
        return { detail: 'S3 reports the bucket policy public (GetBucketPolicyStatus IsPublic true), though no statement looks public to the policy analyser' };
      },
    },
    {
      id: 's3_bucket.tls_not_enforced',
      title: 'Bucket policy does not enforce TLS',
      severity: 'medium',
      rationale: 'Without a Deny on aws:SecureTransport = false covering the bucket\'s objects (b/* or *), clients may read and write them over plain HTTP.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html
      controls: { fsbp: ['S3.5'], cis: ['2.1.1'] },
      evaluate(state, context) {
        if (state.policy?.Statement.some((s) => isTlsDenyStatement(s, state.name, context.region))) return undefined;
        return { detail: state.policy ? 'the policy has no Deny for aws:SecureTransport = false' : 'the bucket has no policy, so nothing denies plain HTTP' };
      },
    },
    {
      id: 's3_bucket.public_access_block_off',
      title: 'Bucket Public Access Block is not fully on',
      severity: 'medium',
      rationale: 'The four Public Access Block flags stop a later ACL or policy change from making the bucket public.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html
      controls: { fsbp: ['S3.8'], cis: ['2.1.4'] },
      evaluate(state) {
        const off = offFlags(state.publicAccessBlock);
        return off.length === 0 ? undefined : { detail: `off or unset: ${off.join(', ')}` };
      },
    },
    requiredTagsCheck({
      id: 's3_bucket.missing_required_tags',
      title: 'Bucket lacks required tags',
      rationale: 'Required tags say who owns a resource and what it holds.',
    }),
  ],

  remediations: {
    's3_bucket.public_acl': {
      description: 'Remove only the grants to AllUsers and AuthenticatedUsers; keep every other grant and the owner.',
      risk: 'safe',
      permissions: ['s3:GetBucketAcl', 's3:PutBucketAcl'],
      async apply(context) {
        const acl = await readAcl(context);
        if (acl === GONE) return 'gone';
        const kept = acl.grants.filter((grant) => !isPublicGrant(grant));
        if (kept.length === acl.grants.length) return 'already_compliant';
        await s3(context).send(
          new PutBucketAclCommand({ Bucket: context.id, AccessControlPolicy: { Owner: acl.owner, Grants: kept } }),
        );
        return 'applied';
      },
    },
    's3_bucket.public_policy': {
      description: 'Remove only the public statements; delete the policy only if no statement is left. Notify-only when only S3 calls the policy public (no statement to remove is known).',
      risk: 'safe',
      permissions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
      applicable: (state) => publicStatements(state.policy).length > 0,
      async apply(context) {
        const policy = await readPolicy(context);
        if (policy === GONE) return 'gone';
        if (!policy || publicStatements(policy).length === 0) return 'already_compliant';
        await writePolicy(context, withoutStatements(policy, isPublicStatement));
        return 'applied';
      },
    },
    's3_bucket.tls_not_enforced': {
      description: 'Add a Deny on aws:SecureTransport = false, merged into the existing policy.',
      risk: 'disruptive',
      permissions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'],
      async apply(context) {
        const policy = await readPolicy(context);
        if (policy === GONE) return 'gone';
        if (policy?.Statement.some((s) => isTlsDenyStatement(s, context.id, context.region))) return 'already_compliant';
        const statements = policy?.Statement ?? [];
        const sid = statements.some((s) => s.Sid === TLS_DENY_SID) ? `${TLS_DENY_SID}${statements.length}` : TLS_DENY_SID;
        const merged: PolicyDocument = {
          ...(policy ?? { Version: '2012-10-17' }),
          Statement: [...statements, { ...tlsDenyStatement(context.id, context.region), Sid: sid }],
        };
        await writePolicy(context, merged);
        return 'applied';
      },
    },
    's3_bucket.public_access_block_off': {
      description: 'Turn on all four bucket-level Public Access Block flags.',
      risk: 'disruptive',
      permissions: ['s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
      async apply(context) {
        const block = await readPublicAccessBlock(context);
        if (block === GONE) return 'gone';
        if (offFlags(block).length === 0) return 'already_compliant';
        await s3(context).send(
          new PutPublicAccessBlockCommand({
            Bucket: context.id,
            PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
          }),
        );
        return 'applied';
      },
    },
  },
});
