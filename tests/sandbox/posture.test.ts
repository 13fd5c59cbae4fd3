/**
 * Sandbox fidelity for the account and region posture services (GuardDuty
 * has its own file): AWS's defaults for a new account, outputs as the SDK
 * types them, AWS's error names and HTTP status, pagination where AWS
 * paginates.
 */
import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, GetTrailStatusCommand, StartLoggingCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import {
  CreateFlowLogsCommand,
  DescribeFlowLogsCommand,
  DescribeRegionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsEncryptionByDefaultCommand,
  paginateDescribeFlowLogs,
} from '@aws-sdk/client-ec2';
import { GetAccountStatusCommand, AuditManagerClient, RegisterAccountCommand } from '@aws-sdk/client-auditmanager';
import { CreateServiceLinkedRoleCommand, GetAccountPasswordPolicyCommand, GetAccountSummaryCommand, GetRoleCommand, IAMClient, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import { BatchGetAccountStatusCommand, EnableCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { EnableMacieCommand, GetMacieSessionCommand, Macie2Client, UpdateMacieSessionCommand } from '@aws-sdk/client-macie2';
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import {
  BatchEnableStandardsCommand,
  DescribeHubCommand,
  DescribeStandardsCommand,
  EnableSecurityHubCommand,
  GetEnabledStandardsCommand,
  SecurityHubClient,
  paginateDescribeStandards,
} from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import type { IamAccountState } from '../../sandbox/services/iamAccountState.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

let org: SandboxOrganization;

beforeEach(() => {
  org = sandboxOrganization();
});

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('AWS Config (Config Service)', () => {
  const config = () => org.clients().get(ConfigServiceClient);
  const recorder = { name: 'default', roleARN: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } };

  it('a new account has no recorder and no channel', async () => {
    expect((await config().send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders).toEqual([]);
    expect((await config().send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus).toEqual([]);
    expect((await config().send(new DescribeDeliveryChannelsCommand({}))).DeliveryChannels).toEqual([]);
    await expectAwsError(config().send(new DescribeConfigurationRecordersCommand({ ConfigurationRecorderNames: ['default'] })), { name: 'NoSuchConfigurationRecorderException', status: 400 });
  });

  it('a channel needs a recorder, recording needs a channel, one recorder per region', async () => {
    await expectAwsError(config().send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'b' } })), { name: 'NoAvailableConfigurationRecorderException', status: 400 });
    await expectAwsError(config().send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default' } })), { name: 'InvalidRoleException', status: 400 });
    await config().send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: recorder }));
    await expectAwsError(config().send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { ...recorder, name: 'second' } })), {
      name: 'MaxNumberOfConfigurationRecordersExceededException',
      status: 400,
    });
    await expectAwsError(config().send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' })), { name: 'NoAvailableDeliveryChannelException', status: 400 });
    await expectAwsError(config().send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'other' })), { name: 'NoSuchConfigurationRecorderException', status: 400 });
    await config().send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'acme-config' } }));
    await config().send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));

    const [described] = (await config().send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? [];
    expect(described).toMatchObject({ name: 'default', roleARN: recorder.roleARN, recordingGroup: recorder.recordingGroup });
    expect(described?.arn).toMatch(new RegExp(`^arn:aws:config:${REGION}:${ACCOUNT}:configuration-recorder/default/`));
    const [status] = (await config().send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? [];
    expect(status).toMatchObject({ name: 'default', recording: true, lastStatus: 'Pending' });
    expect(status?.lastStartTime).toBeInstanceOf(Date);
    org.clock.advanceSeconds(60);
    expect((await config().send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus?.[0]?.lastStatus).toBe('Success');
    expect((await config().send(new DescribeDeliveryChannelsCommand({}))).DeliveryChannels).toEqual([{ name: 'default', s3BucketName: 'acme-config' }]);
    // Per region: the other region has nothing.
    expect((await org.clients(ACCOUNT, OTHER_REGION).get(ConfigServiceClient).send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders).toEqual([]);
  });
});

describe('CloudTrail', () => {
  const trails = (region = REGION) => org.clients(ACCOUNT, region).get(CloudTrailClient);
  const arn = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/org-audit`;

  it('a new account has no trail', async () => {
    expect((await trails().send(new DescribeTrailsCommand({}))).trailList).toEqual([]);
  });

  it('a multi-region trail shows in every region; it changes in its home region only; a new trail does not log until started', async () => {
    const created = await trails().send(new CreateTrailCommand({ Name: 'org-audit', S3BucketName: 'acme-trail', IsMultiRegionTrail: true, EnableLogFileValidation: false }));
    expect(created).toMatchObject({ Name: 'org-audit', TrailARN: arn, IsMultiRegionTrail: true, LogFileValidationEnabled: false, IncludeGlobalServiceEvents: true, IsOrganizationTrail: false });
    const shadow = (await trails(OTHER_REGION).send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList;
    expect(shadow).toEqual([
      {
        Name: 'org-audit',
        S3BucketName: 'acme-trail',
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: true,
        HomeRegion: REGION,
        TrailARN: arn,
        LogFileValidationEnabled: false,
        HasCustomEventSelectors: false,
        HasInsightSelectors: false,
        IsOrganizationTrail: false,
      },
    ]);
    expect((await trails(OTHER_REGION).send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList).toEqual([]);
    expect((await trails(OTHER_REGION).send(new GetTrailStatusCommand({ Name: arn }))).IsLogging).toBe(false);
    await expectAwsError(trails(OTHER_REGION).send(new GetTrailStatusCommand({ Name: 'org-audit' })), { name: 'TrailNotFoundException', status: 404 });
    await expectAwsError(trails(OTHER_REGION).send(new StartLoggingCommand({ Name: arn })), { name: 'InvalidHomeRegionException', status: 400 });
    await trails().send(new StartLoggingCommand({ Name: 'org-audit' }));
    await trails().send(new UpdateTrailCommand({ Name: arn, EnableLogFileValidation: true }));
    const status = await trails(OTHER_REGION).send(new GetTrailStatusCommand({ Name: arn }));
    expect(status.IsLogging).toBe(true);
    expect(status.StartLoggingTime).toBeInstanceOf(Date);
    expect((await trails().send(new DescribeTrailsCommand({}))).trailList?.[0]?.LogFileValidationEnabled).toBe(true);
  });

  it("refuses a trail name twice, a bad name, and another account's trail", async () => {
    await trails().send(new CreateTrailCommand({ Name: 'org-audit', S3BucketName: 'acme-trail', IsMultiRegionTrail: true }));
    await expectAwsError(trails().send(new CreateTrailCommand({ Name: 'org-audit', S3BucketName: 'acme-trail' })), { name: 'TrailAlreadyExistsException', status: 400 });
    await expectAwsError(trails().send(new CreateTrailCommand({ Name: '-bad name', S3BucketName: 'acme-trail' })), { name: 'InvalidTrailNameException', status: 400 });
    await expectAwsError(org.clients(OTHER_ACCOUNT).get(CloudTrailClient).send(new GetTrailStatusCommand({ Name: arn })), { name: 'TrailNotFoundException', status: 404 });
    await expectAwsError(org.clients(OTHER_ACCOUNT).get(CloudTrailClient).send(new CreateTrailCommand({ Name: 'org', S3BucketName: 'b', IsOrganizationTrail: true })), {
      name: 'NotOrganizationMasterAccountException',
      status: 400,
    });
  });

  it("the management account's organization trail shows in member accounts", async () => {
    await trails().send(new CreateTrailCommand({ Name: 'organization', S3BucketName: 'acme-trail', IsMultiRegionTrail: true, IsOrganizationTrail: true }));
    const seen = (await org.clients(OTHER_ACCOUNT, OTHER_REGION).get(CloudTrailClient).send(new DescribeTrailsCommand({}))).trailList ?? [];
    expect(seen.map((t) => [t.Name, t.IsOrganizationTrail, t.TrailARN])).toEqual([['organization', true, `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/organization`]]);
  });
});

describe('Security Hub', () => {
  const hub = () => org.clients().get(SecurityHubClient);
  const FSBP = `arn:aws:securityhub:${REGION}::standards/aws-foundational-security-best-practices/v/1.0.0`;

  it('a new account is not subscribed: InvalidAccessException (401)', async () => {
    await expectAwsError(hub().send(new DescribeHubCommand({})), { name: 'InvalidAccessException', status: 401, message: new RegExp(`Account ${ACCOUNT} is not subscribed to AWS Security Hub`) });
    await expectAwsError(hub().send(new GetEnabledStandardsCommand({})), { name: 'InvalidAccessException', status: 401 });
  });

  it('EnableSecurityHub turns on the default standards unless told not to; twice is a conflict', async () => {
    await hub().send(new EnableSecurityHubCommand({}));
    expect((await hub().send(new DescribeHubCommand({}))).HubArn).toBe(`arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`);
    const enabled = (await hub().send(new GetEnabledStandardsCommand({}))).StandardsSubscriptions ?? [];
    expect(enabled.map((s) => [s.StandardsArn, s.StandardsStatus, s.StandardsSubscriptionArn])).toEqual([
      [FSBP, 'READY', `arn:aws:securityhub:${REGION}:${ACCOUNT}:subscription/aws-foundational-security-best-practices/v/1.0.0`],
      ['arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0', 'READY', `arn:aws:securityhub:${REGION}:${ACCOUNT}:subscription/cis-aws-foundations-benchmark/v/1.2.0`],
    ]);
    await expectAwsError(hub().send(new EnableSecurityHubCommand({})), { name: 'ResourceConflictException', status: 409 });
  });

  it('BatchEnableStandards: PENDING in the answer, READY when read; an unknown standard is invalid input', async () => {
    await hub().send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    expect((await hub().send(new GetEnabledStandardsCommand({}))).StandardsSubscriptions).toEqual([]);
    const answer = await hub().send(new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: FSBP }] }));
    expect(answer.StandardsSubscriptions?.map((s) => s.StandardsStatus)).toEqual(['PENDING']);
    expect((await hub().send(new GetEnabledStandardsCommand({}))).StandardsSubscriptions?.map((s) => s.StandardsStatus)).toEqual(['READY']);
    await expectAwsError(hub().send(new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: 'arn:aws:securityhub:::standards/nope/v/1' }] })), {
      name: 'InvalidInputException',
      status: 400,
    });
  });

  it('DescribeStandards pages with NextToken', async () => {
    const first = await hub().send(new DescribeStandardsCommand({ MaxResults: 3 }));
    expect(first.Standards).toHaveLength(3);
    expect(first.NextToken).toBeDefined();
    const pages = await collect(paginateDescribeStandards({ client: hub(), pageSize: 3 }, {}));
    const arns = pages.flatMap((p) => p.Standards ?? []).map((s) => s.StandardsArn);
    expect(pages.length).toBe(3);
    expect(arns).toContain(FSBP);
    expect(arns).toContain(`arn:aws:securityhub:${REGION}::standards/pci-dss/v/4.0.1`);
    expect(new Set(arns).size).toBe(arns.length);
  });
});

describe('Macie (Macie2)', () => {
  const macie = () => org.clients().get(Macie2Client);

  it('off: AccessDeniedException "Macie is not enabled." (403); enabled once; paused and resumed', async () => {
    await expectAwsError(macie().send(new GetMacieSessionCommand({})), { name: 'AccessDeniedException', status: 403, message: /^Macie is not enabled\.$/ });
    await expectAwsError(macie().send(new UpdateMacieSessionCommand({ status: 'PAUSED' })), { name: 'AccessDeniedException', status: 403 });
    await macie().send(new EnableMacieCommand({}));
    const session = await macie().send(new GetMacieSessionCommand({}));
    expect(session).toMatchObject({ status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES' });
    expect(session.createdAt).toBeInstanceOf(Date);
    await expectAwsError(macie().send(new EnableMacieCommand({})), { name: 'ConflictException', status: 409 });
    await macie().send(new UpdateMacieSessionCommand({ status: 'PAUSED' }));
    expect((await macie().send(new GetMacieSessionCommand({}))).status).toBe('PAUSED');
  });
});

describe('Inspector (Inspector2)', () => {
  const inspector = () => org.clients().get(Inspector2Client);

  it('every scan type DISABLED in a new account; Enable answers ENABLING, reads then say ENABLED', async () => {
    const before = await inspector().send(new BatchGetAccountStatusCommand({ accountIds: [ACCOUNT] }));
    expect(before.accounts?.[0]?.state?.status).toBe('DISABLED');
    expect(before.accounts?.[0]?.resourceState).toMatchObject({ ec2: { status: 'DISABLED' }, ecr: { status: 'DISABLED' }, lambda: { status: 'DISABLED' } });
    expect(before.failedAccounts).toEqual([]);
    const enabled = await inspector().send(new EnableCommand({ accountIds: [ACCOUNT], resourceTypes: ['EC2', 'LAMBDA'] }));
    expect(enabled.accounts).toEqual([{ accountId: ACCOUNT, status: 'ENABLING', resourceStatus: { ec2: 'ENABLING', ecr: 'DISABLED', lambda: 'ENABLING', lambdaCode: 'DISABLED' } }]);
    const after = await inspector().send(new BatchGetAccountStatusCommand({}));
    expect(after.accounts?.[0]?.resourceState).toMatchObject({ ec2: { status: 'ENABLED' }, ecr: { status: 'DISABLED' }, lambda: { status: 'ENABLED' } });
    expect(after.accounts?.[0]?.state?.status).toBe('ENABLED');
  });

  it("another account's status is refused per account, in a 200 answer; Enable needs resource types", async () => {
    const answer = await inspector().send(new BatchGetAccountStatusCommand({ accountIds: [OTHER_ACCOUNT] }));
    expect(answer.accounts).toEqual([]);
    expect(answer.failedAccounts).toMatchObject([{ accountId: OTHER_ACCOUNT, errorCode: 'ACCESS_DENIED' }]);
    await expectAwsError(inspector().send(new EnableCommand({ resourceTypes: [] })), { name: 'ValidationException', status: 400 });
  });
});

describe('Audit Manager', () => {
  it('INACTIVE until RegisterAccount', async () => {
    const client = org.clients().get(AuditManagerClient);
    expect((await client.send(new GetAccountStatusCommand({}))).status).toBe('INACTIVE');
    expect((await client.send(new RegisterAccountCommand({}))).status).toBe('ACTIVE');
    expect((await client.send(new GetAccountStatusCommand({}))).status).toBe('ACTIVE');
  });

  it('a region without Audit Manager: the endpoint does not resolve', async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT], regions: ['sa-east-1'] }));
    const client = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} }).forAccount(ACCOUNT, 'sa-east-1').get(AuditManagerClient);
    await expect(client.send(new GetAccountStatusCommand({}))).rejects.toThrow('getaddrinfo ENOTFOUND auditmanager.sa-east-1.amazonaws.com');
  });
});

describe('EC2: regions, VPCs, flow logs, EBS encryption by default', () => {
  const ec2 = (account = ACCOUNT, region = REGION) => org.clients(account, region).get(EC2Client);

  it("DescribeRegions: the account's regions enabled; an opt-in region it lacks is not-opted-in (AllRegions only)", async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT, OTHER_ACCOUNT], regions: [REGION, 'af-south-1'] }));
    delete sandbox.state.accounts[OTHER_ACCOUNT]?.regions['af-south-1'];
    const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
    const client = (account: string) => factory.forAccount(account, REGION).get(EC2Client);
    expect((await client(ACCOUNT).send(new DescribeRegionsCommand({}))).Regions).toEqual([
      { Endpoint: 'ec2.af-south-1.amazonaws.com', RegionName: 'af-south-1', OptInStatus: 'opted-in' },
      { Endpoint: `ec2.${REGION}.amazonaws.com`, RegionName: REGION, OptInStatus: 'opt-in-not-required' },
    ]);
    expect((await client(OTHER_ACCOUNT).send(new DescribeRegionsCommand({}))).Regions?.map((r) => r.RegionName)).toEqual([REGION]);
    const all = await client(OTHER_ACCOUNT).send(new DescribeRegionsCommand({ AllRegions: true, RegionNames: ['af-south-1'] }));
    expect(all.Regions).toEqual([{ Endpoint: 'ec2.af-south-1.amazonaws.com', RegionName: 'af-south-1', OptInStatus: 'not-opted-in' }]);
    const optIn = await client(OTHER_ACCOUNT).send(new DescribeRegionsCommand({ AllRegions: true, Filters: [{ Name: 'opt-in-status', Values: ['not-opted-in'] }] }));
    expect(optIn.Regions?.length).toBeGreaterThan(10);
    await expectAwsError(client(ACCOUNT).send(new DescribeRegionsCommand({ RegionNames: ['moon-1'] })), { name: 'InvalidParameterValue', status: 400 });
  });

  it('EBS encryption by default: off in a new account, per region', async () => {
    expect(await ec2().send(new GetEbsEncryptionByDefaultCommand({}))).toMatchObject({ EbsEncryptionByDefault: false, SseType: 'sse-ebs' });
    expect((await ec2().send(new EnableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    expect((await ec2().send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    expect((await ec2(ACCOUNT, OTHER_REGION).send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
  });

  it('DescribeVpcs: the default VPC every region starts with; filters; unknown and malformed ids', async () => {
    const { Vpcs } = await ec2().send(new DescribeVpcsCommand({}));
    expect(Vpcs).toHaveLength(1);
    const vpc = Vpcs?.[0];
    expect(vpc).toMatchObject({ CidrBlock: '172.31.0.0/16', IsDefault: true, State: 'available', OwnerId: ACCOUNT, InstanceTenancy: 'default' });
    expect(vpc?.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect((await ec2().send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['false'] }] }))).Vpcs).toEqual([]);
    expect((await ec2().send(new DescribeVpcsCommand({ VpcIds: [vpc?.VpcId ?? ''] }))).Vpcs?.map((v) => v.VpcId)).toEqual([vpc?.VpcId]);
    await expectAwsError(ec2().send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })), { name: 'InvalidVpcID.NotFound', status: 400, message: /The vpc ID 'vpc-0123456789abcdef0' does not exist/ });
    await expectAwsError(ec2().send(new DescribeVpcsCommand({ VpcIds: ['vpc-x'] })), { name: 'InvalidVpcID.Malformed', status: 400 });
    await expectAwsError(ec2().send(new DescribeVpcsCommand({ MaxResults: 1 })), { name: 'InvalidParameterValue', status: 400 });
  });

  it('flow logs: none in a new account; created per VPC; a duplicate or an unknown VPC is Unsuccessful; pages and filters', async () => {
    expect((await ec2().send(new DescribeFlowLogsCommand({}))).FlowLogs).toEqual([]);
    const vpcId = (await ec2().send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId ?? '';
    const toS3 = { ResourceType: 'VPC' as const, TrafficType: 'ALL' as const, LogDestinationType: 's3' as const, LogDestination: 'arn:aws:s3:::acme-flow-logs' };
    const created = await ec2().send(new CreateFlowLogsCommand({ ...toS3, ResourceIds: [vpcId, 'vpc-0123456789abcdef0'] }));
    expect(created.FlowLogIds).toHaveLength(1);
    expect(created.FlowLogIds?.[0]).toMatch(/^fl-[0-9a-f]{17}$/);
    expect(created.Unsuccessful).toEqual([{ ResourceId: 'vpc-0123456789abcdef0', Error: { Code: 'InvalidVpcID.NotFound', Message: "The vpc ID 'vpc-0123456789abcdef0' does not exist" } }]);
    const again = await ec2().send(new CreateFlowLogsCommand({ ...toS3, ResourceIds: [vpcId] }));
    expect(again.FlowLogIds).toEqual([]);
    expect(again.Unsuccessful?.[0]?.Error?.Code).toBe('FlowLogAlreadyExists');
    await ec2().send(new CreateFlowLogsCommand({ ...toS3, ResourceIds: [vpcId], LogDestination: 'arn:aws:s3:::other-bucket', TrafficType: 'REJECT' }));

    const [flowLog] = (await ec2().send(new DescribeFlowLogsCommand({ FlowLogIds: created.FlowLogIds }))).FlowLogs ?? [];
    expect(flowLog).toMatchObject({ FlowLogId: created.FlowLogIds?.[0], ResourceId: vpcId, FlowLogStatus: 'ACTIVE', DeliverLogsStatus: 'SUCCESS', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::acme-flow-logs', MaxAggregationInterval: 600 });
    expect(flowLog?.CreationTime).toBeInstanceOf(Date);
    const first = await ec2().send(new DescribeFlowLogsCommand({ MaxResults: 1 }));
    expect(first.FlowLogs).toHaveLength(1);
    expect(first.NextToken).toBeDefined();
    const pages = await collect(paginateDescribeFlowLogs({ client: ec2(), pageSize: 1 }, {}));
    expect(pages.flatMap((p) => p.FlowLogs ?? []).map((f) => f.TrafficType)).toEqual(['ALL', 'REJECT']);
    expect((await ec2().send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'traffic-type', Values: ['REJECT'] }] }))).FlowLogs).toHaveLength(1);
    expect((await ec2().send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: ['vpc-0123456789abcdef0'] }] }))).FlowLogs).toEqual([]);
    expect((await ec2(ACCOUNT, OTHER_REGION).send(new DescribeFlowLogsCommand({}))).FlowLogs).toEqual([]);
  });

  it('CreateFlowLogs validates its destination and parameters', async () => {
    const vpcId = (await ec2().send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId ?? '';
    const logGroup = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:flow-logs`;
    await expectAwsError(ec2().send(new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogDestination: logGroup })), { name: 'InvalidParameter', status: 400 });
    await expectAwsError(ec2().send(new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::b' })), { name: 'MissingParameter', status: 400 });
    const created = await ec2().send(
      new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogDestination: logGroup, DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/flow-logs` }),
    );
    const [flowLog] = (await ec2().send(new DescribeFlowLogsCommand({ FlowLogIds: created.FlowLogIds }))).FlowLogs ?? [];
    expect(flowLog).toMatchObject({ LogDestinationType: 'cloud-watch-logs', LogGroupName: 'flow-logs', DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/flow-logs` });
  });
});

describe('IAM: account summary, password policy, service-linked roles', () => {
  const iam = () => org.clients().get(IAMClient);

  it('root access keys (which only the root user can make, so the state is seeded) show in AccountAccessKeysPresent', async () => {
    await iam().send(new GetAccountSummaryCommand({}));
    const account = org.sandbox.state.accounts[ACCOUNT];
    if (!account) throw new Error('no sandbox account');
    (account.global.iamaccount as IamAccountState).rootAccessKeys = true;
    const { SummaryMap } = await iam().send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({ AccountAccessKeysPresent: 1 });
  });

  it('a new member account: no root MFA, no password policy (NoSuchEntity, 404)', async () => {
    const { SummaryMap } = await iam().send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({ AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, Users: 0, Roles: 0, UsersQuota: 5000 });
    await expectAwsError(iam().send(new GetAccountPasswordPolicyCommand({})), {
      name: 'NoSuchEntityException',
      code: 'NoSuchEntity',
      status: 404,
      message: new RegExp(`The Password Policy with domain name ${ACCOUNT} cannot be found.`),
    });
  });

  it('UpdateAccountPasswordPolicy replaces the policy; what it leaves out takes IAM’s defaults; out of range is a ValidationError', async () => {
    await iam().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true, MaxPasswordAge: 90, PasswordReusePrevention: 24 }));
    expect((await iam().send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toEqual({
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: false,
      RequireUppercaseCharacters: false,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
    });
    await iam().send(new UpdateAccountPasswordPolicyCommand({ RequireNumbers: true }));
    expect((await iam().send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toMatchObject({ MinimumPasswordLength: 8, RequireNumbers: true, RequireSymbols: false, ExpirePasswords: false });
    expect((await iam().send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy?.MaxPasswordAge).toBeUndefined();
    await expectAwsError(iam().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 200 })), { name: 'ValidationError', status: 400, message: /minimumPasswordLength/ });
    await expectAwsError(iam().send(new UpdateAccountPasswordPolicyCommand({ PasswordReusePrevention: 25 })), { name: 'ValidationError', status: 400 });
    // IAM is global: the other region sees the same policy.
    expect((await org.clients(ACCOUNT, OTHER_REGION).get(IAMClient).send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy?.RequireNumbers).toBe(true);
  });

  it("CreateServiceLinkedRole: AWS Config's role at its service path, once", async () => {
    const { Role } = await iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'config.amazonaws.com' }));
    expect(Role).toMatchObject({ RoleName: 'AWSServiceRoleForConfig', Path: '/aws-service-role/config.amazonaws.com/', Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig` });
    const fetched = await iam().send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForConfig' }));
    expect(decodeURIComponent(fetched.Role?.AssumeRolePolicyDocument ?? '')).toContain('"Service":"config.amazonaws.com"');
    await expectAwsError(iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'config.amazonaws.com' })), { name: 'InvalidInput', status: 400 });
    expect((await iam().send(new GetAccountSummaryCommand({}))).SummaryMap?.Roles).toBe(1);
  });
});

describe('S3 Control: the account-level Public Access Block', () => {
  const control = (account = ACCOUNT) => org.clients(account).get(S3ControlClient);

  it('none in a new account (404); flags left out are false; only the account itself', async () => {
    await expectAwsError(control().send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT })), { name: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
    await control().send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true } }));
    expect((await control().send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    await expectAwsError(control(OTHER_ACCOUNT).send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT })), { name: 'AccessDenied', status: 403 });
    await expectAwsError(control(OTHER_ACCOUNT).send(new GetPublicAccessBlockCommand({ AccountId: OTHER_ACCOUNT })), { name: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
  });
});

describe('STS', () => {
  it('GetCallerIdentity: the member account, or for the security account the management account it acts as', async () => {
    expect((await org.clients(OTHER_ACCOUNT).get(STSClient).send(new GetCallerIdentityCommand({}))).Account).toBe(OTHER_ACCOUNT);
    const self = await org.factory.forSecurityAccount(REGION).get(STSClient).send(new GetCallerIdentityCommand({}));
    expect(self).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SandboxRole/sandbox` });
  });
});
