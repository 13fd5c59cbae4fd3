/**
 * securityHub=true on moto: a bucket audited through the project's client
 * factory (AssumeRole into the member account) has its findings imported by
 * BatchImportFindings into the member account's own Security Hub (the SDK
 * serializes the ASFF against its model on the way); once the bucket is
 * fixed, the next audit resolves the finding and the import archives it
 * (RecordState ARCHIVED, Compliance PASSED). Read back with GetFindings,
 * filtered here: motoGap('moto-securityhub-get-findings-filters-ignored').
 */
import { CreateBucketCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig, type Config } from '../../services/core/config.ts';
import { findingIdOf } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import { defaultProductArn } from '../../services/exports/asff.ts';
import { MemoryFindingsStore } from '../../services/findings-store/memoryFindingsStore.ts';
import { processMessage, type MessageOutcome } from '../../services/remediator/processMessage.ts';
import { startRun } from '../../services/remediator/remediatorRun.ts';
import { motoGap } from './gaps.ts';
import { motoEnvironment } from './moto.ts';

const MEMBER = '260000000005';
const REGION = 'us-east-1';
const EXTERNAL_ID = 'security-hub-on-moto';
const CHECK = 's3_bucket.public_access_block_off';
const GAP = motoGap('moto-securityhub-get-findings-filters-ignored');
const T1 = new Date('2026-12-05T02:00:00.000Z');
const T2 = new Date('2026-12-06T02:00:00.000Z');

function configOf(): Config {
  return loadConfig({ flags: { accounts: [MEMBER], regions: [REGION], externalId: EXTERNAL_ID, securityHub: true } });
}

/** The member account's findings from this tool's product (filtered here: the gap). */
async function importedFindings(factory: ClientFactory): Promise<AwsSecurityFinding[]> {
  const { Findings = [] } = await factory.forAccount(MEMBER, REGION).get(SecurityHubClient).send(
    new GetFindingsCommand({ Filters: { ProductArn: [{ Value: defaultProductArn(MEMBER, REGION), Comparison: 'EQUALS' }] } }),
  );
  return Findings.filter((finding) => finding.ProductArn === defaultProductArn(MEMBER, REGION));
}

describe('Security Hub import on moto (integration)', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('imports the findings into the member account\'s Security Hub, then archives the one fixed', async () => {
    expect(GAP.workaround.test).toBe('tests/integration/securityHubOnMoto.test.ts');
    const config = configOf();
    const factory = new ClientFactory({ memberRoleName: config.memberRoleName, externalId: EXTERNAL_ID, assumeRole: true, env: process.env });
    const member = factory.forAccount(MEMBER, REGION);
    await member.get(SecurityHubClient).send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    const bucket = `security-hub-on-moto-${Date.now()}`;
    await member.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket }));

    const log = memoryLog();
    const store = new MemoryFindingsStore();
    const directory = new AccountDirectory(config, factory.forSecurityAccount(REGION));
    const audit = async (now: Date): Promise<MessageOutcome> =>
      processMessage(JSON.stringify({ account: MEMBER, region: REGION, type: 's3_bucket', id: bucket }), await startRun(config, factory, directory, log, { now, findings: store }));

    const first = await audit(T1);
    if (first.status !== 'audited') throw new Error(`audit: ${JSON.stringify(first)}`);
    const findingId = findingIdOf(CHECK, MEMBER, REGION, bucket);
    expect(first.findings.map((f) => f.findingId)).toContain(findingId);
    expect(first.securityHub).toEqual({ imported: first.findings.length, failed: 0 });
    const imported = await importedFindings(factory);
    const ours = imported.filter((f) => first.findings.some((finding) => finding.findingId === f.Id));
    expect(ours).toHaveLength(first.findings.length);
    const open = ours.find((f) => f.Id === findingId);
    expect(open).toMatchObject({
      AwsAccountId: MEMBER,
      GeneratorId: CHECK,
      RecordState: 'ACTIVE',
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${bucket}`, Partition: 'aws', Region: REGION }],
      UpdatedAt: T1.toISOString(),
    });

    await member.get(S3Client).send(
      new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
    );
    const second = await audit(T2);
    if (second.status !== 'audited') throw new Error(`audit: ${JSON.stringify(second)}`);
    expect(second.changes?.map((c) => [c.transition, c.finding.findingId])).toEqual([['resolved', findingId]]);
    expect(second.securityHub).toEqual({ imported: 1, failed: 0 });
    const after = await importedFindings(factory);
    expect(after.find((f) => f.Id === findingId)).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' }, CreatedAt: T1.toISOString(), UpdatedAt: T2.toISOString() });
    // The others did not change: not imported again.
    expect(after.filter((f) => f.Id !== findingId && ours.some((o) => o.Id === f.Id)).map((f) => [f.RecordState, f.UpdatedAt])).toEqual(
      ours.filter((f) => f.Id !== findingId).map(() => ['ACTIVE', T1.toISOString()]),
    );
    expect(log.lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
