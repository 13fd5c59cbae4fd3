import type {
  CreateBucketCommandInput,
  CreateBucketCommandOutput,
  DeleteBucketCommandInput,
  DeleteBucketPolicyCommandInput,
  DeletePublicAccessBlockCommandInput,
  GetBucketAclCommandInput,
  GetBucketAclCommandOutput,
  GetBucketLocationCommandInput,
  GetBucketLocationCommandOutput,
  GetBucketPolicyCommandInput,
  GetBucketPolicyCommandOutput,
  GetBucketPolicyStatusCommandInput,
  GetBucketPolicyStatusCommandOutput,
  GetBucketTaggingCommandInput,
  GetBucketTaggingCommandOutput,
  GetPublicAccessBlockCommandInput,
  GetPublicAccessBlockCommandOutput,
  Grant,
  HeadBucketCommandInput,
  ListBucketsCommandInput,
  ListBucketsCommandOutput,
  PublicAccessBlockConfiguration,
  PutBucketAclCommandInput,
  PutBucketOwnershipControlsCommandInput,
  PutBucketPolicyCommandInput,
  PutBucketTaggingCommandInput,
  PutPublicAccessBlockCommandInput,
  Tag,
} from '@aws-sdk/client-s3';
import { parsePolicyDocument, publicStatements, type PolicyDocument } from '../../auditors/policy/index.ts';
import { serviceError } from '../sandboxErrors.ts';
import { page } from '../pagination.ts';
import { operation, required, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface BucketRecord {
  region: string;
  createdAt: string;
  policy?: string;
  grants: Grant[];
  publicAccessBlock?: PublicAccessBlockConfiguration;
  tags?: Tag[];
  objectOwnership: string;
}

interface S3State {
  buckets: Record<string, BucketRecord>;
}

function ownerOf(context: OperationContext) {
  return { ID: `${context.account}${'0'.repeat(52)}`, DisplayName: `sandbox-${context.account}` };
}

function s3(context: OperationContext): S3State {
  return context.global<S3State>('s3', () => ({ buckets: {} }));
}

/** Bucket names are global: a bucket of another account answers AccessDenied, as in AWS. */
function bucketOf(context: OperationContext, name: string | undefined): BucketRecord {
  const bucket = required(name, 'Bucket');
  const own = s3(context).buckets[bucket];
  if (own) return own;
  for (const [account, state] of Object.entries(context.state.accounts)) {
    const other = (state.global.s3 as S3State | undefined)?.buckets[bucket];
    if (other && account !== context.account) throw serviceError('AccessDenied', 403, 'Access Denied');
  }
  throw serviceError('NoSuchBucket', 404, 'The specified bucket does not exist');
}

function bucketName(input: { Bucket?: string }): string {
  return required(input.Bucket, 'Bucket');
}

export const s3Service: SandboxService = {
  serviceId: 'S3',
  operations: {
    ListBuckets: operation((context, input: ListBucketsCommandInput): Output<ListBucketsCommandOutput> => {
      const all = Object.entries(s3(context).buckets)
        .filter(([, b]) => !input.BucketRegion || b.region === input.BucketRegion)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([Name, b]) => ({ Name, CreationDate: new Date(b.createdAt), BucketRegion: b.region }));
      const { items, next } = page(all, input.ContinuationToken, input.MaxBuckets ?? 10_000);
      return { Buckets: items, Owner: ownerOf(context), ...(next ? { ContinuationToken: next } : {}) };
    }),
    CreateBucket: operation((context, input: CreateBucketCommandInput): Output<CreateBucketCommandOutput> => {
      const name = bucketName(input);
      const existing = s3(context).buckets[name];
      if (existing) throw serviceError('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.');
      for (const state of Object.values(context.state.accounts)) {
        if ((state.global.s3 as S3State | undefined)?.buckets[name]) throw serviceError('BucketAlreadyExists', 409, 'The requested bucket name is not available.');
      }
      const region = input.CreateBucketConfiguration?.LocationConstraint ?? 'us-east-1';
      if (region !== context.region) throw serviceError('IllegalLocationConstraintException', 400, `The ${region} location constraint is incompatible for the region specific endpoint this request was sent to.`);
      s3(context).buckets[name] = {
        region,
        createdAt: context.now().toISOString(),
        grants: [{ Grantee: { Type: 'CanonicalUser', ...ownerOf(context) }, Permission: 'FULL_CONTROL' }],
        // New buckets have Block Public Access on and ACLs disabled, as in AWS since April 2023.
        publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        objectOwnership: 'BucketOwnerEnforced',
      };
      return { Location: `/${name}` };
    }),
    DeleteBucket: operation((context, input: DeleteBucketCommandInput) => {
      bucketOf(context, input.Bucket);
      delete s3(context).buckets[bucketName(input)];
      return {};
    }),
    HeadBucket: operation((context, input: HeadBucketCommandInput) => {
      const bucket = bucketOf(context, input.Bucket);
      return { BucketRegion: bucket.region };
    }),
    GetBucketLocation: operation((context, input: GetBucketLocationCommandInput): Output<GetBucketLocationCommandOutput> => {
      const bucket = bucketOf(context, input.Bucket);
      return bucket.region === 'us-east-1' ? {} : { LocationConstraint: bucket.region as GetBucketLocationCommandOutput['LocationConstraint'] };
    }),
    GetBucketPolicy: operation((context, input: GetBucketPolicyCommandInput): Output<GetBucketPolicyCommandOutput> => {
      const bucket = bucketOf(context, input.Bucket);
      if (bucket.policy === undefined) throw serviceError('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
      return { Policy: bucket.policy };
    }),
    // S3's own verdict (IsPublic) is not emulated, as moto does not: moto/s3/responses.py:610
    // _bucket_response_get has no policyStatus branch and answers a listing, which the SDK reads as
    // PolicyStatus {}. With no IsPublic, the auditor's policy analyser decides alone.
    GetBucketPolicyStatus: operation((context, input: GetBucketPolicyStatusCommandInput): Output<GetBucketPolicyStatusCommandOutput> => {
      const bucket = bucketOf(context, input.Bucket);
      if (bucket.policy === undefined) throw serviceError('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
      return { PolicyStatus: {} };
    }),
    PutBucketPolicy: operation((context, input: PutBucketPolicyCommandInput) => {
      const bucket = bucketOf(context, input.Bucket);
      const policy = required(input.Policy, 'Policy');
      let document: PolicyDocument;
      try {
        document = parsePolicyDocument(policy);
      } catch {
        throw serviceError('MalformedPolicy', 400, 'Policies must be valid JSON and the first byte must be \'{\'');
      }
      // Public as the policy analyser judges a statement (an Allow to "*" unrestricted): a Deny to "*" (TLS only) is not.
      if (bucket.publicAccessBlock?.BlockPublicPolicy && publicStatements(document).length > 0) {
        throw serviceError('AccessDenied', 403, 'User is not authorized to perform: s3:PutBucketPolicy because public policies are blocked by the BlockPublicPolicy block public access setting.');
      }
      bucket.policy = policy;
      return {};
    }),
    DeleteBucketPolicy: operation((context, input: DeleteBucketPolicyCommandInput) => {
      bucketOf(context, input.Bucket).policy = undefined;
      return {};
    }),
    GetBucketAcl: operation((context, input: GetBucketAclCommandInput): Output<GetBucketAclCommandOutput> => {
      const bucket = bucketOf(context, input.Bucket);
      return { Owner: ownerOf(context), Grants: bucket.grants };
    }),
    PutBucketAcl: operation((context, input: PutBucketAclCommandInput) => {
      const bucket = bucketOf(context, input.Bucket);
      const grants = input.AccessControlPolicy?.Grants ?? [];
      if (bucket.objectOwnership === 'BucketOwnerEnforced' && grants.some((g) => g.Grantee?.Type === 'Group')) {
        throw serviceError('AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');
      }
      if (bucket.publicAccessBlock?.BlockPublicAcls && grants.some((g) => g.Grantee?.URI?.includes('/global/'))) {
        throw serviceError('AccessDenied', 403, 'Access Denied');
      }
      bucket.grants = grants;
      return {};
    }),
    PutBucketOwnershipControls: operation((context, input: PutBucketOwnershipControlsCommandInput) => {
      const bucket = bucketOf(context, input.Bucket);
      bucket.objectOwnership = input.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? 'BucketOwnerEnforced';
      return {};
    }),
    GetPublicAccessBlock: operation((context, input: GetPublicAccessBlockCommandInput): Output<GetPublicAccessBlockCommandOutput> => {
      const bucket = bucketOf(context, input.Bucket);
      if (!bucket.publicAccessBlock) throw serviceError('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found');
      return { PublicAccessBlockConfiguration: bucket.publicAccessBlock };
    }),
    PutPublicAccessBlock: operation((context, input: PutPublicAccessBlockCommandInput) => {
      bucketOf(context, input.Bucket).publicAccessBlock = required(input.PublicAccessBlockConfiguration, 'PublicAccessBlockConfiguration');
      return {};
    }),
    DeletePublicAccessBlock: operation((context, input: DeletePublicAccessBlockCommandInput) => {
      bucketOf(context, input.Bucket).publicAccessBlock = undefined;
      return {};
    }),
    GetBucketTagging: operation((context, input: GetBucketTaggingCommandInput): Output<GetBucketTaggingCommandOutput> => {
      const bucket = bucketOf(context, input.Bucket);
      if (!bucket.tags || bucket.tags.length === 0) throw serviceError('NoSuchTagSet', 404, 'The TagSet does not exist');
      return { TagSet: bucket.tags };
    }),
    PutBucketTagging: operation((context, input: PutBucketTaggingCommandInput) => {
      bucketOf(context, input.Bucket).tags = input.Tagging?.TagSet ?? [];
      return {};
    }),
  },
};
