import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { amiAuditor } from '../../auditors/ami.ts';
import { ebsSnapshotAuditor } from '../../auditors/ebsSnapshot.ts';
import { amiMaker, makerImageName } from '../../misconfiguration-maker/entries/ami.ts';
import { ebsSnapshotMaker } from '../../misconfiguration-maker/entries/ebsSnapshot.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, remediateAll } from './makerHarness.ts';

describe('ami maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  it('names the AMI misconfiguration-maker-ami-<account>-<region> and says it is not public', () => {
    expect(makerImageName(ACCOUNT, REGION)).toBe(`misconfiguration-maker-ami-${ACCOUNT}-${REGION}`);
    expect(amiMaker.plan(ACCOUNT, REGION)).toEqual([expect.stringMatching(/000000000000; not public/)]);
  });

  it.each<[string, Partial<ConfigInput>]>([
    ['no trusted accounts', {}],
    ['000000000000 trusted', { trustedAccounts: [NONEXISTENT_ACCOUNT] }],
  ])('with %s, the AMI fails exactly what provokes() says', async (_case, overrides) => {
    // Prepare
    const context = makerContext(organization, makeConfig(overrides));

    // Act
    const ids = await amiMaker.create(context);
    const audited = await auditListed(amiAuditor, context);

    // Assess
    expect(audited.map((r) => r.id)).toEqual(ids);
    expect(audited.every((r) => r.maker)).toBe(true);
    expect(failedCheckIds(audited)).toEqual([...amiMaker.provokes(context.config)].sort());
  });

  it('registers an EBS-backed AMI from an empty snapshot, shared with 000000000000 only, visible to no other account', async () => {
    const context = makerContext(organization);

    const [id = ''] = await amiMaker.create(context);
    const { Images } = await context.clients.get(EC2Client).send(new DescribeImagesCommand({ ImageIds: [id] }));
    const stranger = await organization.clients(OTHER_ACCOUNT).get(EC2Client).send(new DescribeImagesCommand({ Owners: [ACCOUNT] }));

    expect(Images?.[0]).toMatchObject({
      Name: makerImageName(ACCOUNT, REGION),
      Public: false,
      RootDeviceType: 'ebs',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 1 } }],
      Tags: expect.arrayContaining([{ Key: 'created-by', Value: 'misconfiguration-maker' }]),
    });
    expect(stranger.Images).toEqual([]);
  });

  it('its backing snapshot is a maker resource that fails no ebs_snapshot check', async () => {
    const context = makerContext(organization);

    await amiMaker.create(context);
    const snapshots = await auditListed(ebsSnapshotAuditor, context);

    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.maker).toBe(true);
    expect(failedCheckIds(snapshots)).toEqual([]);
  });

  it('is idempotent: a second create reuses the AMI and shares it again', async () => {
    // Prepare
    const context = makerContext(organization);
    const [id] = await amiMaker.create(context);
    await remediateAll(await auditListed(amiAuditor, context));

    // Act
    const again = await amiMaker.create(context);
    const audited = await auditListed(amiAuditor, context);

    // Assess
    expect(again).toEqual([id]);
    expect(audited.map((r) => r.id)).toEqual([id]);
    expect(failedCheckIds(audited)).toEqual(['ami.shared_unknown_account']);
  });

  it('remediation removes the unknown account (nothing is notify-only); a second remediation changes nothing', async () => {
    const context = makerContext(organization);
    await amiMaker.create(context);

    const first = await remediateAll(await auditListed(amiAuditor, context));
    const after = await auditListed(amiAuditor, context);
    const second = await remediateAll(after);

    expect(first).toEqual(['ami.shared_unknown_account=applied']);
    expect(failedCheckIds(after)).toEqual([]);
    expect(second).toEqual([]);
  });

  it('teardown deregisters the AMI and deletes its snapshot, leaving the ebs_snapshot entry alone; a second teardown removes nothing', async () => {
    // Prepare
    const context = makerContext(organization);
    const [imageId] = await amiMaker.create(context);
    const [snapshotId] = await ebsSnapshotMaker.create(context);

    // Act
    const removed = await amiMaker.teardown(context);
    const again = await amiMaker.teardown(context);

    // Assess
    expect(removed).toEqual([imageId, expect.stringMatching(/^snap-/)]);
    expect(removed).not.toContain(snapshotId);
    expect(again).toEqual([]);
    expect(await auditListed(amiAuditor, context)).toEqual([]);
    expect((await auditListed(ebsSnapshotAuditor, context)).map((r) => r.id)).toEqual([snapshotId]);
  });
});
