/** The remediator assumes an account's role once per container, whatever the regions of its records. */
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { loadConfig } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { createRemediatorHandler } from '../../services/remediator/remediatorHandler.ts';
import { assumingSandbox } from '../helpers/assumingSandbox.ts';
import { sqsRecord } from '../helpers/sqsRecord.ts';

const ACCOUNT = '218000000011';
const HOME = 'us-east-1';

const bucketMessage = (id: string, region: string) => ({ account: ACCOUNT, region, type: 's3_bucket', id });

describe('remediator: one AssumeRole per account per container', () => {
  beforeAll(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIASECURITYACCOUNT0');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'security-account-secret');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('1 account x 4 regions, two invocations: 1 AssumeRole, through the home region', async () => {
    const regions = [HOME, 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
    const organization = assumingSandbox([ACCOUNT], regions, HOME);
    for (const region of regions) await organization.createBucket(ACCOUNT, region, `bucket-${region}`);
    const config = loadConfig({ flags: { accounts: [ACCOUNT], regions, homeRegion: HOME }, env: {} });
    const handler = createRemediatorHandler({ config, factory: organization.factory, log: memoryLog(), directory: new AccountDirectory(config, organization.factory.forSecurityAccount(HOME)) });
    const event = (regionsOfBatch: string[]): SQSEvent => ({ Records: regionsOfBatch.map((region, index) => sqsRecord(bucketMessage(`bucket-${region}`, region), index)) });
    expect(await handler(event(regions.slice(0, 2)))).toEqual({ batchItemFailures: [] });
    expect(await handler(event(regions.slice(2)))).toEqual({ batchItemFailures: [] });
    expect(organization.assumeRoles).toEqual([`${ACCOUNT}/${HOME}`]);
  });
});
