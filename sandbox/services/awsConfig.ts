/**
 * The sandbox's AWS Config (serviceId 'Config Service'), per (account,
 * region): at most one configuration recorder and one delivery channel, as
 * AWS allows, and whether the recorder is recording. A new account has
 * neither (Config off). Errors are Config's own (all 400): a channel needs a
 * recorder, recording needs a channel.
 *
 * Not modelled: the recorder role's trust and the delivery bucket's policy
 * are not checked (any role ARN and bucket name are accepted).
 */
import type {
  ConfigurationRecorder,
  DeliveryChannel,
  DescribeConfigurationRecorderStatusCommandInput,
  DescribeConfigurationRecorderStatusCommandOutput,
  DescribeConfigurationRecordersCommandInput,
  DescribeConfigurationRecordersCommandOutput,
  DescribeDeliveryChannelsCommandInput,
  DescribeDeliveryChannelsCommandOutput,
  PutConfigurationRecorderCommandInput,
  PutDeliveryChannelCommandInput,
  RecordingGroup,
  StartConfigurationRecorderCommandInput,
} from '@aws-sdk/client-config-service';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

/** A started recorder reports Pending until its first delivery, a minute later, then Success. */
const FIRST_DELIVERY_MS = 60_000;

interface RecorderRecord {
  name: string;
  arnSuffix: string;
  roleARN: string;
  recordingGroup: RecordingGroup;
  recording: boolean;
  lastStartTime?: string;
  lastStopTime?: string;
}

interface ConfigState {
  recorder?: RecorderRecord;
  channel?: DeliveryChannel;
}

function configState(context: OperationContext): ConfigState {
  return context.regional<ConfigState>('config', () => ({}));
}

function configError(code: string, message: string): Error {
  return serviceError(code, 400, message);
}

function recorderArn(context: OperationContext, recorder: RecorderRecord): string {
  return `arn:aws:config:${context.region}:${context.account}:configuration-recorder/${recorder.name}/${recorder.arnSuffix}`;
}

/** Names asked for must all exist, as Config answers. */
function named<T>(record: T | undefined, name: string | undefined, names: readonly string[] | undefined, missing: (name: string) => Error): T[] {
  const wanted = names ?? [];
  for (const n of wanted) if (n !== name) throw missing(n);
  return record ? [record] : [];
}

function noSuchRecorder(name: string): Error {
  return configError('NoSuchConfigurationRecorderException', `Cannot find configuration recorder with the specified name '${name}'.`);
}

export const configService: SandboxService = {
  serviceId: 'Config Service',
  operations: {
    DescribeConfigurationRecorders: operation((context, input: DescribeConfigurationRecordersCommandInput): Output<DescribeConfigurationRecordersCommandOutput> => {
      const { recorder } = configState(context);
      const recorders = named(recorder, recorder?.name, input.ConfigurationRecorderNames, noSuchRecorder);
      return {
        ConfigurationRecorders: recorders.map(
          (r): ConfigurationRecorder => ({ arn: recorderArn(context, r), name: r.name, roleARN: r.roleARN, recordingGroup: r.recordingGroup, recordingScope: 'PAID' }),
        ),
      };
    }),

    DescribeConfigurationRecorderStatus: operation((context, input: DescribeConfigurationRecorderStatusCommandInput): Output<DescribeConfigurationRecorderStatusCommandOutput> => {
      const { recorder } = configState(context);
      const recorders = named(recorder, recorder?.name, input.ConfigurationRecorderNames, noSuchRecorder);
      const now = context.now().getTime();
      return {
        ConfigurationRecordersStatus: recorders.map((r) => {
          const started = r.lastStartTime ? new Date(r.lastStartTime) : undefined;
          const delivered = started !== undefined && now - started.getTime() >= FIRST_DELIVERY_MS;
          return {
            arn: recorderArn(context, r),
            name: r.name,
            recording: r.recording,
            ...(started ? { lastStartTime: started, lastStatus: delivered ? 'Success' : 'Pending', lastStatusChangeTime: delivered ? new Date(started.getTime() + FIRST_DELIVERY_MS) : started } : {}),
            ...(r.lastStopTime ? { lastStopTime: new Date(r.lastStopTime) } : {}),
          };
        }),
      };
    }),

    DescribeDeliveryChannels: operation((context, input: DescribeDeliveryChannelsCommandInput): Output<DescribeDeliveryChannelsCommandOutput> => {
      const { channel } = configState(context);
      const missing = (name: string) => configError('NoSuchDeliveryChannelException', `Cannot find delivery channel with specified name '${name}'.`);
      return { DeliveryChannels: named(channel, channel?.name, input.DeliveryChannelNames, missing) };
    }),

    /** Creates the region's recorder, or updates it; a second recorder under another name is refused. */
    PutConfigurationRecorder: operation((context, input: PutConfigurationRecorderCommandInput) => {
      const given = input.ConfigurationRecorder;
      const name = given?.name ?? 'default';
      if (!/^[\w.-]{1,256}$/.test(name)) throw configError('InvalidConfigurationRecorderNameException', `The configuration recorder name '${name}' is not valid.`);
      if (!given?.roleARN || !/^arn:aws[a-z-]*:iam::\d{12}:role\//.test(given.roleARN)) throw configError('InvalidRoleException', 'The role ARN is not valid.');
      const group = given.recordingGroup ?? { allSupported: true, includeGlobalResourceTypes: false };
      if (group.includeGlobalResourceTypes && !group.allSupported) {
        throw configError('InvalidRecordingGroupException', 'includeGlobalResourceTypes can be true only when allSupported is true.');
      }
      const state = configState(context);
      if (state.recorder && state.recorder.name !== name) {
        throw configError('MaxNumberOfConfigurationRecordersExceededException', 'Failed to put configuration recorder because you have reached the limit for the maximum number of customer managed configuration records: (1)');
      }
      state.recorder = { recording: false, arnSuffix: context.nextId().slice(-6), ...state.recorder, name, roleARN: given.roleARN, recordingGroup: group };
      return {};
    }),

    PutDeliveryChannel: operation((context, input: PutDeliveryChannelCommandInput) => {
      const state = configState(context);
      if (!state.recorder) throw configError('NoAvailableConfigurationRecorderException', 'Configuration recorder is not available to put delivery channel.');
      const given = input.DeliveryChannel;
      const name = given?.name ?? 'default';
      if (!given?.s3BucketName) throw configError('NoSuchBucketException', 'Cannot find a S3 bucket with an empty bucket name.');
      if (state.channel && state.channel.name !== name) {
        throw configError('MaxNumberOfDeliveryChannelsExceededException', 'Failed to put delivery channel because the maximum number of delivery channels: 1 is reached.');
      }
      state.channel = { ...given, name };
      return {};
    }),

    StartConfigurationRecorder: operation((context, input: StartConfigurationRecorderCommandInput) => {
      const state = configState(context);
      const name = input.ConfigurationRecorderName ?? '';
      if (!state.recorder || state.recorder.name !== name) throw noSuchRecorder(name);
      if (!state.channel) throw configError('NoAvailableDeliveryChannelException', 'Delivery channel is not available to start configuration recorder.');
      if (!state.recorder.recording) state.recorder = { ...state.recorder, recording: true, lastStartTime: context.now().toISOString() };
      return {};
    }),
  },
};
