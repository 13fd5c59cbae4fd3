/** Macie, Inspector and Audit Manager: reported always, findings only when required by configuration. */
import { describe, expect, it } from 'vitest';
import { auditManagerControl, judgeAuditManager } from '../../../auditors/region/auditManager.ts';
import { inspectorControl, judgeInspector } from '../../../auditors/region/inspector.ts';
import { judgeMacie, macieControl } from '../../../auditors/region/macie.ts';
import { controlReport, readControl, violationOf } from '../../../auditors/region/readControl.ts';
import type { RegionControl } from '../../../auditors/region/control.ts';
import type { ResourceContext } from '../../../auditors/contract.ts';
import { ACCOUNT, awsError, makeCheckContext, makeConfig } from '../../helpers/context.ts';
import { FakePosture, compliantAccount, compliantRegion, type FakeRegion } from '../../helpers/fakePosture.ts';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';

function fakeWith(region: Partial<FakeRegion>): FakePosture {
  const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
  account.regions[HOME] = compliantRegion(HOME, region);
  return new FakePosture({ [ACCOUNT]: account });
}

async function applyTwice<T>(control: RegionControl<T>, fake: FakePosture, settings: Parameters<typeof makeConfig>[0]): Promise<unknown[]> {
  const config = makeConfig(settings);
  const context: ResourceContext = fake.resourceContext(ACCOUNT, HOME, config);
  const apply = () => control.enablement?.apply(context, fake.checkContext(ACCOUNT, HOME, config));
  return [await apply(), await apply()];
}

describe('region.macie_off', () => {
  it.each([
    ['ENABLED', 'enabled', 'Macie is enabled'],
    ['PAUSED', 'disabled', 'Macie is paused'],
    ['NOT_ENABLED', 'disabled', 'Macie is not enabled'],
  ])('%s', (status, expected, detail) => {
    expect(judgeMacie({ status })).toEqual({ status: expected, detail });
  });

  it('reads "Macie is not enabled" (an AccessDeniedException) as off, a real AccessDenied as unknown', async () => {
    expect(await readControl(macieControl, fakeWith({ macie: 'NOT_ENABLED' }).resourceContext(ACCOUNT, HOME, makeConfig()))).toEqual({ outcome: 'read', value: { status: 'NOT_ENABLED' } });
    const denied = fakeWith({}).fail('Macie2 GetMacieSession', awsError('AccessDeniedException', 403, 'User: r is not authorized to perform: macie2:GetMacieSession'));
    expect(await readControl(macieControl, denied.resourceContext(ACCOUNT, HOME, makeConfig()))).toEqual({ outcome: 'unknown', detail: 'AccessDeniedException on macie2:GetMacieSession (add it to the member role)' });
  });

  it('off is a finding only with macieRequired', () => {
    const off = { outcome: 'read', value: { status: 'NOT_ENABLED' } } as const;
    expect(violationOf(controlReport(macieControl, off, makeCheckContext('')))).toBeUndefined();
    expect(violationOf(controlReport(macieControl, off, makeCheckContext('', { config: makeConfig({ macieRequired: true }) })))).toEqual({ detail: 'Macie is not enabled' });
  });

  it.each([
    ['NOT_ENABLED', 'EnableMacie'],
    ['PAUSED', 'UpdateMacieSession'],
  ] as const)('enablement of %s: %s once', async (macie, operation) => {
    const fake = fakeWith({ macie });
    expect(await applyTwice(macieControl, fake, { enableMacie: true })).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => [c.operation, c.input])).toEqual([[operation, { status: 'ENABLED' }]]);
  });
});

describe('region.inspector_off', () => {
  it.each([
    [{ ec2: 'ENABLED', ecr: 'ENABLED', lambda: 'ENABLING' }, 'enabled', 'EC2, ECR and Lambda scanning enabled'],
    [{ ec2: 'ENABLED', ecr: 'DISABLED', lambda: 'SUSPENDED' }, 'disabled', 'scanning not enabled: ECR (DISABLED), LAMBDA (SUSPENDED)'],
  ])('%o', (scans, status, detail) => {
    expect(judgeInspector({ scans })).toEqual({ status, detail });
  });

  it('a failed account in a 200 answer: unknown', async () => {
    const fake = fakeWith({}).answer('Inspector2 BatchGetAccountStatus', {
      accounts: [],
      failedAccounts: [{ accountId: ACCOUNT, errorCode: 'ACCESS_DENIED', errorMessage: 'User is not authorized to perform: inspector2:BatchGetAccountStatus' }],
    });
    expect(await readControl(inspectorControl, fake.resourceContext(ACCOUNT, HOME, makeConfig()))).toEqual({
      outcome: 'unknown',
      detail: 'AccessDeniedException on inspector2:BatchGetAccountStatus (add it to the member role)',
    });
  });

  it('enablement enables exactly the scan types that are off; a second run changes nothing', async () => {
    const fake = fakeWith({ inspector: { ec2: 'ENABLED', ecr: 'DISABLED', lambda: 'DISABLED' } });
    expect(await applyTwice(inspectorControl, fake, { enableInspector: true })).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => [c.operation, c.input])).toEqual([['Enable', { accountIds: [ACCOUNT], resourceTypes: ['ECR', 'LAMBDA'] }]]);
  });
});

describe('region.auditmanager_off', () => {
  it.each([
    ['ACTIVE', 'enabled', 'Audit Manager is active'],
    ['PENDING_ACTIVATION', 'enabled', 'Audit Manager activation is pending'],
    ['INACTIVE', 'disabled', 'Audit Manager is inactive'],
  ])('%s', (status, expected, detail) => {
    expect(judgeAuditManager({ status })).toEqual({ status: expected, detail });
  });

  it('not available in the region: not applicable', async () => {
    const fake = fakeWith({}).fail('AuditManager GetAccountStatus', Object.assign(new Error('getaddrinfo ENOTFOUND auditmanager.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' }));
    expect(await readControl(auditManagerControl, fake.resourceContext(ACCOUNT, HOME, makeConfig()))).toMatchObject({ outcome: 'not_applicable' });
  });

  it('enablement registers the account once', async () => {
    const fake = fakeWith({ auditManager: 'INACTIVE' });
    expect(await applyTwice(auditManagerControl, fake, { enableAuditManager: true })).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => c.operation)).toEqual(['RegisterAccount']);
  });
});
