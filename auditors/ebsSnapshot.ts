/**
 * ebs_snapshot: EBS snapshots the account owns that anyone can turn into a
 * volume, or that are shared with an account outside the organization and
 * the trusted accounts.
 *
 * APIs: DescribeSnapshots (OwnerIds=[account]), DescribeSnapshotAttribute
 * (createVolumePermission); remediation: ModifySnapshotAttribute
 * (CreateVolumePermission Remove). CloudTrail: ec2 ModifySnapshotAttribute.
 */
import {
  DescribeSnapshotAttributeCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
  paginateDescribeSnapshots,
  type CreateVolumePermission,
  type PermissionGroup,
} from '@aws-sdk/client-ec2';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type RemediationOutcome, type ResourceContext } from './contract.ts';
import { ebsSnapshotTriggers } from './triggers/ebsSnapshot.ts';
import { accountsOf, publicPermissions, unknownAccountPermissions } from './sharingPermissions.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';

/** The error DescribeSnapshotAttribute / ModifySnapshotAttribute raise for a snapshot that no longer exists. */
export const SNAPSHOT_GONE_ERRORS = ['InvalidSnapshot.NotFound'] as const;

export interface SnapshotState {
  snapshotId: string;
  createVolumePermissions: CreateVolumePermission[];
}

// ---------- pure helpers: publicPermissions, unknownAccountPermissions (./sharingPermissions.ts) ----------

// ---------- reads and writes (collect and remediations) ----------

function ec2(context: ResourceContext): EC2Client {
  return context.clients.get(EC2Client);
}

/** The snapshot's create-volume permissions, GONE when the snapshot no longer exists. */
async function readCreateVolumePermissions(context: ResourceContext): Promise<CreateVolumePermission[] | Gone> {
  try {
    const { CreateVolumePermissions } = await ec2(context).send(
      new DescribeSnapshotAttributeCommand({ SnapshotId: context.id, Attribute: 'createVolumePermission' }),
    );
    return CreateVolumePermissions ?? [];
  } catch (error) {
    if (hasErrorName(error, ...SNAPSHOT_GONE_ERRORS)) return GONE;
    throw error;
  }
}

/** The permissions to remove as UserIds / GroupNames (`all` is the only group). */
function removalParameters(remove: readonly CreateVolumePermission[]): { UserIds?: string[]; GroupNames?: PermissionGroup[] } {
  const userIds = remove.flatMap((p) => (p.UserId ? [p.UserId] : []));
  const groups = remove.flatMap((p) => (p.Group ? [p.Group] : []));
  return { ...(userIds.length ? { UserIds: userIds } : {}), ...(groups.length ? { GroupNames: groups } : {}) };
}

/** Re-read, then remove exactly the create-volume permissions `wrong` picks out of the current ones. */
async function removeCreateVolumePermissions(
  context: ResourceContext,
  wrong: (permissions: readonly CreateVolumePermission[]) => CreateVolumePermission[],
): Promise<RemediationOutcome> {
  const permissions = await readCreateVolumePermissions(context);
  if (permissions === GONE) return 'gone';
  const remove = wrong(permissions);
  if (remove.length === 0) return 'already_compliant';
  try {
    await ec2(context).send(
      // OperationType + UserIds/GroupNames: the form AWS and moto both accept (moto ignores CreateVolumePermission.Remove).
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html
      new ModifySnapshotAttributeCommand({
        SnapshotId: context.id,
        Attribute: 'createVolumePermission',
        OperationType: 'remove',
        ...removalParameters(remove),
      }),
    );
  } catch (error) {
    if (hasErrorName(error, ...SNAPSHOT_GONE_ERRORS)) return 'gone';
    throw error;
  }
  return 'applied';
}

// ---------- the auditor ----------

export const ebsSnapshotAuditor = defineAuditor<SnapshotState>({
  type: 'ebs_snapshot',
  scope: 'regional',
  description: 'EBS snapshots owned by the account: public create-volume permission, create-volume permission for unknown accounts',
  permissions: {
    list: ['ec2:DescribeSnapshots'],
    collect: ['ec2:DescribeSnapshotAttribute'],
  },
  triggers: ebsSnapshotTriggers,

  async *list({ clients, account }) {
    const client = clients.get(EC2Client);
    for await (const page of paginateDescribeSnapshots({ client, pageSize: 1000 }, { OwnerIds: [account] })) {
      for (const snapshot of page.Snapshots ?? []) {
        if (!snapshot.SnapshotId) continue;
        const tags = tagsToRecord(snapshot.Tags);
        // A snapshot's name is its Name tag (as the console shows it).
        yield { id: snapshot.SnapshotId, name: tags.Name, tags };
      }
    }
  },

  async collect(context) {
    const createVolumePermissions = await readCreateVolumePermissions(context);
    if (createVolumePermissions === GONE) return GONE;
    return { snapshotId: context.id, createVolumePermissions };
  },

  checks: [
    {
      id: 'ebs_snapshot.public',
      title: 'EBS snapshot is public',
      severity: 'critical',
      rationale: 'A create-volume permission for the group "all" lets every AWS account make a volume from the snapshot and read its data.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html
      controls: { fsbp: ['EC2.1'] },
      evaluate(state) {
        return publicPermissions(state.createVolumePermissions).length === 0
          ? undefined
          : { detail: 'create-volume permission for group "all" (every AWS account)' };
      },
    },
    {
      id: 'ebs_snapshot.shared_unknown_account',
      title: 'EBS snapshot is shared with an unknown account',
      severity: 'high',
      rationale: 'An account outside the organization and the trusted accounts can make a volume from the snapshot and read its data.',
      // No FSBP or CIS v3.0.0 control: Security Hub has none for sharing with unknown accounts.
      controls: OWN_RULE.sharing,
      evaluate(state, context) {
        const unknown = unknownAccountPermissions(state.createVolumePermissions, context);
        return unknown.length === 0 ? undefined : { detail: `create-volume permission for unknown account(s) ${accountsOf(unknown)}` };
      },
    },
  ],

  remediations: {
    'ebs_snapshot.public': {
      description: 'Remove the create-volume permission for the group "all"; keep the permissions for accounts.',
      risk: 'safe',
      permissions: ['ec2:DescribeSnapshotAttribute', 'ec2:ModifySnapshotAttribute'],
      apply: (context) => removeCreateVolumePermissions(context, publicPermissions),
    },
    'ebs_snapshot.shared_unknown_account': {
      description: 'Remove only the create-volume permissions for unknown accounts; keep every other one (the public group has its own check).',
      risk: 'safe',
      permissions: ['ec2:DescribeSnapshotAttribute', 'ec2:ModifySnapshotAttribute'],
      apply: (context, _state, checkContext) =>
        removeCreateVolumePermissions(context, (permissions) => unknownAccountPermissions(permissions, checkContext)),
    },
  },
});
