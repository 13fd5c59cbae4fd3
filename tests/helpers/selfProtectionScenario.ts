/**
 * Issue 12's proof that `--remediate` never harms the service's own trust,
 * run the same way on the sandbox and on moto: `accounts` is an explicit
 * list of member accounts that omits the security account; every member
 * account holds the member stack's roles (member-account/template.json,
 * trusting the security account) and a control role trusting an unknown
 * account. In the second member account the member role was tampered with
 * (a vendor's account added to its trust), so a finding exists and must be
 * `protected`. Remediation is on, every disruptive check opted in; the
 * poller lists the roles and the remediator audits them, as the CLIs do.
 */
import { CreateRoleCommand, GetRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkIdsWithRisk } from '../../auditors/registry.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import type { Config, ConfigInput } from '../../services/core/config.ts';
import { hasErrorName } from '../../services/core/errors.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { protectionOf } from '../../services/core/selfProtection.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { processMessage, type MessageOutcome } from '../../services/remediator/processMessage.ts';
import { startRun } from '../../services/remediator/remediatorRun.ts';
import type { CountingFactory, MutatingCall } from './countingFactory.ts';
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
  outcomes: MessageOutcome[];
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
  const log = memoryLog();
  const messages: ResourceMessage[] = [];
  await pollUnits(unitsOf(world.members, [config.homeRegion]), { config, factory, log, types: ['iam_role'] }, async (batch) => {
    messages.push(...batch);
  });
  const directory = new AccountDirectory(config, factory.forSecurityAccount(config.homeRegion));
  const run = await startRun(config, factory, directory, log);
  const outcomes: MessageOutcome[] = [];
  for (const message of messages) outcomes.push(await processMessage(JSON.stringify(message), run));
  const mutations = factory.mutations.slice(mark);

  return {
    stackRoles,
    before,
    after: await readTrust(world, roleNames),
    outcomes,
    findings: outcomes.flatMap((outcome) => (outcome.status === 'audited' ? outcome.findings : [])),
    mutations,
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
      expect(observed.outcomes.filter((outcome) => outcome.status !== 'audited')).toEqual([]);
      const listed = new Set(observed.outcomes.map((outcome) => `${outcome.message?.account} ${outcome.message?.id}`));
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
