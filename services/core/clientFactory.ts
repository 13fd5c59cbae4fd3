import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULT_REMEDIATION_ROLE_NAME } from './config.ts';
import { ClientGroups, MAX_CLIENT_GROUPS } from './clientGroups.ts';
import { MemberCredentials } from './credentials.ts';
import { endpointOverride } from './endpoints.ts';
import { SdkSettings, type KnownSdkSettings } from './sdkSettings.ts';

/** More attempts than the SDK's default 3: throttling is retried, never reported. */
export const MAX_ATTEMPTS = 8;

/** What the factory passes to every SDK client constructor. */
export interface AwsClientConfig extends KnownSdkSettings {
  region: string;
  maxAttempts: number;
  credentials?: AwsCredentialIdentityProvider;
  /** Path-style S3 URLs, needed by AWS-compatible endpoints on a plain host:port. */
  forcePathStyle?: boolean;
  /**
   * SQS only: false sends requests to the configured endpoint rather than a
   * queue URL's host. Set for intercepted (sandbox) clients, whose queue URLs
   * name AWS hosts the interceptor answers for.
   */
  useQueueUrlAsEndpoint?: boolean;
}

/** Any AWS SDK v3 client class: `S3Client`, `EC2Client`, ... */
export type ClientConstructor<C> = new (config: AwsClientConfig) => C;

/** Clients for one (account, region), created on first use and reused. */
export interface AwsClients {
  readonly account: string;
  readonly region: string;
  get<C>(ctor: ClientConstructor<C>): C;
}

/**
 * Something that answers a client's commands in-process (the sandbox
 * organization). With one, no credentials are looked up and no role assumed.
 */
export interface ClientInterceptor {
  attach(client: unknown, account: string, region: string): void;
}

/**
 * Which member role a client acts through: the read-only audit role (list,
 * collect, every audit), or the remediation role (a remediation's apply only).
 */
export type MemberRole = 'audit' | 'remediation';

/** Why assuming the remediation role can fail where the audit role succeeds. */
export const REMEDIATION_ROLE_REFUSED =
  'The remediation role exists only where the member-account stack is deployed with RemediationLevel safe or disruptive (member-account/README.md); the remediator never falls back to the audit role';

export interface ClientFactorySettings {
  /** The audit role. */
  memberRoleName: string;
  /** The role assumed to remediate; default ComplianceAuditorRemediationRole. */
  remediationRoleName?: string;
  externalId?: string;
  /** Whose STS endpoint issues member credentials (MemberCredentials): the home region of the configuration. */
  homeRegion?: string;
  /** false: every account uses the ambient credentials (a local run in one account). */
  assumeRole: boolean;
  env?: NodeJS.ProcessEnv;
  interceptor?: ClientInterceptor;
  /**
   * Called with every SDK client made, STS clients for AssumeRole included,
   * after the interceptor: faults are injected here, in the middleware, so
   * the SDK's retries still run (tests/faults).
   */
  instrument?: (client: unknown, account: string, region: string) => void;
  /** How many (account, region, role) groups of clients are kept; default MAX_CLIENT_GROUPS. */
  maxClientGroups?: number;
}

const INTERCEPTED_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'AKIASANDBOX000000000', secretAccessKey: 'sandbox' };

interface ResolvedClientConfig {
  config?: { serviceId?: string; endpointProvider?: unknown };
}

/**
 * S3 Control puts the account id in the host name (`123456789012.host`),
 * which a plain `http://127.0.0.1:PORT` endpoint cannot answer (nor even
 * parse, for an IP address): resolve every S3 Control request to the
 * configured endpoint itself.
 */
function keepEndpointHost(client: unknown, endpoint: string): void {
  const resolved = (client as ResolvedClientConfig).config;
  if (resolved?.serviceId !== 'S3 Control') return;
  resolved.endpointProvider = () => ({ url: new URL(endpoint) });
}

/**
 * The one place SDK clients are made: one client per (service, account,
 * region), member credentials by AssumeRole (one per account, shared by its
 * regions), SDK retries with MAX_ATTEMPTS, endpoints from
 * `AWS_ENDPOINT_URL[_<SERVICE>]`. Clients and credentials are correct to
 * share across invocations, so a Lambda keeps one factory per container; the
 * member clients of the least recently used (account, region) go beyond
 * maxClientGroups (ClientGroups), and a poller releases a unit's when it
 * ends; the function's own clients are kept.
 */
export class ClientFactory {
  private readonly groups: ClientGroups;
  private readonly credentials: Readonly<Record<MemberRole, MemberCredentials>>;
  private readonly settings: ClientFactorySettings;
  private readonly env: NodeJS.ProcessEnv;
  private readonly sdkSettings = new SdkSettings();

  constructor(settings: ClientFactorySettings) {
    this.settings = settings;
    this.env = settings.env ?? process.env;
    this.groups = new ClientGroups(settings.maxClientGroups ?? MAX_CLIENT_GROUPS);
    const shared = {
      externalId: settings.externalId,
      maxAttempts: MAX_ATTEMPTS,
      ...(settings.homeRegion ? { homeRegion: settings.homeRegion } : {}),
      ...(settings.instrument ? { instrument: settings.instrument } : {}),
    };
    this.credentials = {
      audit: new MemberCredentials({ ...shared, memberRoleName: settings.memberRoleName }),
      remediation: new MemberCredentials({
        ...shared,
        memberRoleName: settings.remediationRoleName ?? DEFAULT_REMEDIATION_ROLE_NAME,
        whenRefused: REMEDIATION_ROLE_REFUSED,
      }),
    };
  }

  /** The endpoint configured for a service (`AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`), if any. */
  endpointOf(serviceEnvName: string): string | undefined {
    return endpointOverride(this.env, serviceEnvName);
  }

  /**
   * Clients acting in a member account through one of its roles: the audit
   * role unless told otherwise. Nothing is assumed before a client's first
   * call. Without assumeRole (ambient credentials) or with an interceptor,
   * both roles get the same clients.
   */
  forAccount(account: string, region: string, role: MemberRole = 'audit'): AwsClients {
    if (this.settings.interceptor) return this.bind(`${account}/${region}`, account, region, async () => INTERCEPTED_CREDENTIALS);
    if (!this.settings.assumeRole) return this.bind(`${account}/${region}`, account, region, undefined);
    const credentials = this.credentials[role];
    return this.bind(`${account}/${region}/${role}`, account, region, (): Promise<AwsCredentialIdentity> => credentials.get(account, region));
  }

  /** Clients acting with the function's own credentials (queues, topics, Organizations). */
  forSecurityAccount(region: string): AwsClients {
    const intercepted = this.settings.interceptor && !this.env.AWS_ACCESS_KEY_ID ? async () => INTERCEPTED_CREDENTIALS : undefined;
    return this.bind(`self/${region}`, 'self', region, intercepted);
  }

  /**
   * Assume the account's role now, ahead of its first call: a poller that
   * has drawn its next account takes the AssumeRole off its units' critical
   * path. Shared with the calls that follow (MemberCredentials); a failure is
   * not kept, and is met by those calls. Nothing to do without assumeRole or
   * with an interceptor.
   */
  prefetchCredentials(account: string, region: string, role: MemberRole = 'audit'): void {
    if (this.settings.interceptor || !this.settings.assumeRole) return;
    this.credentials[role].get(account, region).catch(() => undefined);
  }

  /**
   * The work in an (account, region) is over: its clients (every role's) are
   * destroyed once their calls in flight end. Asked for again, they are made
   * again.
   */
  release(account: string, region: string): void {
    this.groups.release(account, region);
  }

  /** Resolves when the SDK settings read from the first clients are known (sdkSettings.ts). */
  async sdkSettingsSettled(): Promise<void> {
    await this.sdkSettings.settled();
  }

  /** How many (account, region, role) groups of clients are kept now. */
  get cachedGroups(): number {
    return this.groups.size;
  }

  private bind(
    key: string,
    account: string,
    region: string,
    credentials: AwsCredentialIdentityProvider | undefined,
  ): AwsClients {
    const endpoint = endpointOverride(this.env);
    return {
      account,
      region,
      get: <C>(ctor: ClientConstructor<C>): C => {
        const group = this.groups.use(key, account, region, account === 'self');
        const existing = group.clients.get(ctor);
        if (existing) return existing as C;
        const client = new ctor({
          ...this.sdkSettings.values(ctor),
          region,
          maxAttempts: MAX_ATTEMPTS,
          ...(credentials ? { credentials } : {}),
          ...(endpoint || endpointOverride(this.env, 'S3') ? { forcePathStyle: true } : {}),
          ...(this.settings.interceptor && account !== 'self' ? { useQueueUrlAsEndpoint: false } : {}),
        });
        const controlEndpoint = endpointOverride(this.env, 'S3_CONTROL');
        if (controlEndpoint) keepEndpointHost(client, controlEndpoint);
        this.settings.interceptor?.attach(client, account, region);
        this.settings.instrument?.(client, account, region);
        group.add(ctor, client);
        this.sdkSettings.learnFrom(ctor, client);
        return client;
      },
    };
  }
}
