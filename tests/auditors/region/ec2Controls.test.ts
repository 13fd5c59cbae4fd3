/** The two EC2-read controls: EBS encryption by default and VPC flow logs. */
import { describe, expect, it } from 'vitest';
import { ebsEncryptionControl, judgeEbsEncryption } from '../../../auditors/region/ebsEncryption.ts';
import { readControl } from '../../../auditors/region/readControl.ts';
import { flowLogDestination, judgeVpcFlowLogs, vpcFlowLogsControl } from '../../../auditors/region/vpcFlowLogs.ts';
import { ACCOUNT, awsError, makeConfig } from '../../helpers/context.ts';
import { FakePosture, compliantAccount, compliantRegion } from '../../helpers/fakePosture.ts';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';

describe('region.ebs_default_encryption_off', () => {
  it.each([
    [true, 'enabled', 'EBS encryption by default is on'],
    [false, 'disabled', 'EBS encryption by default is off: new volumes and snapshot copies may be unencrypted'],
  ])('encryption by default %s', (encryptionByDefault, status, detail) => {
    expect(judgeEbsEncryption({ encryptionByDefault })).toEqual({ status, detail });
  });

  it('UnauthorizedOperation: unknown, naming the one action it reads', async () => {
    const fake = new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER]) }).fail(
      'EC2 GetEbsEncryptionByDefault',
      awsError('UnauthorizedOperation', 403, 'You are not authorized to perform this operation.'),
    );
    expect(await readControl(ebsEncryptionControl, fake.resourceContext(ACCOUNT, HOME, makeConfig()))).toEqual({
      outcome: 'unknown',
      detail: 'UnauthorizedOperation on one of ec2:GetEbsEncryptionByDefault (add them to the member role)',
    });
  });

  it('enablement turns it on once; a second run changes nothing', async () => {
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.regions[OTHER] = compliantRegion(OTHER, { ebsEncryptionByDefault: false });
    const fake = new FakePosture({ [ACCOUNT]: account });
    const config = makeConfig({ enableEbsEncryption: true });
    const apply = () => ebsEncryptionControl.enablement?.apply(fake.resourceContext(ACCOUNT, OTHER, config), fake.checkContext(ACCOUNT, OTHER, config));
    expect([await apply(), await apply()]).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => `${c.region} ${c.operation}`)).toEqual(['eu-west-1 EnableEbsEncryptionByDefault']);
    expect(ebsEncryptionControl.enablement?.enabled(makeConfig())).toBe(false);
  });
});

describe('region.vpc_flow_logs_missing', () => {
  const vpcs = ['vpc-0aa', 'vpc-0bb', 'vpc-0cc'];
  it.each([
    ['every VPC logged', { vpcIds: vpcs, flowLogs: vpcs.map((resourceId) => ({ resourceId, status: 'ACTIVE' })) }, 'enabled', 'all 3 VPC(s) have an active flow log'],
    ['no VPC', { vpcIds: [], flowLogs: [] }, 'not_applicable', 'no VPCs in the region'],
    [
      'one without, one with a flow log that is not active',
      { vpcIds: vpcs, flowLogs: [{ resourceId: 'vpc-0aa', status: 'ACTIVE' }, { resourceId: 'vpc-0bb', status: 'INACTIVE' }] },
      'disabled',
      '2 of 3 VPC(s) have no active flow log: vpc-0bb, vpc-0cc',
    ],
    [
      'many without',
      { vpcIds: Array.from({ length: 12 }, (_, i) => `vpc-${i}`), flowLogs: [] },
      'disabled',
      '12 of 12 VPC(s) have no active flow log: vpc-0, vpc-1, vpc-2, vpc-3, vpc-4, vpc-5, vpc-6, vpc-7, vpc-8, vpc-9 and 2 more',
    ],
  ])('%s', (_name, state, status, detail) => {
    expect(judgeVpcFlowLogs(state)).toEqual({ status, detail });
  });

  it.each([
    ['an S3 bucket', { flowLogsDestination: 'arn:aws:s3:::acme-flow-logs' }, { LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::acme-flow-logs' }],
    [
      'a log group with its role',
      { flowLogsDestination: 'arn:aws:logs:us-east-1:111111111111:log-group:vpc-flow', flowLogsRoleArn: 'arn:aws:iam::111111111111:role/FlowLogs' },
      { LogDestinationType: 'cloud-watch-logs', LogDestination: 'arn:aws:logs:us-east-1:111111111111:log-group:vpc-flow', DeliverLogsPermissionArn: 'arn:aws:iam::111111111111:role/FlowLogs' },
    ],
  ])('destination: %s', (_name, settings, expected) => {
    expect(flowLogDestination(makeConfig(settings))).toEqual(expected);
  });

  it.each([
    ['none', {}, 'flowLogsDestination (FLOW_LOGS_DESTINATION): required by enableVpcFlowLogs'],
    ['a log group without a role', { flowLogsDestination: 'arn:aws:logs:us-east-1:111111111111:log-group:vpc-flow' }, 'flowLogsRoleArn (FLOW_LOGS_ROLE_ARN): required to deliver flow logs to CloudWatch Logs'],
    ['a queue', { flowLogsDestination: 'arn:aws:sqs:us-east-1:111111111111:q' }, 'must be an S3 bucket or CloudWatch Logs log group ARN'],
  ])('destination: %s is refused', (_name, settings, message) => {
    expect(() => flowLogDestination(makeConfig(settings))).toThrow(message);
  });

  it('enablement creates flow logs for exactly the VPCs without one; a second run changes nothing', async () => {
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.regions[HOME] = compliantRegion(HOME, { vpcs, flowLogs: [{ ResourceId: 'vpc-0aa', FlowLogStatus: 'ACTIVE' }] });
    const fake = new FakePosture({ [ACCOUNT]: account });
    const config = makeConfig({ enableVpcFlowLogs: true, flowLogsDestination: 'arn:aws:s3:::acme-flow-logs' });
    const apply = () => vpcFlowLogsControl.enablement?.apply(fake.resourceContext(ACCOUNT, HOME, config), fake.checkContext(ACCOUNT, HOME, config));
    expect([await apply(), await apply()]).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => [c.operation, c.input])).toEqual([
      ['CreateFlowLogs', { ResourceIds: ['vpc-0bb', 'vpc-0cc'], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::acme-flow-logs' }],
    ]);
  });
});
