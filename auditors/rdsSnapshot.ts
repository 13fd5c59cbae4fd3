/**
 * rds_snapshot: manual DB snapshots and DB cluster snapshots the account owns
 * that anyone can restore, that are shared with an account outside the
 * organization and the trusted accounts, or that are not encrypted at rest
 * (notify-only: a snapshot cannot be encrypted in place; a DB snapshot's copy
 * made with KmsKeyId is encrypted, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBSnapshot.html,
 * while copying an unencrypted DB cluster snapshot with KmsKeyId is an error,
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBClusterSnapshot.html).
 *
 * APIs: DescribeDBSnapshots, DescribeDBClusterSnapshots (list: SnapshotType=manual;
 * collect: by identifier, for Encrypted / StorageEncrypted),
 * DescribeDBSnapshotAttributes, DescribeDBClusterSnapshotAttributes;
 * remediation: ModifyDBSnapshotAttribute, ModifyDBClusterSnapshotAttribute
 * (AttributeName=restore, ValuesToRemove). CloudTrail: rds
 * ModifyDBSnapshotAttribute, ModifyDBClusterSnapshotAttribute.
 *
 * Ids: the snapshot identifier, as CloudTrail gives it (dBSnapshotIdentifier
 * or dBClusterSnapshotIdentifier) and as users write it in exceptions.
 * Instance and cluster snapshot identifiers are separate namespaces, so one
 * id may name a DB snapshot, a DB cluster snapshot, or both: `collect` reads
 * the `restore` attribute of both kinds, judges every snapshot it finds, and
 * returns GONE only when neither exists. Remediations fix each kind with its
 * own API.
 */
import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
} from '@aws-sdk/client-rds';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type RemediationOutcome, type ResourceContext } from './contract.ts';
import { rdsSnapshotTriggers } from './triggers/rdsSnapshot.ts';
import { PUBLIC_GROUP, isUnknownAccount, type SharingContext } from './sharingPermissions.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';

/** The snapshot attribute that lists who may copy or restore a manual snapshot. */
export const RESTORE_ATTRIBUTE = 'restore';

export type RdsSnapshotKind = 'instance' | 'cluster';

/** What each kind's describe calls raise when no snapshot of that kind has the identifier. */
export const SNAPSHOT_NOT_FOUND_ERRORS: Readonly<Record<RdsSnapshotKind, readonly string[]>> = {
  instance: ['DBSnapshotNotFound', 'DBSnapshotNotFoundFault'],
  cluster: ['DBClusterSnapshotNotFoundFault'],
};

const KIND_NAMES: Readonly<Record<RdsSnapshotKind, string>> = {
  instance: 'DB snapshot',
  cluster: 'DB cluster snapshot',
};

export interface RdsSnapshotRestoreAccess {
  kind: RdsSnapshotKind;
  /** The `restore` attribute's values: account ids, or "all". */
  restore: string[];
}

/** What collect reads of one snapshot: its restore access and whether it is encrypted at rest. */
export interface RdsSnapshotRecord extends RdsSnapshotRestoreAccess {
  /** DBSnapshot.Encrypted / DBClusterSnapshot.StorageEncrypted. */
  encrypted: boolean;
}

export interface RdsSnapshotState {
  identifier: string;
  /** One entry per kind that has a snapshot with this identifier (one, rarely two). */
  snapshots: RdsSnapshotRecord[];
}

// ---------- pure helpers (shared by checks and remediations) ----------

export function publicRestoreValues(values: readonly string[]): string[] {
  return values.filter((value) => value === PUBLIC_GROUP);
}

export function unknownRestoreAccounts(values: readonly string[], context: SharingContext): string[] {
  return values.filter((value) => value !== PUBLIC_GROUP && isUnknownAccount(value, context));
}

function restoreValues(attributes: readonly { AttributeName?: string; AttributeValues?: string[] }[] | undefined): string[] {
  return attributes?.find((attribute) => attribute.AttributeName === RESTORE_ATTRIBUTE)?.AttributeValues ?? [];
}

/** `DB snapshot: ...; DB cluster snapshot: ...` for the snapshots `wrong` finds something in. */
function describeFindings(state: RdsSnapshotState, wrong: (values: readonly string[]) => string[], what: (values: string[]) => string): string | undefined {
  const parts = state.snapshots.flatMap((snapshot) => {
    const values = wrong(snapshot.restore);
    return values.length === 0 ? [] : [`${KIND_NAMES[snapshot.kind]} ${what(values)}`];
  });
  return parts.length === 0 ? undefined : parts.join('; ');
}

// ---------- reads and writes (collect and remediations) ----------

function rds(context: ResourceContext): RDSClient {
  return context.clients.get(RDSClient);
}

async function readRestore(context: ResourceContext, kind: RdsSnapshotKind): Promise<string[] | undefined> {
  try {
    if (kind === 'instance') {
      const { DBSnapshotAttributesResult } = await rds(context).send(
        new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: context.id }),
      );
      return restoreValues(DBSnapshotAttributesResult?.DBSnapshotAttributes);
    }
    const { DBClusterSnapshotAttributesResult } = await rds(context).send(
      new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: context.id }),
    );
    return restoreValues(DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes);
  } catch (error) {
    if (hasErrorName(error, ...SNAPSHOT_NOT_FOUND_ERRORS[kind])) return undefined;
    throw error;
  }
}

/** The restore access of every snapshot with the identifier, GONE when there is none of either kind. */
async function readSnapshots(context: ResourceContext): Promise<RdsSnapshotRestoreAccess[] | Gone> {
  const snapshots: RdsSnapshotRestoreAccess[] = [];
  for (const kind of ['instance', 'cluster'] as const) {
    const restore = await readRestore(context, kind);
    if (restore !== undefined) snapshots.push({ kind, restore });
  }
  return snapshots.length === 0 ? GONE : snapshots;
}

/** Whether the snapshot of this kind is encrypted at rest; undefined when it vanished since its attributes were read. */
async function readEncrypted(context: ResourceContext, kind: RdsSnapshotKind): Promise<boolean | undefined> {
  try {
    if (kind === 'instance') {
      const { DBSnapshots } = await rds(context).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: context.id }));
      const snapshot = DBSnapshots?.find((s) => s.DBSnapshotIdentifier === context.id);
      return snapshot === undefined ? undefined : snapshot.Encrypted === true;
    }
    const { DBClusterSnapshots } = await rds(context).send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: context.id }));
    const snapshot = DBClusterSnapshots?.find((s) => s.DBClusterSnapshotIdentifier === context.id);
    return snapshot === undefined ? undefined : snapshot.StorageEncrypted === true;
  } catch (error) {
    if (hasErrorName(error, ...SNAPSHOT_NOT_FOUND_ERRORS[kind])) return undefined;
    throw error;
  }
}

/** Every snapshot with the identifier, with its encryption; GONE when there is none of either kind. */
async function collectSnapshots(context: ResourceContext): Promise<RdsSnapshotRecord[] | Gone> {
  const found = await readSnapshots(context);
  if (found === GONE) return GONE;
  const records: RdsSnapshotRecord[] = [];
  for (const snapshot of found) {
    const encrypted = await readEncrypted(context, snapshot.kind);
    if (encrypted !== undefined) records.push({ ...snapshot, encrypted });
  }
  return records.length === 0 ? GONE : records;
}

async function removeRestoreValues(context: ResourceContext, kind: RdsSnapshotKind, values: string[]): Promise<void> {
  if (kind === 'instance') {
    await rds(context).send(
      new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: context.id, AttributeName: RESTORE_ATTRIBUTE, ValuesToRemove: values }),
    );
  } else {
    await rds(context).send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: context.id,
        AttributeName: RESTORE_ATTRIBUTE,
        ValuesToRemove: values,
      }),
    );
  }
}

/** Re-read both kinds, then remove exactly the restore values `wrong` picks out, per snapshot. */
async function removeRestoreAccess(
  context: ResourceContext,
  wrong: (values: readonly string[]) => string[],
): Promise<RemediationOutcome> {
  const snapshots = await readSnapshots(context);
  if (snapshots === GONE) return 'gone';
  let applied = false;
  let vanished = false;
  for (const snapshot of snapshots) {
    const remove = wrong(snapshot.restore);
    if (remove.length === 0) continue;
    try {
      await removeRestoreValues(context, snapshot.kind, remove);
      applied = true;
    } catch (error) {
      if (!hasErrorName(error, ...SNAPSHOT_NOT_FOUND_ERRORS[snapshot.kind])) throw error;
      vanished = true;
    }
  }
  if (applied) return 'applied';
  return vanished ? 'gone' : 'already_compliant';
}

// ---------- the auditor ----------

export const rdsSnapshotAuditor = defineAuditor<RdsSnapshotState>({
  type: 'rds_snapshot',
  scope: 'regional',
  description: 'Manual RDS DB snapshots and DB cluster snapshots: public restore access, restore access for unknown accounts, unencrypted',
  permissions: {
    list: ['rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots'],
    collect: ['rds:DescribeDBSnapshotAttributes', 'rds:DescribeDBClusterSnapshotAttributes', 'rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots'],
  },
  triggers: rdsSnapshotTriggers,

  /** Manual snapshots of both kinds; an identifier both kinds use is yielded once (collect reads both). */
  async *list({ clients }) {
    const client = clients.get(RDSClient);
    const seen = new Set<string>();
    for await (const page of paginateDescribeDBSnapshots({ client, pageSize: 100 }, { SnapshotType: 'manual' })) {
      for (const snapshot of page.DBSnapshots ?? []) {
        const id = snapshot.DBSnapshotIdentifier;
        if (!id || seen.has(id)) continue;
        seen.add(id);
        yield { id, name: id, tags: tagsToRecord(snapshot.TagList) };
      }
    }
    for await (const page of paginateDescribeDBClusterSnapshots({ client, pageSize: 100 }, { SnapshotType: 'manual' })) {
      for (const snapshot of page.DBClusterSnapshots ?? []) {
        const id = snapshot.DBClusterSnapshotIdentifier;
        if (!id || seen.has(id)) continue;
        seen.add(id);
        yield { id, name: id, tags: tagsToRecord(snapshot.TagList) };
      }
    }
  },

  async collect(context) {
    const snapshots = await collectSnapshots(context);
    if (snapshots === GONE) return GONE;
    return { identifier: context.id, snapshots };
  },

  checks: [
    {
      id: 'rds_snapshot.public',
      title: 'RDS snapshot is public',
      severity: 'critical',
      rationale: 'The value "all" in the restore attribute lets every AWS account copy or restore the snapshot and read the database.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html
      controls: { fsbp: ['RDS.1'] },
      evaluate(state) {
        const detail = describeFindings(state, publicRestoreValues, () => 'restore attribute contains "all" (every AWS account)');
        return detail === undefined ? undefined : { detail };
      },
    },
    {
      id: 'rds_snapshot.shared_unknown_account',
      title: 'RDS snapshot is shared with an unknown account',
      severity: 'high',
      rationale: 'An account outside the organization and the trusted accounts can copy or restore the snapshot and read the database.',
      // No FSBP or CIS v3.0.0 control: Security Hub has none for sharing with unknown accounts.
      controls: OWN_RULE.sharing,
      evaluate(state, context) {
        const detail = describeFindings(
          state,
          (values) => unknownRestoreAccounts(values, context),
          (accounts) => `restore attribute shares with unknown account(s) ${accounts.join(', ')}`,
        );
        return detail === undefined ? undefined : { detail };
      },
    },
    {
      id: 'rds_snapshot.unencrypted',
      title: 'RDS snapshot is not encrypted at rest',
      severity: 'medium',
      rationale:
        'An unencrypted snapshot holds the database in the clear: whoever can copy or restore it reads the data. A snapshot cannot be encrypted in place: copy a DB snapshot with a KMS key (CopyDBSnapshot with KmsKeyId); restore a DB cluster snapshot into an encrypted cluster and snapshot that; then delete the original.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-4 (RDS.4 covers DB snapshots and DB cluster snapshots; no CIS v3.0.0 requirement)
      controls: { fsbp: ['RDS.4'] },
      evaluate(state) {
        const unencrypted = state.snapshots.filter((snapshot) => !snapshot.encrypted);
        if (unencrypted.length === 0) return undefined;
        return { detail: unencrypted.map((snapshot) => `${KIND_NAMES[snapshot.kind]} is not encrypted at rest`).join('; ') };
      },
    },
  ],

  remediations: {
    'rds_snapshot.public': {
      description: 'Remove "all" from the restore attribute; keep the accounts it lists.',
      risk: 'safe',
      permissions: [
        'rds:DescribeDBSnapshotAttributes',
        'rds:DescribeDBClusterSnapshotAttributes',
        'rds:ModifyDBSnapshotAttribute',
        'rds:ModifyDBClusterSnapshotAttribute',
      ],
      apply: (context) => removeRestoreAccess(context, publicRestoreValues),
    },
    'rds_snapshot.shared_unknown_account': {
      description: 'Remove only the unknown accounts from the restore attribute; keep every other value ("all" has its own check).',
      risk: 'safe',
      permissions: [
        'rds:DescribeDBSnapshotAttributes',
        'rds:DescribeDBClusterSnapshotAttributes',
        'rds:ModifyDBSnapshotAttribute',
        'rds:ModifyDBClusterSnapshotAttribute',
      ],
      apply: (context, _state, checkContext) => removeRestoreAccess(context, (values) => unknownRestoreAccounts(values, checkContext)),
    },
  },
});
