import {
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceMetadataOptionsCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
  type InstanceNetworkInterface,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { ec2Auditor } from '../../auditors/ec2Instance.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, OTHER_ACCOUNT, awsError, collectAll, makeCheckContext, makeConfig, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const ec2 = mockClient(EC2Client);
const INSTANCE_ID = 'i-0abcdef1234567890';
const OTHER_INSTANCE_ID = 'i-0123456789abcdef0';
const TAGS = [
  { Key: 'Name', Value: 'api-server' },
  { Key: 'owner', Value: 'team-payments' },
];

// ---------- fixtures shaped like DescribeInstances output ----------

const STATE_CODES = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 } as const;
type StateName = keyof typeof STATE_CODES;

function eni(association?: { PublicIp: string; IpOwnerId: string }, secondary?: { PrivateIpAddress: string; PublicIp: string; IpOwnerId: string }): InstanceNetworkInterface {
  const primaryAssociation = association ? { ...association, PublicDnsName: `ec2-${association.PublicIp.replaceAll('.', '-')}.compute-1.amazonaws.com` } : undefined;
  return {
    NetworkInterfaceId: 'eni-0a1b2c3d4e5f67890',
    PrivateIpAddress: '10.0.1.25',
    ...(primaryAssociation ? { Association: primaryAssociation } : {}),
    PrivateIpAddresses: [
      { Primary: true, PrivateIpAddress: '10.0.1.25', ...(primaryAssociation ? { Association: primaryAssociation } : {}) },
      ...(secondary
        ? [{ Primary: false, PrivateIpAddress: secondary.PrivateIpAddress, Association: { PublicIp: secondary.PublicIp, IpOwnerId: secondary.IpOwnerId } }]
        : []),
    ],
  };
}

interface InstanceFixture {
  id?: string;
  state?: StateName;
  httpTokens?: 'optional' | 'required';
  httpEndpoint?: 'enabled' | 'disabled';
  publicIp?: string;
  networkInterfaces?: InstanceNetworkInterface[];
  tags?: { Key: string; Value: string }[];
}

function instance(fixture: InstanceFixture = {}): Instance {
  const state = fixture.state ?? 'running';
  return {
    InstanceId: fixture.id ?? INSTANCE_ID,
    ImageId: 'ami-0abcdef1234567890',
    InstanceType: 't3.micro',
    LaunchTime: new Date('2026-10-01T08:30:00.000Z'),
    State: { Code: STATE_CODES[state], Name: state },
    PrivateIpAddress: '10.0.1.25',
    ...(fixture.publicIp ? { PublicIpAddress: fixture.publicIp } : {}),
    SubnetId: 'subnet-0a1b2c3d4e5f67890',
    VpcId: 'vpc-0a1b2c3d4e5f67890',
    MetadataOptions: { State: 'applied', HttpTokens: fixture.httpTokens ?? 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: fixture.httpEndpoint ?? 'enabled' },
    NetworkInterfaces: fixture.networkInterfaces ?? [eni()],
    Tags: fixture.tags ?? TAGS,
  };
}

function givenInstance(fixture: InstanceFixture = {}): void {
  ec2.on(DescribeInstancesCommand, { InstanceIds: [INSTANCE_ID] }).resolves({
    Reservations: [{ ReservationId: 'r-0a1b2c3d4e5f67890', OwnerId: ACCOUNT, Instances: [instance(fixture)] }],
  });
}

interface AuditOptions extends Partial<ConfigInput> {
  account?: string;
}

async function audit(options: AuditOptions = {}) {
  const { account, ...overrides } = options;
  const config = makeConfig(overrides);
  return ec2Auditor.audit(makeResourceContext(INSTANCE_ID, { config, account }), makeCheckContext(INSTANCE_ID, { config, account }));
}

async function failedChecks(options: AuditOptions = {}): Promise<FailedCheck[]> {
  return failedChecksOf(await audit(options));
}

const DEV = { devAccounts: [ACCOUNT] };
const PUBLIC_IP = { PublicIp: '54.210.167.204', IpOwnerId: 'amazon' };
const ELASTIC_IP = { PublicIp: '3.218.45.117', IpOwnerId: ACCOUNT };

describe('ec2 auditor', () => {
  beforeEach(() => ec2.reset());

  describe('list', () => {
    it('follows NextToken, filters out terminated instances and yields the Name tag', async () => {
      // Prepare
      ec2.on(DescribeInstancesCommand).resolves({
        Reservations: [{ ReservationId: 'r-1', Instances: [instance(), instance({ id: 'i-0deadbeefdeadbeef', state: 'terminated' })] }],
        NextToken: 'eyJ2IjoiMiIsImMiOiJpLTEifQ==',
      });
      ec2.on(DescribeInstancesCommand, { NextToken: 'eyJ2IjoiMiIsImMiOiJpLTEifQ==' }).resolves({
        Reservations: [{ ReservationId: 'r-2', Instances: [instance({ id: OTHER_INSTANCE_ID, state: 'stopped', tags: [{ Key: 'created-by', Value: 'misconfiguration-maker' }] })] }],
      });
      // Act
      const listed = await collectAll(ec2Auditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: INSTANCE_ID, name: 'api-server', tags: { Name: 'api-server', owner: 'team-payments' } },
        { id: OTHER_INSTANCE_ID, name: undefined, tags: { 'created-by': 'misconfiguration-maker' } },
      ]);
      const calls = ec2.commandCalls(DescribeInstancesCommand);
      expect(calls).toHaveLength(2);
      expect(calls[0]?.args[0].input.Filters).toEqual([{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }]);
    });
  });

  describe('checks', () => {
    it('a running IMDSv2-only, tagged, private instance in a dev account fails no check', async () => {
      givenInstance();
      expect(await failedChecks({ ...DEV, requiredTags: ['owner'] })).toEqual([]);
    });

    it.each([
      ['HttpTokens optional', { httpTokens: 'optional' }, 'HttpTokens is optional, not required'],
    ] as const)('imdsv1_allowed: %s', async (_name, fixture, detail) => {
      givenInstance(fixture);
      const failed = await failedChecks();
      expect(failed.map((f) => f.check.id)).toEqual(['ec2.imdsv1_allowed']);
      expect(failed[0]?.check.severity).toBe('medium');
      expect(failed[0]?.violation.detail).toBe(detail);
    });

    it.each([
      ['HttpTokens required', { httpTokens: 'required' }],
      ['a stopped instance (judged when it runs)', { httpTokens: 'optional', state: 'stopped' }],
      ['the metadata endpoint disabled', { httpTokens: 'optional', httpEndpoint: 'disabled' }],
    ] as const)('imdsv1_allowed passes: %s', async (_name, fixture) => {
      givenInstance(fixture);
      expect(await failedChecks()).toEqual([]);
    });

    it.each([
      ['no required tags configured checks nothing', [], [], []],
      ['all present', ['owner', 'Name'], TAGS, []],
      ['one missing', ['owner', 'cost-center'], TAGS, ['ec2.missing_required_tags']],
      ['an empty value counts as missing', ['owner'], [{ Key: 'owner', Value: '' }], ['ec2.missing_required_tags']],
      ['a stopped instance is checked too', ['cost-center'], TAGS, ['ec2.missing_required_tags']],
    ])('missing_required_tags: %s', async (name, requiredTags, tags, expected) => {
      givenInstance({ tags, state: name.includes('stopped') ? 'stopped' : 'running' });
      const failed = await failedChecks({ requiredTags });
      expect(failed.map((f) => f.check.id)).toEqual(expected);
      if (expected.length > 0) expect(failed[0]?.check.severity).toBe('low');
    });

    it.each([
      ['an auto-assigned public IP', { publicIp: PUBLIC_IP.PublicIp, networkInterfaces: [eni(PUBLIC_IP)] }, 'public IP 54.210.167.204'],
      ['an Elastic IP on the primary address', { publicIp: ELASTIC_IP.PublicIp, networkInterfaces: [eni(ELASTIC_IP)] }, 'Elastic IP 3.218.45.117'],
      [
        'an Elastic IP on a secondary private address only',
        { networkInterfaces: [eni(undefined, { PrivateIpAddress: '10.0.1.26', ...ELASTIC_IP })] },
        'Elastic IP 3.218.45.117',
      ],
    ])('public_in_dev_account: %s', async (_name, fixture, detail) => {
      givenInstance(fixture);
      const failed = await failedChecks(DEV);
      expect(failed.map((f) => f.check.id)).toEqual(['ec2.public_in_dev_account']);
      expect(failed[0]?.check.severity).toBe('high');
      expect(failed[0]?.violation.detail).toBe(`running with ${detail} in dev account ${ACCOUNT}`);
    });

    it.each([
      ['a public instance in a non-dev account', { publicIp: PUBLIC_IP.PublicIp, networkInterfaces: [eni(PUBLIC_IP)] }, { devAccounts: [OTHER_ACCOUNT] }],
      ['an ignored instance', { publicIp: PUBLIC_IP.PublicIp, networkInterfaces: [eni(PUBLIC_IP)] }, { ...DEV, ignoredInstances: [INSTANCE_ID] }],
      ['a stopped instance keeping its Elastic IP', { state: 'stopped' as const, publicIp: ELASTIC_IP.PublicIp, networkInterfaces: [eni(ELASTIC_IP)] }, DEV],
      ['a private instance', {}, DEV],
    ] satisfies [string, InstanceFixture, AuditOptions][])('public_in_dev_account passes: %s', async (_name, fixture, overrides) => {
      givenInstance(fixture);
      expect(await failedChecks(overrides)).toEqual([]);
    });

    it.each(['pending', 'stopping'] as const)('a %s instance is not ready yet', async (state) => {
      givenInstance({ state, httpTokens: 'optional' });
      const result = await audit();
      expect(result).toBeInstanceOf(NotReady);
      expect(result instanceof NotReady && result.delaySeconds).toBe(120);
    });

    it.each([
      ['InvalidInstanceID.NotFound', () => ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'))],
      ['an empty Reservations list', () => ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] })],
      ['a terminated instance', () => givenInstance({ state: 'terminated', httpTokens: 'optional' })],
      ['a shutting-down instance', () => givenInstance({ state: 'shutting-down', httpTokens: 'optional' })],
    ])('gone: %s', async (_name, given) => {
      given();
      expect(await audit()).toBe(GONE);
    });

    it('InvalidInstanceID.Malformed propagates (it is an error, not a finding)', async () => {
      ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.Malformed'));
      await expect(audit()).rejects.toThrow('InvalidInstanceID.Malformed');
    });
  });

  describe('remediations', () => {
    async function remediate(checkId: string, options: AuditOptions = {}): Promise<string | undefined> {
      const failed = (await failedChecks(options)).find((f) => f.check.id === checkId);
      return failed?.remediate?.();
    }

    it('imdsv1_allowed requires session tokens and keeps the endpoint on', async () => {
      givenInstance({ httpTokens: 'optional' });
      expect(await remediate('ec2.imdsv1_allowed')).toBe('applied');
      const calls = ec2.commandCalls(ModifyInstanceMetadataOptionsCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual({ InstanceId: INSTANCE_ID, HttpTokens: 'required', HttpEndpoint: 'enabled' });
    });

    it('public_in_dev_account stops the instance, never terminates it, and leaves its addresses', async () => {
      givenInstance({ publicIp: ELASTIC_IP.PublicIp, networkInterfaces: [eni(ELASTIC_IP)] });
      expect(await remediate('ec2.public_in_dev_account', DEV)).toBe('applied');
      const stops = ec2.commandCalls(StopInstancesCommand);
      expect(stops).toHaveLength(1);
      expect(stops[0]?.args[0].input).toEqual({ InstanceIds: [INSTANCE_ID] });
      expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    });

    it('missing_required_tags stops the instance (stopUntaggedInstances, deprecated, still opts it in)', async () => {
      givenInstance({ tags: [] });
      expect(await remediate('ec2.missing_required_tags', { requiredTags: ['owner'], stopUntaggedInstances: true })).toBe('applied');
      expect(ec2.commandCalls(StopInstancesCommand)[0]?.args[0].input).toEqual({ InstanceIds: [INSTANCE_ID] });
      expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    });

    it('missing_required_tags stops the instance: disruptive, so it runs only when remediateChecks lists it', async () => {
      givenInstance({ tags: [] });
      const failed = (await failedChecks({ requiredTags: ['owner'] })).find((f) => f.check.id === 'ec2.missing_required_tags');
      expect(failed?.remediate).toBeDefined();
      expect(failed?.risk).toBe('disruptive');
    });

    const STOP_UNTAGGED: AuditOptions = { requiredTags: ['owner'], stopUntaggedInstances: true };
    it.each<[string, AuditOptions, InstanceFixture]>([
      ['ec2.imdsv1_allowed', {}, { httpTokens: 'required' }],
      ['ec2.imdsv1_allowed', {}, { httpTokens: 'optional', state: 'stopped' }],
      ['ec2.public_in_dev_account', DEV, { state: 'stopped', publicIp: ELASTIC_IP.PublicIp, networkInterfaces: [eni(ELASTIC_IP)] }],
      ['ec2.public_in_dev_account', DEV, {}],
      ['ec2.missing_required_tags', STOP_UNTAGGED, {}],
      ['ec2.missing_required_tags', STOP_UNTAGGED, { tags: [], state: 'stopped' }],
    ])('%s: a second run against the fixed instance makes no mutating call', async (checkId, options, fixed) => {
      // Prepare: the check failed on the first read, the instance was fixed since
      givenInstance({ httpTokens: 'optional', publicIp: PUBLIC_IP.PublicIp, networkInterfaces: [eni(PUBLIC_IP)], tags: [] });
      const failed = (await failedChecks(options)).find((f) => f.check.id === checkId);
      expect(failed?.remediate).toBeDefined();
      ec2.reset();
      givenInstance(fixed);
      // Act
      const outcome = await failed?.remediate?.();
      // Assess
      expect(outcome).toBe('already_compliant');
      expect(ec2.commandCalls(ModifyInstanceMetadataOptionsCommand)).toHaveLength(0);
      expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(0);
      expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    });

    it('an instance terminated before remediation is gone, with no mutating call', async () => {
      givenInstance({ httpTokens: 'optional' });
      const failed = (await failedChecks()).find((f) => f.check.id === 'ec2.imdsv1_allowed');
      ec2.reset();
      givenInstance({ state: 'terminated', httpTokens: 'optional' });
      expect(await failed?.remediate?.()).toBe('gone');
      expect(ec2.commandCalls(ModifyInstanceMetadataOptionsCommand)).toHaveLength(0);
    });
  });

  describe('metadata', () => {
    it('declares its permissions and CloudTrail triggers', () => {
      expect(ec2Auditor.permissions).toEqual({ list: ['ec2:DescribeInstances'], collect: ['ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces'] });
      expect(ec2Auditor.remediations['ec2.imdsv1_allowed']?.permissions).toEqual(['ec2:DescribeInstances', 'ec2:ModifyInstanceMetadataOptions']);
      expect(ec2Auditor.remediations['ec2.public_in_dev_account']?.permissions).toEqual(['ec2:DescribeInstances', 'ec2:StopInstances']);
      expect(ec2Auditor.remediations['ec2.missing_required_tags']?.permissions).toEqual(['ec2:DescribeInstances', 'ec2:StopInstances']);
      expect(ec2Auditor.triggers.map((t) => [t.eventNames.join(), t.idPath])).toEqual([
        ['RunInstances', 'responseElements.instancesSet.items[].instanceId'],
        ['StartInstances', 'requestParameters.instancesSet.items[].instanceId'],
        ['AssociateAddress', 'requestParameters.instanceId'],
        ['AssociateAddress', 'requestParameters.networkInterfaceId'],
        ['ModifyInstanceMetadataOptions', 'requestParameters.ModifyInstanceMetadataOptionsRequest.InstanceId'],
      ]);
    });
  });
});
