/**
 * region.config_not_recording: an AWS Config recorder exists and is
 * recording, and a delivery channel exists.
 *
 * APIs: DescribeConfigurationRecorders, DescribeConfigurationRecorderStatus,
 * DescribeDeliveryChannels; enablement: PutConfigurationRecorder (all
 * supported types; global types in the home region only), PutDeliveryChannel,
 * StartConfigurationRecorder (and the service-linked role when missing).
 */
import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { CreateServiceLinkedRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { hasErrorName } from '../../services/core/errors.ts';
import { partitionOf } from '../../services/core/regions.ts';
import type { ResourceContext } from '../contract.ts';
import { requiredSetting } from './clientsIn.ts';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

/** Names of a recorder and a delivery channel the enablement creates (AWS's own default). */
export const DEFAULT_RECORDER_NAME = 'default';
export const CONFIG_SERVICE_LINKED_ROLE = 'AWSServiceRoleForConfig';

export interface RecorderState {
  name: string;
  recording: boolean;
  /** SUCCESS, FAILURE, PENDING; undefined: never ran. */
  lastStatus?: string;
}

export interface AwsConfigState {
  recorders: RecorderState[];
  deliveryChannels: string[];
}

// ---------- pure ----------

export function configProblems(state: AwsConfigState): string[] {
  const problems: string[] = [];
  if (state.recorders.length === 0) problems.push('no configuration recorder');
  else if (!state.recorders.some((r) => r.recording)) {
    problems.push(...state.recorders.map((r) => `recorder ${r.name} is not recording${r.lastStatus?.toUpperCase() === 'FAILURE' ? ' (last status Failure)' : ''}`));
  }
  if (state.deliveryChannels.length === 0) problems.push('no delivery channel');
  return problems;
}

export function judgeAwsConfig(state: AwsConfigState): Verdict {
  const problems = configProblems(state);
  if (problems.length > 0) return { status: 'disabled', detail: problems.join('; ') };
  const recorder = state.recorders.find((r) => r.recording);
  return { status: 'enabled', detail: `recorder ${recorder?.name ?? '?'} is recording to delivery channel ${state.deliveryChannels.join(', ')}` };
}

// ---------- reads ----------

async function readConfig(client: ConfigServiceClient): Promise<AwsConfigState> {
  const { ConfigurationRecorders } = await client.send(new DescribeConfigurationRecordersCommand({}));
  const { ConfigurationRecordersStatus } = await client.send(new DescribeConfigurationRecorderStatusCommand({}));
  const { DeliveryChannels } = await client.send(new DescribeDeliveryChannelsCommand({}));
  const statuses = new Map((ConfigurationRecordersStatus ?? []).map((s) => [s.name, s]));
  return {
    recorders: (ConfigurationRecorders ?? []).flatMap((recorder) => {
      if (!recorder.name) return [];
      const status = statuses.get(recorder.name);
      return [{ name: recorder.name, recording: status?.recording === true, ...(status?.lastStatus ? { lastStatus: status.lastStatus } : {}) }];
    }),
    deliveryChannels: (DeliveryChannels ?? []).flatMap((channel) => (channel.name ? [channel.name] : [])),
  };
}

/** The recorder's role: the configured one, or AWS Config's service-linked role (created when missing). */
async function recorderRole(context: ResourceContext): Promise<string> {
  if (context.config.configRecorderRoleArn) return context.config.configRecorderRoleArn;
  const iam = context.clients.get(IAMClient);
  try {
    await iam.send(new GetRoleCommand({ RoleName: CONFIG_SERVICE_LINKED_ROLE }));
  } catch (error) {
    if (!hasErrorName(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'config.amazonaws.com' }));
  }
  return `arn:${partitionOf(context.region)}:iam::${context.account}:role/aws-service-role/config.amazonaws.com/${CONFIG_SERVICE_LINKED_ROLE}`;
}

// ---------- the control ----------

export const awsConfigControl: RegionControl<AwsConfigState> = {
  key: 'config',
  check: 'config_not_recording',
  label: 'AWS Config',
  level: REGION_CONTROL_TRIGGERS.config.level,
  title: 'AWS Config is not recording',
  severity: 'medium',
  rationale: 'Without a recording configuration recorder and a delivery channel there is no history of resource configurations to audit or investigate.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html
  controls: { fsbp: ['Config.1'], cis: ['3.3'] },
  reads: 'DescribeConfigurationRecorders, DescribeConfigurationRecorderStatus, DescribeDeliveryChannels: a recorder that is recording and a delivery channel',
  permissions: ['config:DescribeConfigurationRecorders', 'config:DescribeConfigurationRecorderStatus', 'config:DescribeDeliveryChannels'],
  triggers: REGION_CONTROL_TRIGGERS.config.triggers,

  collect: (context) => readConfig(context.clients.get(ConfigServiceClient)),
  judge: (state) => judgeAwsConfig(state),

  enablement: {
    description:
      'Create what is missing: a recorder of all supported types (global types in the home region only), a delivery channel to configDeliveryBucket; then start recording.',
    permissions: [
      'config:DescribeConfigurationRecorders',
      'config:DescribeConfigurationRecorderStatus',
      'config:DescribeDeliveryChannels',
      'config:PutConfigurationRecorder',
      'config:PutDeliveryChannel',
      'config:StartConfigurationRecorder',
      'iam:GetRole',
      'iam:CreateServiceLinkedRole',
      'iam:PassRole',
    ],
    // The recorder's role is passed to AWS Config: https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html
    passRoleTo: ['config.amazonaws.com'],
    enabled: (config) => config.enableConfig,
    async apply(context) {
      const client = context.clients.get(ConfigServiceClient);
      const state = await readConfig(client);
      if (configProblems(state).length === 0) return 'already_compliant';
      // Checked before any change: a missing setting must not leave half a setup.
      const bucket =
        state.deliveryChannels.length === 0
          ? requiredSetting(context.config.configDeliveryBucket, 'configDeliveryBucket', 'CONFIG_DELIVERY_BUCKET', 'by enableConfig to create a delivery channel')
          : undefined;
      let recorder = state.recorders[0]?.name;
      if (!recorder) {
        recorder = DEFAULT_RECORDER_NAME;
        await client.send(
          new PutConfigurationRecorderCommand({
            ConfigurationRecorder: {
              name: recorder,
              roleARN: await recorderRole(context),
              recordingGroup: { allSupported: true, includeGlobalResourceTypes: context.region === context.config.homeRegion },
            },
          }),
        );
      }
      if (bucket) await client.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: DEFAULT_RECORDER_NAME, s3BucketName: bucket } }));
      if (!state.recorders.some((r) => r.recording)) await client.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: recorder }));
      return 'applied';
    },
  },
};
