/** The sandbox itself: loud failures, throttling, latency, persistence, isolation of accounts. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetBucketPolicyCommand, ListBucketsCommand, S3Client, WriteGetObjectResponseCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState, loadSandboxState, saveSandboxState } from '../../sandbox/sandboxState.ts';

const ACCOUNTS = ['111111111111', '222222222222'];
const REGIONS = ['us-east-1', 'eu-west-1'];

function s3Of(sandbox: Sandbox, account = '111111111111', region = 'us-east-1'): S3Client {
  return new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} }).forAccount(account, region).get(S3Client);
}

describe('sandbox', () => {
  it('an operation it does not implement fails loudly, naming the service and operation', async () => {
    const s3 = s3Of(new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS })));
    await expect(s3.send(new WriteGetObjectResponseCommand({ RequestRoute: 'r', RequestToken: 't' }))).rejects.toThrow(
      'the sandbox does not implement S3 WriteGetObjectResponse',
    );
  });

  it('answers with the real error name and HTTP status, as the SDK raises them', async () => {
    const s3 = s3Of(new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS })));
    const error = await s3.send(new GetBucketPolicyCommand({ Bucket: 'missing-bucket' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
  });

  it('keeps accounts apart: a bucket of another account is AccessDenied, not visible in its list', async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }));
    await s3Of(sandbox, '222222222222').send(new CreateBucketCommand({ Bucket: 'theirs' }));
    const mine = s3Of(sandbox, '111111111111');
    expect((await mine.send(new ListBucketsCommand({}))).Buckets).toEqual([]);
    await expect(mine.send(new GetBucketPolicyCommand({ Bucket: 'theirs' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('refuses an account outside the organization', async () => {
    const s3 = s3Of(new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS })), '999999999999');
    await expect(s3.send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
  });

  it('throttles with the service\'s real error once the bucket is empty; the SDK retries it', async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }), { throttle: { ratePerSecond: 0.0001, burst: 2 } });
    const direct = () => sandbox.call('S3', 'ListBuckets', {}, '111111111111', 'us-east-1');
    await direct();
    await direct();
    await expect(direct()).rejects.toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 }, $retryable: { throttling: true } });
    // Through the SDK, with retries, the throttled call is retried (and fails only after the attempts run out).
    const throttled = new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }), { throttle: { ratePerSecond: 20, burst: 1 } });
    const s3 = new S3Client({ region: 'us-east-1', maxAttempts: 8, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    throttled.attach(s3, '111111111111', 'us-east-1');
    await s3.send(new ListBucketsCommand({}));
    const second = await s3.send(new ListBucketsCommand({}));
    expect(second.$metadata.attempts).toBeGreaterThan(1);
  }, 30_000);

  it('adds the configured latency to every call', async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }), { latencyMs: 50 });
    const started = Date.now();
    await sandbox.call('S3', 'ListBuckets', {}, '111111111111', 'us-east-1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('saves and loads its state, so separate processes share one organization', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandbox-')), 'org.json');
    const first = new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }));
    await s3Of(first, '111111111111', 'eu-west-1').send(new CreateBucketCommand({ Bucket: 'kept', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    saveSandboxState(file, first.state);
    const second = new Sandbox(loadSandboxState(file));
    const listed = await s3Of(second).send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([['kept', 'eu-west-1']]);
    expect(listed.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
  });

  it('outputs are copies: changing one does not change the organization', async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: ACCOUNTS, regions: REGIONS }));
    const s3 = s3Of(sandbox);
    await s3.send(new CreateBucketCommand({ Bucket: 'stable' }));
    const listed = await s3.send(new ListBucketsCommand({}));
    listed.Buckets?.splice(0);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toHaveLength(1);
  });
});
