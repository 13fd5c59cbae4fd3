import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory, MAX_ATTEMPTS } from '../../services/core/clientFactory.ts';
import { MemberCredentials } from '../../services/core/credentials.ts';
import { AssumeRoleError } from '../../services/core/errors.ts';
import { awsError } from '../helpers/context.ts';

const sts = mockClient(STSClient);

function credentialsExpiringAt(expiration: Date, key = 'ASIAEXAMPLE0000001') {
  return {
    Credentials: { AccessKeyId: key, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: expiration },
    AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:compliance-auditor', Arn: 'arn:aws:sts::111111111111:assumed-role/ComplianceAuditorMemberRole/compliance-auditor' },
  };
}

describe('member credentials', () => {
  beforeEach(() => sts.reset());

  const FOUR_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'af-south-1'];
  const stsRegions = async () => Promise.all(sts.commandCalls(AssumeRoleCommand).map(async (call) => (call.thisValue as unknown as STSClient).config.region()));

  it.each([
    ['at the same time', async (credentials: MemberCredentials) => Promise.all(FOUR_REGIONS.map((region) => credentials.get('111111111111', region)))],
    ['one region after another', async (credentials: MemberCredentials) => {
      const results = [];
      for (const region of FOUR_REGIONS) results.push(await credentials.get('111111111111', region));
      return results;
    }],
  ])('assumes the member role with the ExternalId once for an account\'s four regions asked %s, through the home region\'s STS', async (_when, ask) => {
    sts.on(AssumeRoleCommand).resolves(credentialsExpiringAt(new Date(Date.now() + 3600_000)));
    const credentials = new MemberCredentials({ memberRoleName: 'ComplianceAuditorMemberRole', externalId: 'ext-123', maxAttempts: 8, homeRegion: 'eu-west-1' });
    const results = await ask(credentials);
    expect(results.map((r) => r.accessKeyId)).toEqual(FOUR_REGIONS.map(() => 'ASIAEXAMPLE0000001'));
    const calls = sts.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      RoleArn: 'arn:aws:iam::111111111111:role/ComplianceAuditorMemberRole',
      ExternalId: 'ext-123',
      RoleSessionName: 'compliance-auditor',
    });
    expect(await stsRegions()).toEqual(['eu-west-1']);
  });

  it('a region of another partition asks its own STS; without a home region each region asks its own', async () => {
    sts.on(AssumeRoleCommand).resolves(credentialsExpiringAt(new Date(Date.now() + 3600_000)));
    const withHome = new MemberCredentials({ memberRoleName: 'R', maxAttempts: 8, homeRegion: 'us-east-1' });
    await Promise.all(['us-east-1', 'eu-west-1', 'us-gov-west-1', 'us-gov-east-1'].map((region) => withHome.get('111111111111', region)));
    expect(await stsRegions()).toEqual(['us-east-1', 'us-gov-west-1', 'us-gov-east-1']);
    sts.resetHistory();
    const withoutHome = new MemberCredentials({ memberRoleName: 'R', maxAttempts: 8 });
    await Promise.all(['us-east-1', 'eu-west-1', 'eu-west-1'].map((region) => withoutHome.get('111111111111', region)));
    expect(await stsRegions()).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('uses the regional STS endpoint of the asking region', async () => {
    sts.on(AssumeRoleCommand).resolves(credentialsExpiringAt(new Date(Date.now() + 3600_000)));
    await new MemberCredentials({ memberRoleName: 'R', maxAttempts: 8 }).get('111111111111', 'eu-west-1');
    const client = sts.commandCalls(AssumeRoleCommand)[0]?.thisValue as unknown as STSClient;
    expect(await client.config.region()).toBe('eu-west-1');
  });

  it('reuses credentials until five minutes before expiry, then assumes again', async () => {
    let now = Date.parse('2026-11-20T12:00:00Z');
    sts.on(AssumeRoleCommand).resolvesOnce(credentialsExpiringAt(new Date(now + 3600_000), 'ASIAFIRST')).resolves(credentialsExpiringAt(new Date(now + 7200_000), 'ASIASECOND'));
    const credentials = new MemberCredentials({ memberRoleName: 'R', maxAttempts: 8 }, () => now);
    expect((await credentials.get('111111111111', 'us-east-1')).accessKeyId).toBe('ASIAFIRST');
    now += 54 * 60_000;
    expect((await credentials.get('111111111111', 'us-east-1')).accessKeyId).toBe('ASIAFIRST');
    now += 2 * 60_000;
    expect((await credentials.get('111111111111', 'us-east-1')).accessKeyId).toBe('ASIASECOND');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('keeps a separate cache entry per account and uses the partition of the region', async () => {
    sts.on(AssumeRoleCommand).resolves(credentialsExpiringAt(new Date(Date.now() + 3600_000)));
    const credentials = new MemberCredentials({ memberRoleName: 'R', maxAttempts: 8 });
    await credentials.get('111111111111', 'us-east-1');
    await credentials.get('222222222222', 'us-gov-west-1');
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      'arn:aws:iam::111111111111:role/R',
      'arn:aws-us-gov:iam::222222222222:role/R',
    ]);
  });

  it('a region whose own STS refuses (deactivated there) still gets credentials: the home region\'s STS issues them', async () => {
    sts.on(AssumeRoleCommand).callsFake(async (_input: unknown, getClient: () => STSClient) => {
      if ((await getClient().config.region()) === 'af-south-1') throw awsError('RegionDisabledException', 403, 'STS is not activated in this region for account:111111111111');
      return credentialsExpiringAt(new Date(Date.now() + 3600_000));
    });
    const homeElsewhere = new MemberCredentials({ memberRoleName: 'R', maxAttempts: 8, homeRegion: 'us-east-1' });
    expect((await homeElsewhere.get('111111111111', 'af-south-1')).accessKeyId).toBe('ASIAEXAMPLE0000001');
    const homeThere = new MemberCredentials({ memberRoleName: 'R', maxAttempts: 8, homeRegion: 'af-south-1' });
    await expect(homeThere.get('111111111111', 'us-east-1')).rejects.toThrow(/through STS in af-south-1.*RegionDisabledException/);
  });

  it('AccessDenied becomes an AssumeRoleError that says what to check, and is not cached', async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(awsError('AccessDenied', 403, 'User is not authorized to perform: sts:AssumeRole')).resolves(credentialsExpiringAt(new Date(Date.now() + 3600_000)));
    const credentials = new MemberCredentials({ memberRoleName: 'R', maxAttempts: 8 });
    const failure = credentials.get('111111111111', 'us-east-1');
    await expect(failure).rejects.toThrow(AssumeRoleError);
    await expect(failure).rejects.toThrow(/AccessDenied.*member-account stack is deployed in 111111111111/);
    expect((await credentials.get('111111111111', 'us-east-1')).accessKeyId).toBe('ASIAEXAMPLE0000001');
  });
});

describe('client factory', () => {
  it('makes one client per (service, account, region) with more retries than the default', async () => {
    const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: false, env: {} });
    const a = factory.forAccount('111111111111', 'us-east-1').get(S3Client);
    expect(factory.forAccount('111111111111', 'us-east-1').get(S3Client)).toBe(a);
    expect(factory.forAccount('111111111111', 'eu-west-1').get(S3Client)).not.toBe(a);
    expect(factory.forAccount('222222222222', 'us-east-1').get(S3Client)).not.toBe(a);
    expect(await a.config.maxAttempts()).toBe(MAX_ATTEMPTS);
    expect(MAX_ATTEMPTS).toBeGreaterThanOrEqual(8);
  });

  describe('against an AWS-compatible endpoint (AWS_ENDPOINT_URL)', () => {
    const requests: { method?: string; url?: string; host?: string }[] = [];
    let server: Server;
    let endpoint: string;

    beforeAll(async () => {
      server = createServer((request: IncomingMessage, response) => {
        requests.push({ method: request.method, url: request.url, host: request.headers.host });
        response.setHeader('content-type', 'application/xml');
        if (request.url?.startsWith('/v20180820/configuration/publicAccessBlock')) {
          response.end('<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>');
        } else {
          response.setHeader('content-type', 'application/json');
          response.end('{"Version":"2012-10-17","Statement":[]}');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('uses path-style S3 and keeps S3 Control on the plain host', async () => {
      const previous = process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL = endpoint;
      process.env.AWS_ACCESS_KEY_ID ??= 'test';
      process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
      try {
        const env = { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
        const clients = new ClientFactory({ memberRoleName: 'R', assumeRole: false, env }).forAccount('111111111111', 'us-east-1');
        const policy = await clients.get(S3Client).send(new GetBucketPolicyCommand({ Bucket: 'acme-logs' }));
        expect(policy.Policy).toContain('2012-10-17');
        const block = await clients.get(S3ControlClient).send(new GetPublicAccessBlockCommand({ AccountId: '111111111111' }));
        expect(block.PublicAccessBlockConfiguration?.RestrictPublicBuckets).toBe(false);
        const host = new URL(endpoint).host;
        expect(requests[0]).toMatchObject({ method: 'GET', host });
        expect(requests[0]?.url).toMatch(/^\/acme-logs\/?\?policy/);
        expect(requests[1]).toMatchObject({ method: 'GET', host });
        expect(requests[1]?.url).toMatch(/^\/v20180820\/configuration\/publicAccessBlock/);
      } finally {
        if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
        else process.env.AWS_ENDPOINT_URL = previous;
      }
    });
  });
});
