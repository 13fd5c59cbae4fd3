/**
 * Exceptions kept in SSM and S3, read through moto with the security
 * account's own credentials (moto's default account), as the remediator's
 * startRun reads them.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientFactory, type AwsClients } from '../../services/core/clientFactory.ts';
import { loadConfig } from '../../services/core/config.ts';
import { EXCEPTIONS_CACHE_MS, ExceptionsSource } from '../../services/core/exceptionsSource.ts';
import { motoEnvironment } from './moto.ts';
import { motoFactoryEnv } from './motoPipeline.ts';

const BUCKET = 'exceptions-source-on-moto';
const PARAMETER = '/compliance-auditor/exceptions-on-moto';
const FROM_PARAMETER = [{ checkId: 's3_bucket.public_acl', id: 'marketing-*', expires: '2027-03-31', reason: 'campaign site, SEC-142' }];
const FROM_OBJECT = [{ account: '111111111111', type: 'ec2', reason: 'lab account' }];

describe('exceptions from SSM and S3 (integration, moto)', () => {
  let clients: AwsClients;
  afterAll(() => vi.unstubAllEnvs());
  beforeAll(async () => {
    // The security account's clients take the ambient credentials, as in Lambda.
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
    clients = new ClientFactory({ memberRoleName: 'ComplianceAuditorMemberRole', assumeRole: false, env: motoFactoryEnv() }).forSecurityAccount('us-east-1');
    await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: BUCKET }));
    await clients.get(S3Client).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'exceptions.json', Body: JSON.stringify(FROM_OBJECT), ContentType: 'application/json' }));
    await clients.get(S3Client).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'broken.json', Body: '[{"id": "x", "expires": "next week"}]' }));
    await clients.get(SSMClient).send(new PutParameterCommand({ Name: PARAMETER, Type: 'SecureString', Value: JSON.stringify(FROM_PARAMETER), Overwrite: true }));
  });

  it('adds what the parameter and the object hold to the configured exceptions', async () => {
    const config = loadConfig({ flags: { exceptions: [{ id: 'configured-bucket' }], exceptionsParameter: PARAMETER, exceptionsObject: `${BUCKET}/exceptions.json` } });
    expect(await new ExceptionsSource().exceptionsFor(config, clients)).toEqual([{ id: 'configured-bucket' }, ...FROM_PARAMETER, ...FROM_OBJECT]);
  });

  it('reads again only after the cache time, and does not cache a failure', async () => {
    let now = 0;
    const source = new ExceptionsSource(() => now);
    const config = loadConfig({ flags: { exceptionsParameter: PARAMETER } });
    expect(await source.exceptionsFor(config, clients)).toEqual(FROM_PARAMETER);
    const changed = [{ id: 'edited-without-redeploy' }];
    await clients.get(SSMClient).send(new PutParameterCommand({ Name: PARAMETER, Type: 'SecureString', Value: JSON.stringify(changed), Overwrite: true }));
    now = EXCEPTIONS_CACHE_MS - 1;
    expect(await source.exceptionsFor(config, clients)).toEqual(FROM_PARAMETER);
    now = EXCEPTIONS_CACHE_MS;
    expect(await source.exceptionsFor(config, clients)).toEqual(changed);
    await clients.get(SSMClient).send(new PutParameterCommand({ Name: PARAMETER, Type: 'SecureString', Value: JSON.stringify(FROM_PARAMETER), Overwrite: true }));
  });

  it.each([
    ['a parameter that does not exist', { exceptionsParameter: '/compliance-auditor/missing' }, /cannot read the exceptions in SSM parameter \/compliance-auditor\/missing: .*ParameterNotFound/],
    ['an object that does not exist', { exceptionsObject: `${BUCKET}/missing.json` }, new RegExp(`cannot read the exceptions in s3://${BUCKET}/missing.json: .*NoSuchKey`)],
    ['an object with an invalid exception', { exceptionsObject: `${BUCKET}/broken.json` }, /s3:\/\/exceptions-source-on-moto\/broken.json: 0.expires: must be an ISO date/],
  ])('%s stops the run with a clear error', async (_case, flags, message) => {
    await expect(new ExceptionsSource().exceptionsFor(loadConfig({ flags }), clients)).rejects.toThrow(message);
  });
});
