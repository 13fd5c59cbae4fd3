/** The region auditor as the registry runs it: every control, one AccessDenied alone, account-level checks once, triggers. */
import { describe, expect, it } from 'vitest';
import type { AuditSummary, FailedCheck } from '../../../auditors/contract.ts';
import { regionAuditor } from '../../../auditors/region/index.ts';
import { auditorFor } from '../../../auditors/registry.ts';
import type { Config } from '../../../services/core/config.ts';
import { buildTriggerTable } from '../../../services/event-translator/triggerTable.ts';
import { translateEvent } from '../../../services/event-translator/translateEvent.ts';
import { ACCOUNT, awsError, collectAll, makeConfig } from '../../helpers/context.ts';
import { FakePosture, compliantAccount, compliantRegion } from '../../helpers/fakePosture.ts';
import { failedChecksOf } from '../../helpers/failedChecksOf.ts';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';

async function audit(fake: FakePosture, region: string, config: Config = makeConfig()): Promise<{ failed: FailedCheck[]; summary?: AuditSummary }> {
  let summary: AuditSummary | undefined;
  const result = await regionAuditor.audit(fake.resourceContext(ACCOUNT, region, config), fake.checkContext(ACCOUNT, region, config), (made) => {
    summary = made;
  });
  return { failed: failedChecksOf(result), ...(summary ? { summary } : {}) };
}

/** An account with gaps: every account-level control off, and Config and EBS off in both regions. */
function gappyAccount(): FakePosture {
  const account = compliantAccount(ACCOUNT, [HOME, OTHER], { rootMfa: 0, passwordPolicy: undefined, publicAccessBlock: undefined });
  for (const region of [HOME, OTHER]) account.regions[region] = compliantRegion(region, { ebsEncryptionByDefault: false, config: { recorders: [], channels: [] } });
  return new FakePosture({ [ACCOUNT]: account });
}

describe('region auditor', () => {
  it('is registered for type region, listed in every region', () => {
    expect(auditorFor('region')).toBe(regionAuditor);
    expect(regionAuditor.scope).toBe('regional');
  });

  it('lists one resource with id "" per account and region, none where the account has not opted in, and one when it cannot tell', async () => {
    const fake = new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER]) });
    const context = { ...fake.resourceContext(ACCOUNT, OTHER, makeConfig()) };
    expect(await collectAll(regionAuditor.list(context))).toEqual([{ id: '' }]);
    fake.answer('EC2 DescribeRegions', { Regions: [{ RegionName: OTHER, OptInStatus: 'not-opted-in' }] });
    expect(await collectAll(regionAuditor.list(context))).toEqual([]);
    fake.fail('EC2 DescribeRegions', awsError('UnauthorizedOperation', 403, 'You are not authorized to perform this operation.'));
    expect(await collectAll(regionAuditor.list(context))).toEqual([{ id: '' }]);
    // A region the account has not enabled refuses the call itself.
    fake.fail('EC2 DescribeRegions', awsError('AuthFailure', 401, 'AWS was not able to validate the provided access credentials'));
    expect(await collectAll(regionAuditor.list(context))).toEqual([]);
  });

  it('a compliant account: no finding, and a summary with every control', async () => {
    const { failed, summary } = await audit(new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER]) }), HOME);
    expect(failed).toEqual([]);
    expect(summary).toEqual({
      controls: {
        guardduty: { status: 'enabled', required: true, detail: 'detector d-us-east-1 enabled', checkId: 'region.guardduty_not_enrolled' },
        config: { status: 'enabled', required: true, detail: 'recorder default is recording to delivery channel default', checkId: 'region.config_not_recording' },
        cloudtrail: { status: 'enabled', required: true, detail: 'multi-region trail org-audit (home us-east-1) is logging with log file validation', checkId: 'region.cloudtrail_not_logging' },
        vpc_flow_logs: { status: 'enabled', required: true, detail: 'all 1 VPC(s) have an active flow log', checkId: 'region.vpc_flow_logs_missing' },
        ebs_default_encryption: { status: 'enabled', required: true, detail: 'EBS encryption by default is on', checkId: 'region.ebs_default_encryption_off' },
        securityhub: { status: 'enabled', required: true, detail: 'enabled with fsbp', checkId: 'region.securityhub_off' },
        macie: { status: 'enabled', required: false, detail: 'Macie is enabled', checkId: 'region.macie_off' },
        inspector: { status: 'enabled', required: false, detail: 'EC2, ECR and Lambda scanning enabled', checkId: 'region.inspector_off' },
        auditmanager: { status: 'enabled', required: false, detail: 'Audit Manager is active', checkId: 'region.auditmanager_off' },
        root_mfa: { status: 'enabled', required: true, detail: 'the root user has MFA', checkId: 'region.root_mfa_off' },
        root_access_keys: { status: 'enabled', required: true, detail: 'the root user has no access keys', checkId: 'region.root_access_keys' },
        password_policy: {
          status: 'enabled',
          required: true,
          detail: 'length >= 14, all character classes, reuse prevention 24, max age 90 days',
          checkId: 'region.password_policy_weak',
        },
        s3_account_public_access_block: { status: 'enabled', required: true, detail: 'all four account-level flags on', checkId: 'region.s3_account_public_access_block_off' },
      },
    });
  });

  it('AccessDenied on one service: that control is an unknown finding, every other control still runs', async () => {
    // Prepare
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.regions[HOME] = compliantRegion(HOME, { ebsEncryptionByDefault: false });
    const fake = new FakePosture({ [ACCOUNT]: account }).fail(
      'Config Service DescribeConfigurationRecorders',
      awsError('AccessDeniedException', 400, 'User: arn:aws:sts::111111111111:assumed-role/ComplianceAuditorMemberRole/r is not authorized to perform: config:DescribeConfigurationRecorders'),
    );
    // Act
    const { failed } = await audit(fake, HOME);
    // Assess
    expect(failed.map((f) => [f.check.id, f.violation.detail])).toEqual([
      ['region.config_not_recording', 'unknown: AccessDeniedException on config:DescribeConfigurationRecorders (add it to the member role)'],
      ['region.ebs_default_encryption_off', 'EBS encryption by default is off: new volumes and snapshot copies may be unencrypted'],
    ]);
  });

  it('judges account-level controls in the home region only, never once per region', async () => {
    const fake = gappyAccount();
    const home = await audit(fake, HOME);
    const callsAtHome = fake.calls.length;
    const other = await audit(fake, OTHER);
    const accountLevel = ['region.root_mfa_off', 'region.password_policy_weak', 'region.s3_account_public_access_block_off'];
    expect(home.failed.map((f) => f.check.id)).toEqual(['region.config_not_recording', 'region.ebs_default_encryption_off', ...accountLevel]);
    expect(other.failed.map((f) => f.check.id)).toEqual(['region.config_not_recording', 'region.ebs_default_encryption_off']);
    expect(fake.calls.slice(callsAtHome).filter((c) => c.service === 'IAM' || c.service === 'S3 Control')).toEqual([]);
    expect(other.summary?.controls).toMatchObject({ root_mfa: { status: 'not_applicable', detail: 'account-level control, judged in the home region us-east-1' } });
  });

  it('does not offer to switch on a control it could not read', async () => {
    const fake = gappyAccount().fail('EC2 GetEbsEncryptionByDefault', awsError('UnauthorizedOperation', 403, 'You are not authorized to perform this operation.'));
    const { failed } = await audit(fake, HOME, makeConfig({ enableEbsEncryption: true, enableConfig: true }));
    const ebs = failed.find((f) => f.check.id === 'region.ebs_default_encryption_off');
    expect(ebs?.violation.detail).toBe('unknown: UnauthorizedOperation on one of ec2:GetEbsEncryptionByDefault (add them to the member role)');
    expect(ebs?.remediate).toBeUndefined();
    expect(failed.find((f) => f.check.id === 'region.config_not_recording')?.remediate).toBeDefined();
  });

  it('offers each enablement only behind its own switch', async () => {
    const fake = gappyAccount();
    const off = await audit(fake, HOME);
    expect(off.failed.filter((f) => f.remediate).map((f) => f.check.id)).toEqual([]);
    const on = await audit(fake, HOME, makeConfig({ enableEbsEncryption: true, enablePasswordPolicy: true }));
    expect(on.failed.filter((f) => f.remediate).map((f) => f.check.id)).toEqual(['region.ebs_default_encryption_off', 'region.password_policy_weak']);
    expect(await on.failed.find((f) => f.check.id === 'region.ebs_default_encryption_off')?.remediate?.()).toBe('applied');
    expect(fake.region(ACCOUNT, HOME).ebsEncryptionByDefault).toBe(true);
  });

  it('declares what it reads and what enablement calls', () => {
    expect(regionAuditor.permissions.list).toEqual(['ec2:DescribeRegions']);
    expect(regionAuditor.permissions.collect).toEqual(expect.arrayContaining(['guardduty:GetDetector', 'config:DescribeDeliveryChannels', 'cloudtrail:GetTrailStatus', 'iam:GetAccountSummary', 's3:GetAccountPublicAccessBlock']));
    expect(Object.keys(regionAuditor.remediations).sort()).toEqual([
      'region.auditmanager_off',
      'region.cloudtrail_not_logging',
      'region.config_not_recording',
      'region.ebs_default_encryption_off',
      'region.guardduty_not_enrolled',
      'region.inspector_off',
      'region.macie_off',
      'region.password_policy_weak',
      'region.s3_account_public_access_block_off',
      'region.securityhub_off',
      'region.vpc_flow_logs_missing',
    ]);
  });

  describe('CloudTrail triggers', () => {
    const table = buildTriggerTable([regionAuditor]);
    it.each([
      ['cloudtrail.amazonaws.com', 'StopLogging', { name: 'org-audit' }],
      ['config.amazonaws.com', 'StopConfigurationRecorder', { configurationRecorderName: 'default' }],
      ['ec2.amazonaws.com', 'DisableEbsEncryptionByDefault', { DisableEbsEncryptionByDefaultRequest: '' }],
      ['iam.amazonaws.com', 'DeleteAccountPasswordPolicy', null],
      ['s3.amazonaws.com', 'DeleteAccountPublicAccessBlock', { accountId: ACCOUNT }],
      ['guardduty.amazonaws.com', 'DeleteDetector', { detectorId: '12abc34d567e8fa901bc2d34e56789f0' }],
    ])('%s %s audits the region', (eventSource, eventName, requestParameters) => {
      const event = {
        'detail-type': 'AWS API Call via CloudTrail',
        source: `aws.${eventSource.split('.')[0]}`,
        detail: { eventSource, eventName, awsRegion: OTHER, recipientAccountId: ACCOUNT, requestParameters, responseElements: null },
      };
      expect(translateEvent(event, table)).toEqual({ status: 'messages', messages: [{ message: { account: ACCOUNT, region: OTHER, type: 'region', id: '' } }] });
    });
  });
});
