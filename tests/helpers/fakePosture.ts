/**
 * A stateful fake of the services the region auditor reads, per account and
 * region, behind the client factory (as the sandbox plugs in): reads see
 * what earlier writes did, every call is recorded, and any call can be made
 * to fail with a real AWS error name. For enablement, idempotence and
 * many-unit reports without AWS.
 */
import type { CheckContext, ResourceContext } from '../../auditors/contract.ts';
import { ClientFactory, type ClientInterceptor } from '../../services/core/clientFactory.ts';
import type { Config } from '../../services/core/config.ts';
import { answerCommands } from '../../sandbox/answerCommands.ts';
import { STRONG_PASSWORD_POLICY } from '../../sandbox/securityBaseline.ts';
import { NOW, awsError } from './context.ts';

export interface FakeTrail {
  Name: string;
  TrailARN: string;
  HomeRegion: string;
  IsMultiRegionTrail: boolean;
  IsOrganizationTrail: boolean;
  LogFileValidationEnabled: boolean;
  S3BucketName?: string;
  logging: boolean;
}

export interface FakeRegion {
  guardDuty: { detectorId?: string; status?: 'ENABLED' | 'DISABLED'; administrator?: { AccountId: string; RelationshipStatus: string }; members: Record<string, string> };
  config: { recorders: { name: string; roleARN?: string; recording: boolean; lastStatus?: string }[]; channels: { name: string; s3BucketName?: string }[] };
  vpcs: string[];
  flowLogs: { ResourceId: string; FlowLogStatus: string }[];
  ebsEncryptionByDefault: boolean;
  securityHub: { enabled: boolean; standards: { StandardsArn: string; StandardsStatus: string }[] };
  macie: 'ENABLED' | 'PAUSED' | 'NOT_ENABLED';
  inspector: { ec2: string; ecr: string; lambda: string };
  auditManager: string;
}

export interface FakeAccount {
  rootMfa: 0 | 1;
  /** AccountAccessKeysPresent; absent: 0. */
  rootAccessKeys?: 0 | 1;
  passwordPolicy?: Record<string, unknown>;
  publicAccessBlock?: Record<string, boolean>;
  serviceLinkedRoles: string[];
  trails: FakeTrail[];
  regions: Record<string, FakeRegion>;
}

export interface FakeCall {
  account: string;
  region: string;
  service: string;
  operation: string;
  input: Record<string, unknown>;
}

export const STANDARDS = {
  fsbp: (region: string) => `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
  cis12: () => 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0',
  cis3: (region: string) => `arn:aws:securityhub:${region}::standards/cis-aws-foundations-benchmark/v/3.0.0`,
  pci321: (region: string) => `arn:aws:securityhub:${region}::standards/pci-dss/v/3.2.1`,
  pci4: (region: string) => `arn:aws:securityhub:${region}::standards/pci-dss/v/4.0.1`,
} as const;

export function trailArn(account: string, region: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
}

/** A region where every control is on (GuardDuty detector of its own, no administrator). */
export function compliantRegion(region: string, overrides: Partial<FakeRegion> = {}): FakeRegion {
  return {
    guardDuty: { detectorId: `d-${region}`, status: 'ENABLED', members: {} },
    config: { recorders: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }], channels: [{ name: 'default', s3BucketName: 'acme-config' }] },
    vpcs: ['vpc-0a1b2c3d4e5f60001'],
    flowLogs: [{ ResourceId: 'vpc-0a1b2c3d4e5f60001', FlowLogStatus: 'ACTIVE' }],
    ebsEncryptionByDefault: true,
    securityHub: { enabled: true, standards: [{ StandardsArn: STANDARDS.fsbp(region), StandardsStatus: 'READY' }] },
    macie: 'ENABLED',
    inspector: { ec2: 'ENABLED', ecr: 'ENABLED', lambda: 'ENABLED' },
    auditManager: 'ACTIVE',
    ...overrides,
  };
}

/** An account where every control is on in the given regions (trail homed in the first). */
export function compliantAccount(account: string, regions: readonly string[], overrides: Partial<FakeAccount> = {}): FakeAccount {
  const home = regions[0] ?? 'us-east-1';
  return {
    rootMfa: 1,
    passwordPolicy: { ...STRONG_PASSWORD_POLICY, ExpirePasswords: true },
    publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    serviceLinkedRoles: ['AWSServiceRoleForConfig'],
    trails: [
      { Name: 'org-audit', TrailARN: trailArn(account, home, 'org-audit'), HomeRegion: home, IsMultiRegionTrail: true, IsOrganizationTrail: false, LogFileValidationEnabled: true, S3BucketName: 'acme-trail', logging: true },
    ],
    regions: Object.fromEntries(regions.map((region) => [region, compliantRegion(region)])),
    ...overrides,
  };
}

const READ_ONLY = /^(Describe|Get|List|BatchGet)/;

type Handler = (input: Record<string, unknown>, account: FakeAccount, unit: FakeRegion, where: { account: string; region: string }, fake: FakePosture) => object;

export class FakePosture {
  readonly accounts: Record<string, FakeAccount>;
  readonly calls: FakeCall[] = [];
  /** `Service Operation` (or `account/region Service Operation`) -> the error that call raises. */
  readonly errors = new Map<string, Error>();

  constructor(accounts: Record<string, FakeAccount>) {
    this.accounts = accounts;
  }

  /** `Service Operation` -> a fixed answer instead of the state's. */
  readonly answers = new Map<string, object>();

  answer(key: string, output: object): this {
    this.answers.set(key, output);
    return this;
  }

  fail(key: string, error: Error): this {
    this.errors.set(key, error);
    return this;
  }

  mutatingCalls(): FakeCall[] {
    return this.calls.filter((call) => !READ_ONLY.test(call.operation));
  }

  factory(): ClientFactory {
    return new ClientFactory({ memberRoleName: 'ComplianceAuditorMemberRole', assumeRole: false, env: {}, interceptor: this.interceptor() });
  }

  /** What the remediator gives an auditor: clients of the unit, and of any other (account, region). */
  resourceContext(account: string, region: string, config: Config): ResourceContext {
    const factory = this.factory();
    return { account, region, id: '', config, clients: factory.forAccount(account, region), clientsFor: (a, r) => factory.forAccount(a, r) };
  }

  checkContext(account: string, region: string, config: Config): CheckContext {
    return { account, region, id: '', config, trustedAccounts: new Set([account]), now: NOW };
  }

  interceptor(): ClientInterceptor {
    return {
      attach: (client, account, region) => answerCommands(client, 'fakePosture', (service, operation, input) => this.call(service, operation, input as Record<string, unknown>, account, region)),
    };
  }

  call(service: string, operation: string, input: Record<string, unknown>, account: string, region: string): object {
    this.calls.push({ account, region, service, operation, input: structuredClone(input) });
    const error = this.errors.get(`${account}/${region} ${service} ${operation}`) ?? this.errors.get(`${service} ${operation}`);
    if (error) throw error;
    const fixed = this.answers.get(`${service} ${operation}`);
    if (fixed) return structuredClone(fixed);
    const state = this.accounts[account];
    const unit = state?.regions[region];
    if (!state || !unit) throw awsError('UnrecognizedClientException', 400, `no fake account ${account} in ${region}`);
    const handler = HANDLERS[`${service} ${operation}`];
    if (!handler) throw new Error(`the fake posture does not answer ${service} ${operation}`);
    return structuredClone(handler(input, state, unit, { account, region }, this));
  }

  region(account: string, region: string): FakeRegion {
    const unit = this.accounts[account]?.regions[region];
    if (!unit) throw new Error(`no fake unit ${account}/${region}`);
    return unit;
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function trailsSeenIn(account: FakeAccount, region: string): FakeTrail[] {
  return account.trails.filter((t) => t.HomeRegion === region || t.IsMultiRegionTrail || t.IsOrganizationTrail);
}

function findTrail(account: FakeAccount, name: string): FakeTrail {
  const trail = account.trails.find((t) => t.TrailARN === name || t.Name === name);
  if (!trail) throw awsError('TrailNotFoundException', 400, `Unknown trail: ${name}`);
  return trail;
}

const HANDLERS: Record<string, Handler> = {
  'EC2 DescribeRegions': (input, _a, _u, where) => ({ Regions: [{ RegionName: (input.RegionNames as string[] | undefined)?.[0] ?? where.region, OptInStatus: 'opt-in-not-required' }] }),
  // GuardDuty
  'GuardDuty ListDetectors': (_i, _a, unit) => ({ DetectorIds: unit.guardDuty.detectorId ? [unit.guardDuty.detectorId] : [] }),
  'GuardDuty GetDetector': (_i, _a, unit) => ({ Status: unit.guardDuty.status, ServiceRole: 'arn:aws:iam::role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty' }),
  'GuardDuty GetAdministratorAccount': (_i, _a, unit) => (unit.guardDuty.administrator ? { Administrator: { ...unit.guardDuty.administrator, InvitationId: 'inv-1' } } : {}),
  'GuardDuty GetMembers': (input, _a, unit) => ({
    Members: ((input.AccountIds as string[] | undefined) ?? []).flatMap((id) => (unit.guardDuty.members[id] ? [{ AccountId: id, RelationshipStatus: unit.guardDuty.members[id] }] : [])),
    UnprocessedAccounts: [],
  }),
  'GuardDuty CreateDetector': (_i, _a, unit) => {
    unit.guardDuty.detectorId = 'd-created';
    unit.guardDuty.status = 'ENABLED';
    return { DetectorId: 'd-created' };
  },
  'GuardDuty UpdateDetector': (input, _a, unit) => {
    unit.guardDuty.status = input.Enable ? 'ENABLED' : 'DISABLED';
    return {};
  },
  // GuardDuty administration: answered in the administrator's unit, they change the member's unit too
  'GuardDuty CreateMembers': (input, _a, unit, where, fake) => {
    for (const detail of (input.AccountDetails as { AccountId: string }[] | undefined) ?? []) {
      unit.guardDuty.members[detail.AccountId] = 'Enabled';
      const member = fake.region(detail.AccountId, where.region);
      member.guardDuty = { ...member.guardDuty, detectorId: member.guardDuty.detectorId ?? 'd-member', status: 'ENABLED', administrator: { AccountId: where.account, RelationshipStatus: 'Enabled' } };
    }
    return { UnprocessedAccounts: [] };
  },
  'GuardDuty StartMonitoringMembers': (input, _a, unit, where, fake) => {
    for (const id of (input.AccountIds as string[] | undefined) ?? []) {
      unit.guardDuty.members[id] = 'Enabled';
      const member = fake.region(id, where.region);
      if (member.guardDuty.administrator) member.guardDuty.administrator.RelationshipStatus = 'Enabled';
    }
    return { UnprocessedAccounts: [] };
  },
  // AWS Config
  'Config Service DescribeConfigurationRecorders': (_i, _a, unit) => ({ ConfigurationRecorders: unit.config.recorders.map((r) => ({ name: r.name, roleARN: r.roleARN, recordingGroup: { allSupported: true } })) }),
  'Config Service DescribeConfigurationRecorderStatus': (_i, _a, unit) => ({
    ConfigurationRecordersStatus: unit.config.recorders.map((r) => ({ name: r.name, recording: r.recording, lastStatus: r.lastStatus })),
  }),
  'Config Service DescribeDeliveryChannels': (_i, _a, unit) => ({ DeliveryChannels: unit.config.channels }),
  'Config Service PutConfigurationRecorder': (input, _a, unit) => {
    const recorder = input.ConfigurationRecorder as { name: string; roleARN?: string };
    unit.config.recorders.push({ name: recorder.name, roleARN: recorder.roleARN, recording: false });
    return {};
  },
  'Config Service PutDeliveryChannel': (input, _a, unit) => {
    unit.config.channels.push(input.DeliveryChannel as { name: string; s3BucketName?: string });
    return {};
  },
  'Config Service StartConfigurationRecorder': (input, _a, unit) => {
    if (unit.config.channels.length === 0) throw awsError('NoAvailableDeliveryChannelException', 400, 'Delivery channel is not available to start configuration recorder.');
    const recorder = unit.config.recorders.find((r) => r.name === input.ConfigurationRecorderName);
    if (!recorder) throw awsError('NoSuchConfigurationRecorderException', 400, 'Cannot find configuration recorder');
    recorder.recording = true;
    recorder.lastStatus = 'PENDING';
    return {};
  },
  // IAM (global: per account)
  'IAM GetRole': (input, account) => {
    if (!account.serviceLinkedRoles.includes(str(input.RoleName))) throw awsError('NoSuchEntity', 404, `The role with name ${str(input.RoleName)} cannot be found.`);
    return { Role: { RoleName: input.RoleName } };
  },
  'IAM CreateServiceLinkedRole': (input, account) => {
    if (input.AWSServiceName === 'config.amazonaws.com') account.serviceLinkedRoles.push('AWSServiceRoleForConfig');
    return { Role: {} };
  },
  'IAM GetAccountSummary': (_i, account) => ({ SummaryMap: { AccountMFAEnabled: account.rootMfa, AccountAccessKeysPresent: account.rootAccessKeys ?? 0, Users: 4 } }),
  'IAM GetAccountPasswordPolicy': (_i, account) => {
    if (!account.passwordPolicy) throw awsError('NoSuchEntity', 404, 'The Password Policy with domain name 111111111111 cannot be found.');
    return { PasswordPolicy: account.passwordPolicy };
  },
  'IAM UpdateAccountPasswordPolicy': (input, account) => {
    account.passwordPolicy = { ...input, ExpirePasswords: input.MaxPasswordAge !== undefined };
    return {};
  },
  // CloudTrail (trails are per account; a multi-region trail shows in every region)
  'CloudTrail DescribeTrails': (_i, account, _u, where) => ({ trailList: trailsSeenIn(account, where.region).map(({ logging: _logging, ...trail }) => trail) }),
  'CloudTrail GetTrailStatus': (input, account) => ({ IsLogging: findTrail(account, str(input.Name)).logging }),
  'CloudTrail StartLogging': (input, account) => {
    findTrail(account, str(input.Name)).logging = true;
    return {};
  },
  'CloudTrail UpdateTrail': (input, account) => {
    const trail = findTrail(account, str(input.Name));
    if (input.EnableLogFileValidation !== undefined) trail.LogFileValidationEnabled = input.EnableLogFileValidation === true;
    if (input.IsMultiRegionTrail !== undefined) trail.IsMultiRegionTrail = input.IsMultiRegionTrail === true;
    return {};
  },
  'CloudTrail CreateTrail': (input, account, _u, where) => {
    if (account.trails.some((t) => t.Name === input.Name && t.HomeRegion === where.region)) throw awsError('TrailAlreadyExistsException', 400, 'Trail already exists');
    account.trails.push({
      Name: str(input.Name),
      TrailARN: trailArn(where.account, where.region, str(input.Name)),
      HomeRegion: where.region,
      IsMultiRegionTrail: input.IsMultiRegionTrail === true,
      IsOrganizationTrail: false,
      LogFileValidationEnabled: input.EnableLogFileValidation === true,
      S3BucketName: str(input.S3BucketName),
      logging: false,
    });
    return {};
  },
  // EC2
  'EC2 DescribeVpcs': (_i, _a, unit) => ({ Vpcs: unit.vpcs.map((VpcId) => ({ VpcId, State: 'available', CidrBlock: '10.0.0.0/16' })) }),
  'EC2 DescribeFlowLogs': (_i, _a, unit) => ({ FlowLogs: unit.flowLogs.map((f, i) => ({ ...f, FlowLogId: `fl-${i}`, TrafficType: 'ALL' })) }),
  'EC2 CreateFlowLogs': (input, _a, unit) => {
    for (const id of (input.ResourceIds as string[] | undefined) ?? []) unit.flowLogs.push({ ResourceId: id, FlowLogStatus: 'ACTIVE' });
    return { FlowLogIds: ['fl-new'], Unsuccessful: [] };
  },
  'EC2 GetEbsEncryptionByDefault': (_i, _a, unit) => ({ EbsEncryptionByDefault: unit.ebsEncryptionByDefault }),
  'EC2 EnableEbsEncryptionByDefault': (_i, _a, unit) => {
    unit.ebsEncryptionByDefault = true;
    return { EbsEncryptionByDefault: true };
  },
  // Security Hub
  'SecurityHub DescribeHub': (_i, _a, unit, where) => {
    if (!unit.securityHub.enabled) throw awsError('InvalidAccessException', 400, `Account ${where.account} is not subscribed to AWS Security Hub`);
    return { HubArn: `arn:aws:securityhub:${where.region}:${where.account}:hub/default`, AutoEnableControls: true };
  },
  'SecurityHub GetEnabledStandards': (_i, _a, unit) => ({ StandardsSubscriptions: unit.securityHub.standards }),
  'SecurityHub EnableSecurityHub': (_i, _a, unit) => {
    unit.securityHub.enabled = true;
    return {};
  },
  'SecurityHub DescribeStandards': (_i, _a, _u, where) => ({
    Standards: [STANDARDS.fsbp(where.region), STANDARDS.cis12(), STANDARDS.cis3(where.region), STANDARDS.pci321(where.region), STANDARDS.pci4(where.region)].map((StandardsArn) => ({ StandardsArn })),
  }),
  'SecurityHub BatchEnableStandards': (input, _a, unit) => {
    for (const request of (input.StandardsSubscriptionRequests as { StandardsArn: string }[] | undefined) ?? []) {
      unit.securityHub.standards.push({ StandardsArn: request.StandardsArn, StandardsStatus: 'PENDING' });
    }
    return { StandardsSubscriptions: [] };
  },
  // Macie
  'Macie2 GetMacieSession': (_i, _a, unit) => {
    if (unit.macie === 'NOT_ENABLED') throw awsError('AccessDeniedException', 403, 'Macie is not enabled.');
    return { status: unit.macie, findingPublishingFrequency: 'SIX_HOURS' };
  },
  'Macie2 EnableMacie': (_i, _a, unit) => {
    unit.macie = 'ENABLED';
    return {};
  },
  'Macie2 UpdateMacieSession': (_i, _a, unit) => {
    unit.macie = 'ENABLED';
    return {};
  },
  // Inspector
  'Inspector2 BatchGetAccountStatus': (_i, _a, unit, where) => ({
    accounts: [
      {
        accountId: where.account,
        state: { status: Object.values(unit.inspector).some((s) => s === 'ENABLED') ? 'ENABLED' : 'DISABLED' },
        resourceState: { ec2: { status: unit.inspector.ec2 }, ecr: { status: unit.inspector.ecr }, lambda: { status: unit.inspector.lambda } },
      },
    ],
    failedAccounts: [],
  }),
  'Inspector2 Enable': (input, _a, unit) => {
    for (const type of (input.resourceTypes as string[] | undefined) ?? []) {
      if (type === 'EC2') unit.inspector.ec2 = 'ENABLING';
      if (type === 'ECR') unit.inspector.ecr = 'ENABLING';
      if (type === 'LAMBDA') unit.inspector.lambda = 'ENABLING';
    }
    return { accounts: [], failedAccounts: [] };
  },
  // Audit Manager
  'AuditManager GetAccountStatus': (_i, _a, unit) => ({ status: unit.auditManager }),
  'AuditManager RegisterAccount': (_i, _a, unit) => {
    unit.auditManager = 'ACTIVE';
    return { status: 'ACTIVE' };
  },
  // S3 Control (per account)
  'S3 Control GetPublicAccessBlock': (_i, account) => {
    if (!account.publicAccessBlock) throw awsError('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found');
    return { PublicAccessBlockConfiguration: account.publicAccessBlock };
  },
  'S3 Control PutPublicAccessBlock': (input, account) => {
    account.publicAccessBlock = input.PublicAccessBlockConfiguration as Record<string, boolean>;
    return {};
  },
};
