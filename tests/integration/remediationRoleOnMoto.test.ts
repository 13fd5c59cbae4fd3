/**
 * On moto: a member account holding the member stack's two roles as the
 * generated template creates them (RemediationLevel disruptive), and a role
 * trusting an unknown account. The remediator, through the project's one
 * client factory, assumes the audit role to audit and the remediation role
 * only when it remediates; the factory's `instrument` hook records the
 * RoleArn of every AssumeRole.
 */
import { readFileSync } from 'node:fs';
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { loadConfig, type Config } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { auditResource } from '../../services/remediator/auditResource.ts';
import { RemediationBudget } from '../../services/remediator/remediationBudget.ts';
import { resolveTemplate, type Template } from '../memberAccount/resolveTemplate.ts';
import { motoEnvironment } from './moto.ts';
import { makeBrake } from '../helpers/brake.ts';

const MEMBER = '260000000001';
/** moto's default caller account: the security account of this test. */
const SECURITY = '123456789012';
const UNKNOWN = '999999999999';
const REGION = 'us-east-1';
const EXTERNAL_ID = 'remediation-role-on-moto';
const AUDIT_ROLE = `arn:aws:iam::${MEMBER}:role/ComplianceAuditorMemberRole`;
const REMEDIATION_ROLE = `arn:aws:iam::${MEMBER}:role/ComplianceAuditorRemediationRole`;

const template = JSON.parse(readFileSync(new URL('../../member-account/template.json', import.meta.url), 'utf8')) as Template;

/**
 * moto's AssumeRole checks neither that the role exists nor its trust
 * (moto/sts/models.py:90, "the role does not need to exist"), and moto
 * evaluates no IAM policy unless told to, so neither a stack without the
 * remediation role (RemediationLevel none) refusing nor the roles' policies
 * can be shown here: tests/remediator/remediationRole.test.ts shows the
 * refusal with an STS answering AccessDenied, tests/memberAccount the policies.
 */
const MOTO_ASSUME_ROLE_UNCHECKED = 'moto/sts/models.py:90';

interface StsMiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: { input?: { RoleArn?: string } }) => Promise<unknown>, context: { commandName?: string }) => (args: { input?: { RoleArn?: string } }) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/** The RoleArn of every AssumeRole the factory's STS clients send, in order. */
function assumeRoleRecorder(): { roleArns: string[]; instrument: (client: unknown) => void } {
  const roleArns: string[] = [];
  return {
    roleArns,
    instrument: (client) => {
      if (!(client instanceof STSClient)) return;
      (client as unknown as StsMiddlewareClient).middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'AssumeRoleCommand') roleArns.push(args.input?.RoleArn ?? '(none)');
          return next(args);
        },
        { step: 'initialize', name: 'recordAssumeRole' },
      );
    },
  };
}

function configFor(remediate: boolean): Config {
  return loadConfig({
    flags: { accounts: [MEMBER], regions: [REGION], externalId: EXTERNAL_ID, remediate, remediateChecks: ['iam_role.untrusted_account_trust'] },
  });
}

/** The member account as the member stack leaves it, plus a role trusting an unknown account. */
async function seedMemberAccount(iam: IAMClient, deployer: string): Promise<void> {
  const created = resolveTemplate(template, { SecurityAccountId: SECURITY, ExternalId: EXTERNAL_ID, RemediationLevel: 'disruptive' }, { account: MEMBER, region: REGION });
  for (const logical of ['MemberRole', 'RemediationRole']) {
    const properties = created[logical]?.Properties as { RoleName: string; AssumeRolePolicyDocument: unknown; Policies: { PolicyName: string; PolicyDocument: unknown }[] };
    await iam.send(new CreateRoleCommand({ RoleName: properties.RoleName, AssumeRolePolicyDocument: JSON.stringify(properties.AssumeRolePolicyDocument) }));
    for (const policy of properties.Policies) {
      await iam.send(new PutRolePolicyCommand({ RoleName: properties.RoleName, PolicyName: policy.PolicyName, PolicyDocument: JSON.stringify(policy.PolicyDocument) }));
    }
  }
  const foreignTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${UNKNOWN}:root` }, Action: 'sts:AssumeRole' }] };
  await iam.send(new CreateRoleCommand({ RoleName: deployer, AssumeRolePolicyDocument: JSON.stringify(foreignTrust) }));
}

async function trustOf(iam: IAMClient, name: string): Promise<string> {
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: name }));
  return decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '');
}

describe('the remediation role on moto (integration)', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it(`audits through the audit role, remediates through the remediation role (moto gap: AssumeRole unchecked, ${MOTO_ASSUME_ROLE_UNCHECKED})`, async () => {
    const deployer = `team-deployer-${Date.now()}`;
    const seeding = new ClientFactory({ ...configFor(false), env: process.env });
    const iam = seeding.forAccount(MEMBER, REGION).get(IAMClient);
    await seedMemberAccount(iam, deployer);

    const dryRecorder = assumeRoleRecorder();
    const dryConfig = configFor(false);
    const dryFactory = new ClientFactory({ ...dryConfig, env: process.env, instrument: dryRecorder.instrument });
    const dryRun = { config: dryConfig, factory: dryFactory, trustedAccounts: new Set([MEMBER, SECURITY]), budget: new RemediationBudget(10), brake: makeBrake(dryFactory, memoryLog(), { limit: 1000 }), log: memoryLog(), now: new Date() };
    const dry = await auditResource({ account: MEMBER, region: REGION, type: 'iam_role', id: deployer }, dryRun);
    if (dry.status !== 'audited') throw new Error(`unexpected ${dry.status}`);
    expect(dry.findings.find((f) => f.checkId === 'iam_role.untrusted_account_trust')?.remediation).toBe('planned');
    expect(dryRecorder.roleArns).toEqual([AUDIT_ROLE]);

    const recorder = assumeRoleRecorder();
    const config = configFor(true);
    const factory = new ClientFactory({ ...config, env: process.env, instrument: recorder.instrument });
    const run = { config, factory, trustedAccounts: new Set([MEMBER, SECURITY]), budget: new RemediationBudget(10), brake: makeBrake(factory, memoryLog(), { limit: 1000 }), log: memoryLog(), now: new Date() };
    const outcome = await auditResource({ account: MEMBER, region: REGION, type: 'iam_role', id: deployer }, run);
    if (outcome.status !== 'audited') throw new Error(`unexpected ${outcome.status}`);
    expect(outcome.findings.find((f) => f.checkId === 'iam_role.untrusted_account_trust')?.remediation).toBe('applied');
    expect(recorder.roleArns).toEqual([AUDIT_ROLE, REMEDIATION_ROLE]);
    expect(await trustOf(iam, deployer)).not.toContain(UNKNOWN);

    // The remediation clients act as the remediation role; the member stack's roles are left as created.
    const identity = await factory.forAccount(MEMBER, REGION, 'remediation').get(STSClient).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${MEMBER}:assumed-role/ComplianceAuditorRemediationRole/`));
    expect(await trustOf(iam, 'ComplianceAuditorMemberRole')).toContain(`arn:aws:iam::${SECURITY}:root`);
  });
});
