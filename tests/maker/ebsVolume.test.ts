import { EC2Client, EnableEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ebsVolumeAuditor } from '../../auditors/ebsVolume.ts';
import { ebsVolumeMaker } from '../../misconfiguration-maker/entries/ebsVolume.ts';
import { ec2InstanceMaker } from '../../misconfiguration-maker/entries/ec2Instance.ts';
import { ACCOUNT, REGION } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext } from './makerHarness.ts';

describe('ebs_volume maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  it('makes nothing of its own: its plan names the ec2 entry\'s instance', () => {
    expect(ebsVolumeMaker.plan(ACCOUNT, REGION)).toEqual([expect.stringContaining(`misconfiguration-maker-ec2-${ACCOUNT}-${REGION}`)]);
  });

  it('after the ec2 entry, names its root volume, which fails exactly what provokes() says', async () => {
    const context = makerContext(organization);
    await ec2InstanceMaker.create(context);

    const ids = await ebsVolumeMaker.create(context);
    const audited = await auditListed(ebsVolumeAuditor, context);

    expect(ids).toHaveLength(1);
    expect(audited.map((r) => r.id)).toEqual(ids);
    expect(audited.every((r) => r.maker)).toBe(true);
    expect(failedCheckIds(audited)).toEqual([...ebsVolumeMaker.provokes(context.config)]);
  });

  it('says so when the ec2 entry has not run (no volume to name)', async () => {
    await expect(ebsVolumeMaker.create(makerContext(organization))).rejects.toThrow(/run the ec2 entry first/);
  });

  it('says so, rather than claim the check, when EBS encryption by default encrypted the root volume', async () => {
    const context = makerContext(organization);
    await context.clients.get(EC2Client).send(new EnableEbsEncryptionByDefaultCommand({}));
    await ec2InstanceMaker.create(context);
    await expect(ebsVolumeMaker.create(context)).rejects.toThrow(/is encrypted \(EBS encryption by default is on/);
    expect(failedCheckIds(await auditListed(ebsVolumeAuditor, context))).toEqual([]);
  });

  it('teardown removes nothing itself; the ec2 entry\'s teardown takes the root volume with the instance', async () => {
    const context = makerContext(organization);
    await ec2InstanceMaker.create(context);
    await ebsVolumeMaker.create(context);
    expect(await ebsVolumeMaker.teardown(context)).toEqual([]);
    await ec2InstanceMaker.teardown(context);
    expect(await auditListed(ebsVolumeAuditor, context)).toEqual([]);
  });
});
