/**
 * The sandbox's CloudTrail (serviceId 'CloudTrail'): trails of an account,
 * each with its home region. A multi-region trail shows in every region
 * (a shadow trail); an organization trail of the management account shows
 * in every member account too. Trails change only in their home region, as
 * in AWS. A new account has no trail.
 *
 * A trail keeps its KMS key (as the key's ARN, the form CloudTrail
 * answers), its CloudWatch Logs log group and role, and its tags.
 *
 * Not modelled: the S3 bucket (and its policy), the KMS key and the log
 * group a trail delivers to are not checked; no log files are written.
 */
import type {
  CreateTrailCommandInput,
  CreateTrailCommandOutput,
  DeleteTrailCommandInput,
  DescribeTrailsCommandInput,
  DescribeTrailsCommandOutput,
  GetTrailCommandInput,
  GetTrailCommandOutput,
  GetTrailStatusCommandInput,
  GetTrailStatusCommandOutput,
  ListTagsCommandInput,
  ListTagsCommandOutput,
  StartLoggingCommandInput,
  Trail,
  UpdateTrailCommandInput,
  UpdateTrailCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { partitionOf } from '../../services/core/regions.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

export interface TrailRecord {
  name: string;
  account: string;
  homeRegion: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  includeGlobalServiceEvents: boolean;
  multiRegion: boolean;
  organization: boolean;
  logFileValidation: boolean;
  logging: boolean;
  startLoggingTime?: string;
  stopLoggingTime?: string;
  /** The KMS key's ARN; undefined: SSE-S3 only. */
  kmsKeyId?: string;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  tags?: { Key: string; Value: string }[];
}

interface CloudTrailState {
  /** By trail ARN. */
  trails: Record<string, TrailRecord>;
}

function trailsOf(state: { global: Record<string, unknown> } | undefined): CloudTrailState | undefined {
  return state?.global.cloudtrail as CloudTrailState | undefined;
}

function ownTrails(context: OperationContext): CloudTrailState {
  return context.global<CloudTrailState>('cloudtrail', () => ({ trails: {} }));
}

export function trailArn(account: string, region: string, name: string): string {
  return `arn:${partitionOf(region)}:cloudtrail:${region}:${account}:trail/${name}`;
}

function arnOf(trail: TrailRecord): string {
  return trailArn(trail.account, trail.homeRegion, trail.name);
}

/** Every trail this account sees in this region: its own (home here, or multi-region) and the organization's. */
function visibleTrails(context: OperationContext): TrailRecord[] {
  const own = Object.values(ownTrails(context).trails);
  const management = context.state.managementAccount;
  const organization =
    management === context.account ? [] : Object.values(trailsOf(context.state.accounts[management])?.trails ?? {}).filter((trail) => trail.organization);
  return [...own, ...organization].filter((trail) => trail.homeRegion === context.region || trail.multiRegion);
}

function trailNotFound(context: OperationContext, name: string): Error {
  return serviceError('TrailNotFoundException', 404, `Unknown trail: ${name} for the user: ${context.account}`);
}

/** A trail by name (its home region only) or by ARN (wherever it shows). */
function findTrail(context: OperationContext, name: string | undefined): TrailRecord {
  if (!name) throw serviceError('InvalidTrailNameException', 400, 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  const byArn = name.startsWith('arn:');
  const trail = visibleTrails(context).find((candidate) => (byArn ? arnOf(candidate) === name : candidate.name === name && candidate.homeRegion === context.region));
  if (!trail) throw trailNotFound(context, name);
  return trail;
}

/** Changes are made in the trail's home region, by its owner. */
function ownTrailHere(context: OperationContext, name: string | undefined): TrailRecord {
  const trail = findTrail(context, name);
  if (trail.account !== context.account) throw trailNotFound(context, name ?? '');
  if (trail.homeRegion !== context.region) {
    throw serviceError('InvalidHomeRegionException', 400, `This operation must be called from the trail's home region (${trail.homeRegion}).`);
  }
  return trail;
}

/** What CreateTrail and UpdateTrail answer: the trail without its home region and selector flags. */
function changedOutput(trail: TrailRecord): Output<CreateTrailCommandOutput> & Output<UpdateTrailCommandOutput> {
  return {
    Name: trail.name,
    S3BucketName: trail.s3BucketName,
    ...(trail.s3KeyPrefix ? { S3KeyPrefix: trail.s3KeyPrefix } : {}),
    IncludeGlobalServiceEvents: trail.includeGlobalServiceEvents,
    IsMultiRegionTrail: trail.multiRegion,
    TrailARN: arnOf(trail),
    LogFileValidationEnabled: trail.logFileValidation,
    ...(trail.cloudWatchLogsLogGroupArn ? { CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn } : {}),
    ...(trail.cloudWatchLogsRoleArn ? { CloudWatchLogsRoleArn: trail.cloudWatchLogsRoleArn } : {}),
    ...(trail.kmsKeyId ? { KmsKeyId: trail.kmsKeyId } : {}),
    IsOrganizationTrail: trail.organization,
  };
}

/**
 * CloudTrail answers a trail's key as the key's full ARN, whatever form
 * (key id, alias, ARN) the call named it in; an alias stays an alias ARN
 * here, as the sandbox holds no KMS keys to resolve it to.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html#awscloudtrail-CreateTrail-request-KmsKeyId
 */
function kmsKeyArn(context: OperationContext, keyId: string): string {
  if (keyId.startsWith('arn:')) return keyId;
  const resource = keyId.startsWith('alias/') ? keyId : `key/${keyId}`;
  return `arn:${partitionOf(context.region)}:kms:${context.region}:${context.account}:${resource}`;
}

/** The encryption and CloudWatch Logs settings a CreateTrail or UpdateTrail names. */
function deliverySettings(context: OperationContext, input: CreateTrailCommandInput | UpdateTrailCommandInput): Partial<TrailRecord> {
  return {
    ...(input.KmsKeyId ? { kmsKeyId: kmsKeyArn(context, input.KmsKeyId) } : {}),
    ...(input.CloudWatchLogsLogGroupArn ? { cloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn } : {}),
    ...(input.CloudWatchLogsRoleArn ? { cloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn } : {}),
  };
}

function trailOutput(trail: TrailRecord): Trail {
  return { ...changedOutput(trail), HomeRegion: trail.homeRegion, HasCustomEventSelectors: false, HasInsightSelectors: false };
}

const TRAIL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?![._-])){1,126}[A-Za-z0-9]$/;

export const cloudTrailService: SandboxService = {
  serviceId: 'CloudTrail',
  operations: {
    DescribeTrails: operation((context, input: DescribeTrailsCommandInput): Output<DescribeTrailsCommandOutput> => {
      const shadows = input.includeShadowTrails ?? true;
      const names = input.trailNameList ?? [];
      const trails = visibleTrails(context)
        .filter((trail) => shadows || (trail.homeRegion === context.region && trail.account === context.account))
        .filter((trail) => names.length === 0 || names.includes(trail.name) || names.includes(arnOf(trail)))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { trailList: trails.map(trailOutput) };
    }),

    GetTrail: operation((context, input: GetTrailCommandInput): Output<GetTrailCommandOutput> => ({ Trail: trailOutput(findTrail(context, input.Name)) })),

    ListTags: operation((context, input: ListTagsCommandInput): Output<ListTagsCommandOutput> => {
      const arns = input.ResourceIdList ?? [];
      const visible = visibleTrails(context);
      return {
        ResourceTagList: arns.map((arn) => {
          const trail = visible.find((candidate) => arnOf(candidate) === arn);
          if (!trail) throw serviceError('ResourceNotFoundException', 400, `Resource not found: ${arn}`);
          return { ResourceId: arn, TagsList: trail.tags ?? [] };
        }),
      };
    }),

    DeleteTrail: operation((context, input: DeleteTrailCommandInput) => {
      const trail = ownTrailHere(context, input.Name);
      delete ownTrails(context).trails[arnOf(trail)];
      return {};
    }),

    GetTrailStatus: operation((context, input: GetTrailStatusCommandInput): Output<GetTrailStatusCommandOutput> => {
      const trail = findTrail(context, input.Name);
      return {
        IsLogging: trail.logging,
        ...(trail.startLoggingTime ? { StartLoggingTime: new Date(trail.startLoggingTime), TimeLoggingStarted: trail.startLoggingTime } : {}),
        ...(trail.stopLoggingTime ? { StopLoggingTime: new Date(trail.stopLoggingTime), TimeLoggingStopped: trail.stopLoggingTime } : {}),
      };
    }),

    CreateTrail: operation((context, input: CreateTrailCommandInput): Output<CreateTrailCommandOutput> => {
      const name = input.Name ?? '';
      if (!TRAIL_NAME.test(name)) throw serviceError('InvalidTrailNameException', 400, `Trail name ${name} is invalid: 3 to 128 letters, numbers, periods, hyphens and underscores, starting and ending with a letter or number.`);
      if (!input.S3BucketName) throw serviceError('InvalidS3BucketNameException', 400, 'S3 bucket name is required.');
      if (input.IsOrganizationTrail && context.account !== context.state.managementAccount) {
        throw serviceError('NotOrganizationMasterAccountException', 400, 'The request was rejected because the account is not the management account of the organization.');
      }
      if (visibleTrails(context).some((trail) => trail.name === name && trail.account === context.account)) {
        throw serviceError('TrailAlreadyExistsException', 400, `Trail ${name} already exists for customer: ${context.account}`);
      }
      const trail: TrailRecord = {
        name,
        account: context.account,
        homeRegion: context.region,
        s3BucketName: input.S3BucketName,
        ...(input.S3KeyPrefix ? { s3KeyPrefix: input.S3KeyPrefix } : {}),
        includeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
        multiRegion: input.IsMultiRegionTrail === true,
        organization: input.IsOrganizationTrail === true,
        logFileValidation: input.EnableLogFileValidation === true,
        // A new trail does not log until StartLogging, as with the API (the console starts it for you).
        logging: false,
        ...deliverySettings(context, input),
        ...(input.TagsList ? { tags: input.TagsList.flatMap((tag) => (tag.Key ? [{ Key: tag.Key, Value: tag.Value ?? '' }] : [])) } : {}),
      };
      ownTrails(context).trails[arnOf(trail)] = trail;
      return changedOutput(trail);
    }),

    UpdateTrail: operation((context, input: UpdateTrailCommandInput): Output<UpdateTrailCommandOutput> => {
      const trail = ownTrailHere(context, input.Name);
      if (input.IsOrganizationTrail && context.account !== context.state.managementAccount) {
        throw serviceError('NotOrganizationMasterAccountException', 400, 'The request was rejected because the account is not the management account of the organization.');
      }
      if (input.S3BucketName !== undefined) trail.s3BucketName = input.S3BucketName;
      if (input.S3KeyPrefix !== undefined) trail.s3KeyPrefix = input.S3KeyPrefix;
      if (input.IncludeGlobalServiceEvents !== undefined) trail.includeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
      if (input.IsMultiRegionTrail !== undefined) trail.multiRegion = input.IsMultiRegionTrail;
      if (input.IsOrganizationTrail !== undefined) trail.organization = input.IsOrganizationTrail;
      if (input.EnableLogFileValidation !== undefined) trail.logFileValidation = input.EnableLogFileValidation;
      Object.assign(trail, deliverySettings(context, input));
      return changedOutput(trail);
    }),

    StartLogging: operation((context, input: StartLoggingCommandInput) => {
      const trail = ownTrailHere(context, input.Name);
      if (!trail.logging) {
        trail.logging = true;
        trail.startLoggingTime = context.now().toISOString();
      }
      return {};
    }),
  },
};
