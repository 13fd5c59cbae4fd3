/**
 * remediator --security-hub on a sandbox account: the findings go to the
 * account's Security Hub too, the summary line counts them, and where
 * Security Hub refuses them the run ends with exit code 2 (the findings
 * still printed), the refusal logged.
 */
import { Readable } from 'node:stream';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { memoryLog } from '../../services/core/log.ts';
import { REMEDIATOR_HELP, runRemediator } from '../../services/remediator/cli.ts';

const ACCOUNT = '111111111111';
const BUCKET = 'plain-bucket';
const LINE = JSON.stringify({ account: ACCOUNT, region: 'us-east-1', type: 's3_bucket', id: BUCKET });

async function sandboxAccount(securityHubOn: boolean): Promise<ClientFactory> {
  const sandbox = new Sandbox(createSandboxState({ accounts: [ACCOUNT], regions: ['us-east-1'] }));
  const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  await factory.forAccount(ACCOUNT, 'us-east-1').get(S3Client).send(new CreateBucketCommand({ Bucket: BUCKET }));
  if (securityHubOn) await factory.forAccount(ACCOUNT, 'us-east-1').get(SecurityHubClient).send(new EnableSecurityHubCommand({}));
  return factory;
}

async function run(factory: ClientFactory, args: string[]) {
  const output: string[] = [];
  const log = memoryLog();
  const code = await runRemediator(['--accounts', ACCOUNT, ...args], { input: Readable.from([`${LINE}\n`]), write: (t) => output.push(t), isTty: false, log, factory });
  return { code, printed: output.join('').trim().split('\n').map((l) => JSON.parse(l) as { findingId: string }), log };
}

describe('remediator --security-hub', () => {
  it('imports the findings into the account\'s Security Hub and says how many', async () => {
    const factory = await sandboxAccount(true);
    const { code, printed, log } = await run(factory, ['--security-hub']);
    expect(code).toBe(1);
    const { Findings = [] } = await factory.forAccount(ACCOUNT, 'us-east-1').get(SecurityHubClient).send(new GetFindingsCommand({}));
    expect(Findings.map((f) => f.Id).sort()).toEqual(printed.map((f) => f.findingId).sort());
    expect(log.lines.at(-1)?.message).toMatch(new RegExp(`; Security Hub: ${printed.length} imported$`));
  });

  it('without the flag: nothing imported', async () => {
    const factory = await sandboxAccount(true);
    const { log } = await run(factory, []);
    expect((await factory.forAccount(ACCOUNT, 'us-east-1').get(SecurityHubClient).send(new GetFindingsCommand({}))).Findings).toEqual([]);
    expect(log.lines.at(-1)?.message).not.toContain('Security Hub');
  });

  it('Security Hub not enabled: the findings are printed, the refusals logged and counted, exit code 2', async () => {
    const factory = await sandboxAccount(false);
    const { code, printed, log } = await run(factory, ['--security-hub']);
    expect(code).toBe(2);
    expect(printed.length).toBeGreaterThan(0);
    expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(printed.length);
    expect(log.lines.at(-1)?.message).toContain(`Security Hub: 0 imported, ${printed.length} NOT imported`);
  });

  it('--help names the flag', () => {
    expect(REMEDIATOR_HELP).toMatch(/--security-hub\s+also import the findings into Security Hub/);
  });
});
