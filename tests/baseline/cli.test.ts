/** `npx baseline-report`: formats, exit codes, a unit that cannot be read. */
import { describe, expect, it } from 'vitest';
import { runBaselineReport } from '../../services/baseline/cli.ts';
import { ClientFactory, type AwsClients } from '../../services/core/clientFactory.ts';
import { AssumeRoleError } from '../../services/core/errors.ts';
import { memoryLog } from '../../services/core/log.ts';
import { awsError } from '../helpers/context.ts';
import { FakePosture, compliantAccount } from '../helpers/fakePosture.ts';
import { GENERATED_AT, PROD, REGIONS, TEAM, organizationWorld } from './world.ts';

const ARGS = ['--accounts', `${PROD},${TEAM}`, '--regions', REGIONS.join(','), '--no-assume-role'];

/** The organization without its service missing an endpoint (whose SDK retries only slow the test). */
function quickWorld(): FakePosture {
  const world = organizationWorld();
  world.errors.delete(`${PROD}/eu-west-1 AuditManager GetAccountStatus`);
  return world;
}

async function run(argv: string[], factory: ClientFactory): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runBaselineReport(argv, { factory, write: (text) => void (out += text), isTty: false, log: memoryLog(), now: GENERATED_AT });
  return { code, out };
}

describe('baseline-report CLI', () => {
  it('prints the table and exits 1 when a required control is off', async () => {
    const { code, out } = await run(ARGS, quickWorld().factory());
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toMatch(/^ACCOUNT\s+REGION\s+CONTROL\s+STATUS\s+DETAIL$/);
    expect(out).not.toContain('\u001b[');
    expect(out.trimEnd().split('\n').at(-1)).toBe('2 account(s) x 2 region(s): 10 required control(s) off or unknown');
  });

  it('--json: a status map per account, region and control', async () => {
    const { code, out } = await run([...ARGS, '--json'], quickWorld().factory());
    const parsed = JSON.parse(out) as { compliant: boolean; accounts: Record<string, Record<string, { controls: Record<string, { status: string }> }>> };
    expect(code).toBe(1);
    expect(parsed.compliant).toBe(false);
    expect(parsed.accounts[TEAM]?.['us-east-1']?.controls.config?.status).toBe('unknown');
  });

  it('--markdown', async () => {
    const { out } = await run([...ARGS, '--markdown'], quickWorld().factory());
    expect(out.startsWith('## Security baseline\n')).toBe(true);
    expect(out).toContain('### Needs attention');
  });

  it('exits 0 when every required control is on, optional ones off or not', async () => {
    const accounts = { [PROD]: compliantAccount(PROD, REGIONS), [TEAM]: compliantAccount(TEAM, REGIONS) };
    for (const account of Object.values(accounts)) for (const region of Object.values(account.regions)) region.macie = 'NOT_ENABLED';
    const { code, out } = await run(ARGS, new FakePosture(accounts).factory());
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n').at(-1)).toBe('2 account(s) x 2 region(s): every required control is on');
  });

  it('exits 2 when a unit cannot be read at all, and says why for each of its controls', async () => {
    // Prepare: the member role cannot be assumed in TEAM
    const world = quickWorld().factory();
    const refused = new AssumeRoleError(TEAM, `arn:aws:iam::${TEAM}:role/ComplianceAuditorMemberRole`, awsError('AccessDenied', 403, 'not authorized to perform: sts:AssumeRole'));
    const factory = Object.assign(Object.create(world) as ClientFactory, {
      forAccount(account: string, region: string): AwsClients {
        const clients = world.forAccount(account, region);
        return account === TEAM ? { ...clients, get: () => { throw refused; } } : clients;
      },
    });
    // Act
    const { code, out } = await run([...ARGS, '--json'], factory);
    // Assess
    const parsed = JSON.parse(out) as { accounts: Record<string, Record<string, { error?: string; controls: Record<string, { status: string; detail: string }> }>> };
    const team = parsed.accounts[TEAM]?.['us-east-1'];
    expect(code).toBe(2);
    expect(team?.error).toContain(`cannot assume arn:aws:iam::${TEAM}:role/ComplianceAuditorMemberRole`);
    expect(team?.controls.guardduty).toMatchObject({ status: 'unknown', detail: team?.error });
    expect(parsed.accounts[TEAM]?.['eu-west-1']?.controls.root_mfa?.status).toBe('not_applicable');
  });

  it('refuses --json with --markdown, and needs accounts', async () => {
    await expect(run([...ARGS, '--json', '--markdown'], quickWorld().factory())).rejects.toThrow('--json and --markdown: choose one');
    await expect(run(['--regions', 'us-east-1'], quickWorld().factory())).rejects.toThrow('accounts (ACCOUNTS): required');
  });
});
