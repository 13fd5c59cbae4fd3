import { Readable } from 'node:stream';
import { CreateBucketCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { memoryLog } from '../../services/core/log.ts';
import { runRemediator } from '../../services/remediator/cli.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';

const ACCOUNT = '111111111111';
const BUCKETS = ['public-site-a', 'public-site-b', 'public-site-c', 'public-site-d'];

/** A sandbox organization whose buckets are public by policy (a safe remediation each). */
async function sandboxWithPublicBuckets(): Promise<ClientFactory> {
  const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT], regions: ['us-east-1'] }));
  const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  const s3 = factory.forAccount(ACCOUNT, 'us-east-1').get(S3Client);
  for (const bucket of BUCKETS) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    await s3.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] }),
    }));
  }
  return factory;
}

describe('remediator CLI: the hourly brake counts in the process', () => {
  it('--max-remediations-per-hour 2 on the sandbox: two policies fixed, the rest planned with the reason', async () => {
    const factory = await sandboxWithPublicBuckets();
    const output: string[] = [];
    const lines = BUCKETS.map((id) => `${JSON.stringify({ account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id })}\n`);
    await runRemediator(['--accounts', ACCOUNT, '--remediate', '--max-remediations-per-hour', '2', '--skip-checks', 's3_bucket.tls_not_enforced,s3_bucket.public_access_block_off'], {
      input: Readable.from(lines), write: (t) => output.push(t), isTty: false, log: memoryLog(), factory,
    });
    const findings = output.join('').trim().split('\n').map((l) => JSON.parse(l) as { checkId: string; remediation: string; remediationDetail?: string });
    const policy = findings.filter((f) => f.checkId === 's3_bucket.public_policy');
    expect(policy).toHaveLength(4);
    expect(policy.filter((f) => f.remediation === 'applied')).toHaveLength(2);
    const planned = policy.filter((f) => f.remediation === 'planned');
    expect(planned).toHaveLength(2);
    expect(planned.every((f) => f.remediationDetail?.startsWith('organization-wide cap of 2 remediations per hour reached; resumes at '))).toBe(true);
  });
});
