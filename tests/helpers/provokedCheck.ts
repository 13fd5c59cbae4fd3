/**
 * One check provoked in a fresh sandbox organization: the maker entries
 * that declare they provoke it (or a set-up of this file where no entry
 * can), polled as the poller does, and the resource that fails it found by
 * a dry run. Then the resource can be audited through the remediator's
 * auditResource under any remediation flags, counting the mutating calls.
 * A check nothing here provokes fails loudly: it is never skipped.
 */
import { EC2Client, ModifyImageAttributeCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient, RegisterInstancesWithLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing';
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateAccessKeyCommand, IAMClient } from '@aws-sdk/client-iam';
import { ModifyDBSnapshotAttributeCommand, RDSClient } from '@aws-sdk/client-rds';
import { regionAuditor } from '../../auditors/region/index.ts';
import { AUDITORS } from '../../auditors/registry.ts';
import type { MisconfigurationEntry } from '../../misconfiguration-maker/makerContract.ts';
import { amiMaker } from '../../misconfiguration-maker/entries/ami.ts';
import { iamUserMaker, makerUserName } from '../../misconfiguration-maker/entries/iamUser.ts';
import { rdsMaker } from '../../misconfiguration-maker/entries/rds.ts';
import { rdsSnapshotMaker } from '../../misconfiguration-maker/entries/rdsSnapshot.ts';
import { MAKER_IMAGE, MAKER_INSTANCE_TYPE } from '../../misconfiguration-maker/entries/ec2Instance.ts';
import { MAKER_CLASSIC_LOAD_BALANCER } from '../../misconfiguration-maker/entries/elb.ts';
import { MAKER_TARGET_GROUP } from '../../misconfiguration-maker/entries/elbv2.ts';
import { makeMisconfigurations, provokedIn } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { MAKER_ENTRIES } from '../../misconfiguration-maker/registry.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import type { AwsClients } from '../../services/core/clientFactory.ts';
import { loadConfig, type Config, type ConfigInput } from '../../services/core/config.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import type { ResourceType } from '../../services/core/resourceTypes.ts';
import { pollUnits, unitsOf } from '../../services/poller/pollUnits.ts';
import { auditResource } from '../../services/remediator/auditResource.ts';
import { startRun } from '../../services/remediator/remediatorRun.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState, type SandboxState } from '../../sandbox/sandboxState.ts';
import { CountingFactory, type MutatingCall } from '../integration/motoPipeline.ts';
import { seedLegacyRedshiftCluster } from './legacyRedshiftCluster.ts';
import { EVERY_ENABLEMENT_ON } from './everyEnablement.ts';

const SECURITY_ACCOUNT = '280000000000';
/** The audited account: also a dev account, with a required tag the maker's resources lack. */
export const PROOF_ACCOUNT = '280000000001';
export const PROOF_REGION = 'us-east-1';

/**
 * How long before the audits the sandbox made everything: past consoleUnusedDays and accessKeyUnusedDays
 * (default 90) and mfaGraceHours (0 here).
 */
const AGE_MS = 100 * 24 * 3_600_000;

/** What the proofs run under besides the remediation flags: what makes the maker's resources and a new account fail every check they can. */
const BASE_FLAGS: Partial<ConfigInput> = {
  ...EVERY_ENABLEMENT_ON,
  accounts: [PROOF_ACCOUNT],
  regions: [PROOF_REGION],
  devAccounts: [PROOF_ACCOUNT],
  requiredTags: ['cost-center'],
  mfaGraceHours: 0,
  maxRemediationsPerRun: 100,
  externalId: 'proof-external-id',
};

interface SetupContext {
  state: SandboxState;
  clients: AwsClients;
  where: { account: string; region: string };
  /** The ids the maker's entries made, by type. */
  made(type: ResourceType): string[];
}

/** A set-up after the maker's entries: what no entry makes (an instance behind a load balancer, a legacy cluster). */
type Setup = (context: SetupContext) => Promise<void>;

/** A running instance of the account, launched as the maker launches its own. */
async function launchInstance(clients: AwsClients): Promise<string> {
  const { Instances } = await clients.get(EC2Client).send(new RunInstancesCommand({ ImageId: MAKER_IMAGE, InstanceType: MAKER_INSTANCE_TYPE, MinCount: 1, MaxCount: 1 }));
  const instanceId = Instances?.[0]?.InstanceId;
  if (!instanceId) throw new Error('RunInstances answered no instance');
  return instanceId;
}

/** How a check is provoked beyond the maker entries that declare it: other entries, then a set-up. */
interface Provocation {
  entries?: readonly MisconfigurationEntry[];
  setUp?: Setup;
}

/** Checks the maker's entries provoke only in part, or not at all, completed here. */
const PROVOCATIONS: Readonly<Record<string, Provocation>> = {
  // A new account is AWS's defaults: every control of the region auditor is off.
  ...Object.fromEntries(regionAuditor.checks.map((check) => [check.id, {}])),
  // Redshift creates encrypted clusters only since 2025; older unencrypted ones remain.
  'redshift.unencrypted': { setUp: async ({ state, where }) => seedLegacyRedshiftCluster(state, where, 'legacy-unencrypted') },
  // The maker's load balancers have nothing behind them (the finding is then notify-only): register an instance.
  'elb.internet_facing_in_dev_account': {
    setUp: async ({ clients }) => {
      const InstanceId = await launchInstance(clients);
      await clients.get(ElasticLoadBalancingClient).send(new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: MAKER_CLASSIC_LOAD_BALANCER, Instances: [{ InstanceId }] }));
    },
  },
  'elbv2.internet_facing_in_dev_account': {
    setUp: async ({ clients }) => {
      const Id = await launchInstance(clients);
      const elbv2 = clients.get(ElasticLoadBalancingV2Client);
      const { TargetGroups } = await elbv2.send(new DescribeTargetGroupsCommand({ Names: [MAKER_TARGET_GROUP] }));
      await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: TargetGroups?.[0]?.TargetGroupArn, Targets: [{ Id }] }));
    },
  },
  // The maker shares its AMI and RDS snapshot with an unknown account only: share them with everyone too.
  'ami.public': {
    entries: [amiMaker],
    setUp: async ({ clients, made }) =>
      void (await clients.get(EC2Client).send(new ModifyImageAttributeCommand({ ImageId: made('ami')[0], LaunchPermission: { Add: [{ Group: 'all' }] } }))),
  },
  'rds_snapshot.public': {
    entries: [rdsMaker, rdsSnapshotMaker],
    setUp: async ({ clients, made }) =>
      void (await clients
        .get(RDSClient)
        .send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: made('rds_snapshot')[0], AttributeName: 'restore', ValuesToAdd: ['all'] }))),
  },
  // The snapshot is of the maker's DB instance: made first.
  'rds_snapshot.shared_unknown_account': { entries: [rdsMaker, rdsSnapshotMaker] },
  // The maker's user, made AGE ago: its password was never used.
  'iam_user.console_unused': { entries: [iamUserMaker] },
  // ... and an access key made with it, never used.
  'iam_user.access_key_unused': {
    entries: [iamUserMaker],
    setUp: async ({ clients, where }) => void (await clients.get(IAMClient).send(new CreateAccessKeyCommand({ UserName: makerUserName(where.account) }))),
  },
};

/** Every check id that has a remediation. */
export function remediableCheckIds(): string[] {
  return AUDITORS.flatMap((auditor) => Object.keys(auditor.remediations));
}

function auditorOf(checkId: string): (typeof AUDITORS)[number] {
  const auditor = AUDITORS.find((candidate) => candidate.checks.some((check) => check.id === checkId));
  if (!auditor) throw new Error(`no auditor declares the check ${checkId}`);
  return auditor;
}

export interface AuditUnderFlags {
  /** Every finding of the resource. */
  findings: Finding[];
  /** The finding of the provoked check; undefined when the resource no longer fails it. */
  finding?: Finding;
  /** The mutating calls this audit made (none of the set-up's). */
  mutations: MutatingCall[];
}

export interface ProvokedCheck {
  checkId: string;
  message: ResourceMessage;
  /** Audit the resource now through auditResource, remediation flags over the proof's configuration. */
  audit(flags: Partial<ConfigInput>): Promise<AuditUnderFlags>;
}

function configWith(flags: Partial<ConfigInput>): Config {
  return loadConfig({ env: {}, flags: { ...BASE_FLAGS, ...flags } });
}

/** A fresh sandbox in which `checkId` fails on one resource; throws, naming the check, when nothing provokes it. */
export async function provokeCheck(checkId: string): Promise<ProvokedCheck> {
  const config = configWith({});
  const auditor = auditorOf(checkId);
  const sandbox = new Sandbox(createSandboxState({ accounts: [SECURITY_ACCOUNT, PROOF_ACCOUNT], regions: [PROOF_REGION] }), { now: () => new Date(Date.now() - AGE_MS) });
  const factory = new CountingFactory({ ...config, env: {}, interceptor: sandbox });
  const log = memoryLog();
  const where = { account: PROOF_ACCOUNT, region: PROOF_REGION };

  const provocation = PROVOCATIONS[checkId];
  const declared = MAKER_ENTRIES.filter((entry) => provokedIn(entry, config, PROOF_ACCOUNT).includes(checkId));
  const entries = [...new Set([...(provocation?.entries ?? []), ...declared])];
  if (declared.length === 0 && !provocation) {
    throw new Error(`nothing provokes ${checkId}: add a misconfiguration-maker entry that does, or a set-up in tests/helpers/provokedCheck.ts`);
  }
  const report = await makeMisconfigurations(where, { config, factory, log, entries });
  if (report.failed.length > 0) throw new Error(`the maker failed to provoke ${checkId}: ${report.failed.map((f) => `${f.type}: ${f.error}`).join('; ')}`);
  const made = (type: ResourceType): string[] => report.done.filter((done) => done.type === type).flatMap((done) => done.ids);
  await provocation?.setUp?.({ state: sandbox.state, clients: factory.forAccount(PROOF_ACCOUNT, PROOF_REGION), where, made });

  const messages: ResourceMessage[] = [];
  await pollUnits(unitsOf([PROOF_ACCOUNT], [PROOF_REGION]), { config, factory, log, types: [auditor.type] }, async (batch) => {
    messages.push(...batch);
  });

  const audit = async (message: ResourceMessage, flags: Partial<ConfigInput>): Promise<AuditUnderFlags> => {
    const runConfig = configWith(flags);
    const run = await startRun(runConfig, factory, new AccountDirectory(runConfig, factory.forSecurityAccount(PROOF_REGION)), log);
    const mark = factory.mutations.length;
    const outcome = await auditResource(message, run);
    if (outcome.status !== 'audited') throw new Error(`${checkId}: the audit of ${message.id} answered ${outcome.status}`);
    const finding = outcome.findings.find((f) => f.checkId === checkId);
    return { findings: outcome.findings, ...(finding ? { finding } : {}), mutations: factory.mutations.slice(mark) };
  };

  const failing: string[] = [];
  for (const message of messages) {
    const { finding } = await audit(message, { remediate: false });
    // A dry run plans what a remediation would do; `none`: it fails the check, but nothing would remediate it.
    if (finding?.remediation === 'planned') return { checkId, message, audit: (flags) => audit(message, flags) };
    if (finding) failing.push(`${message.id} (${finding.remediation})`);
  }
  throw new Error(
    `${checkId}: no ${auditor.type} the poller listed (${messages.map((m) => m.id).join(', ') || 'none'}) fails it with a remediation to run after the set-up${failing.length ? `; failing without one: ${failing.join(', ')}` : ''}`,
  );
}
