import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
  type DBClusterSnapshot,
  type DBSnapshot,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, NotReady, type FailedCheck } from '../../auditors/contract.ts';
import { rdsSnapshotAuditor, type RdsSnapshotKind } from '../../auditors/rdsSnapshot.ts';
import {
  ACCOUNT,
  NEAR_MISS_ACCOUNT,
  OTHER_ACCOUNT,
  PARTNER_ACCOUNT,
  REGION,
  UNKNOWN_ACCOUNT,
  awsError,
  collectAll,
  makeCheckContext,
  makeListContext,
  makeResourceContext,
} from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const rds = mockClient(RDSClient);
const SNAPSHOT = 'orders-db-before-migration-2026-11-01';
const KMS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TAGS = [{ Key: 'created-by', Value: 'misconfiguration-maker' }];

function dbSnapshot(id: string, tags: { Key: string; Value: string }[] = []): DBSnapshot {
  return {
    DBSnapshotIdentifier: id,
    DBInstanceIdentifier: 'orders-db',
    SnapshotCreateTime: new Date('2026-11-01T04:12:09.123Z'),
    InstanceCreateTime: new Date('2025-03-14T10:00:00.000Z'),
    Engine: 'postgres',
    EngineVersion: '16.4',
    AllocatedStorage: 20,
    Status: 'available',
    Port: 5432,
    AvailabilityZone: `${REGION}a`,
    VpcId: 'vpc-0a1b2c3d4e5f60718',
    MasterUsername: 'postgres',
    LicenseModel: 'postgresql-license',
    SnapshotType: 'manual',
    StorageType: 'gp3',
    Encrypted: true,
    KmsKeyId: KMS_KEY,
    DBSnapshotArn: `arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:${id}`,
    DbiResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY0',
    TagList: tags,
  };
}

function dbClusterSnapshot(id: string, tags: { Key: string; Value: string }[] = []): DBClusterSnapshot {
  return {
    DBClusterSnapshotIdentifier: id,
    DBClusterIdentifier: 'orders-aurora',
    AvailabilityZones: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
    SnapshotCreateTime: new Date('2026-11-01T04:12:09.123Z'),
    ClusterCreateTime: new Date('2025-03-14T10:00:00.000Z'),
    Engine: 'aurora-postgresql',
    EngineVersion: '16.4',
    AllocatedStorage: 0,
    Status: 'available',
    Port: 0,
    VpcId: 'vpc-0a1b2c3d4e5f60718',
    MasterUsername: 'postgres',
    LicenseModel: 'postgresql-license',
    SnapshotType: 'manual',
    PercentProgress: 100,
    StorageEncrypted: true,
    KmsKeyId: KMS_KEY,
    DBClusterSnapshotArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:${id}`,
    TagList: tags,
  };
}

/** An unencrypted snapshot has no KmsKeyId. */
function withoutKey<T extends { KmsKeyId?: string }>(snapshot: T): T {
  const copy = { ...snapshot };
  delete copy.KmsKeyId;
  return copy;
}

/**
 * The `restore` attribute of each kind (undefined: no snapshot of that kind has the identifier), as RDS answers it,
 * and the snapshot itself (encrypted unless `unencrypted` names its kind) as DescribeDBSnapshots / DescribeDBClusterSnapshots answer by identifier.
 */
function givenSnapshots(restore: { instance?: string[]; cluster?: string[] }, unencrypted: readonly RdsSnapshotKind[] = []): void {
  if (restore.instance !== undefined) {
    const snapshot = dbSnapshot(SNAPSHOT);
    rds.on(DescribeDBSnapshotsCommand, { DBSnapshotIdentifier: SNAPSHOT }).resolves({ DBSnapshots: [unencrypted.includes('instance') ? { ...withoutKey(snapshot), Encrypted: false } : snapshot] });
  }
  if (restore.cluster !== undefined) {
    const snapshot = dbClusterSnapshot(SNAPSHOT);
    rds
      .on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: SNAPSHOT })
      .resolves({ DBClusterSnapshots: [unencrypted.includes('cluster') ? { ...withoutKey(snapshot), StorageEncrypted: false } : snapshot] });
  }
  if (restore.instance === undefined) {
    rds.on(DescribeDBSnapshotAttributesCommand, { DBSnapshotIdentifier: SNAPSHOT }).rejects(awsError('DBSnapshotNotFound', 404));
  } else {
    rds.on(DescribeDBSnapshotAttributesCommand, { DBSnapshotIdentifier: SNAPSHOT }).resolves({
      DBSnapshotAttributesResult: {
        DBSnapshotIdentifier: SNAPSHOT,
        DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: restore.instance }],
      },
    });
  }
  if (restore.cluster === undefined) {
    rds
      .on(DescribeDBClusterSnapshotAttributesCommand, { DBClusterSnapshotIdentifier: SNAPSHOT })
      .rejects(awsError('DBClusterSnapshotNotFoundFault', 404));
  } else {
    rds.on(DescribeDBClusterSnapshotAttributesCommand, { DBClusterSnapshotIdentifier: SNAPSHOT }).resolves({
      DBClusterSnapshotAttributesResult: {
        DBClusterSnapshotIdentifier: SNAPSHOT,
        DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: restore.cluster }],
      },
    });
  }
}

function givenSnapshot(kind: RdsSnapshotKind, values: string[]): void {
  givenSnapshots({ [kind]: values });
}

async function audit(trustedAccounts?: string[]): Promise<FailedCheck[] | typeof GONE | NotReady> {
  return rdsSnapshotAuditor.audit(makeResourceContext(SNAPSHOT), makeCheckContext(SNAPSHOT, trustedAccounts ? { trustedAccounts } : {}));
}

async function failedChecks(trustedAccounts?: string[]): Promise<FailedCheck[]> {
  return failedChecksOf(await audit(trustedAccounts));
}

function modifyCalls(): { instance: unknown[]; cluster: unknown[] } {
  return {
    instance: rds.commandCalls(ModifyDBSnapshotAttributeCommand).map((call) => call.args[0].input),
    cluster: rds.commandCalls(ModifyDBClusterSnapshotAttributeCommand).map((call) => call.args[0].input),
  };
}

const KIND_NAMES = { instance: 'DB snapshot', cluster: 'DB cluster snapshot' } as const;

describe('rds_snapshot auditor', () => {
  beforeEach(() => rds.reset());

  describe('metadata', () => {
    it('declares the IAM actions it calls and the CloudTrail events that trigger it', () => {
      expect(rdsSnapshotAuditor.permissions).toEqual({
        list: ['rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots'],
        collect: ['rds:DescribeDBSnapshotAttributes', 'rds:DescribeDBClusterSnapshotAttributes', 'rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots'],
      });
      for (const remediation of Object.values(rdsSnapshotAuditor.remediations)) {
        expect([...remediation.permissions].sort()).toEqual([
          'rds:DescribeDBClusterSnapshotAttributes',
          'rds:DescribeDBSnapshotAttributes',
          'rds:ModifyDBClusterSnapshotAttribute',
          'rds:ModifyDBSnapshotAttribute',
        ]);
      }
      expect(rdsSnapshotAuditor.triggers).toEqual([
        { eventSource: 'rds.amazonaws.com', eventNames: ['ModifyDBSnapshotAttribute'], idPath: 'requestParameters.dBSnapshotIdentifier' },
        {
          eventSource: 'rds.amazonaws.com',
          eventNames: ['ModifyDBClusterSnapshotAttribute'],
          idPath: 'requestParameters.dBClusterSnapshotIdentifier',
        },
      ]);
    });
  });

  describe('list', () => {
    it('follows Marker over manual DB snapshots, then lists manual DB cluster snapshots, each identifier once', async () => {
      // Prepare
      rds.on(DescribeDBSnapshotsCommand, { Marker: undefined }).resolves({
        DBSnapshots: [dbSnapshot(SNAPSHOT, TAGS), dbSnapshot('orders-db-final')],
        Marker: 'b3JkZXJzLWRiLWZpbmFs',
      });
      rds.on(DescribeDBSnapshotsCommand, { Marker: 'b3JkZXJzLWRiLWZpbmFs' }).resolves({ DBSnapshots: [dbSnapshot('billing-db-2026-10-31')] });
      rds.on(DescribeDBClusterSnapshotsCommand).resolves({
        DBClusterSnapshots: [dbClusterSnapshot('orders-aurora-pre-upgrade', TAGS), dbClusterSnapshot('orders-db-final')],
      });
      // Act
      const listed = await collectAll(rdsSnapshotAuditor.list(makeListContext()));
      // Assess
      expect(listed).toEqual([
        { id: SNAPSHOT, name: SNAPSHOT, tags: { 'created-by': 'misconfiguration-maker' } },
        { id: 'orders-db-final', name: 'orders-db-final', tags: {} },
        { id: 'billing-db-2026-10-31', name: 'billing-db-2026-10-31', tags: {} },
        { id: 'orders-aurora-pre-upgrade', name: 'orders-aurora-pre-upgrade', tags: { 'created-by': 'misconfiguration-maker' } },
      ]);
      const instanceCalls = rds.commandCalls(DescribeDBSnapshotsCommand);
      expect(instanceCalls).toHaveLength(2);
      for (const call of instanceCalls) expect(call.args[0].input).toMatchObject({ SnapshotType: 'manual' });
      expect(rds.commandCalls(DescribeDBClusterSnapshotsCommand)[0]?.args[0].input).toMatchObject({ SnapshotType: 'manual' });
    });
  });

  describe('checks', () => {
    describe.each([
      {
        checkId: 'rds_snapshot.public',
        compliant: [
          ['private (empty restore attribute)', []],
          ['shared with a trusted account', [OTHER_ACCOUNT]],
          ['shared with an unknown account (another check)', [UNKNOWN_ACCOUNT]],
        ] as [string, string[]][],
        failing: [
          ['all', ['all'], 'restore attribute contains "all" (every AWS account)'],
          ['all next to a trusted account', [OTHER_ACCOUNT, 'all'], 'restore attribute contains "all" (every AWS account)'],
        ] as [string, string[], string][],
      },
      {
        checkId: 'rds_snapshot.shared_unknown_account',
        compliant: [
          ['private (empty restore attribute)', []],
          ['shared with a trusted account', [OTHER_ACCOUNT]],
          ['public (another check)', ['all']],
        ] as [string, string[]][],
        failing: [
          ['one unknown account', [UNKNOWN_ACCOUNT], `restore attribute shares with unknown account(s) ${UNKNOWN_ACCOUNT}`],
          [
            'a near-miss of a trusted id and an unknown account next to a trusted one',
            [OTHER_ACCOUNT, NEAR_MISS_ACCOUNT, UNKNOWN_ACCOUNT],
            `restore attribute shares with unknown account(s) ${NEAR_MISS_ACCOUNT}, ${UNKNOWN_ACCOUNT}`,
          ],
        ] as [string, string[], string][],
      },
    ])('$checkId', ({ checkId, compliant, failing }) => {
      describe.each(['instance', 'cluster'] as const)('%s snapshot', (kind) => {
        it.each(compliant)('compliant: %s', async (_name, values) => {
          givenSnapshot(kind, values);
          const failed = await failedChecks();
          expect(failed.map((f) => f.check.id)).not.toContain(checkId);
        });

        it.each(failing)('fails: %s', async (_name, values, detail) => {
          givenSnapshot(kind, values);
          const failed = (await failedChecks()).find((f) => f.check.id === checkId);
          expect(failed?.violation.detail).toBe(`${KIND_NAMES[kind]} ${detail}`);
          expect(failed?.remediate).toBeDefined();
        });
      });

      it.each(['DBSnapshotNotFound', 'DBSnapshotNotFoundFault'])('gone: %s and DBClusterSnapshotNotFoundFault', async (name) => {
        rds.on(DescribeDBSnapshotAttributesCommand).rejects(awsError(name, 404));
        rds.on(DescribeDBClusterSnapshotAttributesCommand).rejects(awsError('DBClusterSnapshotNotFoundFault', 404));
        expect(await audit()).toBe(GONE);
      });
    });

    it('an identifier with both a DB snapshot and a DB cluster snapshot judges both', async () => {
      givenSnapshots({ instance: [UNKNOWN_ACCOUNT], cluster: ['all', PARTNER_ACCOUNT] });
      const failed = await failedChecks();
      expect(failed.map((f) => [f.check.id, f.violation.detail])).toEqual([
        ['rds_snapshot.public', 'DB cluster snapshot restore attribute contains "all" (every AWS account)'],
        [
          'rds_snapshot.shared_unknown_account',
          `DB snapshot restore attribute shares with unknown account(s) ${UNKNOWN_ACCOUNT}; DB cluster snapshot restore attribute shares with unknown account(s) ${PARTNER_ACCOUNT}`,
        ],
      ]);
    });

    describe('rds_snapshot.unencrypted (RDS.4: DB snapshots and DB cluster snapshots)', () => {
      it.each<[string, { instance?: string[]; cluster?: string[] }, RdsSnapshotKind[]]>([
        ['an encrypted DB snapshot', { instance: [] }, []],
        ['an encrypted DB cluster snapshot', { cluster: [] }, []],
        ['both kinds, both encrypted', { instance: [], cluster: [] }, []],
      ])('compliant: %s', async (_name, restore, unencrypted) => {
        givenSnapshots(restore, unencrypted);
        expect(await failedChecks()).toEqual([]);
      });

      it.each<[string, { instance?: string[]; cluster?: string[] }, RdsSnapshotKind[], string]>([
        ['an unencrypted DB snapshot', { instance: [] }, ['instance'], 'DB snapshot is not encrypted at rest'],
        ['an unencrypted DB cluster snapshot', { cluster: [] }, ['cluster'], 'DB cluster snapshot is not encrypted at rest'],
        ['both kinds, only the cluster snapshot unencrypted', { instance: [], cluster: [] }, ['cluster'], 'DB cluster snapshot is not encrypted at rest'],
        ['both kinds unencrypted', { instance: [], cluster: [] }, ['instance', 'cluster'], 'DB snapshot is not encrypted at rest; DB cluster snapshot is not encrypted at rest'],
      ])('fails, notify-only: %s', async (_name, restore, unencrypted, detail) => {
        givenSnapshots(restore, unencrypted);
        const failed = await failedChecks();
        expect(failed.map((f) => [f.check.id, f.violation.detail])).toEqual([['rds_snapshot.unencrypted', detail]]);
        expect(failed[0]?.check.controls).toEqual({ fsbp: ['RDS.4'] });
        expect(failed[0]?.remediate).toBeUndefined();
      });

      it('reads encryption by identifier, from each kind it found', async () => {
        givenSnapshots({ cluster: [] }, ['cluster']);
        await failedChecks();
        expect(rds.commandCalls(DescribeDBSnapshotsCommand)).toHaveLength(0);
        expect(rds.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([{ DBClusterSnapshotIdentifier: SNAPSHOT }]);
      });

      it('a snapshot deleted between its attributes and its description is gone', async () => {
        givenSnapshots({ instance: [] });
        rds.on(DescribeDBSnapshotsCommand, { DBSnapshotIdentifier: SNAPSHOT }).rejects(awsError('DBSnapshotNotFound', 404));
        expect(await audit()).toBe(GONE);
      });
    });

    it('shared_unknown_account: an account configured as trusted is fine, the owner is fine', async () => {
      givenSnapshot('instance', [PARTNER_ACCOUNT, ACCOUNT]);
      expect(await failedChecks([ACCOUNT, OTHER_ACCOUNT, PARTNER_ACCOUNT])).toEqual([]);
      expect((await failedChecks()).map((f) => f.check.id)).toEqual(['rds_snapshot.shared_unknown_account']);
    });

    it('a snapshot without a restore attribute is private', async () => {
      rds.on(DescribeDBSnapshotAttributesCommand).resolves({
        DBSnapshotAttributesResult: { DBSnapshotIdentifier: SNAPSHOT, DBSnapshotAttributes: [] },
      });
      rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [dbSnapshot(SNAPSHOT)] });
      rds.on(DescribeDBClusterSnapshotAttributesCommand).rejects(awsError('DBClusterSnapshotNotFoundFault', 404));
      expect(await failedChecks()).toEqual([]);
    });

    it.each([
      ['DB snapshot read', () => rds.on(DescribeDBSnapshotAttributesCommand).rejects(awsError('AccessDenied', 403))],
      ['DB cluster snapshot read', () => rds.on(DescribeDBClusterSnapshotAttributesCommand).rejects(awsError('AccessDenied', 403))],
    ])('AccessDenied on the %s propagates (an error, not a finding)', async (_name, deny) => {
      givenSnapshots({ instance: [] });
      deny();
      await expect(audit()).rejects.toThrow('AccessDenied');
    });
  });

  describe('remediations', () => {
    const EVERYTHING = [OTHER_ACCOUNT, NEAR_MISS_ACCOUNT, 'all', UNKNOWN_ACCOUNT];

    async function failedCheck(checkId: string, restore: { instance?: string[]; cluster?: string[] }): Promise<FailedCheck | undefined> {
      givenSnapshots(restore);
      return (await failedChecks()).find((f) => f.check.id === checkId);
    }

    describe.each([
      ['rds_snapshot.public', ['all'], [OTHER_ACCOUNT, NEAR_MISS_ACCOUNT, UNKNOWN_ACCOUNT]],
      ['rds_snapshot.shared_unknown_account', [NEAR_MISS_ACCOUNT, UNKNOWN_ACCOUNT], [OTHER_ACCOUNT, 'all']],
    ] as [string, string[], string[]][])('%s', (checkId, removed, kept) => {
      it('on a DB snapshot: ModifyDBSnapshotAttribute removes exactly the offending values, then a second run makes no call', async () => {
        // Prepare
        const failed = await failedCheck(checkId, { instance: EVERYTHING });
        // Act
        const outcome = await failed?.remediate?.();
        // Assess
        expect(outcome).toBe('applied');
        expect(modifyCalls()).toEqual({
          instance: [{ DBSnapshotIdentifier: SNAPSHOT, AttributeName: 'restore', ValuesToRemove: removed }],
          cluster: [],
        });

        // Prepare: the snapshot now holds what was kept
        rds.reset();
        givenSnapshots({ instance: kept });
        // Act, Assess
        expect(await failed?.remediate?.()).toBe('already_compliant');
        expect(modifyCalls()).toEqual({ instance: [], cluster: [] });
      });

      it('on a DB cluster snapshot: ModifyDBClusterSnapshotAttribute removes exactly the offending values, then a second run makes no call', async () => {
        const failed = await failedCheck(checkId, { cluster: EVERYTHING });
        expect(await failed?.remediate?.()).toBe('applied');
        expect(modifyCalls()).toEqual({
          instance: [],
          cluster: [{ DBClusterSnapshotIdentifier: SNAPSHOT, AttributeName: 'restore', ValuesToRemove: removed }],
        });

        rds.reset();
        givenSnapshots({ cluster: kept });
        expect(await failed?.remediate?.()).toBe('already_compliant');
        expect(modifyCalls()).toEqual({ instance: [], cluster: [] });
      });

      it('fixed since the audit: already_compliant, no mutating call', async () => {
        const failed = await failedCheck(checkId, { instance: EVERYTHING });
        rds.reset();
        givenSnapshots({ instance: [OTHER_ACCOUNT] });
        expect(await failed?.remediate?.()).toBe('already_compliant');
        expect(modifyCalls()).toEqual({ instance: [], cluster: [] });
      });

      it('deleted since the audit: gone, no mutating call', async () => {
        const failed = await failedCheck(checkId, { instance: EVERYTHING });
        rds.reset();
        givenSnapshots({});
        expect(await failed?.remediate?.()).toBe('gone');
        expect(modifyCalls()).toEqual({ instance: [], cluster: [] });
      });
    });

    it('fixes both kinds when one identifier names a DB snapshot and a DB cluster snapshot', async () => {
      const failed = await failedCheck('rds_snapshot.shared_unknown_account', { instance: [UNKNOWN_ACCOUNT], cluster: [OTHER_ACCOUNT, PARTNER_ACCOUNT] });
      expect(await failed?.remediate?.()).toBe('applied');
      expect(modifyCalls()).toEqual({
        instance: [{ DBSnapshotIdentifier: SNAPSHOT, AttributeName: 'restore', ValuesToRemove: [UNKNOWN_ACCOUNT] }],
        cluster: [{ DBClusterSnapshotIdentifier: SNAPSHOT, AttributeName: 'restore', ValuesToRemove: [PARTNER_ACCOUNT] }],
      });
    });

    it('keeps an account trusted by configuration', async () => {
      givenSnapshots({ instance: [PARTNER_ACCOUNT, UNKNOWN_ACCOUNT] });
      const failed = (await failedChecks([ACCOUNT, OTHER_ACCOUNT, PARTNER_ACCOUNT])).find(
        (f) => f.check.id === 'rds_snapshot.shared_unknown_account',
      );
      expect(await failed?.remediate?.()).toBe('applied');
      expect(modifyCalls().instance).toEqual([{ DBSnapshotIdentifier: SNAPSHOT, AttributeName: 'restore', ValuesToRemove: [UNKNOWN_ACCOUNT] }]);
    });

    it('a snapshot deleted between the read and the write is gone', async () => {
      const failed = await failedCheck('rds_snapshot.public', { instance: ['all'] });
      rds.on(ModifyDBSnapshotAttributeCommand).rejects(awsError('DBSnapshotNotFound', 404));
      expect(await failed?.remediate?.()).toBe('gone');
    });
  });
});
