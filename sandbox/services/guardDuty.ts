/**
 * The sandbox's GuardDuty (serviceId 'GuardDuty'): detectors, members and
 * the organization's delegated administrator, per (account, region); what
 * the `region` auditor reads and enables and what guardduty-enrol calls.
 * A new account has no detector (GuardDuty off), as in AWS.
 */
import type { SandboxService } from '../serviceModel.ts';
import { detectorOperations } from './guardDutyDetectors.ts';
import { memberOperations } from './guardDutyMembers.ts';
import { organizationOperations } from './guardDutyOrganization.ts';

export const guardDutyService: SandboxService = {
  serviceId: 'GuardDuty',
  operations: { ...detectorOperations, ...memberOperations, ...organizationOperations },
};
