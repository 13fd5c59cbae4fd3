/**
 * One EBS snapshot that fails both ebs_snapshot checks: an EMPTY snapshot
 * (of a 1 GiB volume never attached or written; see emptySnapshot.ts) whose
 * create-volume permissions hold account 000000000000 (which does not
 * exist: shared_unknown_account) and the group "all" (public).
 *
 * Why public, when the other entries share with 000000000000 instead: the
 * `public` check cannot be provoked any other way, and a public copy of
 * nothing discloses nothing but the owner's account id and the snapshot's
 * description (which says it is a test). In an account where Block Public
 * Access for snapshots is on, the public grant fails and the entry reports
 * the error; the unknown-account share is made first and stays.
 *
 * Real AWS cost: next to nothing (see emptySnapshot.ts); the waits take a
 * minute or two the first time, none when the snapshot exists.
 */
import { EC2Client, ModifySnapshotAttributeCommand } from '@aws-sdk/client-ec2';
import { NONEXISTENT_ACCOUNT, makerName, type MisconfigurationEntry } from '../makerContract.ts';
import { isUnknownAccountFor } from './ec2Tagging.ts';
import { ensureEmptySnapshot, removeEmptySnapshots } from './emptySnapshot.ts';

export function makerSnapshotName(account: string, region: string): string {
  return makerName('ebs-snapshot', account, region);
}

export const ebsSnapshotMaker: MisconfigurationEntry = {
  type: 'ebs_snapshot',
  scope: 'regional',
  provokes: (config) => ['ebs_snapshot.public', ...(isUnknownAccountFor(config, NONEXISTENT_ACCOUNT) ? ['ebs_snapshot.shared_unknown_account'] : [])],
  plan: (account, region) => [
    `EBS snapshot ${makerSnapshotName(account, region)}: of an empty 1 GiB gp3 volume (deleted once the snapshot completes); create-volume permission for account ${NONEXISTENT_ACCOUNT} and for everyone (public: it holds nothing)`,
  ],
  async create(context) {
    const name = makerSnapshotName(context.account, context.region);
    const snapshotId = await ensureEmptySnapshot(context, name, `${name}: empty, made by misconfiguration-maker to provoke the ebs_snapshot checks`);
    const ec2 = context.clients.get(EC2Client);
    // OperationType + UserIds/GroupNames: the form AWS and moto both accept (gap moto-snapshot-permission-form).
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [NONEXISTENT_ACCOUNT] }));
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission', OperationType: 'add', GroupNames: ['all'] }));
    return [snapshotId];
  },
  teardown: (context) => removeEmptySnapshots(context, makerSnapshotName(context.account, context.region)),
};
