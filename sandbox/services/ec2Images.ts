/**
 * AMIs: RegisterImage (EBS-backed, from snapshots), DescribeImages (own,
 * Amazon's, public and shared-with-you ones; Owners and ExecutableUsers
 * really filter), DeregisterImage, Describe/ModifyImageAttribute
 * (launchPermission, description).
 */
import type {
  ArchitectureValues,
  DeregisterImageCommandInput,
  DeregisterImageCommandOutput,
  DescribeImageAttributeCommandInput,
  DescribeImageAttributeCommandOutput,
  DescribeImagesCommandInput,
  DescribeImagesCommandOutput,
  Image,
  ImdsSupportValues,
  ModifyImageAttributeCommandInput,
  RegisterImageCommandInput,
  RegisterImageCommandOutput,
  VirtualizationType,
  VolumeType,
} from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { catalogImages } from './ec2ImageCatalog.ts';
import { assertPageInput, ec2Page, filterRecords, nextTokenField, type FilterFields } from './ec2Query.ts';
import { applySharingChange, isPublic, sharedWith, sharingChangeOf } from './ec2Sharing.ts';
import {
  IMAGE_ID,
  ec2StateOf,
  ec2StatesInRegion,
  invalidParameterValue,
  recordById,
  recordsById,
  requiredParameter,
  tagsField,
  tagsFor,
  type ImageRecord,
  type SnapshotRecord,
} from './ec2State.ts';

const IMAGE_NAME = /^[a-zA-Z0-9()[\]./\-'@_ ]{3,128}$/;

const IMAGE_FILTERS: FilterFields<Image> = {
  'image-id': (i) => i.ImageId,
  name: (i) => i.Name,
  state: (i) => i.State,
  'is-public': (i) => String(i.Public ?? false),
  'owner-id': (i) => i.OwnerId,
  'owner-alias': (i) => i.ImageOwnerAlias,
  architecture: (i) => i.Architecture,
  'image-type': (i) => i.ImageType,
  'root-device-type': (i) => i.RootDeviceType,
  'virtualization-type': (i) => i.VirtualizationType,
  description: (i) => i.Description,
  'block-device-mapping.snapshot-id': (i) => (i.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId),
};

function imageOf(owner: string, record: ImageRecord, viewer: string): Image {
  return {
    ImageId: record.imageId,
    ImageLocation: `${owner}/${record.name}`,
    State: 'available',
    OwnerId: owner,
    CreationDate: record.creationDate,
    Public: isPublic(record.launchPermissions),
    Architecture: record.architecture as ArchitectureValues,
    ImageType: 'machine',
    Name: record.name,
    ...(record.description !== undefined ? { Description: record.description } : {}),
    RootDeviceType: 'ebs',
    RootDeviceName: record.rootDeviceName,
    BlockDeviceMappings: record.blockDeviceMappings.map((m) => ({
      DeviceName: m.deviceName,
      Ebs: { SnapshotId: m.snapshotId, VolumeSize: m.volumeSize, VolumeType: m.volumeType as VolumeType, DeleteOnTermination: m.deleteOnTermination, Encrypted: false },
    })),
    VirtualizationType: record.virtualizationType as VirtualizationType,
    Hypervisor: 'xen',
    EnaSupport: record.enaSupport,
    ...(record.imdsSupport ? { ImdsSupport: record.imdsSupport as ImdsSupportValues } : {}),
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    // Tags are the owner's: other accounts do not see them.
    ...(owner === viewer ? tagsField(record.tags) : {}),
  };
}

/** Own images, Amazon's, and other accounts' (same region) that are public or shared with this account. */
export function visibleImages(context: OperationContext): Image[] {
  const sandboxImages = ec2StatesInRegion(context).flatMap(({ account, state }) =>
    Object.values(state.images)
      .filter((record) => account === context.account || sharedWith(record.launchPermissions, context.account))
      .map((record) => imageOf(account, record, context.account)),
  );
  return [...sandboxImages, ...catalogImages(context.region)];
}

function launchPermissionsOf(context: OperationContext, image: Image): ImageRecord['launchPermissions'] {
  const owner = ec2StatesInRegion(context).find(({ account }) => account === image.OwnerId);
  return owner?.state.images[image.ImageId ?? '']?.launchPermissions ?? [];
}

function ownerMatches(context: OperationContext, image: Image, owners: readonly string[]): boolean {
  return owners.some((owner) => {
    if (owner === 'self') return image.OwnerId === context.account;
    if (owner === 'amazon') return image.ImageOwnerAlias === 'amazon';
    return image.OwnerId === owner;
  });
}

/** ExecutableUsers: `all` is the public images; an account (or `self`) those with an explicit launch permission for it. */
function executableBy(context: OperationContext, image: Image, users: readonly string[]): boolean {
  return users.some((user) => {
    if (user === 'all') return image.Public === true;
    const account = user === 'self' ? context.account : user;
    return launchPermissionsOf(context, image).some((p) => p.UserId === account);
  });
}

function snapshotForImage(context: OperationContext, snapshotId: string): SnapshotRecord {
  for (const { account, state } of ec2StatesInRegion(context)) {
    const snapshot = state.snapshots[snapshotId];
    if (snapshot && (account === context.account || sharedWith(snapshot.createVolumePermissions, context.account))) return snapshot;
  }
  throw serviceError('InvalidSnapshot.NotFound', 400, `The snapshot '${snapshotId}' does not exist.`);
}

export const imageOperations: Readonly<Record<string, OperationHandler>> = {
  RegisterImage: operation((context, input: RegisterImageCommandInput): Output<RegisterImageCommandOutput> => {
    const name = requiredParameter(input.Name, 'Name');
    if (!IMAGE_NAME.test(name)) throw serviceError('InvalidAMIName.Malformed', 400, `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'`);
    const state = ec2StateOf(context);
    const duplicate = Object.values(state.images).find((image) => image.name === name);
    if (duplicate) throw serviceError('InvalidAMIName.Duplicate', 400, `AMI name ${name} is already in use by AMI ${duplicate.imageId}`);
    const rootDeviceName = requiredParameter(input.RootDeviceName, 'RootDeviceName');
    const mappings = (input.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.SnapshotId);
    if (!mappings.some((m) => m.DeviceName === rootDeviceName)) {
      throw invalidParameterValue(`The root device ${rootDeviceName} must be mapped to an EBS snapshot in BlockDeviceMappings`);
    }
    const record: ImageRecord = {
      imageId: `ami-${context.nextId()}`,
      name,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      architecture: input.Architecture ?? 'i386',
      rootDeviceName,
      virtualizationType: input.VirtualizationType ?? 'paravirtual',
      enaSupport: input.EnaSupport ?? false,
      ...(input.ImdsSupport ? { imdsSupport: input.ImdsSupport } : {}),
      creationDate: context.now().toISOString(),
      blockDeviceMappings: mappings.map((m) => {
        const snapshot = snapshotForImage(context, m.Ebs?.SnapshotId ?? '');
        return {
          deviceName: m.DeviceName ?? rootDeviceName,
          snapshotId: snapshot.snapshotId,
          volumeSize: m.Ebs?.VolumeSize ?? snapshot.volumeSize,
          volumeType: m.Ebs?.VolumeType ?? 'gp2',
          deleteOnTermination: m.Ebs?.DeleteOnTermination ?? true,
        };
      }),
      tags: tagsFor(input.TagSpecifications, 'image'),
      launchPermissions: [],
    };
    state.images[record.imageId] = record;
    return { ImageId: record.imageId };
  }),

  DescribeImages: operation((context, input: DescribeImagesCommandInput): Output<DescribeImagesCommandOutput> => {
    const ids = input.ImageIds ?? [];
    const limits = { min: 1, max: 1000, idsParameter: 'imageId' };
    assertPageInput(input, ids.length > 0, limits);
    const visible = visibleImages(context);
    const candidates = ids.length > 0 ? recordsById(IMAGE_ID, ids, Object.fromEntries(visible.map((i) => [i.ImageId ?? '', i]))) : visible;
    const owners = input.Owners ?? [];
    const users = input.ExecutableUsers ?? [];
    const scoped = candidates.filter(
      (image) => (owners.length === 0 || ownerMatches(context, image, owners)) && (users.length === 0 || executableBy(context, image, users)),
    );
    const matching = filterRecords(scoped, input.Filters, IMAGE_FILTERS, (image) => image.Tags ?? []);
    const { items, next } = ec2Page(matching, input, ids.length > 0, limits);
    return { Images: items, ...nextTokenField(next) };
  }),

  DeregisterImage: operation((context, input: DeregisterImageCommandInput): Output<DeregisterImageCommandOutput> => {
    const state = ec2StateOf(context);
    const image = recordById(IMAGE_ID, input.ImageId, 'ImageId', state.images);
    delete state.images[image.imageId];
    return { Return: true };
  }),

  DescribeImageAttribute: operation((context, input: DescribeImageAttributeCommandInput): Output<DescribeImageAttributeCommandOutput> => {
    const attribute = requiredParameter(input.Attribute, 'Attribute');
    const image = recordById(IMAGE_ID, input.ImageId, 'ImageId', ec2StateOf(context).images);
    if (attribute === 'launchPermission') return { ImageId: image.imageId, LaunchPermissions: image.launchPermissions };
    if (attribute === 'description') return { ImageId: image.imageId, Description: image.description === undefined ? {} : { Value: image.description } };
    throw invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }),

  ModifyImageAttribute: operation((context, input: ModifyImageAttributeCommandInput) => {
    const image = recordById(IMAGE_ID, input.ImageId, 'ImageId', ec2StateOf(context).images);
    const description = input.Description?.Value ?? (input.Attribute === 'description' ? input.Value : undefined);
    if (description !== undefined) {
      image.description = description;
      return {};
    }
    if (input.Attribute !== undefined && input.Attribute !== 'launchPermission') {
      throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid.`);
    }
    const change = sharingChangeOf(input.LaunchPermission, { OperationType: input.OperationType, UserIds: input.UserIds, groups: input.UserGroups });
    if (!change.Add?.length && !change.Remove?.length) throw serviceError('MissingParameter', 400, 'The request must contain the parameter launchPermission');
    image.launchPermissions = applySharingChange(image.launchPermissions, change, 'InvalidAMIAttributeItemValue');
    return {};
  }),
};
