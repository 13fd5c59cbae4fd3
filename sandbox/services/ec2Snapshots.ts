/**
 * EBS snapshots: CreateSnapshot (`pending` in its answer, `completed` from
 * then on), DescribeSnapshots (own, public and shared-with-you ones; OwnerIds
 * and RestorableByUserIds really filter), DeleteSnapshot (not while an AMI
 * uses it), Describe/ModifySnapshotAttribute (createVolumePermission).
 */
import type {
  CreateSnapshotCommandInput,
  CreateSnapshotCommandOutput,
  DeleteSnapshotCommandInput,
  DescribeSnapshotAttributeCommandInput,
  DescribeSnapshotAttributeCommandOutput,
  DescribeSnapshotsCommandInput,
  DescribeSnapshotsCommandOutput,
  ModifySnapshotAttributeCommandInput,
  Snapshot,
} from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { assertPageInput, ec2Page, filterRecords, nextTokenField, type FilterFields } from './ec2Query.ts';
import { applySharingChange, sharedWith, sharingChangeOf } from './ec2Sharing.ts';
import {
  SNAPSHOT_ID,
  VOLUME_ID,
  ec2StateOf,
  ec2StatesInRegion,
  invalidParameterValue,
  recordById,
  recordsById,
  requiredParameter,
  tagsField,
  tagsFor,
  type SnapshotRecord,
} from './ec2State.ts';

interface VisibleSnapshot {
  owner: string;
  record: SnapshotRecord;
}

const SNAPSHOT_FILTERS: FilterFields<VisibleSnapshot> = {
  'snapshot-id': (s) => s.record.snapshotId,
  'volume-id': (s) => s.record.volumeId,
  'owner-id': (s) => s.owner,
  status: () => 'completed',
  progress: () => '100%',
  description: (s) => s.record.description,
  'volume-size': (s) => String(s.record.volumeSize),
  encrypted: (s) => String(s.record.encrypted),
  'storage-tier': () => 'standard',
};

/** Own snapshots, and other accounts' (same region) that are public or shared with this account. */
function visibleSnapshots(context: OperationContext): VisibleSnapshot[] {
  return ec2StatesInRegion(context).flatMap(({ account, state }) =>
    Object.values(state.snapshots)
      .filter((record) => account === context.account || sharedWith(record.createVolumePermissions, context.account))
      .map((record) => ({ owner: account, record })),
  );
}

function snapshotOf(context: OperationContext, { owner, record }: VisibleSnapshot, state: 'pending' | 'completed'): Snapshot {
  return {
    SnapshotId: record.snapshotId,
    VolumeId: record.volumeId,
    State: state,
    StartTime: new Date(record.startTime),
    ...(state === 'completed' ? { Progress: '100%' } : {}),
    OwnerId: owner,
    Description: record.description,
    VolumeSize: record.volumeSize,
    Encrypted: record.encrypted,
    StorageTier: 'standard',
    // Tags are the owner's: other accounts do not see them.
    ...(owner === context.account ? tagsField(record.tags) : {}),
  };
}

function accountOf(context: OperationContext, id: string): string {
  return id === 'self' ? context.account : id;
}

/** Who may create a volume from it: the owner, everyone (public), or the accounts shared with. */
function restorableBy(snapshot: VisibleSnapshot, user: string): boolean {
  if (user === 'all') return snapshot.record.createVolumePermissions.some((p) => p.Group === 'all');
  return snapshot.owner === user || sharedWith(snapshot.record.createVolumePermissions, user);
}

export const snapshotOperations: Readonly<Record<string, OperationHandler>> = {
  CreateSnapshot: operation((context, input: CreateSnapshotCommandInput): Output<CreateSnapshotCommandOutput> => {
    const state = ec2StateOf(context);
    const volume = recordById(VOLUME_ID, input.VolumeId, 'VolumeId', state.volumes);
    const record: SnapshotRecord = {
      snapshotId: `snap-${context.nextId()}`,
      volumeId: volume.volumeId,
      volumeSize: volume.size,
      description: input.Description ?? '',
      startTime: context.now().toISOString(),
      encrypted: volume.encrypted,
      tags: tagsFor(input.TagSpecifications, 'snapshot'),
      createVolumePermissions: [],
    };
    state.snapshots[record.snapshotId] = record;
    return snapshotOf(context, { owner: context.account, record }, 'pending');
  }),

  DescribeSnapshots: operation((context, input: DescribeSnapshotsCommandInput): Output<DescribeSnapshotsCommandOutput> => {
    const ids = input.SnapshotIds ?? [];
    const limits = { min: 5, max: 1000, idsParameter: 'snapshotId' };
    assertPageInput(input, ids.length > 0, limits);
    const visible = visibleSnapshots(context);
    let candidates = visible;
    if (ids.length > 0) {
      const byId = Object.fromEntries(visible.map((s) => [s.record.snapshotId, s]));
      candidates = recordsById(SNAPSHOT_ID, ids, byId);
    }
    const owners = (input.OwnerIds ?? []).map((id) => accountOf(context, id));
    const users = (input.RestorableByUserIds ?? []).map((id) => accountOf(context, id));
    const scoped = candidates.filter(
      (s) => (owners.length === 0 || owners.includes(s.owner)) && (users.length === 0 || users.some((user) => restorableBy(s, user))),
    );
    const matching = filterRecords(scoped, input.Filters, SNAPSHOT_FILTERS, (s) => (s.owner === context.account ? s.record.tags : []));
    const { items, next } = ec2Page(matching, input, ids.length > 0, limits);
    return { Snapshots: items.map((s) => snapshotOf(context, s, 'completed')), ...nextTokenField(next) };
  }),

  DeleteSnapshot: operation((context, input: DeleteSnapshotCommandInput) => {
    const state = ec2StateOf(context);
    const snapshot = recordById(SNAPSHOT_ID, input.SnapshotId, 'SnapshotId', state.snapshots);
    const image = Object.values(state.images).find((i) => i.blockDeviceMappings.some((m) => m.snapshotId === snapshot.snapshotId));
    if (image) throw serviceError('InvalidSnapshot.InUse', 400, `The snapshot ${snapshot.snapshotId} is currently in use by ${image.imageId}`);
    delete state.snapshots[snapshot.snapshotId];
    return {};
  }),

  DescribeSnapshotAttribute: operation((context, input: DescribeSnapshotAttributeCommandInput): Output<DescribeSnapshotAttributeCommandOutput> => {
    const attribute = requiredParameter(input.Attribute, 'Attribute');
    const snapshot = recordById(SNAPSHOT_ID, input.SnapshotId, 'SnapshotId', ec2StateOf(context).snapshots);
    if (attribute === 'createVolumePermission') return { SnapshotId: snapshot.snapshotId, CreateVolumePermissions: snapshot.createVolumePermissions };
    if (attribute === 'productCodes') return { SnapshotId: snapshot.snapshotId, ProductCodes: [] };
    throw invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }),

  ModifySnapshotAttribute: operation((context, input: ModifySnapshotAttributeCommandInput) => {
    const snapshot = recordById(SNAPSHOT_ID, input.SnapshotId, 'SnapshotId', ec2StateOf(context).snapshots);
    if (input.Attribute !== undefined && input.Attribute !== 'createVolumePermission') {
      throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid. Only createVolumePermission can be modified.`);
    }
    const change = sharingChangeOf(input.CreateVolumePermission, { OperationType: input.OperationType, UserIds: input.UserIds, groups: input.GroupNames });
    if (!change.Add?.length && !change.Remove?.length) throw serviceError('MissingParameter', 400, 'The request must contain the parameter createVolumePermission');
    snapshot.createVolumePermissions = applySharingChange(snapshot.createVolumePermissions, change, 'InvalidParameterValue');
    return {};
  }),
};
