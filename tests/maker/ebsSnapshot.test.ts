import { DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ebsSnapshotAuditor } from '../../auditors/ebsSnapshot.ts';
import { ebsSnapshotMaker, makerSnapshotName } from '../../misconfiguration-maker/entries/ebsSnapshot.ts';
import { NONEXISTENT_ACCOUNT } from '../../misconfiguration-maker/makerContract.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, remediateAll } from './makerHarness.ts';

describe('ebs_snapshot maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  it('names the snapshot misconfiguration-maker-ebs-snapshot-<account>-<region> and says it is public and empty', () => {
    expect(makerSnapshotName(ACCOUNT, REGION)).toBe(`misconfiguration-maker-ebs-snapshot-${ACCOUNT}-${REGION}`);
    expect(ebsSnapshotMaker.plan(ACCOUNT, REGION)).toEqual([expect.stringMatching(/empty 1 GiB.*000000000000.*public/)]);
  });

  it.each<[string, Partial<ConfigInput>]>([
    ['no trusted accounts', {}],
    ['000000000000 trusted', { trustedAccounts: [NONEXISTENT_ACCOUNT] }],
  ])('with %s, the snapshot fails exactly what provokes() says', async (_case, overrides) => {
    // Prepare
    const context = makerContext(organization, makeConfig(overrides));

    // Act
    const ids = await ebsSnapshotMaker.create(context);
    const audited = await auditListed(ebsSnapshotAuditor, context);

    // Assess
    expect(audited.map((r) => r.id)).toEqual(ids);
    expect(audited.every((r) => r.maker)).toBe(true);
    expect(failedCheckIds(audited)).toEqual([...ebsSnapshotMaker.provokes(context.config)].sort());
  });

  it('snapshots an empty 1 GiB volume, deletes the volume, and shares with 000000000000 and everyone', async () => {
    const context = makerContext(organization);
    const ec2 = context.clients.get(EC2Client);

    const [id = ''] = await ebsSnapshotMaker.create(context);
    const { Snapshots } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }));
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({}));
    const seenByStranger = await organization.clients(OTHER_ACCOUNT).get(EC2Client).send(new DescribeSnapshotsCommand({ RestorableByUserIds: ['all'] }));

    expect(Snapshots?.[0]).toMatchObject({ VolumeSize: 1, State: 'completed', Encrypted: false, Tags: expect.arrayContaining([{ Key: 'created-by', Value: 'misconfiguration-maker' }]) });
    expect(Volumes).toEqual([]);
    expect(seenByStranger.Snapshots?.map((s) => s.SnapshotId)).toEqual([id]);
  });

  it('is idempotent: a second create reuses the snapshot and shares it again', async () => {
    // Prepare
    const context = makerContext(organization);
    const [id] = await ebsSnapshotMaker.create(context);
    await remediateAll(await auditListed(ebsSnapshotAuditor, context));

    // Act
    const again = await ebsSnapshotMaker.create(context);
    const audited = await auditListed(ebsSnapshotAuditor, context);

    // Assess
    expect(again).toEqual([id]);
    expect(audited.map((r) => r.id)).toEqual([id]);
    expect(failedCheckIds(audited)).toEqual(['ebs_snapshot.public', 'ebs_snapshot.shared_unknown_account']);
  });

  it('remediation removes both grants (nothing is notify-only); a second remediation changes nothing', async () => {
    // Prepare
    const context = makerContext(organization);
    await ebsSnapshotMaker.create(context);

    // Act
    const first = await remediateAll(await auditListed(ebsSnapshotAuditor, context));
    const after = await auditListed(ebsSnapshotAuditor, context);
    const second = await remediateAll(after);

    // Assess
    expect(first).toEqual(['ebs_snapshot.public=applied', 'ebs_snapshot.shared_unknown_account=applied']);
    expect(failedCheckIds(after)).toEqual([]);
    expect(second).toEqual([]);
  });

  it('teardown deletes exactly the maker snapshot; a second teardown removes nothing', async () => {
    // Prepare
    const context = makerContext(organization);
    const made = await ebsSnapshotMaker.create(context);
    const other = makerContext(organization, makeConfig(), { region: 'eu-west-1' });
    const kept = await ebsSnapshotMaker.create(other);

    // Act
    const removed = await ebsSnapshotMaker.teardown(context);
    const again = await ebsSnapshotMaker.teardown(context);

    // Assess
    expect(removed).toEqual(made);
    expect(again).toEqual([]);
    expect(await auditListed(ebsSnapshotAuditor, context)).toEqual([]);
    expect((await auditListed(ebsSnapshotAuditor, other)).map((r) => r.id)).toEqual(kept);
  });
});
