import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { rdsAuditor } from '../../auditors/rds.ts';
import { makerDbInstanceId, rdsMaker } from '../../misconfiguration-maker/entries/rds.ts';
import { DEPRECATED_SWITCHES, type ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, REGION, collectAll, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedIds, makerContext } from './makerHarness.ts';

const INSTANCE = makerDbInstanceId(ACCOUNT, REGION);
/** The stopping remediations: these tests are about the instance kept public by the maker, not stopped. */
const STOPS: ReadonlySet<string> = new Set(DEPRECATED_SWITCHES.stopNonCompliantDatabases);

describe('rds maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  it('names the instance misconfiguration-maker-rds-<account>-<region>, a valid RDS identifier', () => {
    expect(INSTANCE).toBe(`misconfiguration-maker-rds-${ACCOUNT}-${REGION}`);
    expect(INSTANCE.length).toBeLessThanOrEqual(63);
    expect(rdsMaker.plan(ACCOUNT, REGION)).toEqual([expect.stringContaining(INSTANCE)]);
  });

  it.each<[string, Partial<ConfigInput>]>([
    ['no required tags', {}],
    ['required tags the maker does not carry', { requiredTags: ['owner', 'created-by'] }],
    ['only the maker tag required', { requiredTags: ['created-by'] }],
  ])('with %s, the instance fails exactly what provokes() says', async (_case, overrides) => {
    // Prepare
    const context = makerContext(organization, makeConfig(overrides));

    // Act
    const ids = await rdsMaker.create(context);
    const audited = await auditListed(rdsAuditor, context);

    // Assess
    expect(ids).toEqual([INSTANCE]);
    expect(audited.map((r) => r.id)).toEqual([INSTANCE]);
    expect(failedIds(audited[0])).toEqual([...rdsMaker.provokes(context.config)].sort());
  });

  it('makes an empty, unencrypted, public db.t4g.micro PostgreSQL instance with the maker tag and no backups', async () => {
    const context = makerContext(organization);

    await rdsMaker.create(context);
    const { DBInstances } = await context.clients.get(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: INSTANCE }));

    expect(DBInstances?.[0]).toMatchObject({
      DBInstanceClass: 'db.t4g.micro',
      Engine: 'postgres',
      StorageEncrypted: false,
      PubliclyAccessible: true,
      BackupRetentionPeriod: 0,
      TagList: [{ Key: 'created-by', Value: 'misconfiguration-maker' }],
    });
  });

  it('is idempotent: a second create reuses the instance', async () => {
    const context = makerContext(organization);

    await rdsMaker.create(context);
    const again = await rdsMaker.create(context);

    expect(again).toEqual([INSTANCE]);
    expect(await collectAll(rdsAuditor.list(context))).toHaveLength(1);
  });

  it('remediation leaves only the notify-only rds.unencrypted; a second remediation changes nothing', async () => {
    // Prepare
    const context = makerContext(organization);
    await rdsMaker.create(context);
    const [before] = await auditListed(rdsAuditor, context);

    // Act
    const remediable = (before?.failed ?? []).filter((f) => f.remediate && !STOPS.has(f.check.id));
    const first: string[] = [];
    for (const failed of remediable) first.push((await failed.remediate?.()) ?? 'none');
    const second: string[] = [];
    for (const failed of remediable) second.push((await failed.remediate?.()) ?? 'none');
    const [after] = await auditListed(rdsAuditor, context);

    // Assess
    expect(remediable.map((f) => f.check.id)).toEqual(['rds.public']);
    expect(first).toEqual(['applied']);
    expect(second).toEqual(['already_compliant']);
    expect(failedIds(after)).toEqual(['rds.unencrypted']);
    expect(after?.failed.every((f) => STOPS.has(f.check.id))).toBe(true);
  });

  it('with stopNonCompliantDatabases, turning public access off and then stopping leaves the stopped instance failing rds.unencrypted only', async () => {
    // Prepare: public first, as AWS cannot modify a stopped instance.
    const context = makerContext(organization, makeConfig({ stopNonCompliantDatabases: true }));
    await rdsMaker.create(context);
    const [before] = await auditListed(rdsAuditor, context);
    const byCheck = new Map((before?.failed ?? []).map((f) => [f.check.id, f]));

    // Act
    const publicOutcome = await byCheck.get('rds.public')?.remediate?.();
    const stopOutcome = await byCheck.get('rds.unencrypted')?.remediate?.();
    const stopAgain = await byCheck.get('rds.unencrypted')?.remediate?.();
    const [after] = await auditListed(rdsAuditor, context);
    const { DBInstances } = await context.clients.get(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: INSTANCE }));

    // Assess
    expect([publicOutcome, stopOutcome, stopAgain]).toEqual(['applied', 'applied', 'already_compliant']);
    expect(DBInstances?.[0]?.DBInstanceStatus).toBe('stopped');
    expect(failedIds(after)).toEqual(['rds.unencrypted']);
  });

  it('a re-run after remediation makes the reused instance public again', async () => {
    const context = makerContext(organization);
    await rdsMaker.create(context);
    const [before] = await auditListed(rdsAuditor, context);
    for (const failed of before?.failed ?? []) if (!STOPS.has(failed.check.id)) await failed.remediate?.();

    await rdsMaker.create(context);
    const [after] = await auditListed(rdsAuditor, context);

    expect(failedIds(after)).toEqual(['rds.public', 'rds.unencrypted']);
  });

  it('a re-run after every remediation (stop included) starts the instance and makes it public again', async () => {
    const context = makerContext(organization);
    await rdsMaker.create(context);
    const [before] = await auditListed(rdsAuditor, context);
    for (const failed of before?.failed ?? []) await failed.remediate?.();
    const stopped = await context.clients.get(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: INSTANCE }));
    expect(stopped.DBInstances?.[0]?.DBInstanceStatus).toBe('stopped');

    await rdsMaker.create(context);
    const [after] = await auditListed(rdsAuditor, context);

    expect(failedIds(after)).toEqual(['rds.public', 'rds.unencrypted']);
  });

  it('teardown removes exactly the instance, and a second teardown finds nothing to do', async () => {
    // Prepare
    const context = makerContext(organization);
    await rdsMaker.create(context);

    // Act
    const removed = await rdsMaker.teardown(context);
    const listed = await collectAll(rdsAuditor.list(context));
    const again = await rdsMaker.teardown(context);

    // Assess
    expect(removed).toEqual([INSTANCE]);
    expect(listed).toEqual([]);
    expect(again).toEqual([]);
  });

  it('teardown leaves instances it did not make', async () => {
    const context = makerContext(organization);
    await rdsMaker.create(context);
    await context.clients.get(RDSClient).send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'orders-db',
        DBInstanceClass: 'db.t4g.micro',
        Engine: 'postgres',
        MasterUsername: 'owner1',
        MasterUserPassword: 'not-a-real-password-1',
      }),
    );

    await rdsMaker.teardown(context);

    expect((await collectAll(rdsAuditor.list(context))).map((r) => r.id)).toEqual(['orders-db']);
  });
});
