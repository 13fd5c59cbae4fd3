/**
 * The moto server from the global setup answers, keeps accounts apart, and
 * is reached through the project's one client factory by AssumeRole with the
 * ExternalId, the way the poller and remediator reach member accounts.
 */
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { motoEndpoint, motoEnvironment } from './moto.ts';

const MEMBER = '210000000001';

describe('moto server (integration)', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('answers on the endpoint the global setup provides', async () => {
    const response = await fetch(`${motoEndpoint()}/moto-api/`);
    expect(response.status).toBe(200);
  });

  it('keeps a member account reached through AssumeRole apart from the caller', async () => {
    const factory = new ClientFactory({ memberRoleName: 'ComplianceAuditorMemberRole', externalId: 'integration-external-id', assumeRole: true });
    const member = factory.forAccount(MEMBER, 'us-east-1');
    const identity = await member.get(STSClient).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(MEMBER);

    await member.get(S3Client).send(new CreateBucketCommand({ Bucket: 'moto-smoke-member-bucket' }));
    const inMember = await member.get(S3Client).send(new ListBucketsCommand({}));
    const inCaller = await factory.forSecurityAccount('us-east-1').get(S3Client).send(new ListBucketsCommand({}));
    expect(inMember.Buckets?.map((bucket) => bucket.Name)).toContain('moto-smoke-member-bucket');
    expect(inCaller.Buckets?.map((bucket) => bucket.Name) ?? []).not.toContain('moto-smoke-member-bucket');
  });
});
