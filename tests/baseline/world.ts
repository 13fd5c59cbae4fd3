/**
 * A realistic two-account, two-region organization for the baseline report:
 * 111111111111 (production) is nearly there, 222222222222 (a team account)
 * has gaps, a permission missing and a single-region trail.
 */
import { awsError } from '../helpers/context.ts';
import { FakePosture, compliantAccount, compliantRegion, trailArn } from '../helpers/fakePosture.ts';

export const PROD = '111111111111';
export const TEAM = '222222222222';
export const ADMIN = '333333333333';
export const HOME = 'us-east-1';
export const OTHER = 'eu-west-1';
export const REGIONS = [HOME, OTHER];
export const GENERATED_AT = new Date('2026-11-20T12:00:00.000Z');

const member = { AccountId: ADMIN, RelationshipStatus: 'Enabled' };

export function organizationWorld(): FakePosture {
  const prod = compliantAccount(PROD, REGIONS);
  prod.regions[HOME] = compliantRegion(HOME, {
    guardDuty: { detectorId: 'b6c1a2d3e4f5a6b7c8d9e0f1a2b3c4d5', status: 'ENABLED', administrator: member, members: {} },
    inspector: { ec2: 'ENABLED', ecr: 'DISABLED', lambda: 'ENABLED' },
    auditManager: 'INACTIVE',
  });
  prod.regions[OTHER] = compliantRegion(OTHER, {
    guardDuty: { detectorId: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5', status: 'ENABLED', administrator: member, members: {} },
    vpcs: ['vpc-0prod0euw1a', 'vpc-0prod0euw1b'],
    flowLogs: [{ ResourceId: 'vpc-0prod0euw1a', FlowLogStatus: 'ACTIVE' }],
  });

  const team = compliantAccount(TEAM, REGIONS, {
    rootMfa: 0,
    passwordPolicy: undefined,
    publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    trails: [
      {
        Name: 'team-trail',
        TrailARN: trailArn(TEAM, HOME, 'team-trail'),
        HomeRegion: HOME,
        IsMultiRegionTrail: false,
        IsOrganizationTrail: false,
        LogFileValidationEnabled: false,
        S3BucketName: 'team-trail-logs',
        logging: true,
      },
    ],
  });
  team.regions[HOME] = compliantRegion(HOME, {
    guardDuty: { members: {} },
    ebsEncryptionByDefault: false,
    securityHub: { enabled: false, standards: [] },
    macie: 'NOT_ENABLED',
    inspector: { ec2: 'DISABLED', ecr: 'DISABLED', lambda: 'DISABLED' },
  });
  team.regions[OTHER] = compliantRegion(OTHER, {
    guardDuty: { detectorId: 'c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7', status: 'ENABLED', administrator: member, members: {} },
    vpcs: [],
    flowLogs: [],
  });

  return new FakePosture({ [PROD]: prod, [TEAM]: team })
    .fail(
      `${TEAM}/${HOME} Config Service DescribeConfigurationRecorders`,
      awsError('AccessDeniedException', 400, `User: arn:aws:sts::${TEAM}:assumed-role/ComplianceAuditorMemberRole/baseline is not authorized to perform: config:DescribeConfigurationRecorders`),
    )
    .fail(`${PROD}/${OTHER} AuditManager GetAccountStatus`, Object.assign(new Error('getaddrinfo ENOTFOUND auditmanager.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }));
}
