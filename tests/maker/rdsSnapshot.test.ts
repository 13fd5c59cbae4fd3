import {
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  StopDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { rdsSnapshotAuditor } from '../../auditors/rdsSnapshot.ts';
import { makerDbInstanceId, rdsMaker } from '../../misconfiguration-maker/entries/rds.ts';
import { makerDbSnapshotId, rdsSnapshotMaker } from '../../misconfiguration-maker/entries/rdsSnapshot.ts';
import { makeMisconfigurations } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { memoryLog } from '../../services/core/log.ts';
import { ACCOUNT, REGION, collectAll, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedIds, makerContext, type TestMakerContext } from './makerHarness.ts';

const SNAPSHOT = makerDbSnapshotId(ACCOUNT, REGION);

describe('rds_snapshot maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  async function restoreOf(context: TestMakerContext): Promise<string[]> {
    const { DBSnapshotAttributesResult } = await context.clients.get(RDSClient).send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: SNAPSHOT }));
    return DBSnapshotAttributesResult?.DBSnapshotAttributes?.[0]?.AttributeValues ?? [];
  }

  it('names the snapshot misconfiguration-maker-rds-snapshot-<account>-<region>', () => {
    expect(SNAPSHOT).toBe(`misconfiguration-maker-rds-snapshot-${ACCOUNT}-${REGION}`);
    expect(rdsSnapshotMaker.plan(ACCOUNT, REGION)).toEqual([expect.stringContaining(SNAPSHOT)]);
  });

  it('snapshots the rds entry instance, tagged, shared with 000000000000 only, and fails exactly what provokes() says', async () => {
    // Prepare
    const context = makerContext(organization);
    await rdsMaker.create(context);

    // Act
    const ids = await rdsSnapshotMaker.create(context);
    const audited = await auditListed(rdsSnapshotAuditor, context);
    const { DBSnapshots } = await context.clients.get(RDSClient).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: SNAPSHOT }));

    // Assess
    expect(ids).toEqual([SNAPSHOT]);
    expect(await restoreOf(context)).toEqual(['000000000000']);
    expect(DBSnapshots?.[0]).toMatchObject({ DBInstanceIdentifier: makerDbInstanceId(ACCOUNT, REGION), SnapshotType: 'manual', TagList: [{ Key: 'created-by', Value: 'misconfiguration-maker' }] });
    expect(audited.map((r) => r.id)).toEqual([SNAPSHOT]);
    expect(failedIds(audited[0])).toEqual([...rdsSnapshotMaker.provokes(context.config)]);
    expect(rdsSnapshotMaker.provokes(context.config)).toEqual(['rds_snapshot.shared_unknown_account', 'rds_snapshot.unencrypted']);
  });

  it('provokes only unencrypted when 000000000000 is configured as trusted, and the auditor agrees', async () => {
    const context = makerContext(organization, makeConfig({ trustedAccounts: ['000000000000'] }));
    await rdsMaker.create(context);
    await rdsSnapshotMaker.create(context);

    const audited = await auditListed(rdsSnapshotAuditor, context);

    expect(rdsSnapshotMaker.provokes(context.config)).toEqual(['rds_snapshot.unencrypted']);
    expect(failedIds(audited[0])).toEqual(['rds_snapshot.unencrypted']);
  });

  it('is idempotent: a second create reuses the snapshot and shares it once', async () => {
    const context = makerContext(organization);
    await rdsMaker.create(context);
    await rdsSnapshotMaker.create(context);

    const again = await rdsSnapshotMaker.create(context);

    expect(again).toEqual([SNAPSHOT]);
    expect(await collectAll(rdsSnapshotAuditor.list(context))).toHaveLength(1);
    expect(await restoreOf(context)).toEqual(['000000000000']);
  });

  it('remediation removes the unknown account; a second remediation changes nothing; unencrypted stays, notify-only', async () => {
    // Prepare
    const context = makerContext(organization);
    await rdsMaker.create(context);
    await rdsSnapshotMaker.create(context);
    const [before] = await auditListed(rdsSnapshotAuditor, context);

    // Act
    const first: string[] = [];
    for (const failed of before?.failed ?? []) first.push((await failed.remediate?.()) ?? 'none');
    const second: string[] = [];
    for (const failed of before?.failed ?? []) second.push((await failed.remediate?.()) ?? 'none');
    const [after] = await auditListed(rdsSnapshotAuditor, context);

    // Assess
    expect(first).toEqual(['applied', 'none']);
    expect(second).toEqual(['already_compliant', 'none']);
    expect(failedIds(after)).toEqual(['rds_snapshot.unencrypted']);
    expect(await restoreOf(context)).toEqual([]);
  });

  it.each([
    ['missing', async () => undefined, 'missing (the rds entry makes it)'],
    [
      'stopped',
      async (context: TestMakerContext) => {
        await rdsMaker.create(context);
        await context.clients.get(RDSClient).send(new StopDBInstanceCommand({ DBInstanceIdentifier: makerDbInstanceId(ACCOUNT, REGION) }));
      },
      'stopped, not available yet',
    ],
  ] as const)('skips, saying so, when the instance is %s', async (_case, given, said) => {
    // Prepare
    const context = makerContext(organization);
    await given(context);

    // Act
    const ids = await rdsSnapshotMaker.create(context);

    // Assess
    expect(ids).toEqual([]);
    expect(await collectAll(rdsSnapshotAuditor.list(context))).toEqual([]);
    expect(context.log.lines).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining(said) })]);
  });

  it('teardown removes exactly the snapshot, and a second teardown finds nothing to do', async () => {
    // Prepare
    const context = makerContext(organization);
    await rdsMaker.create(context);
    await rdsSnapshotMaker.create(context);

    // Act
    const removed = await rdsSnapshotMaker.teardown(context);
    const listed = await collectAll(rdsSnapshotAuditor.list(context));
    const again = await rdsSnapshotMaker.teardown(context);

    // Assess
    expect(removed).toEqual([SNAPSHOT]);
    expect(listed).toEqual([]);
    expect(again).toEqual([]);
  });

  it('in registry order (rds, then rds_snapshot) the maker makes both, and its teardown removes both', async () => {
    const config = makeConfig();
    const target = { account: ACCOUNT, region: REGION };
    const entries = [rdsMaker, rdsSnapshotMaker];

    const made = await makeMisconfigurations(target, { config, factory: organization.factory, log: memoryLog(), entries });
    const removed = await makeMisconfigurations(target, { config, factory: organization.factory, log: memoryLog(), entries, teardown: true });

    expect(made.failed).toEqual([]);
    expect(made.done).toEqual([
      { type: 'rds', ids: [makerDbInstanceId(ACCOUNT, REGION)] },
      { type: 'rds_snapshot', ids: [SNAPSHOT] },
    ]);
    expect(removed.failed).toEqual([]);
    expect(removed.done.flatMap((d) => d.ids)).toEqual([makerDbInstanceId(ACCOUNT, REGION), SNAPSHOT]);
  });
});
