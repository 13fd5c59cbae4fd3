/**
 * One manual DB snapshot, of the rds entry's empty instance, whose restore
 * attribute shares it with account 000000000000 (which does not exist):
 * it fails rds_snapshot.shared_unknown_account, harmlessly, and, being a
 * snapshot of the rds entry's unencrypted instance, rds_snapshot.unencrypted. It is not made
 * public: rds_snapshot.public is left unprovoked, as an empty database with
 * a master password hash is still not something to hand to every account.
 *
 * It must run after the rds entry (registry order: rds, then rds_snapshot).
 *
 * Real AWS: CreateDBSnapshot needs the instance `available`, and the rds
 * entry's instance takes ~10 minutes to get there; until then create()
 * skips with a log line saying so, and a re-run makes the snapshot. A new
 * snapshot is `creating` for a few minutes and can only be shared once
 * `available`: create() then says so, and a re-run shares it. Cost: snapshot
 * storage of an empty 20 GiB database, a few cents a month. Teardown deletes
 * the snapshot (deleting the instance does not remove manual snapshots).
 */
import {
  CreateDBSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
  type DBSnapshot,
} from '@aws-sdk/client-rds';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';
import { findDbInstance, makerDbInstanceId } from './rds.ts';

const RESTORE = 'restore';

export function makerDbSnapshotId(account: string, region: string): string {
  return makerName('rds-snapshot', account, region);
}

async function findSnapshot(context: MakerContext, id: string): Promise<DBSnapshot | undefined> {
  const found = await unlessGone(() => context.clients.get(RDSClient).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id })), ['DBSnapshotNotFound'], undefined);
  return found?.DBSnapshots?.[0];
}

/** Snapshot the rds entry's instance, if it is available; undefined (and a log line) when it is not. */
async function snapshotInstance(context: MakerContext, id: string): Promise<DBSnapshot | undefined> {
  const instanceId = makerDbInstanceId(context.account, context.region);
  const instance = await findDbInstance(context, instanceId);
  if (instance?.DBInstanceStatus !== 'available') {
    context.log.warn(
      `rds_snapshot: skipped: DB instance ${instanceId} is ${instance ? `${instance.DBInstanceStatus ?? 'unknown'}, not available yet` : 'missing (the rds entry makes it)'}; re-run misconfiguration-maker once it is available`,
    );
    return undefined;
  }
  const { DBSnapshot: snapshot } = await context.clients
    .get(RDSClient)
    .send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: id, DBInstanceIdentifier: instanceId, Tags: [...MAKER_TAGS] }));
  return snapshot;
}

async function shareWithNonexistentAccount(context: MakerContext, id: string): Promise<void> {
  const rds = context.clients.get(RDSClient);
  const { DBSnapshotAttributesResult } = await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id }));
  const restore = DBSnapshotAttributesResult?.DBSnapshotAttributes?.find((a) => a.AttributeName === RESTORE)?.AttributeValues ?? [];
  if (restore.includes(NONEXISTENT_ACCOUNT)) return;
  await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: id, AttributeName: RESTORE, ValuesToAdd: [NONEXISTENT_ACCOUNT] }));
}

export const rdsSnapshotMaker: MisconfigurationEntry = {
  type: 'rds_snapshot',
  scope: 'regional',
  provokes: (config) => [...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['rds_snapshot.shared_unknown_account']), 'rds_snapshot.unencrypted'],
  plan: (account, region) => [
    `RDS DB snapshot ${makerDbSnapshotId(account, region)}: manual snapshot of the empty ${makerDbInstanceId(account, region)}, unencrypted like the instance, restore shared with nonexistent account ${NONEXISTENT_ACCOUNT} (real AWS: made once the instance is available)`,
  ],
  async create(context) {
    const id = makerDbSnapshotId(context.account, context.region);
    const snapshot = (await findSnapshot(context, id)) ?? (await snapshotInstance(context, id));
    if (!snapshot) return [];
    if (snapshot.Status !== 'available') {
      context.log.info(`rds_snapshot: ${id} is ${snapshot.Status ?? 'unknown'}; re-run misconfiguration-maker once it is available to share it with ${NONEXISTENT_ACCOUNT}`);
      return [id];
    }
    await shareWithNonexistentAccount(context, id);
    return [id];
  },
  async teardown(context) {
    const id = makerDbSnapshotId(context.account, context.region);
    const deleted = await unlessGone(() => context.clients.get(RDSClient).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id })), ['DBSnapshotNotFound'], undefined);
    return deleted ? [id] : [];
  },
};
