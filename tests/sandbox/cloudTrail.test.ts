import { CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, DescribeTrailsCommand, GetTrailCommand, ListTagsCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/team-trail`;
const KEY_ID = '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
const LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:team-trail:*`;
const LOG_ROLE = `arn:aws:iam::${ACCOUNT}:role/CloudTrailToCloudWatchLogs`;
const NOT_FOUND = { name: 'TrailNotFoundException', status: 404, message: /Unknown trail: team-trail for the user: 111111111111/ };

let org: SandboxOrganization;
let cloudTrail: CloudTrailClient;

beforeEach(() => {
  org = sandboxOrganization();
  cloudTrail = org.clients().get(CloudTrailClient);
});

describe('CloudTrail trails (the cloudtrail_trail type)', () => {
  it('GetTrail answers a new trail with its home region and no KMS key or log group; ListTags its tags', async () => {
    await cloudTrail.send(new CreateTrailCommand({ Name: 'team-trail', S3BucketName: 'team-logs', TagsList: [{ Key: 'team', Value: 'security' }] }));

    expect((await cloudTrail.send(new GetTrailCommand({ Name: 'team-trail' }))).Trail).toEqual({
      Name: 'team-trail',
      S3BucketName: 'team-logs',
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: false,
      TrailARN: ARN,
      LogFileValidationEnabled: false,
      IsOrganizationTrail: false,
      HomeRegion: REGION,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
    });
    expect((await cloudTrail.send(new ListTagsCommand({ ResourceIdList: [ARN] }))).ResourceTagList).toEqual([{ ResourceId: ARN, TagsList: [{ Key: 'team', Value: 'security' }] }]);
  });

  it('keeps the KMS key as its ARN (from a key id or an ARN) and the CloudWatch Logs log group and role, from CreateTrail and UpdateTrail', async () => {
    const created = await cloudTrail.send(new CreateTrailCommand({ Name: 'team-trail', S3BucketName: 'team-logs', KmsKeyId: KEY_ID }));
    expect(created.KmsKeyId).toBe(`arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`);

    const updated = await cloudTrail.send(new UpdateTrailCommand({ Name: ARN, CloudWatchLogsLogGroupArn: LOG_GROUP, CloudWatchLogsRoleArn: LOG_ROLE }));
    expect(updated).toMatchObject({ KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`, CloudWatchLogsLogGroupArn: LOG_GROUP, CloudWatchLogsRoleArn: LOG_ROLE });
    expect((await cloudTrail.send(new GetTrailCommand({ Name: ARN }))).Trail).toMatchObject({ KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`, CloudWatchLogsLogGroupArn: LOG_GROUP });
  });

  it('a multi-region trail is a shadow elsewhere: DescribeTrails without shadows leaves it out, GetTrail finds it there by ARN only', async () => {
    await cloudTrail.send(new CreateTrailCommand({ Name: 'team-trail', S3BucketName: 'team-logs', IsMultiRegionTrail: true }));
    const elsewhere = org.clients(ACCOUNT, OTHER_REGION).get(CloudTrailClient);

    expect((await elsewhere.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList).toEqual([]);
    expect((await elsewhere.send(new DescribeTrailsCommand({}))).trailList?.map((t) => [t.Name, t.HomeRegion])).toEqual([['team-trail', REGION]]);
    expect((await elsewhere.send(new GetTrailCommand({ Name: ARN }))).Trail?.HomeRegion).toBe(REGION);
    await expectAwsError(elsewhere.send(new GetTrailCommand({ Name: 'team-trail' })), NOT_FOUND);
  });

  it('DeleteTrail removes the trail in its home region only; then GetTrail answers TrailNotFoundException', async () => {
    await cloudTrail.send(new CreateTrailCommand({ Name: 'team-trail', S3BucketName: 'team-logs', IsMultiRegionTrail: true }));
    await expectAwsError(org.clients(ACCOUNT, OTHER_REGION).get(CloudTrailClient).send(new DeleteTrailCommand({ Name: ARN })), { name: 'InvalidHomeRegionException', status: 400 });

    await cloudTrail.send(new DeleteTrailCommand({ Name: 'team-trail' }));

    await expectAwsError(cloudTrail.send(new GetTrailCommand({ Name: 'team-trail' })), NOT_FOUND);
    await expectAwsError(cloudTrail.send(new DeleteTrailCommand({ Name: 'team-trail' })), NOT_FOUND);
    await expectAwsError(cloudTrail.send(new ListTagsCommand({ ResourceIdList: [ARN] })), { name: 'ResourceNotFoundException', status: 400 });
  });
});
