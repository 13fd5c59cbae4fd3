/**
 * region.cloudtrail_not_logging: a multi-region (or organization) trail
 * covers the region, is logging, and validates its log files.
 *
 * APIs: DescribeTrails (shadow trails included), GetTrailStatus;
 * enablement: UpdateTrail (validation), StartLogging, CreateTrail.
 */
import {
  CloudTrailClient,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { hasErrorName, isAccessDenied } from '../../services/core/errors.ts';
import type { ResourceContext } from '../contract.ts';
import { clientsIn, requiredSetting } from './clientsIn.ts';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';
import { unknownDetail } from './readControl.ts';

/** The name of a trail the enablement creates. */
export const BASELINE_TRAIL_NAME = 'compliance-baseline';

export interface TrailState {
  name: string;
  arn: string;
  homeRegion: string;
  multiRegion: boolean;
  organization: boolean;
  logFileValidation: boolean;
  /** undefined: GetTrailStatus failed; statusError says why. */
  logging?: boolean;
  statusError?: string;
}

export interface CloudTrailState {
  /** Every trail DescribeTrails shows in this region: its own and the shadows of multi-region ones. */
  trails: TrailState[];
}

// ---------- pure ----------

function coversEveryRegion(trail: TrailState): boolean {
  return trail.multiRegion || trail.organization;
}

function kindOf(trail: TrailState): string {
  return trail.organization ? 'organization trail' : 'multi-region trail';
}

function problemsOf(trail: TrailState): string[] {
  const problems: string[] = [];
  if (trail.logging === false) problems.push('is not logging');
  if (trail.logging === undefined) problems.push(`has an unknown logging status (${trail.statusError ?? 'GetTrailStatus failed'})`);
  if (!trail.logFileValidation) problems.push('has log file validation off');
  return problems;
}

export function judgeCloudTrail(state: CloudTrailState, region: string): Verdict {
  const covering = state.trails.filter(coversEveryRegion);
  const good = covering.find((trail) => problemsOf(trail).length === 0);
  if (good) return { status: 'enabled', detail: `${kindOf(good)} ${good.name} (home ${good.homeRegion}) is logging with log file validation` };
  if (covering.length === 0) {
    const single = state.trails.map((trail) => trail.name);
    return {
      status: 'disabled',
      detail: single.length === 0 ? `no trail covers ${region}` : `only single-region trails (${single.join(', ')}); no multi-region or organization trail`,
    };
  }
  const onlyStatusUnknown = covering.some((trail) => trail.logging === undefined && trail.logFileValidation);
  const detail = covering.map((trail) => `${kindOf(trail)} ${trail.name} ${problemsOf(trail).join(' and ')}`).join('; ');
  return { status: onlyStatusUnknown ? 'unknown' : 'disabled', detail };
}

// ---------- reads ----------

async function readTrails(client: CloudTrailClient): Promise<TrailState[]> {
  const { trailList } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const trails: TrailState[] = [];
  for (const trail of trailList ?? []) {
    if (!trail.Name || !trail.TrailARN) continue;
    const state: TrailState = {
      name: trail.Name,
      arn: trail.TrailARN,
      homeRegion: trail.HomeRegion ?? '',
      multiRegion: trail.IsMultiRegionTrail === true,
      organization: trail.IsOrganizationTrail === true,
      logFileValidation: trail.LogFileValidationEnabled === true,
    };
    try {
      const status = await client.send(new GetTrailStatusCommand({ Name: trail.TrailARN }));
      state.logging = status.IsLogging === true;
    } catch (error) {
      // An organization trail seen from a member account may refuse its status: keep the trail, say why.
      if (!isAccessDenied(error) && !hasErrorName(error, 'TrailNotFoundException')) throw error;
      state.statusError = unknownDetail(error, ['cloudtrail:GetTrailStatus']);
    }
    trails.push(state);
  }
  return trails;
}

function accountOfArn(arn: string): string | undefined {
  return arn.split(':')[4];
}

async function fixTrail(context: ResourceContext, trail: TrailState): Promise<void> {
  const client = clientsIn(context, context.account, trail.homeRegion).get(CloudTrailClient);
  if (!trail.logFileValidation) await client.send(new UpdateTrailCommand({ Name: trail.arn, EnableLogFileValidation: true }));
  if (trail.logging !== true) await client.send(new StartLoggingCommand({ Name: trail.arn }));
}

async function createTrail(context: ResourceContext): Promise<void> {
  const { config } = context;
  const bucket = requiredSetting(config.cloudTrailBucket, 'cloudTrailBucket', 'CLOUDTRAIL_BUCKET', 'by enableCloudTrail to create a multi-region trail');
  const client = clientsIn(context, context.account, config.homeRegion).get(CloudTrailClient);
  const settings = { Name: BASELINE_TRAIL_NAME, S3BucketName: bucket, IsMultiRegionTrail: true, EnableLogFileValidation: true, IncludeGlobalServiceEvents: true };
  try {
    await client.send(new CreateTrailCommand(settings));
  } catch (error) {
    // Ours exists as a single-region trail, or another region's audit just made it.
    if (!hasErrorName(error, 'TrailAlreadyExistsException')) throw error;
    await client.send(new UpdateTrailCommand(settings));
  }
  await client.send(new StartLoggingCommand({ Name: BASELINE_TRAIL_NAME }));
}

// ---------- the control ----------

export const cloudTrailControl: RegionControl<CloudTrailState> = {
  key: 'cloudtrail',
  check: 'cloudtrail_not_logging',
  label: 'CloudTrail',
  level: REGION_CONTROL_TRIGGERS.cloudTrail.level,
  title: 'No logging multi-region trail with log file validation covers the region',
  severity: 'high',
  rationale: 'Without a logging trail, API activity in the region leaves no record to investigate; without validation, log files can be altered unnoticed.',
  // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html (both are in CIS v3.0.0 too, but its recommendation numbers were not verified against AWS's pages, so none is declared)
  controls: { fsbp: ['CloudTrail.1', 'CloudTrail.4'] },
  reads: 'DescribeTrails (shadow trails included) and GetTrailStatus: a multi-region or organization trail that is logging with log file validation',
  permissions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus'],
  triggers: REGION_CONTROL_TRIGGERS.cloudTrail.triggers,

  async collect(context) {
    return { trails: await readTrails(context.clients.get(CloudTrailClient)) };
  },

  judge: (state, context) => judgeCloudTrail(state, context.region),

  enablement: {
    description:
      "Start this account's stopped multi-region trail and turn on its log file validation (in the trail's home region); with none, create a multi-region trail with validation to cloudTrailBucket in the home region and start it.",
    permissions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:UpdateTrail', 'cloudtrail:StartLogging', 'cloudtrail:CreateTrail'],
    enabled: (config) => config.enableCloudTrail,
    async apply(context) {
      const trails = await readTrails(context.clients.get(CloudTrailClient));
      if (judgeCloudTrail({ trails }, context.region).status === 'enabled') return 'already_compliant';
      const own = trails.filter((trail) => coversEveryRegion(trail) && !trail.organization && accountOfArn(trail.arn) === context.account);
      const target = own[0];
      if (target) {
        await fixTrail(context, target);
        return 'applied';
      }
      const organization = trails.filter((trail) => trail.organization);
      if (organization.length > 0) {
        throw new Error(`organization trail ${organization.map((t) => t.name).join(', ')} is managed from the management account: fix it there`);
      }
      await createTrail(context);
      return 'applied';
    },
  },
};
