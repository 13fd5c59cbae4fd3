/**
 * importAccountFindings against a real SecurityHubClient whose requests are
 * answered in-process (the SDK's serialization and retries still run, on 1 ms
 * backoffs): batches of 100, FailedFindings sent once more then reported,
 * throttling retried by the SDK, a refused request reported with what to do.
 */
import { SecurityHubClient, type AwsSecurityFinding, type BatchImportFindingsCommandInput, type BatchImportFindingsCommandOutput } from '@aws-sdk/client-securityhub';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import { answerCommands } from '../../sandbox/answerCommands.ts';
import { serviceError } from '../../sandbox/sandboxErrors.ts';
import { MAX_ATTEMPTS, type AwsClients } from '../../services/core/clientFactory.ts';
import { defaultProductArn, toAsff } from '../../services/exports/asff.ts';
import { IMPORT_BATCH_SIZE, importAccountFindings } from '../../services/securityhub/importFindings.ts';
import { exportedFinding } from '../exports/fixtures.ts';

const ACCOUNT = '214000000001';
const REGION = 'eu-west-1';
const ROLE = { roleName: 'ComplianceAuditorMemberRole' };

type Answer = (findings: AwsSecurityFinding[], call: number) => Partial<BatchImportFindingsCommandOutput>;

/** Clients of ACCOUNT/REGION whose Security Hub answers with `answer`; `sent` holds every request's finding ids (retries included). */
function securityHubClients(answer: Answer): { clients: AwsClients; sent: string[][] } {
  const sent: string[][] = [];
  const client = new SecurityHubClient({ region: REGION, maxAttempts: MAX_ATTEMPTS, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, retryStrategy: new ConfiguredRetryStrategy(MAX_ATTEMPTS, 1) });
  answerCommands(client, 'securityHubTest', (_service, operation, input) => {
    if (operation !== 'BatchImportFindings') throw new Error(`unexpected ${operation}`);
    const findings = (input as BatchImportFindingsCommandInput).Findings ?? [];
    sent.push(findings.map((f) => f.Id ?? ''));
    return { FailedCount: 0, SuccessCount: findings.length, FailedFindings: [], ...answer(findings, sent.length) };
  });
  const clients: AwsClients = { account: ACCOUNT, region: REGION, get: <C>() => client as C };
  return { clients, sent };
}

function findings(count: number): AwsSecurityFinding[] {
  return Array.from({ length: count }, (_, index) => toAsff(exportedFinding({ findingId: `finding-${String(index).padStart(3, '0')}`, account: ACCOUNT, region: REGION })));
}

const accepted: Answer = () => ({});

describe('importAccountFindings: batches', () => {
  it.each([
    [1, [1]],
    [100, [100]],
    [101, [100, 1]],
    [250, [100, 100, 50]],
  ])('%i findings -> requests of %j', async (count, sizes) => {
    const { clients, sent } = securityHubClients(accepted);
    const result = await importAccountFindings(clients, findings(count), ROLE);
    expect(sent.map((ids) => ids.length)).toEqual(sizes);
    expect(sent.flat()).toEqual(findings(count).map((f) => f.Id));
    expect(result).toEqual({ account: ACCOUNT, region: REGION, imported: count, failures: [] });
    expect(IMPORT_BATCH_SIZE).toBe(100);
  });

  it('no finding: no request', async () => {
    const { clients, sent } = securityHubClients(accepted);
    expect(await importAccountFindings(clients, [], ROLE)).toEqual({ account: ACCOUNT, region: REGION, imported: 0, failures: [] });
    expect(sent).toEqual([]);
  });

  it('refuses a finding about another account before any request (Security Hub takes it only from that account)', async () => {
    const { clients, sent } = securityHubClients(accepted);
    const foreign = toAsff(exportedFinding({ account: '214000000002', region: REGION }));
    await expect(importAccountFindings(clients, [foreign], ROLE)).rejects.toThrow(/about 214000000002.*account 214000000001 imports only its own findings/);
    expect(sent).toEqual([]);
  });
});

describe('importAccountFindings: partial failures (FailedFindings)', () => {
  const failing = (ids: readonly string[], code = 'InvalidInput') => (batch: AwsSecurityFinding[]) => {
    const failed = batch.filter((f) => ids.includes(f.Id ?? '')).map((f) => ({ Id: f.Id, ErrorCode: code, ErrorMessage: 'Finding does not adhere to Amazon Security Finding Format' }));
    return { FailedCount: failed.length, SuccessCount: batch.length - failed.length, FailedFindings: failed };
  };

  it('sends the failed findings once more, alone: what passes then is imported', async () => {
    const { clients, sent } = securityHubClients((batch, call) => (call === 1 ? failing(['finding-003', 'finding-007'])(batch) : {}));
    const result = await importAccountFindings(clients, findings(10), ROLE);
    expect(sent.slice(1)).toEqual([['finding-003', 'finding-007']]);
    expect(result).toEqual({ account: ACCOUNT, region: REGION, imported: 10, failures: [] });
  });

  it('what fails twice is reported with its ErrorCode and ErrorMessage, and never sent a third time', async () => {
    const { clients, sent } = securityHubClients(failing(['finding-003']));
    const result = await importAccountFindings(clients, findings(10), ROLE);
    expect(sent.map((ids) => ids.length)).toEqual([10, 1]);
    expect(result.imported).toBe(9);
    expect(result.failures).toEqual([{ findingId: 'finding-003', errorCode: 'InvalidInput', errorMessage: 'InvalidInput: Finding does not adhere to Amazon Security Finding Format' }]);
  });

  it('a finding refused for the account says Security Hub is not enabled there', async () => {
    const { clients } = securityHubClients(failing(['finding-000'], 'InvalidAccess'));
    const [failure] = (await importAccountFindings(clients, findings(1), ROLE)).failures;
    expect(failure?.errorMessage).toMatch(/^InvalidAccess: .*Security Hub is not enabled in account 214000000001 eu-west-1/);
  });
});

describe('importAccountFindings: refused requests', () => {
  it('throttling is retried by the SDK until it passes', async () => {
    const { clients, sent } = securityHubClients((_, call) => {
      if (call <= 3) throw serviceError('TooManyRequestsException', 429, 'Rate exceeded');
      return {};
    });
    const result = await importAccountFindings(clients, findings(5), ROLE);
    expect(sent).toHaveLength(4);
    expect(result).toEqual({ account: ACCOUNT, region: REGION, imported: 5, failures: [] });
  });

  it('throttling past the SDK\'s attempts is reported for that batch, and the next batch is still sent', async () => {
    const { clients, sent } = securityHubClients((batch) => {
      if (batch.length === 100) throw serviceError('TooManyRequestsException', 429, 'Rate exceeded');
      return {};
    });
    const result = await importAccountFindings(clients, findings(150), ROLE);
    expect(sent.map((ids) => ids.length)).toEqual([...Array<number>(MAX_ATTEMPTS).fill(100), 50]);
    expect(result.imported).toBe(50);
    expect(result.failures).toHaveLength(100);
    expect(result.failures[0]).toEqual({ findingId: 'finding-000', errorCode: 'TooManyRequestsException', errorMessage: 'TooManyRequestsException: Rate exceeded' });
  });

  it('AccessDenied names the action, the role, the account\'s product ARN and the stack to update; no further batch is sent', async () => {
    const { clients, sent } = securityHubClients(() => {
      throw serviceError('AccessDeniedException', 403, `User: arn:aws:sts::${ACCOUNT}:assumed-role/ComplianceAuditorMemberRole/compliance-auditor is not authorized to perform: securityhub:BatchImportFindings`);
    });
    const result = await importAccountFindings(clients, findings(250), ROLE);
    expect(sent).toHaveLength(1);
    expect(result.imported).toBe(0);
    expect(result.failures).toHaveLength(250);
    const [failure] = result.failures;
    expect(failure?.errorCode).toBe('AccessDeniedException');
    expect(failure?.errorMessage).toContain('The audit role ComplianceAuditorMemberRole of account 214000000001 needs securityhub:BatchImportFindings on arn:aws:securityhub:eu-west-1:214000000001:product/214000000001/default');
    expect(failure?.errorMessage).toContain('member-account stack');
  });

  it('Security Hub not enabled (InvalidAccessException) says so, and no further batch is sent', async () => {
    const { clients, sent } = securityHubClients(() => {
      throw serviceError('InvalidAccessException', 401, `Account ${ACCOUNT} is not subscribed to AWS Security Hub`);
    });
    const result = await importAccountFindings(clients, findings(150), ROLE);
    expect(sent).toHaveLength(1);
    expect(result.failures).toHaveLength(150);
    expect(result.failures[0]?.errorMessage).toMatch(/Security Hub is not enabled in account 214000000001 eu-west-1: enable it there \(or set securityHub=false\)/);
  });
});

describe('the default product ARN', () => {
  it.each([
    ['214000000001', 'us-east-1', 'arn:aws:securityhub:us-east-1:214000000001:product/214000000001/default'],
    ['214000000002', 'eu-west-1', 'arn:aws:securityhub:eu-west-1:214000000002:product/214000000002/default'],
    ['214000000003', 'cn-north-1', 'arn:aws-cn:securityhub:cn-north-1:214000000003:product/214000000003/default'],
    ['214000000004', 'us-gov-west-1', 'arn:aws-us-gov:securityhub:us-gov-west-1:214000000004:product/214000000004/default'],
  ])('account %s, region %s -> %s (and the ASFF of a finding there names it)', (account, region, arn) => {
    expect(defaultProductArn(account, region)).toBe(arn);
    expect(toAsff(exportedFinding({ account, region })).ProductArn).toBe(arn);
  });
});
