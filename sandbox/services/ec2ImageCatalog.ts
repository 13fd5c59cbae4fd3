/**
 * Amazon's public images as the sandbox knows them: Amazon Linux 2023 for
 * arm64 and x86_64 in every region, with ids derived from the region (so
 * they are stable across runs), reachable through the public SSM
 * parameters RunInstances accepts as `resolve:ssm:<parameter>`.
 */
import { createHash } from 'node:crypto';
import type { ArchitectureValues, Image } from '@aws-sdk/client-ec2';
import { serviceError } from '../sandboxErrors.ts';

/** The account that owns Amazon Linux images. */
export const AMAZON_LINUX_OWNER = '137112412989';

const ARCHITECTURES = ['arm64', 'x86_64'] as const satisfies readonly ArchitectureValues[];
const SSM_PREFIX = 'resolve:ssm:';
const AMAZON_LINUX_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-';

export function catalogImageId(region: string, architecture: string): string {
  return `ami-${createHash('sha256').update(`${region}/al2023/${architecture}`).digest('hex').slice(0, 17)}`;
}

export function catalogImages(region: string): Image[] {
  return ARCHITECTURES.map((architecture) => ({
    ImageId: catalogImageId(region, architecture),
    ImageLocation: `amazon/al2023-ami-2023.6.20241121.0-kernel-6.1-${architecture}`,
    State: 'available',
    OwnerId: AMAZON_LINUX_OWNER,
    ImageOwnerAlias: 'amazon',
    CreationDate: '2024-11-21T00:00:00.000Z',
    Public: true,
    Architecture: architecture,
    ImageType: 'machine',
    Name: `al2023-ami-2023.6.20241121.0-kernel-6.1-${architecture}`,
    Description: 'Amazon Linux 2023 AMI',
    RootDeviceType: 'ebs',
    RootDeviceName: '/dev/xvda',
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: `snap-${catalogImageId(region, architecture).slice(4)}`, VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: false } }],
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    SriovNetSupport: 'simple',
    BootMode: 'uefi-preferred',
    ImdsSupport: 'v2.0',
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
  }));
}

/** `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64` -> that region's image id. */
export function resolveImageParameter(region: string, imageId: string): string {
  if (!imageId.startsWith(SSM_PREFIX)) return imageId;
  const parameter = imageId.slice(SSM_PREFIX.length);
  const architecture = ARCHITECTURES.find((arch) => parameter === `${AMAZON_LINUX_PARAMETER}${arch}`);
  if (!architecture) throw serviceError('InvalidParameterValue', 400, `The SSM parameter ${parameter} does not exist or is not an AMI parameter`);
  return catalogImageId(region, architecture);
}
