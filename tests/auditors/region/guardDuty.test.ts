import { describe, expect, it } from 'vitest';
import { guardDutyControl, judgeGuardDuty } from '../../../auditors/region/guardDuty.ts';
import { readControl } from '../../../auditors/region/readControl.ts';
import { ACCOUNT, OTHER_ACCOUNT, makeConfig } from '../../helpers/context.ts';
import { FakePosture, compliantAccount, compliantRegion } from '../../helpers/fakePosture.ts';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
const ADMIN = '333333333333';

describe('region.guardduty_not_enrolled: judge (the GuardDuty enrolment rules)', () => {
  const withAdmin = makeConfig({ guardDutyAdministratorAccount: ADMIN });
  const base = { account: ACCOUNT, region: HOME };
  it.each([
    ['an enabled member', withAdmin, { ...base, detectorId: 'd1', detectorStatus: 'ENABLED', administrator: { accountId: ADMIN, relationshipStatus: 'Enabled' } }, 'enabled', 'detector d1 enabled, member of 333333333333 (Enabled)'],
    ['no administrator configured: an enabled detector', makeConfig(), { ...base, detectorId: 'd1', detectorStatus: 'ENABLED' }, 'enabled', 'detector d1 enabled'],
    ['no detector', withAdmin, base, 'disabled', 'GuardDuty has no detector in 111111111111 us-east-1'],
    ['a disabled detector', withAdmin, { ...base, detectorId: 'd1', detectorStatus: 'DISABLED' }, 'disabled', 'GuardDuty detector d1 in 111111111111 us-east-1 is DISABLED, not ENABLED'],
    ['not associated', withAdmin, { ...base, detectorId: 'd1', detectorStatus: 'ENABLED' }, 'disabled', 'GuardDuty in 111111111111 us-east-1 is not associated with the administrator account 333333333333'],
  ])('%s', (_name, config, status, expected, detail) => {
    expect(judgeGuardDuty(status, ACCOUNT, config)).toEqual({ status: expected, detail });
  });
});

describe('region.guardduty_not_enrolled: collect and enablement', () => {
  function organization(): FakePosture {
    const member = compliantAccount(ACCOUNT, [HOME, OTHER]);
    member.regions[HOME] = compliantRegion(HOME, { guardDuty: { members: {} } });
    const admin = compliantAccount(ADMIN, [HOME, OTHER]);
    return new FakePosture({ [ACCOUNT]: member, [ADMIN]: admin, [OTHER_ACCOUNT]: compliantAccount(OTHER_ACCOUNT, [HOME, OTHER]) });
  }

  it('reads the detector and its administrator', async () => {
    const fake = organization();
    fake.region(ACCOUNT, OTHER).guardDuty.administrator = { AccountId: ADMIN, RelationshipStatus: 'Enabled' };
    expect(await readControl(guardDutyControl, fake.resourceContext(ACCOUNT, OTHER, makeConfig()))).toEqual({
      outcome: 'read',
      value: { account: ACCOUNT, region: OTHER, detectorId: 'd-eu-west-1', detectorStatus: 'ENABLED', administrator: { accountId: ADMIN, relationshipStatus: 'Enabled' } },
    });
  });

  it("enrols the account from the administrator account's clients; a second run changes nothing", async () => {
    // Prepare
    const fake = organization();
    const config = makeConfig({ accounts: [ACCOUNT, OTHER_ACCOUNT, ADMIN], guardDutyAdministratorAccount: ADMIN, enableGuardDuty: true });
    const apply = () => guardDutyControl.enablement?.apply(fake.resourceContext(ACCOUNT, HOME, config), fake.checkContext(ACCOUNT, HOME, config));
    // Act
    const results = [await apply(), await apply()];
    // Assess
    expect(results).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => [c.account, c.region, c.operation, c.input])).toEqual([[ADMIN, HOME, 'CreateMembers', { DetectorId: `d-${HOME}`, AccountDetails: [{ AccountId: ACCOUNT }] }]]);
  });

  it("without an administrator, enables the account's own detector", async () => {
    const fake = organization();
    fake.region(ACCOUNT, HOME).guardDuty = { detectorId: 'd-own', status: 'DISABLED', members: {} };
    const config = makeConfig({ enableGuardDuty: true });
    const apply = () => guardDutyControl.enablement?.apply(fake.resourceContext(ACCOUNT, HOME, config), fake.checkContext(ACCOUNT, HOME, config));
    expect([await apply(), await apply()]).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => [c.account, c.operation, c.input])).toEqual([[ACCOUNT, 'UpdateDetector', { DetectorId: 'd-own', Enable: true }]]);
  });

  it('is behind enableGuardDuty', () => {
    expect(guardDutyControl.enablement?.enabled(makeConfig())).toBe(false);
  });
});
