/**
 * ami: AMIs the account owns that anyone can launch, or that are shared with
 * an account outside the organization and the trusted accounts.
 *
 * APIs: DescribeImages (Owners=self), DescribeImageAttribute
 * (launchPermission); remediation: ModifyImageAttribute (LaunchPermission
 * Remove). CloudTrail: ec2 ModifyImageAttribute.
 *
 * A launch permission for an organization or organizational unit
 * (OrganizationArn, OrganizationalUnitArn) outside the audited organization
 * is shared_unknown_account; the audited organization's own is fine. While
 * the organization is unknown (accounts configured as a list), such a grant
 * is reported but not removed.
 */
import {
  DescribeImageAttributeCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  paginateDescribeImages,
  type LaunchPermission,
} from '@aws-sdk/client-ec2';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type RemediationOutcome, type ResourceContext } from './contract.ts';
import { amiTriggers } from './triggers/ami.ts';
import { accountsOf, publicPermissions, unknownAccountPermissions, unknownPermissionsAreProvable } from './sharingPermissions.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';

/** The errors DescribeImageAttribute / ModifyImageAttribute raise for an AMI that no longer exists. */
export const IMAGE_GONE_ERRORS = ['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable'] as const;

export interface ImageState {
  imageId: string;
  launchPermissions: LaunchPermission[];
}

// ---------- pure helpers: publicPermissions, unknownAccountPermissions (./sharingPermissions.ts) ----------

// ---------- reads and writes (collect and remediations) ----------

function ec2(context: ResourceContext): EC2Client {
  return context.clients.get(EC2Client);
}

/** The AMI's launch permissions, GONE when the AMI no longer exists. */
async function readLaunchPermissions(context: ResourceContext): Promise<LaunchPermission[] | Gone> {
  try {
    const { LaunchPermissions } = await ec2(context).send(
      new DescribeImageAttributeCommand({ ImageId: context.id, Attribute: 'launchPermission' }),
    );
    return LaunchPermissions ?? [];
  } catch (error) {
    if (hasErrorName(error, ...IMAGE_GONE_ERRORS)) return GONE;
    throw error;
  }
}

/** Re-read, then remove exactly the launch permissions `wrong` picks out of the current ones. */
async function removeLaunchPermissions(
  context: ResourceContext,
  wrong: (permissions: readonly LaunchPermission[]) => LaunchPermission[],
): Promise<RemediationOutcome> {
  const permissions = await readLaunchPermissions(context);
  if (permissions === GONE) return 'gone';
  const remove = wrong(permissions);
  if (remove.length === 0) return 'already_compliant';
  try {
    await ec2(context).send(
      new ModifyImageAttributeCommand({ ImageId: context.id, Attribute: 'launchPermission', LaunchPermission: { Remove: remove } }),
    );
  } catch (error) {
    if (hasErrorName(error, ...IMAGE_GONE_ERRORS)) return 'gone';
    throw error;
  }
  return 'applied';
}

// ---------- the auditor ----------

export const amiAuditor = defineAuditor<ImageState>({
  type: 'ami',
  scope: 'regional',
  description: 'AMIs owned by the account: public launch permission, launch permission for unknown accounts',
  permissions: {
    list: ['ec2:DescribeImages'],
    collect: ['ec2:DescribeImageAttribute'],
  },
  triggers: amiTriggers,

  async *list({ clients }) {
    const client = clients.get(EC2Client);
    for await (const page of paginateDescribeImages({ client, pageSize: 1000 }, { Owners: ['self'] })) {
      for (const image of page.Images ?? []) {
        if (!image.ImageId) continue;
        yield { id: image.ImageId, name: image.Name, tags: tagsToRecord(image.Tags) };
      }
    }
  },

  async collect(context) {
    const launchPermissions = await readLaunchPermissions(context);
    if (launchPermissions === GONE) return GONE;
    return { imageId: context.id, launchPermissions };
  },

  checks: [
    {
      id: 'ami.public',
      title: 'AMI is public',
      severity: 'critical',
      rationale: 'A launch permission for the group "all" lets every AWS account launch the image and read whatever its volumes hold.',
      // No FSBP or CIS v3.0.0 control: Security Hub has no AMI sharing control.
      controls: { none: 'no FSBP or CIS v3.0.0 control judges AMI sharing' },
      evaluate(state) {
        return publicPermissions(state.launchPermissions).length === 0
          ? undefined
          : { detail: 'launch permission for group "all" (every AWS account)' };
      },
    },
    {
      id: 'ami.shared_unknown_account',
      title: 'AMI is shared with an unknown account',
      severity: 'high',
      rationale: 'An account outside the organization and the trusted accounts, or another organization or OU, can launch the image and copy what it holds.',
      // No FSBP or CIS v3.0.0 control: Security Hub has no AMI sharing control.
      controls: OWN_RULE.sharing,
      evaluate(state, context) {
        const unknown = unknownAccountPermissions(state.launchPermissions, context);
        return unknown.length === 0 ? undefined : { detail: `launch permission for unknown account(s) or organization(s) ${accountsOf(unknown)}` };
      },
    },
  ],

  remediations: {
    'ami.public': {
      description: 'Remove the launch permission for the group "all"; keep the launch permissions for accounts and organizations.',
      risk: 'safe',
      permissions: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'],
      apply: (context) => removeLaunchPermissions(context, publicPermissions),
    },
    'ami.shared_unknown_account': {
      description:
        'Remove only the launch permissions for unknown accounts and foreign organizations or OUs; keep every other one (the public group has its own check). Notify-only for an organization grant while the audited organization is unknown.',
      risk: 'safe',
      permissions: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'],
      applicable: (state, context) => unknownPermissionsAreProvable(state.launchPermissions, context),
      apply: (context, _state, checkContext) =>
        removeLaunchPermissions(context, (permissions) => unknownAccountPermissions(permissions, checkContext)),
    },
  },
});
