import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  type Image,
  type LaunchPermission,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { amiAuditor } from '../../auditors/ami.ts';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import {
  ACCOUNT,
  NEAR_MISS_ACCOUNT,
  OTHER_ACCOUNT,
  PARTNER_ACCOUNT,
  UNKNOWN_ACCOUNT,
  awsError,
  collectAll,
  makeCheckContext,
  makeListContext,
  makeResourceContext,
} from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const ec2 = mockClient(EC2Client);
const IMAGE = 'ami-0abcdef1234567890';

const PUBLIC: LaunchPermission = { Group: 'all' };
const TRUSTED: LaunchPermission = { UserId: OTHER_ACCOUNT };
const UNKNOWN: LaunchPermission = { UserId: UNKNOWN_ACCOUNT };
const NEAR_MISS: LaunchPermission = { UserId: NEAR_MISS_ACCOUNT };
const PARTNER: LaunchPermission = { UserId: PARTNER_ACCOUNT };
const ORGANIZATION: LaunchPermission = { OrganizationArn: `arn:aws:organizations::${ACCOUNT}:organization/o-a1b2c3d4e5` };
const ORGANIZATIONAL_UNIT: LaunchPermission = {
  OrganizationalUnitArn: `arn:aws:organizations::${ACCOUNT}:ou/o-a1b2c3d4e5/ou-ab12-cdef3456`,
};

function image(id: string, name: string, tags: { Key: string; Value: string }[] = []): Image {
  return {
    ImageId: id,
    ImageLocation: `${ACCOUNT}/${name}`,
    Name: name,
    OwnerId: ACCOUNT,
    State: 'available',
    CreationDate: '2026-11-02T09:14:18.000Z',
    Public: false,
    Architecture: 'x86_64',
    ImageType: 'machine',
    PlatformDetails: 'Linux/UNIX',
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    VirtualizationType: 'hvm',
    EnaSupport: true,
    BlockDeviceMappings: [
      { DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0', VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: false } },
    ],
    Tags: tags,
  };
}

/** DescribeImageAttribute launchPermission, as EC2 answers it. */
function givenLaunchPermissions(permissions: LaunchPermission[]): void {
  ec2
    .on(DescribeImageAttributeCommand, { ImageId: IMAGE, Attribute: 'launchPermission' })
    .resolves({ ImageId: IMAGE, LaunchPermissions: permissions });
}

async function audit(trustedAccounts?: string[]): Promise<FailedCheck[] | typeof GONE | NotReady> {
  return amiAuditor.audit(makeResourceContext(IMAGE), makeCheckContext(IMAGE, trustedAccounts ? { trustedAccounts } : {}));
}

async function failedChecks(trustedAccounts?: string[]): Promise<FailedCheck[]> {
  return failedChecksOf(await audit(trustedAccounts));
}

describe('ami auditor', () => {
  beforeEach(() => ec2.reset());

  describe('metadata', () => {
    it('declares the IAM actions it calls and the CloudTrail event that triggers it', () => {
      expect(amiAuditor.permissions).toEqual({ list: ['ec2:DescribeImages'], collect: ['ec2:DescribeImageAttribute'] });
      for (const remediation of Object.values(amiAuditor.remediations)) {
        expect(remediation.permissions).toEqual(['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute']);
      }
      expect(amiAuditor.triggers).toEqual([
        { eventSource: 'ec2.amazonaws.com', eventNames: ['ModifyImageAttribute'], idPath: 'requestParameters.imageId' },
      ]);
    });
  });

  describe('list', () => {
    it('follows NextToken over DescribeImages Owners=self and yields id, name and tags', async () => {
      // Prepare
      ec2.on(DescribeImagesCommand, { NextToken: undefined }).resolves({
        Images: [
          image(IMAGE, 'misconfiguration-maker-public-ami', [{ Key: 'created-by', Value: 'misconfiguration-maker' }]),
          image('ami-0fedcba9876543210', 'golden-al2023-2026-11-01'),
        ],
        NextToken: 'eyJ2IjoiMiIsImMiOiJhbWktMGZlZGNiYTk4NzY1NDMyMTAifQ==',
      });
      ec2
        .on(DescribeImagesCommand, { NextToken: 'eyJ2IjoiMiIsImMiOiJhbWktMGZlZGNiYTk4NzY1NDMyMTAifQ==' })
        .resolves({ Images: [image('ami-01234567890abcdef', 'golden-al2023-2026-10-01')] });
      // Act
      const listed = await collectAll(amiAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: IMAGE, name: 'misconfiguration-maker-public-ami', tags: { 'created-by': 'misconfiguration-maker' } },
        { id: 'ami-0fedcba9876543210', name: 'golden-al2023-2026-11-01', tags: {} },
        { id: 'ami-01234567890abcdef', name: 'golden-al2023-2026-10-01', tags: {} },
      ]);
      const calls = ec2.commandCalls(DescribeImagesCommand);
      expect(calls).toHaveLength(2);
      expect(calls[0]?.args[0].input).toMatchObject({ Owners: ['self'] });
      expect(calls[1]?.args[0].input).toMatchObject({ Owners: ['self'] });
    });
  });

  describe('checks', () => {
    describe.each([
      {
        checkId: 'ami.public',
        compliant: [
          ['private (no launch permission)', []],
          ['shared with a trusted account', [TRUSTED]],
          ['shared with an organization and an OU', [ORGANIZATION, ORGANIZATIONAL_UNIT]],
          ['shared with an unknown account (another check)', [UNKNOWN]],
        ] as [string, LaunchPermission[]][],
        failing: [
          ['group all', [PUBLIC], 'launch permission for group "all" (every AWS account)'],
          ['group all next to a trusted account', [TRUSTED, PUBLIC], 'launch permission for group "all" (every AWS account)'],
        ] as [string, LaunchPermission[], string][],
      },
      {
        checkId: 'ami.shared_unknown_account',
        compliant: [
          ['private (no launch permission)', []],
          ['shared with a trusted account', [TRUSTED]],
          ['shared with an organization and an OU', [ORGANIZATION, ORGANIZATIONAL_UNIT]],
          ['public (another check)', [PUBLIC]],
        ] as [string, LaunchPermission[]][],
        failing: [
          ['one unknown account', [UNKNOWN], `launch permission for unknown account(s) or organization(s) ${UNKNOWN_ACCOUNT}`],
          [
            'a near-miss of a trusted id and an unknown account next to a trusted one',
            [TRUSTED, NEAR_MISS, UNKNOWN],
            `launch permission for unknown account(s) or organization(s) ${NEAR_MISS_ACCOUNT}, ${UNKNOWN_ACCOUNT}`,
          ],
        ] as [string, LaunchPermission[], string][],
      },
    ])('$checkId', ({ checkId, compliant, failing }) => {
      it.each(compliant)('compliant: %s', async (_name, permissions) => {
        givenLaunchPermissions(permissions);
        const failed = await failedChecks();
        expect(failed.map((f) => f.check.id)).not.toContain(checkId);
      });

      it.each(failing)('fails: %s', async (_name, permissions, detail) => {
        givenLaunchPermissions(permissions);
        const failed = (await failedChecks()).find((f) => f.check.id === checkId);
        expect(failed?.violation.detail).toBe(detail);
        expect(failed?.remediate).toBeDefined();
      });

      it.each(['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable'])('gone: %s', async (name) => {
        ec2.on(DescribeImageAttributeCommand).rejects(awsError(name));
        expect(await audit()).toBe(GONE);
      });
    });

    it('shared_unknown_account: an account configured as trusted is fine, the owner is fine', async () => {
      givenLaunchPermissions([PARTNER, { UserId: ACCOUNT }]);
      expect(await failedChecks([ACCOUNT, OTHER_ACCOUNT, PARTNER_ACCOUNT])).toEqual([]);
      expect((await failedChecks()).map((f) => f.check.id)).toEqual(['ami.shared_unknown_account']);
    });

    // Another organization's OrganizationArn / OrganizationalUnitArn lets every account of it launch the image.
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchPermission.html
    describe('shared_unknown_account: organizations and OUs', () => {
      const FOREIGN_ORGANIZATION: LaunchPermission = { OrganizationArn: `arn:aws:organizations::${UNKNOWN_ACCOUNT}:organization/o-zz9y8x7w6v` };
      const FOREIGN_OU: LaunchPermission = { OrganizationalUnitArn: `arn:aws:organizations::${UNKNOWN_ACCOUNT}:ou/o-zz9y8x7w6v/ou-zz99-abcd1234` };
      const LOOKALIKE_OU: LaunchPermission = { OrganizationalUnitArn: `arn:aws:organizations::${UNKNOWN_ACCOUNT}:ou/o-a1b2c3d4e5x/ou-zz99-abcd1234` };

      it.each<[string, LaunchPermission[], string | null, string | undefined, boolean]>([
        ['our organization', [ORGANIZATION], 'o-a1b2c3d4e5', undefined, false],
        ['an OU of our organization', [ORGANIZATIONAL_UNIT], 'o-a1b2c3d4e5', undefined, false],
        ['another organization', [ORGANIZATION, FOREIGN_ORGANIZATION], 'o-a1b2c3d4e5', FOREIGN_ORGANIZATION.OrganizationArn, true],
        ['an OU of another organization', [FOREIGN_OU], 'o-a1b2c3d4e5', FOREIGN_OU.OrganizationalUnitArn, true],
        ['an organization id that only starts like ours', [LOOKALIKE_OU], 'o-a1b2c3d4e5', LOOKALIKE_OU.OrganizationalUnitArn, true],
        ['an organization while ours is unknown: reported, never removed', [ORGANIZATION], null, ORGANIZATION.OrganizationArn, false],
      ])('%s', async (_name, permissions, organizationId, grantee, remediable) => {
        givenLaunchPermissions(permissions);
        const result = await amiAuditor.audit(makeResourceContext(IMAGE), makeCheckContext(IMAGE, { organizationId }));
        const failed = failedChecksOf(result).find((f) => f.check.id === 'ami.shared_unknown_account');
        expect(failed?.violation.detail).toBe(grantee === undefined ? undefined : `launch permission for unknown account(s) or organization(s) ${grantee}`);
        expect(failed?.remediate !== undefined).toBe(remediable);
      });

      it('removes exactly the foreign organization and OU grants; a second run makes no call', async () => {
        givenLaunchPermissions([ORGANIZATION, FOREIGN_ORGANIZATION, TRUSTED, ORGANIZATIONAL_UNIT, FOREIGN_OU]);
        const failed = (await failedChecks()).find((f) => f.check.id === 'ami.shared_unknown_account');
        expect(await failed?.remediate?.()).toBe('applied');
        expect(ec2.commandCalls(ModifyImageAttributeCommand)[0]?.args[0].input.LaunchPermission).toEqual({ Remove: [FOREIGN_ORGANIZATION, FOREIGN_OU] });
        ec2.reset();
        givenLaunchPermissions([ORGANIZATION, TRUSTED, ORGANIZATIONAL_UNIT]);
        expect(await failed?.remediate?.()).toBe('already_compliant');
        expect(ec2.commandCalls(ModifyImageAttributeCommand)).toHaveLength(0);
      });
    });

    it('a public AMI shared with an unknown account fails both checks', async () => {
      givenLaunchPermissions([PUBLIC, UNKNOWN]);
      expect((await failedChecks()).map((f) => f.check.id)).toEqual(['ami.public', 'ami.shared_unknown_account']);
    });

    it.each(['UnauthorizedOperation', 'RequestLimitExceeded'])('%s propagates (an error, not a finding)', async (name) => {
      ec2.on(DescribeImageAttributeCommand).rejects(awsError(name));
      await expect(audit()).rejects.toThrow(name);
    });
  });

  describe('remediations', () => {
    const EVERYTHING = [TRUSTED, NEAR_MISS, PUBLIC, ORGANIZATION, UNKNOWN, ORGANIZATIONAL_UNIT];

    async function failedCheck(checkId: string, permissions: LaunchPermission[]): Promise<FailedCheck | undefined> {
      givenLaunchPermissions(permissions);
      return (await failedChecks()).find((f) => f.check.id === checkId);
    }

    it.each([
      ['ami.public', [PUBLIC], [TRUSTED, NEAR_MISS, ORGANIZATION, UNKNOWN, ORGANIZATIONAL_UNIT]],
      ['ami.shared_unknown_account', [NEAR_MISS, UNKNOWN], [TRUSTED, PUBLIC, ORGANIZATION, ORGANIZATIONAL_UNIT]],
    ] as [string, LaunchPermission[], LaunchPermission[]][])(
      '%s removes exactly the offending launch permissions, then a second run makes no call',
      async (checkId, removed, kept) => {
        // Prepare
        const failed = await failedCheck(checkId, EVERYTHING);
        // Act
        const outcome = await failed?.remediate?.();
        // Assess
        expect(outcome).toBe('applied');
        const calls = ec2.commandCalls(ModifyImageAttributeCommand);
        expect(calls).toHaveLength(1);
        expect(calls[0]?.args[0].input).toEqual({ ImageId: IMAGE, Attribute: 'launchPermission', LaunchPermission: { Remove: removed } });

        // Prepare: the AMI now holds what was kept
        ec2.reset();
        givenLaunchPermissions(kept);
        // Act
        const second = await failed?.remediate?.();
        // Assess
        expect(second).toBe('already_compliant');
        expect(ec2.commandCalls(ModifyImageAttributeCommand)).toHaveLength(0);
      },
    );

    it('shared_unknown_account keeps an account trusted by configuration', async () => {
      givenLaunchPermissions([PARTNER, UNKNOWN]);
      const failed = (await failedChecks([ACCOUNT, OTHER_ACCOUNT, PARTNER_ACCOUNT])).find((f) => f.check.id === 'ami.shared_unknown_account');
      expect(await failed?.remediate?.()).toBe('applied');
      expect(ec2.commandCalls(ModifyImageAttributeCommand)[0]?.args[0].input.LaunchPermission).toEqual({ Remove: [UNKNOWN] });
    });

    it.each([
      ['ami.public', [TRUSTED]],
      ['ami.shared_unknown_account', [TRUSTED, PUBLIC]],
    ] as [string, LaunchPermission[]][])('%s: fixed since the audit: already_compliant, no mutating call', async (checkId, fixed) => {
      const failed = await failedCheck(checkId, [PUBLIC, UNKNOWN]);
      ec2.reset();
      givenLaunchPermissions(fixed);
      expect(await failed?.remediate?.()).toBe('already_compliant');
      expect(ec2.commandCalls(ModifyImageAttributeCommand)).toHaveLength(0);
    });

    it.each(['ami.public', 'ami.shared_unknown_account'])('%s: AMI deregistered since the audit: gone, no mutating call', async (checkId) => {
      const failed = await failedCheck(checkId, [PUBLIC, UNKNOWN]);
      ec2.reset();
      ec2.on(DescribeImageAttributeCommand).rejects(awsError('InvalidAMIID.Unavailable'));
      expect(await failed?.remediate?.()).toBe('gone');
      expect(ec2.commandCalls(ModifyImageAttributeCommand)).toHaveLength(0);
    });

    it('an AMI deregistered between the read and the write is gone', async () => {
      const failed = await failedCheck('ami.public', [PUBLIC]);
      ec2.on(ModifyImageAttributeCommand).rejects(awsError('InvalidAMIID.NotFound'));
      expect(await failed?.remediate?.()).toBe('gone');
    });
  });
});
