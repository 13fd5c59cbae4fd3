import {
  CreateDetectorCommand,
  CreateMembersCommand,
  GetAdministratorAccountCommand,
  GetDetectorCommand,
  GetMembersCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  StartMonitoringMembersCommand,
  UpdateDetectorCommand,
} from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { enrolOneAccount, guardDutyEnrolmentProblem, readGuardDutyStatus, type GuardDutyStatus } from '../../services/guardduty/detectorStatus.ts';
import { AdministratorDetectorMissingError, MemberNotEnrolledError } from '../../services/guardduty/errors.ts';
import { memberAction } from '../../services/guardduty/memberRelationship.ts';
import { makeFactory } from '../helpers/context.ts';

const guardDuty = mockClient(GuardDutyClient);
const ADMIN = '999999999999';
const MEMBER = '111111111111';
const REGION = 'eu-west-1';
const DETECTOR = '12abc34d567e8fa901bc2d34e56789f0';
const ADMIN_DETECTOR = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
function mutatingCalls(): number {
  return [
    guardDuty.commandCalls(CreateDetectorCommand),
    guardDuty.commandCalls(UpdateDetectorCommand),
    guardDuty.commandCalls(CreateMembersCommand),
    guardDuty.commandCalls(StartMonitoringMembersCommand),
  ].reduce((sum, calls) => sum + calls.length, 0);
}

function getDetector(status: 'ENABLED' | 'DISABLED') {
  return {
    CreatedAt: '2024-03-01T09:12:44.118Z',
    FindingPublishingFrequency: 'SIX_HOURS' as const,
    ServiceRole: `arn:aws:iam::${MEMBER}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
    Status: status,
    UpdatedAt: '2026-10-02T17:40:03.551Z',
  };
}

describe('readGuardDutyStatus', () => {
  beforeEach(() => guardDuty.reset());

  it('reads detector, status and administrator in one account and region', async () => {
    // Prepare
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [DETECTOR] });
    guardDuty.on(GetDetectorCommand, { DetectorId: DETECTOR }).resolves(getDetector('ENABLED'));
    guardDuty
      .on(GetAdministratorAccountCommand, { DetectorId: DETECTOR })
      .resolves({ Administrator: { AccountId: ADMIN, InvitationId: '84b097800250d17d1872b34c4daadcf5', RelationshipStatus: 'Enabled', InvitedAt: '2024-03-01T09:13:02.000Z' } });
    // Act
    const status = await readGuardDutyStatus(makeFactory().forAccount(MEMBER, REGION));
    // Assess
    expect(status).toEqual({ account: MEMBER, region: REGION, detectorId: DETECTOR, detectorStatus: 'ENABLED', administrator: { accountId: ADMIN, relationshipStatus: 'Enabled' } });
  });

  it('stops after ListDetectors when there is no detector', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    expect(await readGuardDutyStatus(makeFactory().forAccount(MEMBER, REGION))).toEqual({ account: MEMBER, region: REGION });
    expect(guardDuty.commandCalls(GetDetectorCommand)).toHaveLength(0);
  });

  it('has no administrator when GetAdministratorAccount returns none', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [DETECTOR] });
    guardDuty.on(GetDetectorCommand).resolves(getDetector('DISABLED'));
    guardDuty.on(GetAdministratorAccountCommand).resolves({});
    expect(await readGuardDutyStatus(makeFactory().forAccount(MEMBER, REGION))).toEqual({ account: MEMBER, region: REGION, detectorId: DETECTOR, detectorStatus: 'DISABLED' });
  });
});

describe('guardDutyEnrolmentProblem', () => {
  const enrolled: GuardDutyStatus = { account: MEMBER, region: REGION, detectorId: DETECTOR, detectorStatus: 'ENABLED', administrator: { accountId: ADMIN, relationshipStatus: 'Enabled' } };
  it.each<[string, GuardDutyStatus, string, string | undefined]>([
    ['enrolled member', enrolled, MEMBER, undefined],
    ['no detector', { account: MEMBER, region: REGION }, MEMBER, `GuardDuty has no detector in ${MEMBER} ${REGION}`],
    ['disabled detector', { ...enrolled, detectorStatus: 'DISABLED' }, MEMBER, `GuardDuty detector ${DETECTOR} in ${MEMBER} ${REGION} is DISABLED, not ENABLED`],
    ['no administrator', { ...enrolled, administrator: undefined }, MEMBER, `GuardDuty in ${MEMBER} ${REGION} is not associated with the administrator account ${ADMIN}`],
    ['another administrator', { ...enrolled, administrator: { accountId: '555555555555', relationshipStatus: 'Enabled' } }, MEMBER, `GuardDuty in ${MEMBER} ${REGION} is associated with 555555555555, not the configured administrator account ${ADMIN}`],
    ['removed member', { ...enrolled, administrator: { accountId: ADMIN, relationshipStatus: 'Removed' } }, MEMBER, `GuardDuty in ${MEMBER} ${REGION} is a member of ${ADMIN} with relationship status Removed, not Enabled`],
    ['administrator with its own detector enabled', { account: ADMIN, region: REGION, detectorId: ADMIN_DETECTOR, detectorStatus: 'ENABLED' }, ADMIN, undefined],
    ['administrator with its detector disabled', { account: ADMIN, region: REGION, detectorId: ADMIN_DETECTOR, detectorStatus: 'DISABLED' }, ADMIN, `GuardDuty detector ${ADMIN_DETECTOR} in ${ADMIN} ${REGION} is DISABLED, not ENABLED`],
  ])('%s', (_name, status, account, expected) => {
    expect(guardDutyEnrolmentProblem(status, { account, administratorAccount: ADMIN })).toBe(expected);
  });

  it('checks only the detector when no administrator is configured', () => {
    expect(guardDutyEnrolmentProblem({ ...enrolled, administrator: undefined }, { account: MEMBER, administratorAccount: undefined })).toBeUndefined();
  });
});

describe('memberAction', () => {
  it.each<[string | undefined, boolean, ReturnType<typeof memberAction>]>([
    [undefined, false, { kind: 'create_member' }],
    ['Enabled', false, { kind: 'none' }],
    ['Removed', true, { kind: 'create_member' }],
    ['Resigned', true, { kind: 'create_member' }],
    ['Disabled', true, { kind: 'start_monitoring' }],
    ['Removed', false, { kind: 'report', reason: 'relationship Removed (re-association is off)' }],
    ['AccountSuspended', true, { kind: 'report', reason: 'relationship AccountSuspended' }],
    ['Invited', true, { kind: 'report', reason: 'relationship Invited' }],
  ])('%s (reassociate %s)', (status, reassociate, expected) => {
    expect(memberAction(status, { reassociate })).toEqual(expected);
  });
});

describe('enrolOneAccount', () => {
  beforeEach(() => {
    guardDuty.reset();
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [ADMIN_DETECTOR] });
  });
  const admin = () => makeFactory().forAccount(ADMIN, REGION);

  it('creates the member in the administrator detector, with its email', async () => {
    // Prepare
    guardDuty.on(GetMembersCommand).resolves({ Members: [], UnprocessedAccounts: [{ AccountId: MEMBER, Result: 'The request is rejected because the given account ID is not an associated member of account the current account.' }] });
    guardDuty.on(CreateMembersCommand).resolves({ UnprocessedAccounts: [] });
    // Act
    const result = await enrolOneAccount(admin(), MEMBER, 'aws+prod@example.com');
    // Assess
    expect(result).toEqual({ account: MEMBER, region: REGION, detectorId: ADMIN_DETECTOR, outcome: 'applied', action: 'create_member' });
    expect(guardDuty.commandCalls(CreateMembersCommand).map((c) => c.args[0].input)).toEqual([
      { DetectorId: ADMIN_DETECTOR, AccountDetails: [{ AccountId: MEMBER, Email: 'aws+prod@example.com' }] },
    ]);
  });

  it('makes no mutating call for an Enabled member (second run)', async () => {
    guardDuty.on(GetMembersCommand).resolves({ Members: [{ AccountId: MEMBER, DetectorId: DETECTOR, MasterId: ADMIN, AdministratorId: ADMIN, Email: 'aws+prod@example.com', RelationshipStatus: 'Enabled', UpdatedAt: '2026-11-19T02:00:00.000Z' }], UnprocessedAccounts: [] });
    expect((await enrolOneAccount(admin(), MEMBER)).outcome).toBe('already_compliant');
    expect(mutatingCalls()).toBe(0);
  });

  it('restarts monitoring of a Disabled member', async () => {
    guardDuty.on(GetMembersCommand).resolves({ Members: [{ AccountId: MEMBER, MasterId: ADMIN, Email: 'a@example.com', RelationshipStatus: 'Disabled', UpdatedAt: '2026-11-19T02:00:00.000Z' }] });
    guardDuty.on(StartMonitoringMembersCommand).resolves({ UnprocessedAccounts: [] });
    expect((await enrolOneAccount(admin(), MEMBER)).action).toBe('start_monitoring');
    expect(guardDuty.commandCalls(StartMonitoringMembersCommand)[0]?.args[0].input).toEqual({ DetectorId: ADMIN_DETECTOR, AccountIds: [MEMBER] });
  });

  it('reports what GuardDuty refused', async () => {
    guardDuty.on(GetMembersCommand).resolves({ Members: [] });
    guardDuty.on(CreateMembersCommand).resolves({ UnprocessedAccounts: [{ AccountId: MEMBER, Result: 'The account is suspended.' }] });
    await expect(enrolOneAccount(admin(), MEMBER)).rejects.toThrow(MemberNotEnrolledError);
  });

  it('refuses a suspended member without a mutating call', async () => {
    guardDuty.on(GetMembersCommand).resolves({ Members: [{ AccountId: MEMBER, MasterId: ADMIN, Email: 'a@example.com', RelationshipStatus: 'AccountSuspended', UpdatedAt: '2026-11-19T02:00:00.000Z' }] });
    await expect(enrolOneAccount(admin(), MEMBER)).rejects.toThrow(/AccountSuspended/);
    expect(mutatingCalls()).toBe(0);
  });

  it('needs the administrator detector', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    await expect(enrolOneAccount(admin(), MEMBER)).rejects.toThrow(AdministratorDetectorMissingError);
  });

  it.each<[string, 'ENABLED' | 'DISABLED' | undefined, string | undefined]>([
    ['creates the administrator detector', undefined, 'create'],
    ['enables the administrator detector', 'DISABLED', 'update'],
    ['leaves an enabled administrator detector alone', 'ENABLED', undefined],
  ])('%s', async (_name, status, expected) => {
    if (status === undefined) guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    else guardDuty.on(GetDetectorCommand).resolves(getDetector(status));
    guardDuty.on(CreateDetectorCommand).resolves({ DetectorId: ADMIN_DETECTOR });
    await enrolOneAccount(admin(), ADMIN);
    expect(guardDuty.commandCalls(CreateDetectorCommand).map((c) => c.args[0].input)).toEqual(expected === 'create' ? [{ Enable: true }] : []);
    expect(guardDuty.commandCalls(UpdateDetectorCommand).map((c) => c.args[0].input)).toEqual(expected === 'update' ? [{ DetectorId: ADMIN_DETECTOR, Enable: true }] : []);
    expect(guardDuty.commandCalls(CreateMembersCommand)).toHaveLength(0);
  });
});
