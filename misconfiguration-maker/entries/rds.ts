/**
 * One DB instance that fails rds.unencrypted and rds.public, harmlessly: an
 * empty PostgreSQL database (no data is ever loaded) on the smallest
 * Graviton class, with a random master password that is generated here,
 * sent once and never stored or printed, so nobody can log in.
 *
 * Real AWS: CreateDBInstance in the default VPC (public needs a subnet with
 * an internet gateway; VPC Block Public Access refuses it). db.t4g.micro
 * with 20 GiB gp2 costs about US$0.016/hour plus ~US$2.30/month of storage
 * and a public IPv4 address (US$0.005/hour) in us-east-1 (free tier where
 * it applies). No automated backups (BackupRetentionPeriod 0), so creation
 * is quicker and no backup storage is billed. Creation takes ~10 minutes:
 * create() returns while the instance is `creating`, and the remediator
 * re-queues its message (NotReady) until it is `available`. Teardown
 * deletes it without a final snapshot.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  StartDBInstanceCommand,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { MAKER_TAGS, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';
import { requiredTagsMissingFromMaker } from './missingMakerTags.ts';

export const MAKER_DB_INSTANCE_CLASS = 'db.t4g.micro';

export function makerDbInstanceId(account: string, region: string): string {
  return makerName('rds', account, region);
}

/** A throwaway password RDS accepts (letters, digits, - and _), never stored or printed. */
function throwawayPassword(): string {
  return randomBytes(24).toString('base64url');
}

export async function findDbInstance(context: MakerContext, id: string): Promise<DBInstance | undefined> {
  const found = await unlessGone(() => context.clients.get(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })), ['DBInstanceNotFound'], undefined);
  return found?.DBInstances?.[0];
}

export const rdsMaker: MisconfigurationEntry = {
  type: 'rds',
  scope: 'regional',
  provokes: (config) => ['rds.unencrypted', 'rds.public', ...(requiredTagsMissingFromMaker(config).length > 0 ? ['rds.missing_required_tags'] : [])],
  plan: (account, region) => [
    `RDS DB instance ${makerDbInstanceId(account, region)}: ${MAKER_DB_INSTANCE_CLASS} PostgreSQL, empty, 20 GiB unencrypted, publicly accessible, random unknown master password (real AWS: ~10 min to create, ~US$0.02/hour)`,
  ],
  async create(context) {
    const rds = context.clients.get(RDSClient);
    const id = makerDbInstanceId(context.account, context.region);
    const existing = await findDbInstance(context, id);
    if (!existing) {
      await rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBInstanceClass: MAKER_DB_INSTANCE_CLASS,
          Engine: 'postgres',
          AllocatedStorage: 20,
          StorageType: 'gp2',
          MasterUsername: 'makeradmin',
          MasterUserPassword: throwawayPassword(),
          StorageEncrypted: false,
          PubliclyAccessible: true,
          MultiAZ: false,
          BackupRetentionPeriod: 0,
          Tags: [...MAKER_TAGS],
        }),
      );
      const created = await findDbInstance(context, id);
      if (created?.DBInstanceStatus !== 'available') {
        context.log.info(`rds: ${id} is ${created?.DBInstanceStatus ?? 'not yet visible'}; AWS takes ~10 minutes to create it, and its audit waits until then`);
      }
      return [id];
    }
    if (existing.DBInstanceStatus === 'deleting') throw new Error(`rds: ${id} is being deleted; re-run once it is gone`);
    // Reused: put back what a remediation may have fixed (encryption cannot be undone, nor needs to be).
    // A stopped instance (rds.unencrypted's remediation stops it) cannot be modified: start it first.
    let status = existing.DBInstanceStatus;
    if (status === 'stopped') {
      await rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier: id }));
      status = (await findDbInstance(context, id))?.DBInstanceStatus;
    }
    if (existing.PubliclyAccessible !== true) {
      if (status === 'available') {
        await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, PubliclyAccessible: true, ApplyImmediately: true }));
      } else {
        context.log.warn(`rds: ${id} is ${status ?? 'unknown'}, not available: PubliclyAccessible stays false until a re-run finds it available`);
      }
    }
    return [id];
  },
  async teardown(context) {
    const id = makerDbInstanceId(context.account, context.region);
    const existing = await findDbInstance(context, id);
    if (!existing) return [];
    if (existing.DBInstanceStatus === 'deleting') {
      context.log.info(`rds: ${id} is already being deleted`);
      return [];
    }
    const deleteInstance = new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true, DeleteAutomatedBackups: true });
    const deleted = await unlessGone(() => context.clients.get(RDSClient).send(deleteInstance), ['DBInstanceNotFound'], undefined);
    return deleted ? [id] : [];
  },
};
