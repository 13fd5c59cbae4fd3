import {
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceMetadataOptionsCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  type DescribeInstancesCommandInput,
  type Instance,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { OTHER_ACCOUNT } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const AL2023_ARM = 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

describe('sandbox EC2: instances', () => {
  let organization: SandboxOrganization;
  let ec2: EC2Client;

  beforeEach(() => {
    organization = sandboxOrganization();
    ec2 = organization.clients().get(EC2Client);
  });

  async function run(count = 1, extra: Partial<RunInstancesCommandInput> = {}): Promise<Instance[]> {
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: AL2023_ARM, InstanceType: 't4g.nano', MinCount: count, MaxCount: count, ...extra }));
    return Instances ?? [];
  }

  async function describe1(id: string): Promise<Instance | undefined> {
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return Reservations?.[0]?.Instances?.[0];
  }

  it('RunInstances answers a pending reservation; DescribeInstances then shows it running with its public IP', async () => {
    // Act
    const output = await ec2.send(
      new RunInstancesCommand({ ImageId: AL2023_ARM, InstanceType: 't4g.nano', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }] }),
    );
    const id = output.Instances?.[0]?.InstanceId ?? '';
    const described = await describe1(id);

    // Assess
    expect(output).toMatchObject({ ReservationId: expect.stringMatching(/^r-[0-9a-f]{17}$/), OwnerId: '111111111111', Instances: [{ State: { Code: 0, Name: 'pending' } }] });
    expect(output.$metadata.httpStatusCode).toBe(200);
    expect(id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(described).toMatchObject({
      InstanceId: id,
      State: { Code: 16, Name: 'running' },
      InstanceType: 't4g.nano',
      Architecture: 'arm64',
      ImageId: expect.stringMatching(/^ami-[0-9a-f]{17}$/),
      LaunchTime: expect.any(Date),
      Placement: { AvailabilityZone: 'us-east-1a' },
      VpcId: expect.stringMatching(/^vpc-/),
      SubnetId: expect.stringMatching(/^subnet-/),
      PublicIpAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      NetworkInterfaces: [{ Association: { IpOwnerId: 'amazon', PublicIp: expect.any(String) } }],
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: expect.stringMatching(/^vol-/), Status: 'attached' } }],
      SecurityGroups: [{ GroupName: 'default', GroupId: expect.stringMatching(/^sg-/) }],
      Tags: [{ Key: 'Name', Value: 'web' }],
    });
  });

  it.each<[string, Partial<RunInstancesCommandInput>, string]>([
    ['Amazon Linux 2023 (ImdsSupport v2.0) requires tokens by default', {}, 'required'],
    ['explicit HttpTokens optional wins over the image default', { MetadataOptions: { HttpTokens: 'optional' } }, 'optional'],
  ])('metadata options: %s', async (_case, extra, tokens) => {
    const [instance] = await run(1, extra);

    expect((await describe1(instance?.InstanceId ?? ''))?.MetadataOptions).toMatchObject({ State: 'applied', HttpTokens: tokens, HttpEndpoint: 'enabled' });
  });

  it('NetworkInterfaces AssociatePublicIpAddress=false launches without a public IP', async () => {
    const [instance] = await run(1, { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }] });

    expect((await describe1(instance?.InstanceId ?? ''))?.PublicIpAddress).toBeUndefined();
  });

  it('paginates with MaxResults and NextToken (two pages), and the SDK paginator follows the token', async () => {
    // Prepare
    await run(6);

    // Act
    const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    const second = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken }));
    const pages = [];
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) pages.push(page);

    // Assess
    expect(first.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(5);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(pages).toHaveLength(2);
  });

  it.each<[string, DescribeInstancesCommandInput, string, RegExp]>([
    ['an unknown instance id', { InstanceIds: ['i-0123456789abcdef0'] }, 'InvalidInstanceID.NotFound', /i-0123456789abcdef0' does not exist/],
    ['a malformed instance id', { InstanceIds: ['web-1'] }, 'InvalidInstanceID.Malformed', /Invalid id: "web-1"/],
    ['MaxResults with InstanceIds', { InstanceIds: ['i-0123456789abcdef0'], MaxResults: 5 }, 'InvalidParameterCombination', /cannot be used with the parameter maxResults/],
    ['MaxResults below 5', { MaxResults: 3 }, 'InvalidParameterValue', /maxResults/],
    ['an unknown filter', { Filters: [{ Name: 'colour', Values: ['red'] }] }, 'InvalidParameterValue', /The filter 'colour' is invalid/],
  ])('DescribeInstances with %s fails as EC2 does', async (_case, input, name, message) => {
    await expectAwsError(ec2.send(new DescribeInstancesCommand(input)), { name, status: 400, message });
  });

  it.each<[string, RunInstancesCommandInput, string]>([
    ['no ImageId', { ImageId: '', MinCount: 1, MaxCount: 1 }, 'MissingParameter'],
    ['an unknown image', { ImageId: 'ami-0123456789abcdef0', MinCount: 1, MaxCount: 1 }, 'InvalidAMIID.NotFound'],
    ['an unknown SSM parameter', { ImageId: 'resolve:ssm:/my/ami', MinCount: 1, MaxCount: 1 }, 'InvalidParameterValue'],
    ['an unknown security group', { ImageId: AL2023_ARM, MinCount: 1, MaxCount: 1, SecurityGroupIds: ['sg-0123456789abcdef0'] }, 'InvalidGroup.NotFound'],
  ])('RunInstances with %s fails with %s', async (_case, input, name) => {
    await expectAwsError(ec2.send(new RunInstancesCommand(input)), { name, status: 400 });
  });

  it('filters by state, tag (with wildcards) and metadata options', async () => {
    // Prepare
    const [web, db] = await run(2);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [db?.InstanceId ?? ''] }));

    // Act
    const ids = async (filters: { Name: string; Values: string[] }[]) =>
      ((await ec2.send(new DescribeInstancesCommand({ Filters: filters }))).Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);

    // Assess
    expect(await ids([{ Name: 'instance-state-name', Values: ['running'] }])).toEqual([web?.InstanceId]);
    expect(await ids([{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }])).toEqual([web?.InstanceId, db?.InstanceId]);
    expect(await ids([{ Name: 'instance-id', Values: [`i-*${(db?.InstanceId ?? '').slice(-3)}`] }])).toEqual([db?.InstanceId]);
    expect(await ids([{ Name: 'metadata-options.http-tokens', Values: ['optional'] }])).toEqual([]);
    expect(await ids([{ Name: 'tag:Name', Values: ['web'] }])).toEqual([]);
  });

  it('Stop answers stopping and releases the public IP; Start answers pending and assigns a new one; Terminate answers shutting-down', async () => {
    // Prepare
    const [instance] = await run();
    const id = instance?.InstanceId ?? '';

    // Act
    const stop = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    const stopped = await describe1(id);
    const start = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    const started = await describe1(id);
    const terminate = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const terminated = await describe1(id);

    // Assess
    expect(stop.StoppingInstances).toEqual([{ InstanceId: id, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 64, Name: 'stopping' } }]);
    expect(stopped).toMatchObject({ State: { Name: 'stopped', Code: 80 }, StateTransitionReason: expect.stringMatching(/^User initiated/) });
    expect(stopped?.PublicIpAddress).toBeUndefined();
    expect(start.StartingInstances).toEqual([{ InstanceId: id, PreviousState: { Code: 80, Name: 'stopped' }, CurrentState: { Code: 0, Name: 'pending' } }]);
    expect(started?.PublicIpAddress).toEqual(expect.any(String));
    expect(terminate.TerminatingInstances?.[0]?.CurrentState).toEqual({ Code: 32, Name: 'shutting-down' });
    expect(terminated?.State).toEqual({ Code: 48, Name: 'terminated' });
    await expectAwsError(ec2.send(new StopInstancesCommand({ InstanceIds: [id] })), { name: 'IncorrectInstanceState', status: 400 });
  });

  it('ModifyInstanceMetadataOptions answers the pending change and DescribeInstances shows it applied', async () => {
    const [instance] = await run(1, { MetadataOptions: { HttpTokens: 'optional' } });
    const id = instance?.InstanceId ?? '';

    const output = await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'required', HttpEndpoint: 'enabled' }));

    expect(output).toMatchObject({ InstanceId: id, InstanceMetadataOptions: { State: 'pending', HttpTokens: 'required', HttpEndpoint: 'enabled' } });
    expect((await describe1(id))?.MetadataOptions).toMatchObject({ State: 'applied', HttpTokens: 'required' });
    await expectAwsError(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'i-0123456789abcdef0', HttpTokens: 'required' })), {
      name: 'InvalidInstanceID.NotFound',
      status: 400,
    });
  });

  it('keeps each account and region apart, and its state plain JSON', async () => {
    await run();

    const other = await organization.clients(OTHER_ACCOUNT).get(EC2Client).send(new DescribeInstancesCommand({}));
    const elsewhere = await organization.clients(undefined, OTHER_REGION).get(EC2Client).send(new DescribeInstancesCommand({}));

    expect(other.Reservations).toEqual([]);
    expect(elsewhere.Reservations).toEqual([]);
    expect(JSON.parse(JSON.stringify(organization.sandbox.state))).toEqual(organization.sandbox.state);
  });
});
