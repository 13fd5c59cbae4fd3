import {
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
  type CreateVolumePermission,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { ebsSnapshotAuditor } from '../../auditors/ebsSnapshot.ts';
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
const SNAPSHOT = 'snap-0123456789abcdef0';

const PUBLIC: CreateVolumePermission = { Group: 'all' };
const TRUSTED: CreateVolumePermission = { UserId: OTHER_ACCOUNT };
const UNKNOWN: CreateVolumePermission = { UserId: UNKNOWN_ACCOUNT };
const NEAR_MISS: CreateVolumePermission = { UserId: NEAR_MISS_ACCOUNT };
const PARTNER: CreateVolumePermission = { UserId: PARTNER_ACCOUNT };

function snapshot(id: string, tags?: { Key: string; Value: string }[]): Snapshot {
  return {
    SnapshotId: id,
    VolumeId: 'vol-049df61146c4d7901',
    VolumeSize: 8,
    State: 'completed',
    Progress: '100%',
    StartTime: new Date('2026-11-02T09:14:18.000Z'),
    OwnerId: ACCOUNT,
    Description: 'Created by CreateImage(i-1234567890abcdef0) for ami-0abcdef1234567890',
    Encrypted: false,
    StorageTier: 'standard',
    ...(tags ? { Tags: tags } : {}),
  };
}

/** DescribeSnapshotAttribute createVolumePermission, as EC2 answers it. */
/** The request form AWS and moto both accept: OperationType remove with UserIds / GroupNames. */
function asRemovalParameters(permissions: CreateVolumePermission[]): { UserIds?: string[]; GroupNames?: string[] } {
  const userIds = permissions.flatMap((p) => (p.UserId ? [p.UserId] : []));
  const groups = permissions.flatMap((p) => (p.Group ? [p.Group] : []));
  return { ...(userIds.length ? { UserIds: userIds } : {}), ...(groups.length ? { GroupNames: groups } : {}) };
}

function givenCreateVolumePermissions(permissions: CreateVolumePermission[]): void {
  ec2
    .on(DescribeSnapshotAttributeCommand, { SnapshotId: SNAPSHOT, Attribute: 'createVolumePermission' })
    .resolves({ SnapshotId: SNAPSHOT, CreateVolumePermissions: permissions });
}

async function audit(trustedAccounts?: string[]): Promise<FailedCheck[] | typeof GONE | NotReady> {
  return ebsSnapshotAuditor.audit(makeResourceContext(SNAPSHOT), makeCheckContext(SNAPSHOT, trustedAccounts ? { trustedAccounts } : {}));
}

async function failedChecks(trustedAccounts?: string[]): Promise<FailedCheck[]> {
  return failedChecksOf(await audit(trustedAccounts));
}

describe('ebs_snapshot auditor', () => {
  beforeEach(() => ec2.reset());

  describe('metadata', () => {
    it('declares the IAM actions it calls and the CloudTrail event that triggers it', () => {
      expect(ebsSnapshotAuditor.permissions).toEqual({ list: ['ec2:DescribeSnapshots'], collect: ['ec2:DescribeSnapshotAttribute'] });
      for (const remediation of Object.values(ebsSnapshotAuditor.remediations)) {
        expect(remediation.permissions).toEqual(['ec2:DescribeSnapshotAttribute', 'ec2:ModifySnapshotAttribute']);
      }
      expect(ebsSnapshotAuditor.triggers).toEqual([
        { eventSource: 'ec2.amazonaws.com', eventNames: ['ModifySnapshotAttribute'], idPath: 'requestParameters.snapshotId' },
      ]);
    });
  });

  describe('list', () => {
    it("follows NextToken over the account's own snapshots and yields id, Name tag and tags", async () => {
      // Prepare
      ec2.on(DescribeSnapshotsCommand, { NextToken: undefined }).resolves({
        Snapshots: [
          snapshot(SNAPSHOT, [
            { Key: 'Name', Value: 'misconfiguration-maker-public-snapshot' },
            { Key: 'created-by', Value: 'misconfiguration-maker' },
          ]),
          snapshot('snap-066877671789bd71b'),
        ],
        NextToken: 'eyJ2IjoiMiIsImMiOiJzbmFwLTA2Njg3NzY3MTc4OWJkNzFiIn0=',
      });
      ec2
        .on(DescribeSnapshotsCommand, { NextToken: 'eyJ2IjoiMiIsImMiOiJzbmFwLTA2Njg3NzY3MTc4OWJkNzFiIn0=' })
        .resolves({ Snapshots: [snapshot('snap-0a1b2c3d4e5f60718', [{ Key: 'Name', Value: 'db-volume-nightly' }])] });
      // Act
      const listed = await collectAll(ebsSnapshotAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        {
          id: SNAPSHOT,
          name: 'misconfiguration-maker-public-snapshot',
          tags: { Name: 'misconfiguration-maker-public-snapshot', 'created-by': 'misconfiguration-maker' },
        },
        { id: 'snap-066877671789bd71b', name: undefined, tags: {} },
        { id: 'snap-0a1b2c3d4e5f60718', name: 'db-volume-nightly', tags: { Name: 'db-volume-nightly' } },
      ]);
      const calls = ec2.commandCalls(DescribeSnapshotsCommand);
      expect(calls).toHaveLength(2);
      expect(calls[0]?.args[0].input).toMatchObject({ OwnerIds: [ACCOUNT] });
      expect(calls[1]?.args[0].input).toMatchObject({ OwnerIds: [ACCOUNT] });
    });
  });

  describe('checks', () => {
    describe.each([
      {
        checkId: 'ebs_snapshot.public',
        compliant: [
          ['private (no create-volume permission)', []],
          ['shared with a trusted account', [TRUSTED]],
          ['shared with an unknown account (another check)', [UNKNOWN]],
        ] as [string, CreateVolumePermission[]][],
        failing: [
          ['group all', [PUBLIC], 'create-volume permission for group "all" (every AWS account)'],
          ['group all next to a trusted account', [TRUSTED, PUBLIC], 'create-volume permission for group "all" (every AWS account)'],
        ] as [string, CreateVolumePermission[], string][],
      },
      {
        checkId: 'ebs_snapshot.shared_unknown_account',
        compliant: [
          ['private (no create-volume permission)', []],
          ['shared with a trusted account', [TRUSTED]],
          ['public (another check)', [PUBLIC]],
        ] as [string, CreateVolumePermission[]][],
        failing: [
          ['one unknown account', [UNKNOWN], `create-volume permission for unknown account(s) ${UNKNOWN_ACCOUNT}`],
          [
            'a near-miss of a trusted id and an unknown account next to a trusted one',
            [TRUSTED, NEAR_MISS, UNKNOWN],
            `create-volume permission for unknown account(s) ${NEAR_MISS_ACCOUNT}, ${UNKNOWN_ACCOUNT}`,
          ],
        ] as [string, CreateVolumePermission[], string][],
      },
    ])('$checkId', ({ checkId, compliant, failing }) => {
      it.each(compliant)('compliant: %s', async (_name, permissions) => {
        givenCreateVolumePermissions(permissions);
        const failed = await failedChecks();
        expect(failed.map((f) => f.check.id)).not.toContain(checkId);
      });

      it.each(failing)('fails: %s', async (_name, permissions, detail) => {
        givenCreateVolumePermissions(permissions);
        const failed = (await failedChecks()).find((f) => f.check.id === checkId);
        expect(failed?.violation.detail).toBe(detail);
        expect(failed?.remediate).toBeDefined();
      });

      it('gone: InvalidSnapshot.NotFound', async () => {
        ec2.on(DescribeSnapshotAttributeCommand).rejects(awsError('InvalidSnapshot.NotFound'));
        expect(await audit()).toBe(GONE);
      });
    });

    it('shared_unknown_account: an account configured as trusted is fine, the owner is fine', async () => {
      givenCreateVolumePermissions([PARTNER, { UserId: ACCOUNT }]);
      expect(await failedChecks([ACCOUNT, OTHER_ACCOUNT, PARTNER_ACCOUNT])).toEqual([]);
      expect((await failedChecks()).map((f) => f.check.id)).toEqual(['ebs_snapshot.shared_unknown_account']);
    });

    it('a public snapshot shared with an unknown account fails both checks', async () => {
      givenCreateVolumePermissions([PUBLIC, UNKNOWN]);
      expect((await failedChecks()).map((f) => f.check.id)).toEqual(['ebs_snapshot.public', 'ebs_snapshot.shared_unknown_account']);
    });

    it.each(['UnauthorizedOperation', 'InvalidSnapshot.Malformed'])('%s propagates (an error, not a finding)', async (name) => {
      ec2.on(DescribeSnapshotAttributeCommand).rejects(awsError(name));
      await expect(audit()).rejects.toThrow(name);
    });
  });

  describe('remediations', () => {
    const EVERYTHING = [TRUSTED, NEAR_MISS, PUBLIC, UNKNOWN];

    async function failedCheck(checkId: string, permissions: CreateVolumePermission[]): Promise<FailedCheck | undefined> {
      givenCreateVolumePermissions(permissions);
      return (await failedChecks()).find((f) => f.check.id === checkId);
    }

    it.each([
      ['ebs_snapshot.public', [PUBLIC], [TRUSTED, NEAR_MISS, UNKNOWN]],
      ['ebs_snapshot.shared_unknown_account', [NEAR_MISS, UNKNOWN], [TRUSTED, PUBLIC]],
    ] as [string, CreateVolumePermission[], CreateVolumePermission[]][])(
      '%s removes exactly the offending create-volume permissions, then a second run makes no call',
      async (checkId, removed, kept) => {
        // Prepare
        const failed = await failedCheck(checkId, EVERYTHING);
        // Act
        const outcome = await failed?.remediate?.();
        // Assess
        expect(outcome).toBe('applied');
        const calls = ec2.commandCalls(ModifySnapshotAttributeCommand);
        expect(calls).toHaveLength(1);
        expect(calls[0]?.args[0].input).toEqual({
          SnapshotId: SNAPSHOT,
          Attribute: 'createVolumePermission',
          OperationType: 'remove',
          ...asRemovalParameters(removed),
        });

        // Prepare: the snapshot now holds what was kept
        ec2.reset();
        givenCreateVolumePermissions(kept);
        // Act
        const second = await failed?.remediate?.();
        // Assess
        expect(second).toBe('already_compliant');
        expect(ec2.commandCalls(ModifySnapshotAttributeCommand)).toHaveLength(0);
      },
    );

    it('shared_unknown_account keeps an account trusted by configuration', async () => {
      givenCreateVolumePermissions([PARTNER, UNKNOWN]);
      const failed = (await failedChecks([ACCOUNT, OTHER_ACCOUNT, PARTNER_ACCOUNT])).find(
        (f) => f.check.id === 'ebs_snapshot.shared_unknown_account',
      );
      expect(await failed?.remediate?.()).toBe('applied');
      const input = ec2.commandCalls(ModifySnapshotAttributeCommand)[0]?.args[0].input;
      expect(input?.OperationType).toBe('remove');
      expect(input?.UserIds).toEqual([UNKNOWN_ACCOUNT]);
      expect(input?.GroupNames).toBeUndefined();
    });

    it.each([
      ['ebs_snapshot.public', [TRUSTED]],
      ['ebs_snapshot.shared_unknown_account', [TRUSTED, PUBLIC]],
    ] as [string, CreateVolumePermission[]][])('%s: fixed since the audit: already_compliant, no mutating call', async (checkId, fixed) => {
      const failed = await failedCheck(checkId, [PUBLIC, UNKNOWN]);
      ec2.reset();
      givenCreateVolumePermissions(fixed);
      expect(await failed?.remediate?.()).toBe('already_compliant');
      expect(ec2.commandCalls(ModifySnapshotAttributeCommand)).toHaveLength(0);
    });

    it.each(['ebs_snapshot.public', 'ebs_snapshot.shared_unknown_account'])(
      '%s: snapshot deleted since the audit: gone, no mutating call',
      async (checkId) => {
        const failed = await failedCheck(checkId, [PUBLIC, UNKNOWN]);
        ec2.reset();
        ec2.on(DescribeSnapshotAttributeCommand).rejects(awsError('InvalidSnapshot.NotFound'));
        expect(await failed?.remediate?.()).toBe('gone');
        expect(ec2.commandCalls(ModifySnapshotAttributeCommand)).toHaveLength(0);
      },
    );

    it('a snapshot deleted between the read and the write is gone', async () => {
      const failed = await failedCheck('ebs_snapshot.public', [PUBLIC]);
      ec2.on(ModifySnapshotAttributeCommand).rejects(awsError('InvalidSnapshot.NotFound'));
      expect(await failed?.remediate?.()).toBe('gone');
    });
  });
});
