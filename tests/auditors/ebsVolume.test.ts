import { DescribeVolumesCommand, EC2Client, type Volume, type VolumeAttachment } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE } from '../../auditors/contract.ts';
import { ebsVolumeAuditor } from '../../auditors/ebsVolume.ts';
import { awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const ec2 = mockClient(EC2Client);
const VOLUME = 'vol-049df61146c4d7901';
const INSTANCE = 'i-1234567890abcdef0';

function attachment(state: VolumeAttachment['State'], device = '/dev/xvda'): VolumeAttachment {
  return { AttachTime: new Date('2026-11-02T09:14:18.000Z'), Device: device, InstanceId: INSTANCE, State: state, VolumeId: VOLUME, DeleteOnTermination: true };
}

/** A DescribeVolumes Volume as EC2 answers it (gp3 root volume). */
function volume(overrides: Partial<Volume> = {}, id = VOLUME): Volume {
  return {
    Attachments: [attachment('attached')],
    AvailabilityZone: 'us-east-1a',
    CreateTime: new Date('2026-11-02T09:14:17.000Z'),
    Encrypted: false,
    Size: 8,
    SnapshotId: 'snap-0b6c2c3a5a8e0f1d2',
    State: 'in-use',
    VolumeId: id,
    Iops: 3000,
    Throughput: 125,
    VolumeType: 'gp3',
    MultiAttachEnabled: false,
    ...overrides,
  };
}

async function failedCheckIds(): Promise<string[]> {
  return failedChecksOf(await ebsVolumeAuditor.audit(makeResourceContext(VOLUME), makeCheckContext(VOLUME))).map((f) => f.check.id);
}

describe('ebs_volume auditor', () => {
  beforeEach(() => ec2.reset());

  it('declares DescribeVolumes, CreateVolume and AttachVolume triggers, EC2.3, and no remediation (encryption cannot be turned on in place)', () => {
    expect(ebsVolumeAuditor.permissions).toEqual({ list: ['ec2:DescribeVolumes'], collect: ['ec2:DescribeVolumes'] });
    expect(ebsVolumeAuditor.triggers).toEqual([
      { eventSource: 'ec2.amazonaws.com', eventNames: ['CreateVolume'], idPath: 'responseElements.volumeId' },
      { eventSource: 'ec2.amazonaws.com', eventNames: ['AttachVolume'], idPath: 'requestParameters.volumeId' },
    ]);
    expect(ebsVolumeAuditor.checks.map((c) => [c.id, c.controls])).toEqual([['ebs_volume.unencrypted', { fsbp: ['EC2.3'] }]]);
    expect(ebsVolumeAuditor.remediations).toEqual({});
  });

  it('list follows NextToken (500 a page) and yields id, Name tag and tags', async () => {
    const token = 'eyJ2IjoiMiIsImMiOiJ2b2wtMDQ5ZGY2MTE0NmM0ZDc5MDEifQ==';
    ec2.on(DescribeVolumesCommand, { NextToken: undefined }).resolves({
      Volumes: [volume({ Tags: [{ Key: 'Name', Value: 'web-root' }, { Key: 'team', Value: 'web' }] }), volume({ Attachments: [], State: 'available' }, 'vol-0a1b2c3d4e5f60718')],
      NextToken: token,
    });
    ec2.on(DescribeVolumesCommand, { NextToken: token }).resolves({ Volumes: [volume({}, 'vol-0f9e8d7c6b5a40312')] });
    expect(await collectAll(ebsVolumeAuditor.list(makeListContext()))).toEqual([
      { id: VOLUME, name: 'web-root', tags: { Name: 'web-root', team: 'web' } },
      { id: 'vol-0a1b2c3d4e5f60718', name: undefined, tags: {} },
      { id: 'vol-0f9e8d7c6b5a40312', name: undefined, tags: {} },
    ]);
    const calls = ec2.commandCalls(DescribeVolumesCommand);
    expect(calls.map((c) => c.args[0].input.MaxResults)).toEqual([500, 500]);
  });

  it.each<[string, Partial<Volume>, string[]]>([
    ['encrypted and attached', { Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d' }, []],
    ['unencrypted and available (EC2.3 judges attached volumes only)', { Attachments: [], State: 'available' }, []],
    ['unencrypted and still creating', { Attachments: [], State: 'creating' }, []],
    ['unencrypted and detaching', { Attachments: [attachment('detaching')], State: 'in-use' }, []],
    ['unencrypted and attached', {}, ['ebs_volume.unencrypted']],
    ['unencrypted and attaching', { Attachments: [attachment('attaching', '/dev/sdf')] }, ['ebs_volume.unencrypted']],
    ['unencrypted and busy (a detach waiting for the instance)', { Attachments: [attachment('busy')] }, ['ebs_volume.unencrypted']],
    ['Encrypted absent (treated as unencrypted) and attached', { Encrypted: undefined }, ['ebs_volume.unencrypted']],
  ])('%s', async (_case, overrides, failed) => {
    ec2.on(DescribeVolumesCommand, { VolumeIds: [VOLUME] }).resolves({ Volumes: [volume(overrides)] });
    expect(await failedCheckIds()).toEqual(failed);
  });

  it('the finding names the instance and device, and is notify-only', async () => {
    ec2.on(DescribeVolumesCommand, { VolumeIds: [VOLUME] }).resolves({ Volumes: [volume()] });
    const [failed] = failedChecksOf(await ebsVolumeAuditor.audit(makeResourceContext(VOLUME), makeCheckContext(VOLUME)));
    expect(failed?.violation.detail).toBe(`unencrypted, attached to ${INSTANCE} (/dev/xvda)`);
    expect(failed?.check.controls).toEqual({ fsbp: ['EC2.3'] });
    expect(failed?.remediate).toBeUndefined();
  });

  it.each([
    ['DescribeVolumes answers InvalidVolume.NotFound', () => ec2.on(DescribeVolumesCommand).rejects(awsError('InvalidVolume.NotFound'))],
    ['DescribeVolumes answers no volume', () => ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] })],
  ])('gone when %s', async (_case, given) => {
    given();
    expect(await ebsVolumeAuditor.audit(makeResourceContext(VOLUME), makeCheckContext(VOLUME))).toBe(GONE);
  });

  it('other errors propagate (throttling is retried by the SDK, AccessDenied is the caller\'s to report)', async () => {
    ec2.on(DescribeVolumesCommand).rejects(awsError('UnauthorizedOperation', 403));
    await expect(ebsVolumeAuditor.audit(makeResourceContext(VOLUME), makeCheckContext(VOLUME))).rejects.toThrow(/UnauthorizedOperation/);
  });
});
