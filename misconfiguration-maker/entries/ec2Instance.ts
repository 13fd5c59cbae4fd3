/**
 * One instance that fails the ec2 checks: Amazon Linux 2023 on the smallest
 * Graviton type (t4g.nano), launched with IMDSv1 allowed (HttpTokens
 * optional: imdsv1_allowed) and a public IP (public_in_dev_account, in dev
 * accounts only), tagged only with the maker's tags (missing_required_tags,
 * when required tags are configured and the maker's do not cover them).
 *
 * Harmless: it runs nothing (no user data, no key pair, no instance
 * profile) and sits in the default VPC's default security group, which
 * admits traffic only from itself, so the public IP reaches no open port.
 * Re-running create restarts it if it was stopped and re-allows IMDSv1.
 *
 * Real AWS cost while it runs: t4g.nano about $0.0042/h, its public IPv4
 * address $0.005/h, the 8 GiB gp3 root volume about $0.64/month (deleted
 * with the instance). Stopped (as public_in_dev_account's remediation
 * leaves it), only the volume costs. No wait: the auditor re-queues a
 * pending instance.
 */
import {
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceMetadataOptionsCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import { LISTED_STATES } from '../../auditors/ec2Instance.ts';
import { missingRequiredTags } from '../../auditors/requiredTags.ts';
import { ComplianceError } from '../../services/core/errors.ts';
import { makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { makerFilters, makerTagRecord, makerTagSpecification } from './ec2Tagging.ts';

/** The latest Amazon Linux 2023 for arm64, resolved by EC2 from the public SSM parameter. */
export const MAKER_IMAGE = 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';
export const MAKER_INSTANCE_TYPE = 't4g.nano';

export function makerInstanceName(account: string, region: string): string {
  return makerName('ec2', account, region);
}

/** The maker's instances that are not terminated (or terminating). */
async function findMakerInstances(context: MakerContext): Promise<Instance[]> {
  const name = makerInstanceName(context.account, context.region);
  const { Reservations } = await context.clients.get(EC2Client).send(
    new DescribeInstancesCommand({ Filters: [...makerFilters(name), { Name: 'instance-state-name', Values: [...LISTED_STATES] }] }),
  );
  return (Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
}

async function launchInstance(context: MakerContext): Promise<string> {
  const name = makerInstanceName(context.account, context.region);
  const { Instances } = await context.clients.get(EC2Client).send(
    new RunInstancesCommand({
      ImageId: MAKER_IMAGE,
      InstanceType: MAKER_INSTANCE_TYPE,
      MinCount: 1,
      MaxCount: 1,
      MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true, DeleteOnTermination: true }],
      TagSpecifications: [makerTagSpecification('instance', name), makerTagSpecification('volume', name)],
    }),
  );
  const instanceId = Instances?.[0]?.InstanceId;
  if (!instanceId) throw new ComplianceError('RunInstances returned no instance', { account: context.account, region: context.region });
  return instanceId;
}

/** An existing instance made non-compliant again: running, IMDSv1 allowed. */
async function misconfigure(context: MakerContext, instance: Instance): Promise<void> {
  const ec2 = context.clients.get(EC2Client);
  const instanceId = instance.InstanceId ?? '';
  if (instance.MetadataOptions?.HttpTokens !== 'optional' || instance.MetadataOptions.HttpEndpoint === 'disabled') {
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: instanceId, HttpTokens: 'optional', HttpEndpoint: 'enabled' }));
  }
  if (instance.State?.Name === 'stopped') await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
}

export const ec2InstanceMaker: MisconfigurationEntry = {
  type: 'ec2',
  scope: 'regional',
  devAccountChecks: ['ec2.public_in_dev_account'],
  provokes: (config) => [
    'ec2.imdsv1_allowed',
    'ec2.public_in_dev_account',
    ...(missingRequiredTags(makerTagRecord('name'), config.requiredTags).length > 0 ? ['ec2.missing_required_tags'] : []),
  ],
  plan: (account, region) => [
    `EC2 instance ${makerInstanceName(account, region)}: ${MAKER_INSTANCE_TYPE}, Amazon Linux 2023, IMDSv1 allowed, public IP, default security group (no open port), only the maker's tags`,
  ],
  async create(context) {
    const [existing] = await findMakerInstances(context);
    if (!existing) return [await launchInstance(context)];
    await misconfigure(context, existing);
    return [existing.InstanceId ?? ''];
  },
  /** Terminate (the root volume goes with it). */
  async teardown(context) {
    const ids = (await findMakerInstances(context)).flatMap((instance) => (instance.InstanceId ? [instance.InstanceId] : []));
    if (ids.length > 0) await context.clients.get(EC2Client).send(new TerminateInstancesCommand({ InstanceIds: ids }));
    return ids;
  },
};
