/**
 * ebs_volume: EBS volumes attached to an instance without encryption at
 * rest (Security Hub EC2.3 judges only attached volumes). Notify-only: an
 * existing volume cannot be encrypted in place; it takes a snapshot, an
 * encrypted copy and a new volume swapped in while the instance is stopped.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-3
 *
 * APIs: DescribeVolumes (list: paginated; collect: VolumeIds=[id]).
 * CloudTrail: ec2 CreateVolume (responseElements.volumeId), AttachVolume
 * (requestParameters.volumeId). A root volume that RunInstances makes is
 * named in no event: the nightly poll finds it.
 */
import { DescribeVolumesCommand, EC2Client, paginateDescribeVolumes, type Volume, type VolumeAttachment } from '@aws-sdk/client-ec2';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { ebsVolumeTriggers } from './triggers/ebsVolume.ts';

/**
 * Attachment states in which the volume serves an instance (DescribeVolumes
 * VolumeAttachment.State: attaching | attached | detaching | detached | busy);
 * busy is a detach still waiting for the instance to let go, so attached.
 */
const ATTACHED_STATES: ReadonlySet<string> = new Set(['attaching', 'attached', 'busy']);

export interface VolumeAttachmentState {
  instanceId: string;
  device?: string;
}

export interface VolumeState {
  volumeId: string;
  encrypted: boolean;
  /** The instances the volume is attached (or attaching) to; empty when it is available. */
  attachedTo: VolumeAttachmentState[];
  tags: Readonly<Record<string, string>>;
}

// ---------- pure ----------

/** The attachments that serve an instance: attaching, attached or busy (not detaching or detached). */
export function activeAttachments(attachments: readonly VolumeAttachment[] | undefined): VolumeAttachmentState[] {
  return (attachments ?? []).flatMap((a) =>
    a.InstanceId && a.State !== undefined && ATTACHED_STATES.has(a.State) ? [{ instanceId: a.InstanceId, ...(a.Device ? { device: a.Device } : {}) }] : [],
  );
}

export function volumeStateOf(volume: Volume & { VolumeId: string }): VolumeState {
  return { volumeId: volume.VolumeId, encrypted: volume.Encrypted === true, attachedTo: activeAttachments(volume.Attachments), tags: tagsToRecord(volume.Tags) };
}

function describeAttachment(attachment: VolumeAttachmentState): string {
  return attachment.device ? `${attachment.instanceId} (${attachment.device})` : attachment.instanceId;
}

// ---------- reads ----------

/** The volume now, GONE when it no longer exists (DescribeVolumes answers InvalidVolume.NotFound for an id it does not know). */
async function readVolume(context: ResourceContext): Promise<VolumeState | Gone> {
  try {
    const { Volumes } = await context.clients.get(EC2Client).send(new DescribeVolumesCommand({ VolumeIds: [context.id] }));
    const volume = Volumes?.find((v) => v.VolumeId === context.id);
    return volume?.VolumeId ? volumeStateOf({ ...volume, VolumeId: volume.VolumeId }) : GONE;
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.ebs_volume)) return GONE;
    throw error;
  }
}

// ---------- the auditor ----------

export const ebsVolumeAuditor = defineAuditor<VolumeState>({
  type: 'ebs_volume',
  scope: 'regional',
  description: 'EBS volumes: unencrypted volumes attached to an instance',
  permissions: {
    list: ['ec2:DescribeVolumes'],
    collect: ['ec2:DescribeVolumes'],
  },
  triggers: ebsVolumeTriggers,

  async *list({ clients }) {
    const client = clients.get(EC2Client);
    // MaxResults 5 to 500: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumes.html
    for await (const page of paginateDescribeVolumes({ client, pageSize: 500 }, {})) {
      for (const volume of page.Volumes ?? []) {
        if (!volume.VolumeId) continue;
        const tags = tagsToRecord(volume.Tags);
        yield { id: volume.VolumeId, name: tags.Name, tags };
      }
    }
  },

  collect: (context) => readVolume(context),

  identity: (state) => ({ tags: state.tags }),

  checks: [
    {
      id: 'ebs_volume.unencrypted',
      title: 'Attached EBS volume is not encrypted',
      severity: 'medium',
      rationale:
        'An unencrypted volume leaves the data an instance writes, and every snapshot taken of it, readable to anyone who gets the storage or a copy; encryption can only be chosen when a volume is made.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html (EC2.3 has no CIS v3.0.0 requirement)
      controls: { fsbp: ['EC2.3'] },
      evaluate(state) {
        if (state.encrypted || state.attachedTo.length === 0) return undefined;
        return { detail: `unencrypted, attached to ${state.attachedTo.map(describeAttachment).join(', ')}` };
      },
    },
  ],

  // Notify-only: encryption cannot be turned on for an existing volume.
  remediations: {},
});
