/**
 * One AMI that fails ami.shared_unknown_account: registered from its own
 * EMPTY snapshot (see emptySnapshot.ts; a 1 GiB root device that boots
 * nothing), with a launch permission for account 000000000000, which does
 * not exist.
 *
 * Not public: ami.public is left unprovoked. A public AMI is listed in every
 * AWS account's image catalogue, and Block Public Access for AMIs is on by
 * default in accounts created since late 2023, so the grant would fail
 * there anyway.
 *
 * The AMI has its own backing snapshot (misconfiguration-maker-ami-snapshot-
 * ...), not the ebs_snapshot entry's, so either entry can be torn down
 * alone. That snapshot has no create-volume permission and fails no check.
 *
 * Real AWS cost: next to nothing (an AMI costs its snapshots' storage, and
 * the snapshot stores no blocks); the first run waits a minute or two.
 */
import {
  DeregisterImageCommand,
  DescribeImagesCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
  waitUntilImageAvailable,
} from '@aws-sdk/client-ec2';
import { ComplianceError } from '../../services/core/errors.ts';
import { NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';
import { isUnknownAccountFor, makerTagSpecification } from './ec2Tagging.ts';
import { WAIT, ensureEmptySnapshot, removeEmptySnapshots } from './emptySnapshot.ts';

const ROOT_DEVICE = '/dev/xvda';

export function makerImageName(account: string, region: string): string {
  return makerName('ami', account, region);
}

function backingSnapshotName(account: string, region: string): string {
  return makerName('ami-snapshot', account, region);
}

/** The maker's AMIs (own, by name: AMI names are unique per account and region). */
async function findMakerImages(context: MakerContext): Promise<string[]> {
  const { Images } = await context.clients.get(EC2Client).send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [makerImageName(context.account, context.region)] }] }),
  );
  return (Images ?? []).flatMap((image) => (image.ImageId ? [image.ImageId] : []));
}

async function registerImage(context: MakerContext): Promise<string> {
  const name = makerImageName(context.account, context.region);
  const snapshotId = await ensureEmptySnapshot(
    context,
    backingSnapshotName(context.account, context.region),
    `${name}: empty root device of the misconfiguration-maker AMI`,
  );
  const ec2 = context.clients.get(EC2Client);
  const { ImageId } = await ec2.send(
    new RegisterImageCommand({
      Name: name,
      Description: 'Empty image made by misconfiguration-maker to provoke the ami checks; it boots nothing',
      Architecture: 'x86_64',
      VirtualizationType: 'hvm',
      EnaSupport: true,
      RootDeviceName: ROOT_DEVICE,
      BlockDeviceMappings: [{ DeviceName: ROOT_DEVICE, Ebs: { SnapshotId: snapshotId, VolumeType: 'gp3', DeleteOnTermination: true } }],
      TagSpecifications: [makerTagSpecification('image', name)],
    }),
  );
  if (!ImageId) throw new ComplianceError('RegisterImage returned no image id', { account: context.account, region: context.region });
  await waitUntilImageAvailable({ client: ec2, ...WAIT }, { ImageIds: [ImageId] });
  return ImageId;
}

export const amiMaker: MisconfigurationEntry = {
  type: 'ami',
  scope: 'regional',
  provokes: (config) => (isUnknownAccountFor(config, NONEXISTENT_ACCOUNT) ? ['ami.shared_unknown_account'] : []),
  plan: (account, region) => [
    `AMI ${makerImageName(account, region)}: registered from an empty 1 GiB snapshot (${backingSnapshotName(account, region)}); launch permission for account ${NONEXISTENT_ACCOUNT}; not public`,
  ],
  async create(context) {
    const [existing] = await findMakerImages(context);
    const imageId = existing ?? (await registerImage(context));
    await context.clients.get(EC2Client).send(
      new ModifyImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission', LaunchPermission: { Add: [{ UserId: NONEXISTENT_ACCOUNT }] } }),
    );
    return [imageId];
  },
  /** Deregister first: a snapshot cannot be deleted while an AMI uses it. */
  async teardown(context) {
    const ec2 = context.clients.get(EC2Client);
    const removed: string[] = [];
    for (const imageId of await findMakerImages(context)) {
      if (await unlessGone(() => ec2.send(new DeregisterImageCommand({ ImageId: imageId })), ['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable'], undefined)) removed.push(imageId);
    }
    return [...removed, ...(await removeEmptySnapshots(context, backingSnapshotName(context.account, context.region)))];
  },
};
