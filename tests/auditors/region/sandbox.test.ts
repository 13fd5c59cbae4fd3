/**
 * The region auditor against a sandbox organization: a new account is
 * AWS's defaults (every control off), a seeded one is compliant, each
 * enablement switches its control on for the re-audit, and a second
 * enablement makes no mutating call.
 */
import { EnableOrganizationAdminAccountCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { describe, expect, it } from 'vitest';
import type { AuditSummary, CheckContext, FailedCheck, ResourceContext } from '../../../auditors/contract.ts';
import { REGION_CONTROLS, regionAuditor, collectRegionState } from '../../../auditors/region/index.ts';
import { ClientFactory } from '../../../services/core/clientFactory.ts';
import type { Config, ConfigInput } from '../../../services/core/config.ts';
import { Sandbox } from '../../../sandbox/sandbox.ts';
import { seedSecurityBaseline } from '../../../sandbox/securityBaseline.ts';
import { createSandboxState } from '../../../sandbox/sandboxState.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, collectAll, makeConfig } from '../../helpers/context.ts';
import { failedChecksOf } from '../../helpers/failedChecksOf.ts';
import { everyPostureControlOn } from '../../fixtures/regionPosture.ts';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
/** São Paulo has no Audit Manager endpoint. */
const NO_AUDIT_MANAGER = 'sa-east-1';

/** A sandbox that remembers every operation it answers. */
class RecordingSandbox extends Sandbox {
  readonly log: string[] = [];
  override async call(serviceId: string, operation: string, input: object, account: string, region: string): Promise<unknown> {
    this.log.push(`${account} ${region} ${serviceId} ${operation}`);
    return super.call(serviceId, operation, input, account, region);
  }
}

const READ_ONLY = / (Describe|Get|List|BatchGet)[A-Za-z]*$/;

/** A third account: neither the management account (the first) nor the GuardDuty administrator. */
const WORKLOAD = '333333333333';

function organization(regions: readonly string[] = [HOME, OTHER]) {
  const sandbox = new RecordingSandbox(createSandboxState({ accounts: [ACCOUNT, OTHER_ACCOUNT, WORKLOAD], regions }), { now: () => NOW });
  const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  const contexts = (account: string, region: string, config: Config): { resource: ResourceContext; check: CheckContext } => ({
    resource: { account, region, id: '', config, clients: factory.forAccount(account, region), clientsFor: (a, r) => factory.forAccount(a, r) },
    check: { account, region, id: '', config, trustedAccounts: new Set([ACCOUNT, OTHER_ACCOUNT, WORKLOAD]), now: NOW },
  });
  const audit = async (account: string, region: string, config: Config): Promise<{ failed: FailedCheck[]; summary: AuditSummary }> => {
    const { resource, check } = contexts(account, region, config);
    let summary: AuditSummary = {};
    const result = await regionAuditor.audit(resource, check, (made) => {
      summary = made;
    });
    return { failed: failedChecksOf(result), summary };
  };
  return { sandbox, factory, contexts, audit };
}

function config(overrides: Partial<ConfigInput> = {}): Config {
  return makeConfig({ regions: [HOME, OTHER], ...overrides });
}

/** Every control a finding when off, and every enablement on, with what they need. */
const ALL_ON = everyPostureControlOn({ trail: 'acme-cloudtrail', config: 'acme-config', flowLogs: 'acme-flow-logs' });

function statuses(summary: AuditSummary): Record<string, string> {
  const controls = summary.controls as Record<string, { status: string }>;
  return Object.fromEntries(Object.entries(controls).map(([key, control]) => [key, control.status]));
}

const REGION_CHECKS = [
  'region.guardduty_not_enrolled',
  'region.config_not_recording',
  'region.cloudtrail_not_logging',
  'region.vpc_flow_logs_missing',
  'region.ebs_default_encryption_off',
  'region.securityhub_off',
];
const ACCOUNT_CHECKS = ['region.root_mfa_off', 'region.password_policy_weak', 'region.s3_account_public_access_block_off'];

describe('region auditor against the sandbox', () => {
  it('lists one unit per account and region the account has', async () => {
    const org = organization();
    const { resource } = org.contexts(ACCOUNT, OTHER, config());
    expect(await collectAll(regionAuditor.list(resource))).toEqual([{ id: '' }]);
  });

  it("a new account is AWS's defaults: every required control is a finding, account-level ones in the home region only", async () => {
    const org = organization();
    const home = await org.audit(ACCOUNT, HOME, config());
    expect(home.failed.map((f) => f.check.id)).toEqual([...REGION_CHECKS, ...ACCOUNT_CHECKS]);
    const vpcId = Object.keys((org.sandbox.state.accounts[ACCOUNT]?.regions[HOME]?.ec2 as { vpcs: Record<string, unknown> }).vpcs)[0];
    expect(Object.fromEntries(home.failed.map((f) => [f.check.id, f.violation.detail]))).toEqual({
      'region.guardduty_not_enrolled': `GuardDuty has no detector in ${ACCOUNT} ${HOME}`,
      'region.config_not_recording': 'no configuration recorder; no delivery channel',
      'region.cloudtrail_not_logging': `no trail covers ${HOME}`,
      'region.vpc_flow_logs_missing': `1 of 1 VPC(s) have no active flow log: ${vpcId}`,
      'region.ebs_default_encryption_off': 'EBS encryption by default is off: new volumes and snapshot copies may be unencrypted',
      'region.securityhub_off': 'Security Hub is not enabled',
      'region.root_mfa_off': 'the root user has no MFA device (AccountMFAEnabled = 0)',
      'region.password_policy_weak': 'no password policy',
      'region.s3_account_public_access_block_off': 'no account-level Public Access Block (all four flags off)',
    });
    expect(statuses(home.summary)).toMatchObject({ macie: 'disabled', inspector: 'disabled', auditmanager: 'disabled' });

    const other = await org.audit(ACCOUNT, OTHER, config({ macieRequired: true, inspectorRequired: true, auditManagerRequired: true }));
    expect(other.failed.map((f) => f.check.id)).toEqual([...REGION_CHECKS, 'region.macie_off', 'region.inspector_off', 'region.auditmanager_off']);
    expect(statuses(other.summary)).toMatchObject({ root_mfa: 'not_applicable', password_policy: 'not_applicable', s3_account_public_access_block: 'not_applicable' });
  });

  it('a seeded account: no finding, every control enabled (account-level ones not applicable outside the home region)', async () => {
    const org = organization();
    for (const region of [HOME, OTHER]) seedSecurityBaseline(org.sandbox.state, ACCOUNT, region, { now: () => NOW });
    const strict = config({ macieRequired: true, inspectorRequired: true, auditManagerRequired: true });
    const home = await org.audit(ACCOUNT, HOME, strict);
    expect(home.failed).toEqual([]);
    expect(new Set(Object.values(statuses(home.summary)))).toEqual(new Set(['enabled']));
    const other = await org.audit(ACCOUNT, OTHER, strict);
    expect(other.failed).toEqual([]);
    expect(statuses(other.summary)).toMatchObject({ cloudtrail: 'enabled', root_mfa: 'not_applicable' });
    // Seeding again changes nothing.
    const before = JSON.stringify(org.sandbox.state);
    seedSecurityBaseline(org.sandbox.state, ACCOUNT, HOME, { now: () => NOW });
    expect(JSON.stringify(org.sandbox.state)).toBe(before);
    // The other accounts are untouched.
    expect((await org.audit(OTHER_ACCOUNT, HOME, strict)).failed.length).toBe(12);
  });

  it('each enablement switches its control on: the re-audit finds only the notify-only root MFA; a second enablement makes no mutating call', async () => {
    const org = organization();
    const settings = config(ALL_ON);
    const before = await org.audit(ACCOUNT, HOME, settings);
    const remediable = before.failed.filter((f) => f.remediate);
    expect(before.failed.filter((f) => !f.remediate).map((f) => f.check.id)).toEqual(['region.root_mfa_off']);
    expect(remediable).toHaveLength(11);
    for (const failed of remediable) expect([failed.check.id, await failed.remediate?.()]).toEqual([failed.check.id, 'applied']);

    const after = await org.audit(ACCOUNT, HOME, settings);
    expect(after.failed.map((f) => f.check.id)).toEqual(['region.root_mfa_off']);
    expect(statuses(after.summary)).toMatchObject({ config: 'enabled', cloudtrail: 'enabled', securityhub: 'enabled', inspector: 'enabled' });

    // The other region: the multi-region trail made at home covers it already.
    const other = await org.audit(ACCOUNT, OTHER, settings);
    expect(other.failed.map((f) => f.check.id)).toEqual([...REGION_CHECKS.filter((id) => id !== 'region.cloudtrail_not_logging'), 'region.macie_off', 'region.inspector_off', 'region.auditmanager_off']);
    for (const failed of other.failed) expect(await failed.remediate?.()).toBe('applied');
    expect((await org.audit(ACCOUNT, OTHER, settings)).failed).toEqual([]);

    // Second enablement, every control: reads only.
    for (const region of [HOME, OTHER]) {
      const { resource, check } = org.contexts(ACCOUNT, region, settings);
      const state = await collectRegionState(resource);
      const mark = org.sandbox.log.length;
      for (const bound of REGION_CONTROLS) {
        if (!bound.remediation || bound.control.key === 'root_mfa') continue;
        if (bound.control.level === 'account' && region !== HOME) continue;
        expect([bound.control.key, await bound.remediation.apply(resource, state, check)]).toEqual([bound.control.key, 'already_compliant']);
      }
      expect(org.sandbox.log.slice(mark).filter((call) => !READ_ONLY.test(call))).toEqual([]);
    }
  });

  it('what the enablements made: a recorder with the service-linked role, the configured buckets and destination', async () => {
    const org = organization();
    const settings = config(ALL_ON);
    for (const failed of (await org.audit(ACCOUNT, HOME, settings)).failed) await failed.remediate?.();
    const mutating = org.sandbox.log.filter((call) => !READ_ONLY.test(call)).map((call) => call.split(' ').slice(2).join(' '));
    expect(mutating).toEqual([
      'GuardDuty CreateDetector',
      'IAM CreateServiceLinkedRole',
      'Config Service PutConfigurationRecorder',
      'Config Service PutDeliveryChannel',
      'Config Service StartConfigurationRecorder',
      'CloudTrail CreateTrail',
      'CloudTrail StartLogging',
      'EC2 CreateFlowLogs',
      'EC2 EnableEbsEncryptionByDefault',
      'SecurityHub EnableSecurityHub',
      'SecurityHub BatchEnableStandards',
      'Macie2 EnableMacie',
      'Inspector2 Enable',
      'AuditManager RegisterAccount',
      'IAM UpdateAccountPasswordPolicy',
      'S3 Control PutPublicAccessBlock',
    ]);
    const summary = (await org.audit(ACCOUNT, HOME, settings)).summary.controls as Record<string, { detail: string }>;
    expect(summary.cloudtrail?.detail).toBe(`multi-region trail compliance-baseline (home ${HOME}) is logging with log file validation`);
    expect(summary.config?.detail).toBe('recorder default is recording to delivery channel default');
    expect(summary.password_policy?.detail).toBe('length >= 14, all character classes, reuse prevention 24, max age 90 days');
  });

  it('GuardDuty with an administrator: the delegated administrator enrols the account, which the re-audit sees', async () => {
    const org = organization();
    const settings = config({ enableGuardDuty: true, guardDutyAdministratorAccount: OTHER_ACCOUNT });
    // The management account (the first) delegates OTHER_ACCOUNT, which has its detector.
    await org.factory.forAccount(ACCOUNT, HOME).get(GuardDutyClient).send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: OTHER_ACCOUNT }));
    seedSecurityBaseline(org.sandbox.state, OTHER_ACCOUNT, HOME, { only: ['guardduty'], now: () => NOW });

    const before = await org.audit(WORKLOAD, HOME, settings);
    const guardDuty = before.failed.find((f) => f.check.id === 'region.guardduty_not_enrolled');
    expect(guardDuty?.violation.detail).toBe(`GuardDuty has no detector in ${WORKLOAD} ${HOME}`);
    expect(await guardDuty?.remediate?.()).toBe('applied');
    const after = (await org.audit(WORKLOAD, HOME, settings)).summary.controls as Record<string, { status: string; detail: string }>;
    expect(after.guardduty?.status).toBe('enabled');
    expect(after.guardduty?.detail).toMatch(new RegExp(`^detector [0-9a-f]{32} enabled, member of ${OTHER_ACCOUNT} \\(Enabled\\)$`));
    // The administrator itself passes with its own detector.
    expect((await org.audit(OTHER_ACCOUNT, HOME, settings)).failed.map((f) => f.check.id)).not.toContain('region.guardduty_not_enrolled');
    // The management account must switch GuardDuty on itself first: AWS refuses to add it, and the enablement says why.
    const management = (await org.audit(ACCOUNT, HOME, settings)).failed.find((f) => f.check.id === 'region.guardduty_not_enrolled');
    await expect(management?.remediate?.()).rejects.toThrow(/organization master must first enable GuardDuty to be added as a member/);
  });

  it('Audit Manager where it has no endpoint: not applicable, not an error', async () => {
    const org = organization([HOME, NO_AUDIT_MANAGER]);
    const { failed, summary } = await org.audit(ACCOUNT, NO_AUDIT_MANAGER, makeConfig({ regions: [HOME, NO_AUDIT_MANAGER], auditManagerRequired: true }));
    expect(failed.map((f) => f.check.id)).not.toContain('region.auditmanager_off');
    const controls = summary.controls as Record<string, { status: string; detail: string }>;
    expect(controls.auditmanager).toEqual({
      status: 'not_applicable',
      required: true,
      detail: `Audit Manager is not available in ${NO_AUDIT_MANAGER} (getaddrinfo ENOTFOUND auditmanager.${NO_AUDIT_MANAGER}.amazonaws.com)`,
      checkId: 'region.auditmanager_off',
    });
  });
});
