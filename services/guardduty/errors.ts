import { ComplianceError, type ResourceRef } from '../core/errors.ts';

/** Something about GuardDuty enrolment went wrong; carries the account and region it concerns. */
export class GuardDutyError extends ComplianceError {
  constructor(message: string, ref: ResourceRef = {}, options?: { cause?: unknown }) {
    super(message, ref, options);
    this.name = 'GuardDutyError';
  }
}

/** The administrator account has no GuardDuty detector in a region, so no member can be added there. */
export class AdministratorDetectorMissingError extends GuardDutyError {
  constructor(administratorAccount: string, region: string) {
    super(
      `the GuardDuty administrator account ${administratorAccount} has no detector in ${region}; run guardduty-enrol (or enable GuardDuty there) first`,
      { account: administratorAccount, region, type: 'region', id: '' },
    );
    this.name = 'AdministratorDetectorMissingError';
  }
}

/** CreateMembers (or StartMonitoringMembers) left an account unprocessed; `result` is GuardDuty's reason. */
export class MemberNotEnrolledError extends GuardDutyError {
  readonly result: string;
  constructor(account: string, region: string, result: string) {
    super(
      `GuardDuty did not enrol ${account} in ${region}: ${result}. Check that the account is ACTIVE in the organization and that the region is enabled for it`,
      { account, region, type: 'region', id: '' },
    );
    this.name = 'MemberNotEnrolledError';
    this.result = result;
  }
}
