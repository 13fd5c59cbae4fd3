/**
 * ebs_volume.unencrypted, provoked by what the ec2 entry already makes: its
 * instance's 8 GiB gp3 root volume, unencrypted (RunInstances asks for no
 * encryption) and attached. This entry makes nothing of its own, so it adds
 * no cost and no teardown: the ec2 entry's TerminateInstances deletes the
 * root volume with the instance (DeleteOnTermination). It runs after the ec2
 * entry (misconfiguration-maker/registry.ts) and only names the volume.
 *
 * In a region where EBS encryption by default is on, every new volume is
 * encrypted whatever the call asks, so the root volume is too and nothing
 * can provoke the check: create says so as an error rather than claim it.
 * https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html
 */
import { DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ComplianceError } from '../../services/core/errors.ts';
import type { MisconfigurationEntry } from '../makerContract.ts';
import { makerInstanceName } from './ec2Instance.ts';
import { makerFilters } from './ec2Tagging.ts';

export const ebsVolumeMaker: MisconfigurationEntry = {
  type: 'ebs_volume',
  scope: 'regional',
  provokes: () => ['ebs_volume.unencrypted'],
  plan: (account, region) => [`EBS volume: nothing new; the root volume of EC2 instance ${makerInstanceName(account, region)} (unencrypted, attached) is the finding`],
  async create(context) {
    const { Volumes } = await context.clients.get(EC2Client).send(new DescribeVolumesCommand({ Filters: makerFilters(makerInstanceName(context.account, context.region)) }));
    const volumes = (Volumes ?? []).filter((volume) => volume.VolumeId && (volume.Attachments ?? []).length > 0);
    const where = { account: context.account, region: context.region };
    if (volumes.length === 0) throw new ComplianceError('the ec2 entry\'s instance has no root volume here: run the ec2 entry first (it makes the volume this entry names)', where);
    const encrypted = volumes.filter((volume) => volume.Encrypted === true).map((volume) => volume.VolumeId);
    if (encrypted.length > 0) throw new ComplianceError(`root volume ${encrypted.join(', ')} is encrypted (EBS encryption by default is on in this region?): nothing provokes ebs_volume.unencrypted`, where);
    return volumes.flatMap((volume) => (volume.VolumeId ? [volume.VolumeId] : []));
  },
  /** Nothing of its own to remove: the ec2 entry's teardown takes the root volume with the instance. */
  teardown: async () => [],
};
