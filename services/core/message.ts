import { z } from 'zod';
import { InvalidMessageError } from './errors.ts';
import { accountIdSchema, regionSchema } from './fieldSchemas.ts';
import { RESOURCE_TYPES, type ResourceType } from './resourceTypes.ts';

/** Longest id we accept: ARNs are at most 2,048 characters. */
export const MAX_ID_LENGTH = 2048;

/**
 * Longest id per type, from AWS's naming rules, where AWS has one; the
 * others (queue URLs, load balancer ARNs) keep MAX_ID_LENGTH.
 */
export const MAX_ID_LENGTHS: Readonly<Partial<Record<ResourceType, number>>> = {
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
  s3_bucket: 63,
  // EC2 ids are a prefix and 8 or 17 hex digits: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
  // An instance, or the network interface an AssociateAddress names (audited as its instance).
  ec2: 'eni-'.length + 17,
  ami: 'ami-'.length + 17,
  ebs_snapshot: 'snap-'.length + 17,
  ebs_volume: 'vol-'.length + 17,
  security_group: 'sg-'.length + 17,
  // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints
  rds: 63,
  rds_snapshot: 255,
  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
  redshift: 63,
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
  iam_user: 64,
  iam_role: 64,
  // A function name, or its ARN with a qualifier: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
  lambda_function: 170,
  // https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_CreateLoadBalancer.html
  elb: 32,
  // A key id: 36 characters (a UUID, or mrk- and 32 hex digits): https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-id
  kms_key: 36,
  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
  ecr_repository: 256,
  // FileSystemId pattern fs-[0-9a-f]{8,40} (the triggers turn an ARN into it): https://docs.aws.amazon.com/efs/latest/ug/API_FileSystemDescription.html
  efs_file_system: 'fs-'.length + 40,
  // 3 to 28 characters: https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_CreateDomain.html
  opensearch_domain: 28,
  // 3 to 128 characters: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html#API_CreateTrail_RequestSyntax
  cloudtrail_trail: 128,
  // 3 to 255 characters: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
  dynamodb_table: 255,
  // A document name: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html#systemsmanager-CreateDocument-request-Name
  ssm_document: 128,
  // A family: up to 255 letters, numbers, hyphens and underscores: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html#ECS-RegisterTaskDefinition-request-family
  ecs_task_definition: 255,
  // 1 to 100 characters: https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html
  eks_cluster: 100,
};

const FIELDS = ['account', 'region', 'type', 'id'] as const;

/**
 * The one resource message, the same on stdout, on SQS and in tests:
 * `{"account":"123456789012","region":"us-east-1","type":"s3_bucket","id":"my-bucket"}`.
 */
export const resourceMessageSchema = z
  .object({
    account: accountIdSchema,
    region: regionSchema,
    type: z.enum(RESOURCE_TYPES, { error: `must be one of ${RESOURCE_TYPES.join(', ')}` }),
    id: z.string().max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`),
  })
  .refine((m) => (m.type === 'region' ? m.id === '' : m.id.length > 0), {
    path: ['id'],
    message: 'must be "" for type region and non-empty for every other type',
  })
  .superRefine((m, context) => {
    const limit = MAX_ID_LENGTHS[m.type];
    if (limit !== undefined && m.id.length > limit) {
      context.addIssue({ code: 'custom', path: ['id'], message: `must be at most ${limit} characters for type ${m.type} (AWS naming rules)` });
    }
  });

export interface ResourceMessage {
  account: string;
  region: string;
  type: ResourceType;
  id: string;
}

export interface ParsedMessage {
  message: ResourceMessage;
  /** Fields the message carried that are not part of the schema: ignored. */
  ignoredFields: string[];
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Validate an already-decoded value. Errors name the field and the bad value. */
export function validateResourceMessage(value: unknown): ParsedMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new InvalidMessageError([`message must be a JSON object, got ${kind}`]);
  }
  const record = value as Record<string, unknown>;
  const result = resourceMessageSchema.safeParse(record);
  const ref = {
    account: typeof record.account === 'string' ? record.account : undefined,
    region: typeof record.region === 'string' ? record.region : undefined,
    type: typeof record.type === 'string' ? record.type : undefined,
    id: typeof record.id === 'string' ? record.id.slice(0, 200) : undefined,
  };
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const field = issue.path.join('.') || 'message';
      if (!(field in record)) return `${field}: is required`;
      return `${field}: ${issue.message} (got ${show(record[field])})`;
    });
    throw new InvalidMessageError(issues, ref);
  }
  const ignoredFields = Object.keys(record).filter((key) => !(FIELDS as readonly string[]).includes(key));
  return { message: result.data, ignoredFields };
}

/** Decode and validate one message body (an SQS body or a line of stdin). */
export function parseResourceMessage(body: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidMessageError([`body is not JSON (${reason}): ${show(body)}`]);
  }
  return validateResourceMessage(value);
}

export function formatResourceMessage(message: ResourceMessage): string {
  return JSON.stringify({ account: message.account, region: message.region, type: message.type, id: message.id });
}

export function describeResource(ref: { account?: string; region?: string; type?: string; id?: string }): string {
  return `${ref.type ?? '?'} ${ref.id === '' ? '(region)' : (ref.id ?? '?')} in ${ref.account ?? '?'}/${ref.region ?? '?'}`;
}
