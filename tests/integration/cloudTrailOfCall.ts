/**
 * A mutating SDK call the maker sent to moto, as CloudTrail would record it
 * and EventBridge deliver it ("AWS API Call via CloudTrail"), in the one
 * envelope of tests/fixtures/cloudtrail/envelope.ts (`apiCall`).
 *
 * CloudTrail's naming, per service, follows the fixtures of
 * tests/fixtures/cloudtrail/ (each says which shapes are confirmed from real
 * records): query and JSON services (RDS, Redshift, SQS, IAM, Lambda, ELB, KMS, Secrets Manager)
 * records): query and JSON services (RDS, Redshift, SQS, IAM, Lambda, ELB, EFS, OpenSearch)
 * records): query and JSON services (RDS, Redshift, SQS, IAM, Lambda, ELB, KMS, Secrets Manager, SSM)
 * records): query and JSON services (RDS, Redshift, SQS, IAM, Lambda, ELB, EFS, OpenSearch, EKS)
 * write request and response members in lower camel case (`DBInstanceIdentifier`
 * -> `dBInstanceIdentifier`), map keys as sent, secrets as `****`; EC2 writes
 * its query names (`instancesSet.items[]`, `_return`); S3 writes `bucketName`
 * and the request's XML body, with responseElements null; IAM is recorded in
 * us-east-1; Lambda event names carry the API version (`CreateFunction20150331`).
 * Calls no auditor is triggered by get the same rules, which are inferred for them.
 */
import { randomUUID } from 'node:crypto';
import { apiCall, type CloudTrailApiCallEvent, type JsonObject, type JsonValue, type UserIdentity } from '../fixtures/cloudtrail/envelope.ts';
import type { MutatingCall } from './motoPipeline.ts';

interface Recorded {
  eventName: string;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
}

interface ServiceRecording {
  eventSource: string;
  apiVersion?: string;
  /** Where CloudTrail records the call (IAM: us-east-1, whatever region the client used). */
  region?: string;
  record(command: string, input: Record<string, unknown>, output: Record<string, unknown>): Recorded;
}

/** Members whose values are maps (keys are data, written as sent) or secrets (written `****`), per CloudTrail. */
const MAP_MEMBERS = new Set(['Attributes', 'Environment', 'Variables', 'tags']);
const SECRET_MEMBERS = new Set(['MasterUserPassword', 'Password', 'SecretString']);

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** CloudTrail writes times as `Nov 20, 2026, 3:00:41 PM` (UTC) in query and JSON services. */
function cloudTrailTime(date: Date): string {
  return date.toLocaleString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true });
}

/** Lower-camel members, maps as sent, secrets masked, binary (a function's zip) and SDK metadata left out. */
function camelMembers(value: unknown, keepKeys = false): JsonValue | undefined {
  if (value === undefined || value instanceof Uint8Array) return undefined;
  if (value instanceof Date) return cloudTrailTime(value);
  if (Array.isArray(value)) return value.flatMap((item) => camelMembers(item) ?? []);
  if (typeof value !== 'object' || value === null) return value as JsonValue;
  const object: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (key === '$metadata') continue;
    const converted = SECRET_MEMBERS.has(key) ? '****' : camelMembers(member, MAP_MEMBERS.has(key));
    if (converted !== undefined) object[keepKeys ? key : lowerFirst(key)] = converted;
  }
  return object;
}

function camelObject(value: Record<string, unknown>): JsonObject | null {
  const converted = camelMembers(value);
  return typeof converted === 'object' && converted !== null && !Array.isArray(converted) && Object.keys(converted).length > 0 ? converted : null;
}

/** EC2's query names: lower camel, lists as `{ items: [...] }`, a few list names of its own, times as epoch milliseconds. */
const EC2_LIST_NAMES: Readonly<Record<string, string>> = { TagSpecifications: 'tagSpecificationSet', NetworkInterfaces: 'networkInterfaceSet', BlockDeviceMappings: 'blockDeviceMapping', Instances: 'instancesSet', SecurityGroupRules: 'securityGroupRuleSet', Tags: 'tagSet', Groups: 'groupSet' };

function ec2Members(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return { items: value.flatMap((item) => ec2Members(item) ?? []) };
  if (typeof value !== 'object' || value === null) return value as JsonValue;
  const object: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    const converted = key === '$metadata' ? undefined : ec2Members(member);
    if (converted !== undefined) object[key === 'Return' ? '_return' : (EC2_LIST_NAMES[key] ?? lowerFirst(key))] = converted;
  }
  return object;
}

function ec2Object(value: Record<string, unknown>): JsonObject {
  const converted = ec2Members(value);
  return typeof converted === 'object' && converted !== null && !Array.isArray(converted) ? converted : {};
}

/** EC2 requests CloudTrail writes in a form of their own (ec2.ts fixtures: RunInstances, Modify*Attribute). */
function ec2Request(command: string, input: Record<string, unknown>): JsonObject {
  const { ImageId, MinCount, MaxCount, ...rest } = input;
  if (command === 'RunInstances') return { instancesSet: { items: [ec2Object({ ImageId, MinCount, MaxCount })] }, ...ec2Object(rest) };
  const add = (items: JsonValue[]): JsonObject => ({ add: { items } });
  if (command === 'ModifyImageAttribute') {
    const grants = (input.LaunchPermission as { Add?: Record<string, unknown>[] } | undefined)?.Add ?? [];
    return { imageId: String(ImageId), launchPermission: add(grants.map((grant) => ec2Object(grant))), attributeType: String(input.Attribute) };
  }
  if (command === 'ModifySnapshotAttribute') {
    const users = ((input.UserIds as string[] | undefined) ?? []).map((userId) => ({ userId }));
    const groups = ((input.GroupNames as string[] | undefined) ?? []).map((group) => ({ group }));
    return { snapshotId: String(input.SnapshotId), createVolumePermission: add([...users, ...groups]), attributeType: 'CREATE_VOLUME_PERMISSION' };
  }
  return ec2Object(input);
}

/** S3 request bodies are XML: CloudTrail keeps their element names (s3.ts fixtures); PutPublicAccessBlock is recorded as PutBucketPublicAccessBlock. */
const S3_EVENT_NAMES: Readonly<Record<string, string>> = { PutPublicAccessBlock: 'PutBucketPublicAccessBlock' };

function s3Request(input: Record<string, unknown>, region: string): JsonObject {
  // ChecksumAlgorithm is a header of the SDK's, no part of the XML body.
  const { Bucket, Policy, ...body } = input;
  delete body.ChecksumAlgorithm;
  const host = `${String(Bucket)}.s3.${region}.amazonaws.com`;
  const xml = camelMembers(body, true);
  return {
    bucketName: String(Bucket),
    Host: host,
    ...(typeof xml === 'object' && xml !== null && !Array.isArray(xml) ? xml : {}),
    ...(typeof Policy === 'string' ? { bucketPolicy: JSON.parse(Policy) as JsonObject, policy: '' } : {}),
  };
}

/** Lambda event names carry the API version of the operation. */
const LAMBDA_EVENT_NAMES: Readonly<Record<string, string>> = { CreateFunction: 'CreateFunction20150331', AddPermission: 'AddPermission20150331v2', CreateFunctionUrlConfig: 'CreateFunctionUrlConfig20211031' };

function camelCall(eventNames: Readonly<Record<string, string>> = {}, requestNames: Readonly<Record<string, string>> = {}): ServiceRecording['record'] {
  return (command, input, output) => {
    const renamed = Object.fromEntries(Object.entries(input).map(([key, value]) => [requestNames[key] ?? key, value]));
    return { eventName: eventNames[command] ?? command, requestParameters: camelObject(renamed), responseElements: camelObject(output) };
  };
}

function serviceRecordings(region: string): Readonly<Record<string, ServiceRecording>> {
  return {
    S3Client: { eventSource: 's3.amazonaws.com', record: (command, input) => ({ eventName: S3_EVENT_NAMES[command] ?? command, requestParameters: s3Request(input, region), responseElements: null }) },
    EC2Client: { eventSource: 'ec2.amazonaws.com', record: (command, input, output) => ({ eventName: command, requestParameters: ec2Request(command, input), responseElements: { requestId: randomUUID(), ...ec2Object(output) } }) },
    RDSClient: { eventSource: 'rds.amazonaws.com', record: camelCall() },
    RedshiftClient: { eventSource: 'redshift.amazonaws.com', record: camelCall() },
    // sqs.ts fixture (confirmed): CreateQueue's attributes are recorded as `attribute`.
    SQSClient: { eventSource: 'sqs.amazonaws.com', record: (command, input, output) => camelCall({}, command === 'CreateQueue' ? { Attributes: 'Attribute' } : {})(command, input, output) },
    IAMClient: { eventSource: 'iam.amazonaws.com', region: 'us-east-1', record: camelCall() },
    LambdaClient: { eventSource: 'lambda.amazonaws.com', record: camelCall(LAMBDA_EVENT_NAMES) },
    ElasticLoadBalancingClient: { eventSource: 'elasticloadbalancing.amazonaws.com', apiVersion: '2012-06-01', record: camelCall() },
    ElasticLoadBalancingV2Client: { eventSource: 'elasticloadbalancing.amazonaws.com', apiVersion: '2015-12-01', record: camelCall() },
    // kms.ts fixture (KMS CloudTrail examples): keyMetadata.keyId in CreateKey's response, keyId in the requests.
    KMSClient: { eventSource: 'kms.amazonaws.com', record: camelCall() },
    // secretsmanager.ts fixture: the secret's ARN is written "arn" (not the lower-camel "aRN") since February 2024.
    // ssm.ts fixture: JSON members in lower camel case.
    SSMClient: { eventSource: 'ssm.amazonaws.com', record: camelCall() },
    SecretsManagerClient: {
      eventSource: 'secretsmanager.amazonaws.com',
      record: (command, input, output) => camelCall()(command, input, Object.fromEntries(Object.entries(output).map(([key, value]) => [key === 'ARN' ? 'Arn' : key, value]))),
    },
    // sns.ts fixture: CreateTopic's name and topicArn (confirmed), the rest camelCased.
    SNSClient: { eventSource: 'sns.amazonaws.com', record: camelCall() },
    // ecr.ts fixture: CreateRepository's repositoryName and responseElements.repository (confirmed).
    ECRClient: { eventSource: 'ecr.amazonaws.com', record: camelCall() },
    // efs.ts fixture: requestParameters.fileSystemId confirmed; the rest in the same casing.
    EFSClient: { eventSource: 'elasticfilesystem.amazonaws.com', apiVersion: '2015-02-01', record: camelCall() },
    // es.ts fixture: requestParameters.domainName confirmed; the rest in the same casing.
    OpenSearchClient: { eventSource: 'es.amazonaws.com', apiVersion: '2021-01-01', record: camelCall() },
    CloudTrailClient: { eventSource: 'cloudtrail.amazonaws.com', record: camelCall() },
    // dynamodb.ts fixture: requestParameters.tableName (confirmed), the rest camelCased.
    DynamoDBClient: { eventSource: 'dynamodb.amazonaws.com', record: camelCall() },
    ECSClient: { eventSource: 'ecs.amazonaws.com', record: camelCall() },
    // eks.ts fixture: requestParameters.name confirmed; EKS members are already lower camel case.
    EKSClient: { eventSource: 'eks.amazonaws.com', record: camelCall() },
  };
}

/** Who made the call: the role the factory assumed in the account. */
export function callerIdentity(account: string, roleName: string): UserIdentity {
  const principalId = `AROA${account}EXAMPLE`;
  return {
    type: 'AssumedRole',
    principalId: `${principalId}:compliance-auditor`,
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/compliance-auditor`,
    accountId: account,
    accessKeyId: 'ASIAEXAMPLEMOTOCALLER',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId, arn: `arn:aws:iam::${account}:role/${roleName}`, accountId: account, userName: roleName },
      attributes: { creationDate: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
    },
  };
}

/** The call as EventBridge delivers it; throws for a client no recording is written for (add it above). */
export function cloudTrailEventOf(call: MutatingCall, caller: UserIdentity): CloudTrailApiCallEvent {
  const service = serviceRecordings(call.region)[call.client];
  if (!service) throw new Error(`no CloudTrail recording for ${call.client} ${call.command}`);
  const output = typeof call.output === 'object' && call.output !== null ? (call.output as Record<string, unknown>) : {};
  const recorded = service.record(call.command, call.input, output);
  return apiCall({
    id: randomUUID(),
    eventID: randomUUID(),
    requestID: randomUUID(),
    eventSource: service.eventSource,
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: service.region ?? call.region,
    account: call.account,
    userIdentity: caller,
    ...(service.apiVersion ? { apiVersion: service.apiVersion } : {}),
    ...recorded,
    // A failed call: CloudTrail records the error and no response.
    ...(call.error ? { errorCode: call.error, responseElements: null } : {}),
  });
}
