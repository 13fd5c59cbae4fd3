import { describe, expect, it } from 'vitest';
import { awsConfigControl, judgeAwsConfig } from '../../../auditors/region/awsConfig.ts';
import { readControl } from '../../../auditors/region/readControl.ts';
import { ACCOUNT, awsError, makeConfig } from '../../helpers/context.ts';
import { FakePosture, compliantAccount, compliantRegion } from '../../helpers/fakePosture.ts';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';

describe('region.config_not_recording: judge', () => {
  it.each([
    ['recording with a channel', { recorders: [{ name: 'default', recording: true }], deliveryChannels: ['default'] }, 'enabled', 'recorder default is recording to delivery channel default'],
    ['no recorder', { recorders: [], deliveryChannels: ['default'] }, 'disabled', 'no configuration recorder'],
    ['stopped', { recorders: [{ name: 'default', recording: false }], deliveryChannels: ['default'] }, 'disabled', 'recorder default is not recording'],
    ['failing', { recorders: [{ name: 'default', recording: false, lastStatus: 'Failure' }], deliveryChannels: ['default'] }, 'disabled', 'recorder default is not recording (last status Failure)'],
    ['no delivery channel', { recorders: [{ name: 'default', recording: true }], deliveryChannels: [] }, 'disabled', 'no delivery channel'],
    ['nothing at all', { recorders: [], deliveryChannels: [] }, 'disabled', 'no configuration recorder; no delivery channel'],
  ])('%s', (_name, state, status, detail) => {
    expect(judgeAwsConfig(state)).toEqual({ status, detail });
  });
});

describe('region.config_not_recording: collect', () => {
  it('joins recorders with their status', async () => {
    const fake = new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER]) });
    expect(await readControl(awsConfigControl, fake.resourceContext(ACCOUNT, HOME, makeConfig()))).toEqual({
      outcome: 'read',
      value: { recorders: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }], deliveryChannels: ['default'] },
    });
  });

  it('AccessDenied on one call: unknown, naming it', async () => {
    const fake = new FakePosture({ [ACCOUNT]: compliantAccount(ACCOUNT, [HOME, OTHER]) }).fail(
      'Config Service DescribeConfigurationRecorders',
      awsError('AccessDeniedException', 400, 'User: arn:aws:sts::111111111111:assumed-role/ComplianceAuditorMemberRole/r is not authorized to perform: config:DescribeConfigurationRecorders'),
    );
    expect(await readControl(awsConfigControl, fake.resourceContext(ACCOUNT, HOME, makeConfig()))).toEqual({
      outcome: 'unknown',
      detail: 'AccessDeniedException on config:DescribeConfigurationRecorders (add it to the member role)',
    });
  });
});

describe('region.config_not_recording: enablement', () => {
  const config = makeConfig({ enableConfig: true, configDeliveryBucket: 'acme-config-history' });
  const apply = (fake: FakePosture, region: string, withConfig = config) =>
    awsConfigControl.enablement?.apply(fake.resourceContext(ACCOUNT, region, withConfig), fake.checkContext(ACCOUNT, region, withConfig));

  it('creates the service-linked role, a recorder (global types outside the home region off), a channel, and starts it; a second run changes nothing', async () => {
    // Prepare
    const account = compliantAccount(ACCOUNT, [HOME, OTHER], { serviceLinkedRoles: [] });
    account.regions[OTHER] = compliantRegion(OTHER, { config: { recorders: [], channels: [] } });
    const fake = new FakePosture({ [ACCOUNT]: account });
    // Act
    const first = await apply(fake, OTHER);
    const second = await apply(fake, OTHER);
    // Assess
    expect([first, second]).toEqual(['applied', 'already_compliant']);
    expect(fake.mutatingCalls().map((c) => [c.operation, c.input])).toEqual([
      ['CreateServiceLinkedRole', { AWSServiceName: 'config.amazonaws.com' }],
      [
        'PutConfigurationRecorder',
        {
          ConfigurationRecorder: {
            name: 'default',
            roleARN: 'arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
          },
        },
      ],
      ['PutDeliveryChannel', { DeliveryChannel: { name: 'default', s3BucketName: 'acme-config-history' } }],
      ['StartConfigurationRecorder', { ConfigurationRecorderName: 'default' }],
    ]);
  });

  it('records global types in the home region, with the configured role', async () => {
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.regions[HOME] = compliantRegion(HOME, { config: { recorders: [], channels: [{ name: 'default' }] } });
    const fake = new FakePosture({ [ACCOUNT]: account });
    await apply(fake, HOME, makeConfig({ enableConfig: true, configRecorderRoleArn: 'arn:aws:iam::111111111111:role/ConfigRecorder' }));
    expect(fake.mutatingCalls().map((c) => c.operation)).toEqual(['PutConfigurationRecorder', 'StartConfigurationRecorder']);
    expect(fake.mutatingCalls()[0]?.input).toEqual({
      ConfigurationRecorder: { name: 'default', roleARN: 'arn:aws:iam::111111111111:role/ConfigRecorder', recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
    });
  });

  it('only starts a stopped recorder', async () => {
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.regions[HOME] = compliantRegion(HOME, { config: { recorders: [{ name: 'main', recording: false }], channels: [{ name: 'main' }] } });
    const fake = new FakePosture({ [ACCOUNT]: account });
    expect(await apply(fake, HOME)).toBe('applied');
    expect(fake.mutatingCalls().map((c) => [c.operation, c.input])).toEqual([['StartConfigurationRecorder', { ConfigurationRecorderName: 'main' }]]);
  });

  it('refuses to start without a delivery channel and no configDeliveryBucket, before any change', async () => {
    const account = compliantAccount(ACCOUNT, [HOME, OTHER]);
    account.regions[HOME] = compliantRegion(HOME, { config: { recorders: [], channels: [] } });
    const fake = new FakePosture({ [ACCOUNT]: account });
    await expect(apply(fake, HOME, makeConfig({ enableConfig: true }))).rejects.toThrow('configDeliveryBucket (CONFIG_DELIVERY_BUCKET): required by enableConfig to create a delivery channel');
    expect(fake.mutatingCalls()).toEqual([]);
  });
});
