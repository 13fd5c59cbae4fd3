/**
 * securityHub=true on the sandbox, with the in-memory findings store: poll ->
 * audit imports every new finding into the Security Hub of its own account
 * and region (read back with GetFindings), an audit with no change imports
 * nothing, a remediation run re-imports the changed outcomes, and the next
 * audit archives what was fixed (RecordState ARCHIVED, Compliance PASSED).
 * Where Security Hub refuses (not enabled), SNS still has every finding and
 * the refusal is logged and counted.
 */
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeMisconfigurations } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import type { Config } from '../../services/core/config.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import type { FindingsNotification } from '../../services/core/notifications.ts';
import { defaultProductArn } from '../../services/exports/asff.ts';
import { MemoryFindingsStore } from '../../services/findings-store/memoryFindingsStore.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { processMessage, type MessageOutcome } from '../../services/remediator/processMessage.ts';
import { startRun } from '../../services/remediator/remediatorRun.ts';
import { addReports, NOTHING_IMPORTED, type SecurityHubReport } from '../../services/securityhub/securityHubSink.ts';
import { ACCOUNT, NOW, OTHER_ACCOUNT, REGION, makeConfig } from '../helpers/context.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:compliance-findings';
const sns = mockClient(SNSClient);
const hours = (n: number) => new Date(NOW.getTime() + n * 3600 * 1000);

interface Pass {
  outcomes: MessageOutcome[];
  published: PublishCommandInput[];
  securityHub: SecurityHubReport;
}

describe('securityHub=true: findings imported on every change, archived when resolved (sandbox)', () => {
  let organization: SandboxOrganization;
  const store = new MemoryFindingsStore();
  const log = memoryLog();

  async function pollAndAudit(config: Config, account: string, now: Date): Promise<Pass> {
    const before = sns.commandCalls(PublishCommand).length;
    const messages: ResourceMessage[] = [];
    await pollUnits(unitsOf([account], [REGION]), { config, factory: organization.factory, log, onlyTestResources: true }, async (batch) => {
      messages.push(...batch);
    });
    const directory = new AccountDirectory(config, organization.factory.forSecurityAccount(REGION));
    const run = await startRun(config, organization.factory, directory, log, { now, findings: store });
    const outcomes: MessageOutcome[] = [];
    for (const message of messages) outcomes.push(await processMessage(JSON.stringify(message), run));
    expect(outcomes.filter((o) => o.status === 'error' || o.status === 'rejected')).toEqual([]);
    const securityHub = outcomes.reduce((total, o) => (o.status === 'audited' || o.status === 'gone') && o.securityHub ? addReports(total, o.securityHub) : total, NOTHING_IMPORTED);
    return { outcomes, published: sns.commandCalls(PublishCommand).slice(before).map((call) => call.args[0].input), securityHub };
  }

  async function securityHubFindings(account = ACCOUNT): Promise<AwsSecurityFinding[]> {
    const { Findings = [] } = await organization.clients(account, REGION).get(SecurityHubClient).send(new GetFindingsCommand({ Filters: { ProductArn: [{ Value: defaultProductArn(account, REGION), Comparison: 'EQUALS' }] } }));
    return [...Findings].sort((a, b) => (a.Id ?? '').localeCompare(b.Id ?? ''));
  }

  const config = (overrides: Partial<Parameters<typeof makeConfig>[0]> = {}) =>
    makeConfig({ accounts: [ACCOUNT, OTHER_ACCOUNT], regions: [REGION], notificationsTopicArn: TOPIC, securityHub: true, ...overrides });
  const findingsOf = (pass: Pass): Finding[] => pass.outcomes.flatMap((o) => (o.status === 'audited' ? o.findings : []));
  const publishedIds = (pass: Pass) => pass.published.flatMap((p) => (JSON.parse(p.Message ?? '{}') as FindingsNotification).findings.map((f) => f.findingId)).sort();

  let first: Pass;
  let fixed: Finding[] = [];

  beforeAll(async () => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e' });
    organization = sandboxOrganization();
    await organization.clients(ACCOUNT, REGION).get(SecurityHubClient).send(new EnableSecurityHubCommand({ EnableDefaultStandards: true }));
    for (const account of [ACCOUNT, OTHER_ACCOUNT]) await makeMisconfigurations({ account, region: REGION }, { config: config(), factory: organization.factory, log });
    first = await pollAndAudit(config(), ACCOUNT, hours(0));
  });

  it('the first audit imports every finding once, in its own account\'s Security Hub: FAILED, ACTIVE, NEW, its check as GeneratorId', async () => {
    const findings = findingsOf(first);
    expect(findings.length).toBeGreaterThan(5);
    expect(first.securityHub).toEqual({ imported: findings.length, failed: 0 });
    const imported = await securityHubFindings();
    expect(imported.map((f) => f.Id)).toEqual(findings.map((f) => f.findingId).sort());
    for (const asff of imported) {
      const finding = findings.find((f) => f.findingId === asff.Id);
      expect([asff.AwsAccountId, asff.GeneratorId, asff.Compliance?.Status, asff.RecordState, asff.Workflow?.Status, asff.UpdatedAt]).toEqual([ACCOUNT, finding?.checkId, 'FAILED', 'ACTIVE', 'NEW', hours(0).toISOString()]);
    }
    // SNS had them first: the same findings.
    expect(publishedIds(first)).toEqual(findings.map((f) => f.findingId).sort());
  });

  it('an audit with no change imports nothing (UpdatedAt stays)', async () => {
    const before = await securityHubFindings();
    const second = await pollAndAudit(config(), ACCOUNT, hours(1));
    expect(second.securityHub).toEqual(NOTHING_IMPORTED);
    expect(second.outcomes.every((o) => !('securityHub' in o))).toBe(true);
    expect(await securityHubFindings()).toEqual(before);
  });

  it('a remediation run imports the changed outcomes (remediation_changed), and only those', async () => {
    const fixing = await pollAndAudit(config({ remediate: true }), ACCOUNT, hours(2));
    fixed = findingsOf(fixing).filter((f) => f.remediation === 'applied');
    expect(fixed.length).toBeGreaterThan(2);
    const changed = fixing.outcomes.flatMap((o) => (o.status === 'audited' ? (o.changes ?? []) : []));
    expect(fixing.securityHub).toEqual({ imported: changed.length, failed: 0 });
    const updated = (await securityHubFindings()).filter((f) => f.UpdatedAt === hours(2).toISOString());
    expect(updated.map((f) => f.Id)).toEqual(changed.map((c) => c.finding.findingId).sort());
    expect(updated.filter((f) => f.ProductFields?.remediation === 'applied').map((f) => f.Id)).toEqual(fixed.map((f) => f.findingId).sort());
  });

  it('the next audit archives exactly the fixed findings: RecordState ARCHIVED, Compliance PASSED; the rest stay ACTIVE', async () => {
    const after = await pollAndAudit(config(), ACCOUNT, hours(3));
    expect(after.securityHub).toEqual({ imported: fixed.length, failed: 0 });
    const imported = await securityHubFindings();
    const archived = imported.filter((f) => f.RecordState === 'ARCHIVED');
    expect(archived.map((f) => f.Id)).toEqual(fixed.map((f) => f.findingId).sort());
    expect(archived.every((f) => f.Compliance?.Status === 'PASSED' && f.UpdatedAt === hours(3).toISOString() && f.Description?.startsWith('resolved: '))).toBe(true);
    expect(imported.filter((f) => f.RecordState === 'ACTIVE').every((f) => f.Compliance?.Status === 'FAILED')).toBe(true);
  });

  it('where Security Hub is not enabled, SNS still gets every finding; each refusal is logged, naming the fix, and counted', async () => {
    log.lines.length = 0;
    const other = await pollAndAudit(config(), OTHER_ACCOUNT, hours(4));
    const findings = findingsOf(other);
    expect(findings.length).toBeGreaterThan(5);
    expect(publishedIds(other)).toEqual(findings.map((f) => f.findingId).sort());
    expect(other.securityHub).toEqual({ imported: 0, failed: findings.length });
    const refusals = log.lines.filter((line) => line.level === 'error' && line.message.startsWith('Security Hub did not import a finding'));
    expect(refusals.map((line) => line.fields?.findingId).sort()).toEqual(findings.map((f) => f.findingId).sort());
    expect(String(refusals[0]?.fields?.errorMessage)).toMatch(/Security Hub is not enabled in account 222222222222 us-east-1/);
  });
});
