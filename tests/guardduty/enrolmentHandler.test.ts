import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { memoryLog } from '../../services/core/log.ts';
import { runGuardDutyEnrol } from '../../services/guardduty/cli.ts';
import { createEnrolmentHandler } from '../../services/guardduty/enrolmentHandler.ts';
import { awsError, makeConfig, makeFactory } from '../helpers/context.ts';
import { ADMIN, MANAGEMENT, fakeRegion, installFakeOrganization, mutatingCalls, organizationAccount, organizations } from './fakeGuardDutyOrganization.ts';

const sns = mockClient(SNSClient);
const ALARMS = 'arn:aws:sns:us-east-1:999999999999:compliance-prod-alarms';
const ACCOUNTS = [organizationAccount(MANAGEMENT), organizationAccount(ADMIN), organizationAccount('123456789012')];

function handler(overrides: Parameters<typeof makeConfig>[0] = {}) {
  const config = makeConfig({ guardDutyManagementAccount: MANAGEMENT, alarmsTopicArn: ALARMS, guardDutyRegions: ['us-east-1', 'eu-west-1'], ...overrides });
  const management = new ClientFactory({ memberRoleName: config.guardDutyManagementRoleName, assumeRole: false, env: {} });
  return createEnrolmentHandler({ config, factory: makeFactory(), management, log: memoryLog() });
}

describe('daily enrolment handler', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: '5f1e0b3c-8f5d-5a7e-9b1c-2d3e4f5a6b7c' });
    installFakeOrganization(
      new Map([
        ['us-east-1', fakeRegion({ admins: [{ AdminAccountId: ADMIN, AdminStatus: 'ENABLED' }] })],
        ['eu-west-1', fakeRegion({ denied: true })],
      ]),
      ACCOUNTS,
      ['us-east-1', 'eu-west-1'],
    );
  });

  it('publishes the summary to the alarms topic when a region failed', async () => {
    const result = await handler()();
    expect(result).toMatchObject({ skipped: false, failedRegions: ['eu-west-1'], alarmPublished: true, changes: 3 });
    const [publish] = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publish).toMatchObject({ TopicArn: ALARMS, Subject: 'GuardDuty enrolment failed in 1 region(s)' });
    expect(publish?.Message).toContain('eu-west-1: admin failed (AccessDeniedException');
  });

  it('publishes nothing when every region is fine', async () => {
    const result = await handler({ guardDutyRegions: ['us-east-1'] })();
    expect(result).toMatchObject({ skipped: false, failedRegions: [], alarmPublished: false });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('is off (no AWS call) until the management account is configured', async () => {
    const result = await handler({ guardDutyManagementAccount: undefined })();
    expect(result).toEqual({ skipped: true, reason: 'GUARDDUTY_MANAGEMENT_ACCOUNT is not set: GuardDuty enrolment is off' });
    expect(organizations.calls()).toHaveLength(0);
  });

  it('alarms and fails when the run cannot start', async () => {
    organizations.on(ListAccountsCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized to perform: organizations:ListAccounts'));
    await expect(handler()()).rejects.toThrow(/ListAccounts/);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toMatchObject({ TopicArn: ALARMS, Subject: 'GuardDuty enrolment could not run' });
  });
});

describe('guardduty-enrol CLI', () => {
  beforeEach(() => {
    installFakeOrganization(new Map([['us-east-1', fakeRegion()]]), ACCOUNTS, ['us-east-1']);
  });
  const cli = async (argv: string[]) => {
    let out = '';
    const code = await runGuardDutyEnrol(argv, { write: (text) => (out += text), log: memoryLog(), env: {} });
    return { code, out };
  };

  it('--dry-run prints the plan, changes nothing and exits 1', async () => {
    const { code, out } = await cli(['--dry-run', '--management-account', MANAGEMENT, '--regions', 'us-east-1', '--no-assume-role']);
    expect(code).toBe(1);
    expect(mutatingCalls()).toEqual([]);
    expect(out).toContain('us-east-1: admin planned (EnableOrganizationAdminAccount 999999999999); detector planned (CreateDetector); members planned: 2 to add');
    expect(out).toContain('dry run: 5 change(s) planned, nothing changed');
  });

  it('enrols, then says a second run changed nothing (exit 0)', async () => {
    const args = ['--management-account', MANAGEMENT, '--guardduty-regions', 'us-east-1', '--no-assume-role'];
    expect((await cli(args)).code).toBe(0);
    const second = await cli([...args, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ dryRun: false, regions: [{ region: 'us-east-1', changes: 0 }] });
  });

  it('needs the management account', async () => {
    await expect(cli(['--dry-run'])).rejects.toThrow(/GUARDDUTY_MANAGEMENT_ACCOUNT/);
  });
});
