import { DescribeInstancesCommand, EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2Auditor } from '../../auditors/ec2Instance.ts';
import { MAKER_INSTANCE_TYPE, ec2InstanceMaker, makerInstanceName } from '../../misconfiguration-maker/entries/ec2Instance.ts';
import type { ConfigInput } from '../../services/core/config.ts';
import { ACCOUNT, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext, remediateAll } from './makerHarness.ts';

const DEV = { devAccounts: [ACCOUNT] } satisfies Partial<ConfigInput>;

/** provokes() as the demo reads it: the entry's declared dev-account checks only count in dev accounts. */
function expectedIn(account: string, config: { devAccounts: readonly string[] }, provoked: readonly string[]): string[] {
  const devOnly = new Set(ec2InstanceMaker.devAccountChecks ?? []);
  return provoked.filter((id) => !devOnly.has(id) || config.devAccounts.includes(account)).sort();
}

describe('ec2 maker entry', () => {
  let organization: SandboxOrganization;

  beforeEach(() => {
    organization = sandboxOrganization();
  });

  it('names the instance misconfiguration-maker-ec2-<account>-<region> and says what it makes', () => {
    expect(makerInstanceName(ACCOUNT, REGION)).toBe(`misconfiguration-maker-ec2-${ACCOUNT}-${REGION}`);
    expect(ec2InstanceMaker.plan(ACCOUNT, REGION)).toEqual([expect.stringContaining(makerInstanceName(ACCOUNT, REGION))]);
  });

  it.each<[string, string, Partial<ConfigInput>]>([
    ['a dev account, no required tags', ACCOUNT, DEV],
    ['a dev account, required tags the maker lacks', ACCOUNT, { ...DEV, requiredTags: ['owner'] }],
    ['a dev account, only tags the maker carries required', ACCOUNT, { ...DEV, requiredTags: ['Name', 'created-by'] }],
    ['a non-dev account', OTHER_ACCOUNT, DEV],
    ['a non-dev account, required tags the maker lacks', OTHER_ACCOUNT, { ...DEV, requiredTags: ['owner'] }],
  ])('in %s, the instance fails exactly what provokes() says', async (_case, account, overrides) => {
    // Prepare
    const context = makerContext(organization, makeConfig(overrides), { account });

    // Act
    const ids = await ec2InstanceMaker.create(context);
    const audited = await auditListed(ec2Auditor, context);

    // Assess
    expect(audited.map((r) => r.id)).toEqual(ids);
    expect(audited.every((r) => r.maker)).toBe(true);
    expect(failedCheckIds(audited)).toEqual(expectedIn(account, context.config, ec2InstanceMaker.provokes(context.config)));
  });

  it('launches one t4g.nano with IMDSv1 allowed, a public IP, the default security group and only the maker tags', async () => {
    const context = makerContext(organization, makeConfig(DEV));

    const [id] = await ec2InstanceMaker.create(context);
    const { Reservations } = await context.clients.get(EC2Client).send(new DescribeInstancesCommand({ InstanceIds: [id ?? ''] }));
    const instance = Reservations?.[0]?.Instances?.[0];

    expect(instance).toMatchObject({
      InstanceType: MAKER_INSTANCE_TYPE,
      Architecture: 'arm64',
      State: { Name: 'running', Code: 16 },
      MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      PublicIpAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      SecurityGroups: [{ GroupName: 'default' }],
      Tags: [
        { Key: 'Name', Value: makerInstanceName(ACCOUNT, REGION) },
        { Key: 'created-by', Value: 'misconfiguration-maker' },
      ],
    });
  });

  it('is idempotent: a second create reuses the instance, restarted and with IMDSv1 allowed again', async () => {
    // Prepare
    const context = makerContext(organization, makeConfig(DEV));
    const [id] = await ec2InstanceMaker.create(context);
    const [before] = await auditListed(ec2Auditor, context);
    await remediateAll(before ? [before] : []);

    // Act
    const again = await ec2InstanceMaker.create(context);
    const audited = await auditListed(ec2Auditor, context);

    // Assess
    expect(again).toEqual([id]);
    expect(audited.map((r) => r.id)).toEqual([id]);
    expect(failedCheckIds(audited)).toEqual(['ec2.imdsv1_allowed', 'ec2.public_in_dev_account']);
  });

  it.each<[string, string, Partial<ConfigInput>, string[]]>([
    ['a dev account', ACCOUNT, DEV, []],
    ['a non-dev account', OTHER_ACCOUNT, DEV, []],
    // Stopping does not tag: the stopped instance still fails, and a second stop finds it stopped.
    ['a dev account with required tags', ACCOUNT, { ...DEV, requiredTags: ['owner'] }, ['ec2.missing_required_tags']],
  ])('in %s, remediation leaves only the listed checks failing, and a second one changes nothing', async (_case, account, overrides, stillFailing) => {
    // Prepare
    const context = makerContext(organization, makeConfig(overrides), { account });
    await ec2InstanceMaker.create(context);
    const before = await auditListed(ec2Auditor, context);

    // Act
    const first = await remediateAll(before);
    const after = await auditListed(ec2Auditor, context);
    const second = await remediateAll(await auditListed(ec2Auditor, context));

    // Assess
    // Two stops of one instance: the second finds it stopping (already compliant).
    expect(first.filter((outcome) => !outcome.endsWith('=applied') && !outcome.endsWith('=already_compliant'))).toEqual([]);
    expect(first.some((outcome) => outcome.endsWith('=applied'))).toBe(true);
    expect(failedCheckIds(after)).toEqual(stillFailing);
    expect(second.filter((outcome) => outcome.endsWith('=applied'))).toEqual([]);
  });

  it('create starts a stopped instance again', async () => {
    const context = makerContext(organization);
    const [id = ''] = await ec2InstanceMaker.create(context);
    await context.clients.get(EC2Client).send(new StopInstancesCommand({ InstanceIds: [id] }));

    await ec2InstanceMaker.create(context);
    const { Reservations } = await context.clients.get(EC2Client).send(new DescribeInstancesCommand({ InstanceIds: [id] }));

    expect(Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('running');
  });

  it('teardown terminates exactly what create made; a second teardown removes nothing and does not fail', async () => {
    // Prepare
    const context = makerContext(organization, makeConfig(DEV));
    const made = await ec2InstanceMaker.create(context);
    const other = makerContext(organization, makeConfig(DEV), { region: 'eu-west-1' });
    const kept = await ec2InstanceMaker.create(other);

    // Act
    const removed = await ec2InstanceMaker.teardown(context);
    const again = await ec2InstanceMaker.teardown(context);

    // Assess
    expect(removed).toEqual(made);
    expect(again).toEqual([]);
    expect(await auditListed(ec2Auditor, context)).toEqual([]);
    expect((await auditListed(ec2Auditor, other)).map((r) => r.id)).toEqual(kept);
  });
});
