/** --framework on the remediator: findings carry their controls; a filtered-out check is neither reported nor remediated. */
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { ConfigError } from '../../services/core/errors.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import { runRemediator } from '../../services/remediator/cli.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';

const ACCOUNT = '151515151515';
const BUCKET = 'public-site';
const MESSAGE = JSON.stringify({ account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id: BUCKET });
const PUBLIC_STATEMENT = { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };

describe('remediator --framework', () => {
  let s3: S3Client;
  let factory: ClientFactory;
  beforeEach(async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT], regions: ['us-east-1'] }));
    factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
    s3 = factory.forAccount(ACCOUNT, 'us-east-1').get(S3Client);
    // Public by policy (FSBP S3.2/S3.3), no TLS deny (FSBP S3.5, CIS 2.1.1), bucket Public Access Block off (FSBP S3.8, CIS 2.1.4), no tags (no control).
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [PUBLIC_STATEMENT] }) }));
  });

  async function run(args: string[]) {
    const output: string[] = [];
    const code = await runRemediator(['--accounts', ACCOUNT, '--required-tags', 'owner', ...args], { input: Readable.from([`${MESSAGE}\n`]), write: (t) => output.push(t), isTty: false, log: memoryLog(), factory });
    const findings = output.join('').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Finding);
    return { code, findings };
  }

  it.each([
    ['no --framework: every failed check', [], ['s3_bucket.missing_required_tags', 's3_bucket.public_access_block_off', 's3_bucket.public_policy', 's3_bucket.tls_not_enforced']],
    ['--framework fsbp: the checks with an FSBP control', ['--framework', 'fsbp'], ['s3_bucket.public_access_block_off', 's3_bucket.public_policy', 's3_bucket.tls_not_enforced']],
    ['--framework cis: the checks with a CIS v3.0.0 recommendation', ['--framework', 'cis'], ['s3_bucket.public_access_block_off', 's3_bucket.tls_not_enforced']],
  ])('%s', async (_case, args, checkIds) => {
    const { code, findings } = await run(args);
    expect(code).toBe(1);
    expect(findings.map((f) => f.checkId).sort()).toEqual(checkIds);
  });

  it('a finding carries its check\'s controls, and none when the check declares none', async () => {
    const { findings } = await run([]);
    const byCheck = Object.fromEntries(findings.map((f) => [f.checkId, f]));
    expect(byCheck['s3_bucket.public_access_block_off']?.controls).toEqual({ fsbp: ['S3.8'], cis: ['2.1.4'] });
    expect(byCheck['s3_bucket.tls_not_enforced']?.controls).toEqual({ fsbp: ['S3.5'], cis: ['2.1.1'] });
    expect(byCheck['s3_bucket.public_policy']?.controls).toEqual({ fsbp: ['S3.2', 'S3.3'] });
    expect(byCheck['s3_bucket.missing_required_tags']).toBeDefined();
    expect(byCheck['s3_bucket.missing_required_tags']).not.toHaveProperty('controls');
  });

  it('FRAMEWORK in the environment filters too; the flag wins over it', async () => {
    process.env.FRAMEWORK = 'cis';
    try {
      expect((await run([])).findings.map((f) => f.checkId).sort()).toEqual(['s3_bucket.public_access_block_off', 's3_bucket.tls_not_enforced']);
      expect((await run(['--framework', 'fsbp'])).findings).toHaveLength(3);
    } finally {
      delete process.env.FRAMEWORK;
    }
  });

  it('with --framework cis and --remediate, the public policy (FSBP only, a safe remediation) is left alone; the CIS checks are fixed', async () => {
    const { findings } = await run(['--framework', 'cis', '--remediate', '--remediate-checks', 's3_bucket.tls_not_enforced,s3_bucket.public_access_block_off']);
    expect(findings.map((f) => [f.checkId, f.remediation]).sort()).toEqual([
      ['s3_bucket.public_access_block_off', 'applied'],
      ['s3_bucket.tls_not_enforced', 'applied'],
    ]);
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }));
    expect((JSON.parse(Policy ?? '{}') as { Statement: unknown[] }).Statement).toContainEqual(PUBLIC_STATEMENT);
  });

  it('rejects a framework it does not know, naming the flag\'s key and variable', async () => {
    await expect(run(['--framework', 'nist'])).rejects.toThrow(ConfigError);
    await expect(run(['--framework', 'nist'])).rejects.toThrow(/framework \(FRAMEWORK\).*"nist"/);
  });
});
