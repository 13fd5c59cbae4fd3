import { describe, expect, it } from 'vitest';
import { BASELINE_TRAIL_NAME, cloudTrailControl, judgeCloudTrail, type TrailState } from '../../../auditors/region/cloudTrail.ts';
import { readControl } from '../../../auditors/region/readControl.ts';
import { ACCOUNT, awsError, makeConfig } from '../../helpers/context.ts';
import { FakePosture, compliantAccount, trailArn, type FakeTrail } from '../../helpers/fakePosture.ts';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';

function trail(overrides: Partial<TrailState> = {}): TrailState {
  return {
    name: 'org-audit',
    arn: trailArn(ACCOUNT, HOME, 'org-audit'),
    homeRegion: HOME,
    multiRegion: true,
    organization: false,
    logFileValidation: true,
    logging: true,
    ...overrides,
  };
}

describe('region.cloudtrail_not_logging: judge', () => {
  it.each([
    ['a logging multi-region trail with validation', [trail()], 'enabled', 'multi-region trail org-audit (home us-east-1) is logging with log file validation'],
    ['an organization trail', [trail({ name: 'o-trail', multiRegion: false, organization: true })], 'enabled', 'organization trail o-trail (home us-east-1) is logging with log file validation'],
    ['no trail', [], 'disabled', 'no trail covers eu-west-1'],
    ['only a single-region trail', [trail({ name: 'local', multiRegion: false, homeRegion: OTHER })], 'disabled', 'only single-region trails (local); no multi-region or organization trail'],
    ['a stopped trail', [trail({ logging: false })], 'disabled', 'multi-region trail org-audit is not logging'],
    ['validation off', [trail({ logFileValidation: false })], 'disabled', 'multi-region trail org-audit has log file validation off'],
    ['stopped and unvalidated', [trail({ logging: false, logFileValidation: false })], 'disabled', 'multi-region trail org-audit is not logging and has log file validation off'],
    [
      'an organization trail whose status cannot be read',
      [trail({ organization: true, logging: undefined, statusError: 'AccessDeniedException on cloudtrail:GetTrailStatus (add it to the member role)' })],
      'unknown',
      'organization trail org-audit has an unknown logging status (AccessDeniedException on cloudtrail:GetTrailStatus (add it to the member role))',
    ],
  ])('%s', (_name, trails, status, detail) => {
    expect(judgeCloudTrail({ trails }, OTHER)).toEqual({ status, detail });
  });
});

describe('region.cloudtrail_not_logging: collect', () => {
  it("sees a multi-region trail's shadow and an organization trail in another region", async () => {
    // Prepare
    const orgTrail: FakeTrail = {
      Name: 'o-123-trail',
      TrailARN: trailArn('999999999999', HOME, 'o-123-trail'),
      HomeRegion: HOME,
      IsMultiRegionTrail: true,
      IsOrganizationTrail: true,
      LogFileValidationEnabled: true,
      logging: true,
    };
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.trails.push(orgTrail);
    const fake = new FakePosture({ [ACCOUNT]: account });
    // Act
    const reading = await readControl(cloudTrailControl, fake.resourceContext(ACCOUNT, OTHER, makeConfig()));
    // Assess
    expect(reading).toEqual({
      outcome: 'read',
      value: {
        trails: [
          expect.objectContaining({ name: 'org-audit', homeRegion: HOME, multiRegion: true, logging: true }),
          expect.objectContaining({ name: 'o-123-trail', organization: true, logging: true }),
        ],
      },
    });
  });

  it('records a refused GetTrailStatus per trail, naming the action', async () => {
    const fake = new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER]) }).fail(
      'CloudTrail GetTrailStatus',
      awsError('AccessDeniedException', 403, 'User: arn:aws:sts::111111111111:assumed-role/ComplianceAuditorMemberRole/x is not authorized to perform: cloudtrail:GetTrailStatus'),
    );
    const reading = await readControl(cloudTrailControl, fake.resourceContext(ACCOUNT, HOME, makeConfig()));
    const trails = reading.outcome === 'read' ? reading.value.trails : [];
    expect(trails.map((t) => [t.name, t.logging, t.statusError])).toEqual([['org-audit', undefined, 'AccessDeniedException on cloudtrail:GetTrailStatus (add it to the member role)']]);
  });
});

describe('region.cloudtrail_not_logging: enablement', () => {
  const config = makeConfig({ enableCloudTrail: true, cloudTrailBucket: 'acme-cloudtrail-logs' });
  const apply = (fake: FakePosture, region: string, withConfig = config) =>
    cloudTrailControl.enablement?.apply(fake.resourceContext(ACCOUNT, region, withConfig), fake.checkContext(ACCOUNT, region, withConfig));

  it('is behind enableCloudTrail', () => {
    expect(cloudTrailControl.enablement?.enabled(makeConfig())).toBe(false);
    expect(cloudTrailControl.enablement?.enabled(config)).toBe(true);
  });

  it("starts the account's stopped trail in its home region and turns validation on; a second run changes nothing", async () => {
    // Prepare
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.trails[0] = { ...(account.trails[0] as FakeTrail), logging: false, LogFileValidationEnabled: false };
    const fake = new FakePosture({ [ACCOUNT]: account });
    // Act
    const first = await apply(fake, OTHER);
    const mutations = fake.mutatingCalls();
    const second = await apply(fake, OTHER);
    // Assess
    expect(first).toBe('applied');
    expect(mutations.map((c) => [c.region, c.operation, c.input])).toEqual([
      [HOME, 'UpdateTrail', { Name: trailArn(ACCOUNT, HOME, 'org-audit'), EnableLogFileValidation: true }],
      [HOME, 'StartLogging', { Name: trailArn(ACCOUNT, HOME, 'org-audit') }],
    ]);
    expect(second).toBe('already_compliant');
    expect(fake.mutatingCalls()).toHaveLength(2);
  });

  it('creates a multi-region trail with validation in the home region when none covers the region; a second run changes nothing', async () => {
    const fake = new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER], { trails: [] }) });
    expect(await apply(fake, OTHER)).toBe('applied');
    expect(fake.mutatingCalls().map((c) => [c.region, c.operation, c.input])).toEqual([
      [HOME, 'CreateTrail', { Name: BASELINE_TRAIL_NAME, S3BucketName: 'acme-cloudtrail-logs', IsMultiRegionTrail: true, EnableLogFileValidation: true, IncludeGlobalServiceEvents: true }],
      [HOME, 'StartLogging', { Name: BASELINE_TRAIL_NAME }],
    ]);
    expect(await apply(fake, HOME)).toBe('already_compliant');
    expect(await apply(fake, OTHER)).toBe('already_compliant');
    expect(fake.mutatingCalls()).toHaveLength(2);
  });

  it('refuses to create a trail without cloudTrailBucket, before any change', async () => {
    const fake = new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER], { trails: [] }) });
    await expect(apply(fake, HOME, makeConfig({ enableCloudTrail: true }))).rejects.toThrow('cloudTrailBucket (CLOUDTRAIL_BUCKET): required by enableCloudTrail to create a multi-region trail');
    expect(fake.mutatingCalls()).toEqual([]);
  });

  it('leaves a stopped organization trail to the management account', async () => {
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.trails = [{ ...(account.trails[0] as FakeTrail), Name: 'o-trail', TrailARN: trailArn('999999999999', HOME, 'o-trail'), IsOrganizationTrail: true, logging: false }];
    const fake = new FakePosture({ [ACCOUNT]: account });
    await expect(apply(fake, HOME)).rejects.toThrow('organization trail o-trail is managed from the management account: fix it there');
    expect(fake.mutatingCalls()).toEqual([]);
  });
});
