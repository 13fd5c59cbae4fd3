/**
 * The maker -> poller -> remediator pipeline against the suite's moto
 * server, driven through the cores the CLIs call, with the project's
 * ClientFactory reaching accounts by AssumeRole with the ExternalId, or
 * (accounts named `byOwnCredentials`) with the caller's own credentials, as
 * a local run inside one account does (assumeRole: false). Mutating calls
 * are counted by an SDK middleware on every client the factory hands out
 * (gap moto-recorder-one-file), and every AssumeRole is recorded by one on
 * the factory's STS clients (gap moto-assumerole-external-id-unchecked).
 */
import { makeMisconfigurations, type MakerReport } from '../../misconfiguration-maker/makeMisconfigurations.ts';
import { expectedFindings } from '../../demo/runDemo.ts';
import { AccountDirectory } from '../../services/core/accountDirectory.ts';
import { isReadOnlyCommand } from '../../services/core/commandKind.ts';
import { ClientFactory, type AwsClients, type ClientConstructor, type ClientFactorySettings } from '../../services/core/clientFactory.ts';
import { loadConfig, type Config, type ConfigInput } from '../../services/core/config.ts';
import type { Finding } from '../../services/core/findings.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { pollUnits, unitsOf, type PollSummary } from '../../services/poller/pollUnits.ts';
import { processMessage, type MessageOutcome } from '../../services/remediator/processMessage.ts';
import { startRun } from '../../services/remediator/remediatorRun.ts';
import type { Sandbox } from '../../sandbox/sandbox.ts';
import { motoEndpoint } from './moto.ts';

export const EXTERNAL_ID = 'integration-external-id';

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input?: Record<string, unknown> }) => Promise<{ output?: unknown }>,
        context: { clientName?: string; commandName?: string },
      ) => (args: { input?: Record<string, unknown> }) => Promise<{ output?: unknown }>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/** One mutating call a client sent: what went in, and what came back (or the error's name). */
export interface MutatingCall {
  account: string;
  region: string;
  /** The SDK client's name: `S3Client`, `EC2Client`, ... */
  client: string;
  command: string;
  input: Record<string, unknown>;
  output?: unknown;
  error?: string;
}

/** One AssumeRole the factory sent, as STS received it. */
export interface AssumeRoleCall {
  /** The account and region whose clients asked for the credentials. */
  account: string;
  region: string;
  RoleArn: unknown;
  ExternalId: unknown;
  RoleSessionName: unknown;
}

/**
 * A ClientFactory whose clients record every mutating call they send, by
 * account, and every AssumeRole. Accounts in `ownCredentialAccounts` get
 * their clients from a second factory with assumeRole: false, so they use
 * the caller's own credentials (the SDK's default chain), never a role.
 */
export class CountingFactory extends ClientFactory {
  readonly mutations: MutatingCall[] = [];
  readonly assumeRoles: AssumeRoleCall[] = [];
  private readonly counted = new WeakSet<object>();
  private readonly ownCredentials: ClientFactory;
  private readonly ownCredentialAccounts: ReadonlySet<string>;

  constructor(settings: ClientFactorySettings, ownCredentialAccounts: readonly string[] = []) {
    const instrument = (client: unknown, account: string, region: string): void => {
      settings.instrument?.(client, account, region);
      this.recordAssumeRole(client as MiddlewareClient, account, region);
    };
    super({ ...settings, instrument });
    this.ownCredentials = new ClientFactory({ ...settings, assumeRole: false, instrument });
    this.ownCredentialAccounts = new Set(ownCredentialAccounts);
  }

  // Every argument passed on (which member role, where the factory takes one).
  override forAccount(...args: Parameters<ClientFactory['forAccount']>): AwsClients {
    const [account, region] = args;
    const clients = this.ownCredentialAccounts.has(account) ? this.ownCredentials.forAccount(...args) : super.forAccount(...args);
    return {
      ...clients,
      get: <C>(ctor: ClientConstructor<C>): C => {
        const client = clients.get(ctor);
        this.count(client as MiddlewareClient & object, account, region);
        return client;
      },
    };
  }

  private count(client: MiddlewareClient & object, account: string, region: string): void {
    if (this.counted.has(client)) return;
    this.counted.add(client);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context.commandName ?? '').replace(/Command$/, '');
        if (isReadOnlyCommand(command)) return next(args);
        const call: MutatingCall = { account, region, client: context.clientName ?? '', command, input: args.input ?? {} };
        this.mutations.push(call);
        try {
          const result = await next(args);
          call.output = result.output;
          return result;
        } catch (error) {
          call.error = error instanceof Error ? error.name : String(error);
          throw error;
        }
      },
      { step: 'initialize', name: 'countMutations' },
    );
  }

  /** Every client passes here (STS clients of AssumeRole included): only AssumeRole is recorded. */
  private recordAssumeRole(client: MiddlewareClient, account: string, region: string): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'AssumeRoleCommand') {
          const { RoleArn, ExternalId, RoleSessionName } = args.input ?? {};
          this.assumeRoles.push({ account, region, RoleArn, ExternalId, RoleSessionName });
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordAssumeRole' },
    );
  }
}

export interface MotoPipeline {
  config: Config;
  factory: CountingFactory;
  log: ReturnType<typeof memoryLog>;
  make(): Promise<MakerReport[]>;
  poll(): Promise<{ summary: PollSummary; messages: ResourceMessage[] }>;
  /** With remediate, `remediateChecks` opts disruptive checks in (none by default, as deployed). */
  audit(messages: readonly ResourceMessage[], remediate: boolean, remediateChecks?: readonly string[]): Promise<MessageOutcome[]>;
  /** What the maker's entries declare they provoke, per account and region. */
  provoked(): { account: string; region: string; checkId: string }[];
}

/**
 * Environment for the factory: moto's endpoint. The caller's credentials are
 * the SDK's default chain's (process.env, stubbed by each test file), as in
 * a deployed function.
 */
export function motoFactoryEnv(): NodeJS.ProcessEnv {
  return { AWS_ENDPOINT_URL: motoEndpoint() };
}

export interface MotoPipelineOptions {
  /** Accounts reached by AssumeRole of the member role, with the ExternalId. */
  byRole: readonly string[];
  /** Accounts reached with the caller's own credentials, no AssumeRole (a local run inside one account: assumeRole false). */
  byOwnCredentials?: readonly string[];
  regions: readonly string[];
  flags?: Partial<ConfigInput>;
  /** Run the same scenario on this sandbox instead of moto (the contract test). */
  sandbox?: Sandbox | undefined;
}

/** On moto, or (for the contract test) on the given sandbox with the same scenario. */
export function motoPipeline({ byRole, byOwnCredentials = [], regions, flags = {}, sandbox }: MotoPipelineOptions): MotoPipeline {
  const accounts = [...byRole, ...byOwnCredentials];
  const config = loadConfig({ env: {}, flags: { accounts, regions: [...regions], assumeRole: true, externalId: EXTERNAL_ID, mfaGraceHours: 0, maxRemediationsPerRun: 500, maxRemediationsPerHour: 500, ...flags } });
  const log = memoryLog();
  const factory = new CountingFactory(sandbox ? { ...config, env: {}, interceptor: sandbox } : { ...config, env: motoFactoryEnv() }, byOwnCredentials);
  return {
    config,
    factory,
    log,
    async make() {
      const reports: MakerReport[] = [];
      for (const account of accounts) for (const region of regions) reports.push(await makeMisconfigurations({ account, region }, { config, factory, log }));
      return reports;
    },
    async poll() {
      const messages: ResourceMessage[] = [];
      const summary = await pollUnits(unitsOf(accounts, regions), { config, factory, log, onlyTestResources: true }, async (batch) => {
        messages.push(...batch);
      });
      return { summary, messages };
    },
    async audit(messages, remediate, remediateChecks = []) {
      const run = { ...config, remediate, remediateChecks: [...remediateChecks] };
      const directory = new AccountDirectory(run, factory.forSecurityAccount(run.homeRegion));
      const deps = await startRun(run, factory, directory, log);
      const outcomes: MessageOutcome[] = [];
      for (const message of messages) outcomes.push(await processMessage(JSON.stringify(message), deps));
      return outcomes;
    },
    provoked: () => expectedFindings(config, accounts),
  };
}

export function findingsOf(outcomes: readonly MessageOutcome[]): Finding[] {
  return outcomes.flatMap((o) => (o.status === 'audited' ? o.findings : []));
}

export function checkKey(f: { account: string; region: string; checkId: string }): string {
  return `${f.account} ${f.region} ${f.checkId}`;
}
