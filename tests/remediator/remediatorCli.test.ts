import { Readable } from 'node:stream';
import { CreateBucketCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { ConfigError } from '../../services/core/errors.ts';
import { memoryLog } from '../../services/core/log.ts';
import { runRemediator } from '../../services/remediator/cli.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';

const ACCOUNT = '111111111111';
const line = (id: string, account = ACCOUNT) => JSON.stringify({ account, region: 'us-east-1', type: 's3_bucket', id });

describe('remediator CLI', () => {
  let factory: ClientFactory;
  beforeEach(async () => {
    const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT], regions: ['us-east-1'] }));
    factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
    const s3 = factory.forAccount(ACCOUNT, 'us-east-1').get(S3Client);
    for (const bucket of ['compliant-logs', 'public-site']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'compliant-logs',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::compliant-logs', 'arn:aws:s3:::compliant-logs/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
        }),
      }),
    );
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'public-site', PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'public-site',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-site/*' }] }),
      }),
    );
  });

  async function run(args: string[], lines: string[], isTty = false) {
    const output: string[] = [];
    const log = memoryLog();
    const code = await runRemediator(['--accounts', ACCOUNT, ...args], { input: Readable.from(lines.map((l) => `${l}\n`)), write: (t) => output.push(t), isTty, log, factory });
    return { code, output: output.join(''), log };
  }

  it('exit 0 and no output when every resource is compliant', async () => {
    const { code, output } = await run([], [line('compliant-logs')]);
    expect(code).toBe(0);
    expect(output).toBe('');
  });

  it('exit 1 with one JSON line per finding when not on a terminal', async () => {
    const { code, output } = await run([], [line('public-site')]);
    expect(code).toBe(1);
    const findings = output.trim().split('\n').map((l) => JSON.parse(l) as { checkId: string; remediation: string });
    expect(findings.map((f) => f.checkId).sort()).toEqual(['s3_bucket.public_access_block_off', 's3_bucket.public_policy', 's3_bucket.tls_not_enforced']);
    expect(findings.every((f) => f.remediation === 'planned')).toBe(true);
  });

  it('a table on a terminal', async () => {
    const { output } = await run([], [line('public-site')], true);
    expect(output.split('\n')[0]).toMatch(/^SEVERITY\s+ACCOUNT\s+REGION\s+RESOURCE\s+CHECK\s+REMEDIATION\s+DETAIL$/);
    expect(output).toContain('s3_bucket.public_policy');
  });

  it('exit 2 when a line is bad or an account is not allowed; the good lines are still audited', async () => {
    const { code, output, log } = await run(['--json'], ['{not json', line('public-site', '222222222222'), line('public-site')]);
    expect(code).toBe(2);
    expect(output.trim().split('\n')).toHaveLength(3);
    const errors = log.lines.filter((l) => l.level === 'error').map((l) => l.message);
    expect(errors).toEqual([expect.stringContaining('line 1: invalid resource message: body is not JSON'), expect.stringContaining('line 2: account 222222222222 is not in the configured accounts')]);
  });

  it('--remediate fixes; a second run finds nothing', async () => {
    const disruptive = 's3_bucket.tls_not_enforced,s3_bucket.public_access_block_off';
    const planned = await run(['--remediate'], [line('public-site')]);
    expect(planned.output.trim().split('\n').map((l) => (JSON.parse(l) as { remediation: string }).remediation)).toEqual(['applied', 'planned', 'planned']);
    const first = await run(['--remediate', '--remediate-checks', disruptive], [line('public-site')]);
    expect(first.code).toBe(1);
    expect(first.output.trim().split('\n').map((l) => (JSON.parse(l) as { remediation: string }).remediation)).toEqual(['applied', 'applied']);
    const second = await run([], [line('public-site')]);
    expect(second.code).toBe(0);
  });

  it('--remediate without --accounts is refused', async () => {
    await expect(runRemediator(['--remediate'], { input: Readable.from([]), write: () => undefined, log: memoryLog(), factory })).rejects.toThrow(ConfigError);
  });
});

describe('remediator CLI: --sandbox on a missing file', () => {
  it('says how to create one, naming only flags that exist', async () => {
    const attempt = runRemediator(['--sandbox', '/nonexistent/org.json', '--accounts', ACCOUNT], { input: Readable.from([]), write: () => undefined, log: memoryLog() });
    await expect(attempt).rejects.toThrow('--sandbox /nonexistent/org.json: no such file (create one with npm run demo -- --save /nonexistent/org.json)');
  });
});
