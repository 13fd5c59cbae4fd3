/**
 * The Security Hub sink on a sandbox organization (two accounts x two
 * regions): each finding lands in the Security Hub of its own account and
 * region; the sandbox keeps Security Hub's rules (100 per request, required
 * ASFF attributes, findings only about the caller through its default
 * product, Workflow the customer's once created, reset to NEW when a finding
 * comes back), so what the sink relies on is shown here.
 */
import { BatchImportFindingsCommand, EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryLog } from '../../services/core/log.ts';
import { defaultProductArn, toAsff } from '../../services/exports/asff.ts';
import type { ExportedFinding } from '../../services/exports/exportedFinding.ts';
import { SecurityHubSink } from '../../services/securityhub/securityHubSink.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { OTHER_REGION, sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { exportedFinding } from '../exports/fixtures.ts';

const PLACES = [
  [ACCOUNT, REGION],
  [ACCOUNT, OTHER_REGION],
  [OTHER_ACCOUNT, REGION],
  [OTHER_ACCOUNT, OTHER_REGION],
] as const;
const at = (hours: number) => new Date(NOW.getTime() + hours * 3600_000);

function findingAt(account: string, region: string, overrides: Partial<ExportedFinding> = {}): ExportedFinding {
  return exportedFinding({ findingId: `f-${account}-${region}`, account, region, firstSeen: NOW.toISOString(), lastSeen: NOW.toISOString(), ...overrides });
}

describe('SecurityHubSink on the sandbox', () => {
  let organization: SandboxOrganization;
  let sink: SecurityHubSink;
  const log = memoryLog();
  const hub = (account: string, region: string) => organization.clients(account, region).get(SecurityHubClient);
  const findingsIn = async (account: string, region: string): Promise<AwsSecurityFinding[]> => (await hub(account, region).send(new GetFindingsCommand({}))).Findings ?? [];

  beforeEach(async () => {
    organization = sandboxOrganization();
    for (const [account, region] of PLACES) await hub(account, region).send(new EnableSecurityHubCommand({}));
    sink = new SecurityHubSink(organization.factory, 'ComplianceAuditorMemberRole', log);
  });

  it('each finding goes to its own account and region, nowhere else', async () => {
    const report = await sink.send(PLACES.map(([account, region]) => findingAt(account, region)), at(1));
    expect(report).toEqual({ imported: 4, failed: 0 });
    for (const [account, region] of PLACES) {
      const found = await findingsIn(account, region);
      expect(found.map((f) => [f.Id, f.AwsAccountId, f.ProductArn, f.UpdatedAt])).toEqual([[`f-${account}-${region}`, account, defaultProductArn(account, region), at(1).toISOString()]]);
    }
  });

  it('excepted when first imported: SUPPRESSED; excepted later: the workflow stays the customer\'s, ProductFields.status says excepted', async () => {
    await sink.send([findingAt(ACCOUNT, REGION, { findingId: 'first-excepted', status: 'excepted', remediation: 'excepted' })], at(1));
    await sink.send([findingAt(ACCOUNT, REGION, { findingId: 'later-excepted' })], at(1));
    await sink.send([findingAt(ACCOUNT, REGION, { findingId: 'later-excepted', status: 'excepted', remediation: 'excepted' })], at(2));
    const byId = new Map((await findingsIn(ACCOUNT, REGION)).map((f) => [f.Id, f]));
    expect([byId.get('first-excepted')?.Workflow?.Status, byId.get('first-excepted')?.ProductFields?.status]).toEqual(['SUPPRESSED', 'excepted']);
    expect([byId.get('later-excepted')?.Workflow?.Status, byId.get('later-excepted')?.ProductFields?.status, byId.get('later-excepted')?.Compliance?.Status]).toEqual(['NEW', 'excepted', 'FAILED']);
  });

  it('resolved then reopened: ARCHIVED/PASSED, then ACTIVE/FAILED again, CreatedAt kept', async () => {
    const open = findingAt(ACCOUNT, REGION);
    await sink.send([open], at(1));
    await sink.send([{ ...open, status: 'resolved' }], at(2));
    expect((await findingsIn(ACCOUNT, REGION)).map((f) => [f.RecordState, f.Compliance?.Status])).toEqual([['ARCHIVED', 'PASSED']]);
    await sink.send([open], at(3));
    expect((await findingsIn(ACCOUNT, REGION)).map((f) => [f.RecordState, f.Compliance?.Status, f.Workflow?.Status, f.CreatedAt, f.UpdatedAt])).toEqual([['ACTIVE', 'FAILED', 'NEW', NOW.toISOString(), at(3).toISOString()]]);
  });

  it('never throws: a finding Security Hub refuses is counted and logged with its account, region and error', async () => {
    const broken = { ...findingAt(ACCOUNT, REGION), title: '' };
    log.lines.length = 0;
    expect(await sink.send([broken, findingAt(OTHER_ACCOUNT, REGION)], at(1))).toEqual({ imported: 1, failed: 1 });
    expect(log.lines.filter((l) => l.level === 'error').map((l) => [l.fields?.account, l.fields?.region, l.fields?.findingId, l.fields?.errorCode])).toEqual([[ACCOUNT, REGION, `f-${ACCOUNT}-${REGION}`, 'InvalidInput']]);
  });
});

describe('the sandbox\'s BatchImportFindings keeps Security Hub\'s rules', () => {
  const organization = sandboxOrganization();
  const client = organization.clients(ACCOUNT, REGION).get(SecurityHubClient);
  const asff = (overrides: Partial<ExportedFinding> = {}) => toAsff(exportedFinding({ account: ACCOUNT, region: REGION, ...overrides }));

  it('not subscribed: every finding back with InvalidAccess; GetFindings: InvalidAccessException', async () => {
    const answer = await client.send(new BatchImportFindingsCommand({ Findings: [asff()] }));
    expect(answer.FailedFindings?.map((f) => f.ErrorCode)).toEqual(['InvalidAccess']);
    await expectAwsError(client.send(new GetFindingsCommand({})), { name: 'InvalidAccessException', status: 401 });
  });

  it('subscribed: more than 100 in a request is refused whole; a finding about another account or missing a required attribute comes back in FailedFindings', async () => {
    await client.send(new EnableSecurityHubCommand({}));
    await expectAwsError(client.send(new BatchImportFindingsCommand({ Findings: Array.from({ length: 101 }, (_, i) => asff({ findingId: `f${i}` })) })), { name: 'InvalidInputException', status: 400 });
    const foreign = toAsff(exportedFinding({ findingId: 'foreign', account: OTHER_ACCOUNT, region: REGION }));
    const answer = await client.send(new BatchImportFindingsCommand({ Findings: [asff({ findingId: 'ok' }), foreign, { ...asff({ findingId: 'no-title' }), Title: undefined }] }));
    expect(answer.FailedFindings?.map((f) => [f.Id, f.ErrorCode])).toEqual([['foreign', 'InvalidAccess'], ['no-title', 'InvalidInput']]);
    expect([answer.SuccessCount, answer.FailedCount]).toEqual([1, 2]);
    const { Findings = [] } = await client.send(new GetFindingsCommand({ Filters: { Id: [{ Value: 'ok', Comparison: 'EQUALS' }] } }));
    expect(Findings.map((f) => f.Id)).toEqual(['ok']);
  });
});
