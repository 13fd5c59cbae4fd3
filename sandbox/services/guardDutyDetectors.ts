/**
 * GuardDuty detectors: the account's own detector in the region (at most
 * one), what the `region` auditor reads (ListDetectors, GetDetector,
 * GetAdministratorAccount) and what enrolment creates or enables.
 */
import type {
  CreateDetectorCommandInput,
  CreateDetectorCommandOutput,
  DetectorFeatureConfiguration,
  DetectorFeatureConfigurationResult,
  GetAdministratorAccountCommandInput,
  GetAdministratorAccountCommandOutput,
  GetDetectorCommandInput,
  GetDetectorCommandOutput,
  ListDetectorsCommandInput,
  ListDetectorsCommandOutput,
  UpdateDetectorCommandInput,
  UpdateDetectorCommandOutput,
} from '@aws-sdk/client-guardduty';
import { page } from '../pagination.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';
import { badRequest, guardDutyPageSize, guardDutyStateOf, newDetector, ownDetector, type DetectorRecord } from './guardDutyState.ts';

function serviceRoleOf(context: OperationContext): string {
  return `arn:aws:iam::${context.account}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`;
}

function applyFeatures(detector: DetectorRecord, features: readonly DetectorFeatureConfiguration[] | undefined, now: string): void {
  for (const feature of features ?? []) {
    if (!feature.Name || !feature.Status) throw badRequest('a feature must have a Name and a Status');
    detector.features[feature.Name] = { status: feature.Status, updatedAt: now };
  }
}

function featuresOf(detector: DetectorRecord): DetectorFeatureConfigurationResult[] {
  return Object.entries(detector.features).flatMap(([name, feature]) =>
    feature ? [{ Name: name as DetectorFeatureConfigurationResult['Name'], Status: feature.status, UpdatedAt: new Date(feature.updatedAt) }] : [],
  );
}

export const detectorOperations: Readonly<Record<string, OperationHandler>> = {
  ListDetectors: operation((context, input: ListDetectorsCommandInput): Output<ListDetectorsCommandOutput> => {
    const detector = guardDutyStateOf(context).detector;
    const { items, next } = page(detector ? [detector.detectorId] : [], input.NextToken, guardDutyPageSize(input.MaxResults));
    return { DetectorIds: items, ...(next ? { NextToken: next } : {}) };
  }),

  GetDetector: operation((context, input: GetDetectorCommandInput): Output<GetDetectorCommandOutput> => {
    const detector = ownDetector(context, input.DetectorId);
    return {
      CreatedAt: detector.createdAt,
      FindingPublishingFrequency: detector.findingPublishingFrequency,
      ServiceRole: serviceRoleOf(context),
      Status: detector.status,
      UpdatedAt: detector.updatedAt,
      Features: featuresOf(detector),
      Tags: { ...detector.tags },
    };
  }),

  CreateDetector: operation((context, input: CreateDetectorCommandInput): Output<CreateDetectorCommandOutput> => {
    if (input.Enable === undefined) throw badRequest('the parameter enable is required');
    const state = guardDutyStateOf(context);
    if (state.detector) throw badRequest('a detector already exists for the current account');
    const detector = newDetector(context, input.Enable);
    if (input.FindingPublishingFrequency) detector.findingPublishingFrequency = input.FindingPublishingFrequency;
    applyFeatures(detector, input.Features, detector.createdAt);
    detector.tags = { ...input.Tags };
    state.detector = detector;
    return { DetectorId: detector.detectorId };
  }),

  UpdateDetector: operation((context, input: UpdateDetectorCommandInput): Output<UpdateDetectorCommandOutput> => {
    const detector = ownDetector(context, input.DetectorId);
    const now = context.now().toISOString();
    if (input.Enable !== undefined) detector.status = input.Enable ? 'ENABLED' : 'DISABLED';
    if (input.FindingPublishingFrequency) detector.findingPublishingFrequency = input.FindingPublishingFrequency;
    applyFeatures(detector, input.Features, now);
    detector.updatedAt = now;
    return {};
  }),

  /** A member sees its administrator; an administrator or a standalone account gets an empty answer. */
  GetAdministratorAccount: operation((context, input: GetAdministratorAccountCommandInput): Output<GetAdministratorAccountCommandOutput> => {
    ownDetector(context, input.DetectorId);
    const administrator = guardDutyStateOf(context).administrator;
    if (!administrator) return { Administrator: undefined };
    return {
      Administrator: {
        AccountId: administrator.accountId,
        InvitationId: administrator.invitationId,
        RelationshipStatus: administrator.relationshipStatus,
        InvitedAt: administrator.invitedAt,
      },
    };
  }),
};
