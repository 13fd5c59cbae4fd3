import { describe, expect, it } from 'vitest';
import { readControl } from '../../../auditors/region/readControl.ts';
import { judgeSecurityHub, newestStandard, securityHubControl } from '../../../auditors/region/securityHub.ts';
import { ACCOUNT, makeConfig } from '../../helpers/context.ts';
import { FakePosture, STANDARDS, compliantAccount, compliantRegion } from '../../helpers/fakePosture.ts';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
const FSBP = STANDARDS.fsbp(HOME);

describe('region.securityhub_off: judge', () => {
  it.each([
    ['FSBP ready', { hubEnabled: true, standards: [{ arn: FSBP, status: 'READY' }] }, [], 'enabled', 'enabled with fsbp'],
    ['FSBP still being enabled', { hubEnabled: true, standards: [{ arn: FSBP, status: 'PENDING' }] }, [], 'enabled', 'enabled with fsbp'],
    ['not subscribed', { hubEnabled: false, standards: [] }, [], 'disabled', 'Security Hub is not enabled'],
    ['no standard', { hubEnabled: true, standards: [] }, [], 'disabled', 'standards not enabled: AWS Foundational Security Best Practices (fsbp)'],
    ['FSBP failed', { hubEnabled: true, standards: [{ arn: FSBP, status: 'FAILED' }] }, [], 'disabled', 'standards not enabled: AWS Foundational Security Best Practices (fsbp)'],
    [
      'CIS (any version) and PCI required, PCI missing',
      { hubEnabled: true, standards: [{ arn: FSBP, status: 'READY' }, { arn: STANDARDS.cis12(), status: 'READY' }] },
      ['cis', 'pci'] as const,
      'disabled',
      'standards not enabled: PCI DSS (pci)',
    ],
  ])('%s', (_name, state, standards, status, detail) => {
    expect(judgeSecurityHub(state, makeConfig({ securityHubStandards: [...standards] }))).toEqual({ status, detail });
  });

  it('picks the newest version of a family', () => {
    const arns = [STANDARDS.fsbp(HOME), STANDARDS.cis12(), STANDARDS.cis3(HOME), STANDARDS.pci321(HOME), STANDARDS.pci4(HOME)];
    expect([newestStandard(arns, 'cis'), newestStandard(arns, 'pci'), newestStandard(arns, 'fsbp')]).toEqual([STANDARDS.cis3(HOME), STANDARDS.pci4(HOME), FSBP]);
  });
});

describe('region.securityhub_off: collect and enablement', () => {
  const config = makeConfig({ enableSecurityHub: true, securityHubStandards: ['fsbp', 'cis'] });
  const apply = (fake: FakePosture) => securityHubControl.enablement?.apply(fake.resourceContext(ACCOUNT, HOME, config), fake.checkContext(ACCOUNT, HOME, config));

  it('reads "not subscribed" as off, not as an error', async () => {
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.regions[HOME] = compliantRegion(HOME, { securityHub: { enabled: false, standards: [] } });
    const fake = new FakePosture({ [ACCOUNT]: account });
    expect(await readControl(securityHubControl, fake.resourceContext(ACCOUNT, HOME, makeConfig()))).toEqual({ outcome: 'read', value: { hubEnabled: false, standards: [] } });
  });

  it('enables the hub without default standards, then the newest of each missing standard; a second run changes nothing', async () => {
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.regions[HOME] = compliantRegion(HOME, { securityHub: { enabled: false, standards: [] } });
    const fake = new FakePosture({ [ACCOUNT]: account });
    expect([await apply(fake), await apply(fake)]).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => [c.operation, c.input])).toEqual([
      ['EnableSecurityHub', { EnableDefaultStandards: false }],
      ['BatchEnableStandards', { StandardsSubscriptionRequests: [{ StandardsArn: FSBP }, { StandardsArn: STANDARDS.cis3(HOME) }] }],
    ]);
  });

  it('adds only the missing standard to an enabled hub', async () => {
    const fake = new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER]) });
    await apply(fake);
    expect(fake.mutatingCalls().map((c) => [c.operation, c.input])).toEqual([['BatchEnableStandards', { StandardsSubscriptionRequests: [{ StandardsArn: STANDARDS.cis3(HOME) }] }]]);
  });
});
