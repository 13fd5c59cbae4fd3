/**
 * What the notifier receives, validated: an EventBridge "GuardDuty Finding"
 * event, an "AWS Console Sign In via CloudTrail" event, or an SNS event whose
 * records carry this service's FindingsNotification. Only the fields the
 * formats use are required; the rest is kept as it arrived.
 */
import { z } from 'zod';
import { REMEDIATION_STATUSES, SEVERITIES } from '../core/findings.ts';
import { RESOURCE_TYPES } from '../core/resourceTypes.ts';
import { REMEDIATION_STARTING, TRANSITIONS } from '../findings-store/findingRecord.ts';

export const GUARDDUTY_FINDING_DETAIL_TYPE = 'GuardDuty Finding';
export const CONSOLE_SIGN_IN_DETAIL_TYPE = 'AWS Console Sign In via CloudTrail';

export const guardDutyFindingSchema = z
  .object({
    id: z.string().min(1),
    accountId: z.string().min(1),
    region: z.string().min(1),
    partition: z.string().optional(),
    arn: z.string().optional(),
    type: z.string().min(1),
    severity: z.number(),
    title: z.string(),
    description: z.string().default(''),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
    resource: z.looseObject({ resourceType: z.string().optional() }).optional(),
    service: z
      .looseObject({
        eventFirstSeen: z.string().optional(),
        eventLastSeen: z.string().optional(),
        count: z.number().optional(),
        archived: z.boolean().optional(),
      })
      .optional(),
  })
  .loose();
export type GuardDutyFinding = z.infer<typeof guardDutyFindingSchema>;

export const consoleSignInSchema = z
  .object({
    userIdentity: z.looseObject({ type: z.string(), arn: z.string().optional(), accountId: z.string().optional(), principalId: z.string().optional() }),
    eventTime: z.string(),
    eventName: z.string(),
    eventID: z.string().min(1),
    awsRegion: z.string().optional(),
    sourceIPAddress: z.string().optional(),
    userAgent: z.string().optional(),
    recipientAccountId: z.string().optional(),
    responseElements: z.looseObject({ ConsoleLogin: z.string().optional() }).nullish(),
    additionalEventData: z.looseObject({ MFAUsed: z.string().optional() }).nullish(),
  })
  .loose();
export type ConsoleSignIn = z.infer<typeof consoleSignInSchema>;

/** A Finding (services/core/findings.ts) as it arrives in a notification. */
export const findingSchema = z.object({
  findingId: z.string().min(1),
  checkId: z.string().min(1),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  account: z.string(),
  region: z.string(),
  type: z.enum(RESOURCE_TYPES),
  id: z.string(),
  detail: z.string(),
  remediation: z.enum(REMEDIATION_STATUSES),
  remediationDetail: z.string().optional(),
  controls: z.object({ fsbp: z.array(z.string()).optional(), cis: z.array(z.string()).optional() }).optional(),
});

/** FindingsNotification (services/core/notifications.ts) as it arrives in an SNS record's Message. */
export const findingsNotificationSchema = z.object({
  kind: z.literal('compliance-findings'),
  resource: z.object({ account: z.string(), region: z.string(), type: z.enum(RESOURCE_TYPES), id: z.string() }),
  severity: z.enum(SEVERITIES),
  findings: z.array(findingSchema).min(1),
  /** Set when the remediator keeps a findings store (notify on change only). */
  transition: z.enum([...TRANSITIONS.filter((t) => t !== 'unchanged'), REMEDIATION_STARTING]).optional(),
});

export const eventBridgeEnvelopeSchema = z.looseObject({
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  region: z.string(),
  time: z.string(),
  detail: z.unknown(),
});

export const snsEnvelopeSchema = z.object({
  Records: z
    .array(
      z.looseObject({
        EventSource: z.literal('aws:sns'),
        Sns: z.looseObject({ MessageId: z.string(), Message: z.string(), Subject: z.string().nullish(), TopicArn: z.string().optional() }),
      }),
    )
    .min(1),
});
