/**
 * Issue 12's proof that `--remediate` never harms the service's own trust,
 * run the same way on the sandbox and on moto: `accounts` is an explicit
 * list of member accounts that omits the security account; every member
 * account holds the member stack's roles (member-account/template.json,
 * trusting the security account) and a control role trusting an unknown
 * account. In the second member account the member role was tampered with
 * (a vendor's account added to its trust), so a finding exists and must be
 * `protected`. Remediation is on, every disruptive check opted in; the
 * poller lists the roles and the remediator audits them: its core as the
 * Lambda runs it, or the CLI with --remediate.
 */
import { CreateRoleCommand, GetRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkIdsWithRisk } from '../../auditors/registry.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { EXIT } from '../../services/core/cliRuntime.ts';
import type { Config, ConfigInput } from '../../services/core/config.ts';
import { hasErrorName } from '../../services/core/errors.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { protectionOf } from '../../services/core/selfProtection.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { runRemediator } from '../../services/remediator/cli.ts';
import { processMessage, type MessageOutcome } from '../../services/remediator/processMessage.ts';
import { startRun } from '../../services/remediator/remediatorRun.ts';
import type { CountingFactory, MutatingCall } from '../integration/motoPipeline.ts';
import { UNKNOWN_ACCOUNT } from './context.ts';
import { memberStackRoles, type MemberStackRole } from './memberStackRoles.ts';

/** An ordinary role trusting an unknown account: remediated, which proves remediation was on. */
export const CONTROL_ROLE = 'partner-integration-role';
const UNKNOWN_TRUST = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${UNKNOWN_ACCOUNT}:root` }, Action: 'sts:AssumeRole' };

/** The configuration of the proof: these member accounts only, remediation on, every disruptive check opted in. */
export function selfProtectionFlags(members: readonly string[], region: string): Partial<ConfigInput> {
  return { accounts: [...members], regions: [region], remediate: true, remediateChecks: checkIdsWithRisk('disruptive'), maxRemediationsPerRun: 100 };
}

export interface SelfProtectionWorld {
  config: Config;
  factory: CountingFactory;
  securityAccount: string;
  /** [pristine, tampered]: the member role as the stack makes it, and with an unknown account added to its trust. */
  members: readonly [string, string];
  /** How the remediator runs: its core as the Lambda does (default), or the CLI with --remediate. */
  remediator?: 'core' | 'cli';
}

interface RoleView {
  account: string;
  roleName: string;
  /** GetRole's AssumeRolePolicyDocument, exactly as IAM returns it (URL-encoded). */
  trust: string;
}

export interface SelfProtectionObserved {
  stackRoles: MemberStackRole[];
  before: RoleView[];
  after: RoleView[];
  /** What the poller listed. */
  listed: ResourceMessage[];
  /** Messages the remediator could not audit, and errors it logged. */
  failures: string[];
  findings: Finding[];
  /** Mutating calls the poll and the remediator made (the set-up's excluded). */
  mutations: MutatingCall[];
}

function iamOf(world: SelfProtectionWorld, account: string): IAMClient {
  return world.factory.forAccount(account, world.config.homeRegion).get(IAMClient);
}

async function putRole(iam: IAMClient, roleName: string, path: string, trustPolicy: string): Promise<void> {
  try {
    await iam.send(new CreateRoleCommand({ RoleName: roleName, Path: path, AssumeRolePolicyDocument: trustPolicy }));
  } catch (error) {
    if (!hasErrorName(error, 'EntityAlreadyExists')) throw error;
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trustPolicy }));
  }
}

function tampered(trustPolicy: string): string {
  const document = JSON.parse(trustPolicy) as { Statement: unknown[] };
  return JSON.stringify({ ...document, Statement: [...document.Statement, UNKNOWN_TRUST] });
}

async function readTrust(world: SelfProtectionWorld, roleNames: readonly string[]): Promise<RoleView[]> {
  const views: RoleView[] = [];
  for (const account of world.members) {
    for (const roleName of roleNames) {
      const { Role } = await iamOf(world, account).send(new GetRoleCommand({ RoleName: roleName }));
      views.push({ account, roleName, trust: Role?.AssumeRolePolicyDocument ?? '' });
    }
  }
  return views;
}

/** Set the member accounts up, poll them, and run the remediator over what was listed. */
export async function observeSelfProtection(world: SelfProtectionWorld): Promise<SelfProtectionObserved> {
  const { config, factory } = world;
  const stackRoles = memberStackRoles({ securityAccount: world.securityAccount, externalId: config.externalId ?? 'sandbox-external-id' });
  const [, tamperedAccount] = world.members;
  for (const account of world.members) {
    const iam = iamOf(world, account);
    for (const role of stackRoles) {
      const trust = account === tamperedAccount && role.roleName === config.memberRoleName ? tampered(role.trustPolicy) : role.trustPolicy;
      await putRole(iam, role.roleName, role.path, trust);
    }
    await putRole(iam, CONTROL_ROLE, '/', JSON.stringify({ Version: '2012-10-17', Statement: [UNKNOWN_TRUST] }));
  }
  const roleNames = [...stackRoles.map((role) => role.roleName), CONTROL_ROLE];
  const before = await readTrust(world, roleNames);

  const mark = factory.mutations.length;
  const messages: ResourceMessage[] = [];
  await pollUnits(unitsOf(world.members, [config.homeRegion]), { config, factory, log: memoryLog(), types: ['iam_role'] }, async (batch) => {
    messages.push(...batch);
  });
  const { findings, failures } = world.remediator === 'cli' ? await remediateWithCli(world, messages) : await remediateWithCore(world, messages);
  const mutations = factory.mutations.slice(mark);

  return { stackRoles, before, after: await readTrust(world, roleNames), listed: messages, failures, findings, mutations };
}

type Remediated = Pick<SelfProtectionObserved, 'findings' | 'failures'>;

/** processMessage over a run from startRun, as the Lambda handler does. */
async function remediateWithCore(world: SelfProtectionWorld, messages: readonly ResourceMessage[]): Promise<Remediated> {
  const { config, factory } = world;
  const log = memoryLog();
  const run = await startRun(config, factory, new AccountDirectory(config, factory.forSecurityAccount(config.homeRegion)), log);
  const outcomes: MessageOutcome[] = [];
  for (const message of messages) outcomes.push(await processMessage(JSON.stringify(message), run));
  return {
    findings: outcomes.flatMap((outcome) => (outcome.status === 'audited' ? outcome.findings : [])),
    failures: outcomes.flatMap((outcome) => (outcome.status === 'audited' ? [] : [`${outcome.status}: ${'error' in outcome ? outcome.error : ''}`])),
  };
}

/** `remediator --remediate --json` fed the poller's lines, its flags from the world's configuration. */
async function remediateWithCli(world: SelfProtectionWorld, messages: readonly ResourceMessage[]): Promise<Remediated> {
  const { config, factory } = world;
  const log = memoryLog();
  const output: string[] = [];
  const argv = ['--remediate', '--json', '--accounts', (config.accounts === 'organization' ? [] : (config.accounts ?? [])).join(','), '--regions', config.regions.join(','), '--remediate-checks', config.remediateChecks.join(',')];
  const exitCode = await runRemediator([...argv, ...(config.externalId ? ['--external-id', config.externalId] : [])], {
    input: Readable.from(messages.map((message) => `${JSON.stringify(message)}\n`)),
    write: (text) => void output.push(text),
    isTty: false,
    log,
    factory,
  });
  const lines = output.join('').split('\n').filter((line) => line.trim() !== '');
  return {
    findings: lines.map((line) => JSON.parse(line) as Finding).filter((finding) => finding.checkId !== undefined),
    failures: [...(exitCode === EXIT.error ? [`exit code ${exitCode}`] : []), ...log.lines.filter((line) => line.level === 'error').map((line) => line.message)],
  };
}

const roleKey = (view: { account: string; roleName: string }): string => `${view.account} ${view.roleName}`;

/** The proof's assertions, the same for every world (sandbox, moto). */
export function describeSelfProtection(name: string, setUp: () => Promise<SelfProtectionWorld>): void {
  describe(name, () => {
    let world: SelfProtectionWorld;
    let observed: SelfProtectionObserved;

    beforeAll(async () => {
      world = await setUp();
      observed = await observeSelfProtection(world);
    }, 60_000);

    it('polls and audits every role, with accounts a list that omits the security account', () => {
      expect(world.config.accounts).not.toContain(world.securityAccount);
      expect(observed.failures).toEqual([]);
      const listed = new Set(observed.listed.map((message) => `${message.account} ${message.id}`));
      expect(observed.before.map(roleKey).filter((key) => !listed.has(key))).toEqual([]);
    });

    it('the control role trusting an unknown account is remediated: remediation was on', () => {
      const controls = observed.findings.filter((f) => f.id === CONTROL_ROLE);
      expect(controls.map((f) => `${f.account} ${f.checkId} ${f.remediation}`).sort()).toEqual(world.members.map((account) => `${account} iam_role.untrusted_account_trust applied`));
      for (const account of world.members) {
        const before = observed.before.find((v) => v.account === account && v.roleName === CONTROL_ROLE);
        const after = observed.after.find((v) => v.account === account && v.roleName === CONTROL_ROLE);
        expect(decodeURIComponent(before?.trust ?? '')).toContain(UNKNOWN_ACCOUNT);
        expect(decodeURIComponent(after?.trust ?? '')).not.toContain(UNKNOWN_ACCOUNT);
      }
    });

    it("every role of the member stack keeps its trust policy byte for byte", () => {
      const stackNames = new Set(observed.stackRoles.map((role) => role.roleName));
      const trustOf = (views: RoleView[]) => views.filter((view) => stackNames.has(view.roleName)).map((view) => `${roleKey(view)} ${view.trust}`);
      expect(trustOf(observed.before)).toHaveLength(world.members.length * stackNames.size);
      expect(trustOf(observed.after)).toEqual(trustOf(observed.before));
    });

    it('no mutating IAM call names a role of the member stack', () => {
      const stackNames = new Set(observed.stackRoles.map((role) => role.roleName));
      const iamCalls = observed.mutations.filter((call) => call.client === 'IAMClient');
      expect(iamCalls.filter((call) => stackNames.has(String(call.input.RoleName)))).toEqual([]);
      expect(iamCalls.map((call) => `${call.account} ${call.command} ${String(call.input.RoleName)}`).sort()).toEqual(
        world.members.map((account) => `${account} UpdateAssumeRolePolicy ${CONTROL_ROLE}`),
      );
    });

    it('the trusted member role raises no finding; the tampered one is reported, protected, with the reason', () => {
      const [pristine, tamperedAccount] = world.members;
      const memberRoleFindings = (account: string) => observed.findings.filter((f) => f.account === account && f.id === world.config.memberRoleName);
      expect(memberRoleFindings(pristine)).toEqual([]);
      const reason = protectionOf({ type: 'iam_role', id: world.config.memberRoleName }, world.config);
      expect(reason).toBeDefined();
      expect(memberRoleFindings(tamperedAccount).map((f) => ({ checkId: f.checkId, remediation: f.remediation, remediationDetail: f.remediationDetail }))).toEqual([
        { checkId: 'iam_role.untrusted_account_trust', remediation: 'protected', remediationDetail: reason },
      ]);
    });

    it('findings on any role of the member stack are protected, never remediated', () => {
      const stackNames = new Set(observed.stackRoles.map((role) => role.roleName));
      expect(observed.findings.filter((f) => stackNames.has(f.id) && (f.remediation !== 'protected' || !f.remediationDetail))).toEqual([]);
    });
  });
}
