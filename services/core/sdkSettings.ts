/**
 * The SDK settings that name no account, region or service (FIPS and
 * dual-stack endpoints, retry mode, app id, auth scheme preference, defaults
 * mode), read once and handed to every later client as values.
 *
 * Left to itself, each new client resolves each of them on its first call
 * through a chain that reads the environment, then ~/.aws/config, and throws
 * (and discards) an error at each miss: about 0.3 ms of CPU per client,
 * measured, and a poll of 500 accounts x 4 regions makes 40,000 clients. The
 * values are read from the first client the factory makes, by its own
 * resolved providers, so the SDK's precedence (environment, then profile,
 * then default) is kept exactly; clients made before they are known resolve
 * them the usual way.
 */

import type { Provider } from '@smithy/types';

/** What a client is given instead of resolving: providers of values already known. */
export interface KnownSdkSettings {
  useFipsEndpoint?: Provider<boolean>;
  useDualstackEndpoint?: Provider<boolean>;
  retryMode?: Provider<string>;
  userAgentAppId?: Provider<string | undefined>;
  authSchemePreference?: Provider<string[]>;
  defaultsMode?: Provider<'legacy' | 'standard'>;
  /** The service's endpoint from `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL` or the profile, as the SDK found it. */
  endpoint?: string;
  /** No endpoint is configured for the service: the SDK need not look again. */
  ignoreConfiguredEndpointUrls?: boolean;
}
type SharedSetting = Exclude<keyof KnownSdkSettings, 'endpoint' | 'ignoreConfiguredEndpointUrls'>;

/**
 * Defaults modes that do not depend on the client's region. `auto` resolves
 * to `in-region` or `cross-region` by comparing the client's region with the
 * function's, so those are left for each client to resolve.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-smart-config-defaults.html
 */
const REGION_FREE_DEFAULTS_MODES = ['legacy', 'standard'] as const;

const given = <T>(value: T): Provider<T> => () => Promise.resolve(value);
const isRegionFree = (mode: unknown): mode is (typeof REGION_FREE_DEFAULTS_MODES)[number] => REGION_FREE_DEFAULTS_MODES.some((free) => free === mode);

/** A resolved value kept only when it has the type the SDK gave it; anything else is left to each client. */
function knownFrom(values: Partial<Record<SharedSetting, unknown>>): KnownSdkSettings {
  const { useFipsEndpoint, useDualstackEndpoint, retryMode, userAgentAppId, authSchemePreference, defaultsMode } = values;
  return {
    ...(typeof useFipsEndpoint === 'boolean' ? { useFipsEndpoint: given(useFipsEndpoint) } : {}),
    ...(typeof useDualstackEndpoint === 'boolean' ? { useDualstackEndpoint: given(useDualstackEndpoint) } : {}),
    ...(typeof retryMode === 'string' ? { retryMode: given(retryMode) } : {}),
    ...(userAgentAppId === undefined || typeof userAgentAppId === 'string' ? { userAgentAppId: given(userAgentAppId) } : {}),
    ...(Array.isArray(authSchemePreference) && authSchemePreference.every((name) => typeof name === 'string') ? { authSchemePreference: given(authSchemePreference.map(String)) } : {}),
    ...(isRegionFree(defaultsMode) ? { defaultsMode: given(defaultsMode) } : {}),
  };
}

const SHARED_SETTINGS: readonly SharedSetting[] = ['useFipsEndpoint', 'useDualstackEndpoint', 'retryMode', 'userAgentAppId', 'authSchemePreference', 'defaultsMode'];

interface ResolvedClient {
  config?: Partial<Record<SharedSetting, unknown>> & {
    isCustomEndpoint?: boolean;
    ignoreConfiguredEndpointUrls?: boolean;
    serviceConfiguredEndpoint?: () => Promise<unknown>;
  };
}

type ServiceEndpoint = Pick<KnownSdkSettings, 'endpoint' | 'ignoreConfiguredEndpointUrls'>;

/**
 * The endpoint configured for the client's service, as the SDK looks it up
 * before each first call (env, then profile); undefined when the client has
 * its own endpoint or the SDK skips the lookup.
 */
async function serviceEndpointOf(config: NonNullable<ResolvedClient['config']>): Promise<ServiceEndpoint | undefined> {
  if (config.isCustomEndpoint || config.ignoreConfiguredEndpointUrls || typeof config.serviceConfiguredEndpoint !== 'function') return undefined;
  const configured = await config.serviceConfiguredEndpoint();
  if (configured === undefined) return { ignoreConfiguredEndpointUrls: true };
  return typeof configured === 'string' ? { endpoint: configured } : undefined;
}

export class SdkSettings {
  private shared: KnownSdkSettings = {};
  private learning = false;
  /** By client class: the endpoint settings each service's first client found. */
  private readonly endpoints = new Map<unknown, ServiceEndpoint | 'learning'>();
  private readonly pending = new Set<Promise<void>>();

  /** Providers for the settings known so far, for a client of this class: spread into its constructor input. */
  values(service: unknown): KnownSdkSettings {
    const endpoint = this.endpoints.get(service);
    return endpoint === undefined || endpoint === 'learning' ? this.shared : { ...this.shared, ...endpoint };
  }

  /** Read the settings from a client's resolved configuration: the shared ones once, the endpoint once per client class. */
  learnFrom(service: unknown, client: unknown): void {
    const config = (client as ResolvedClient).config;
    if (!config) return;
    if (!this.learning) {
      this.learning = true;
      this.track(
        read(config).then((values) => {
          this.shared = knownFrom(values);
        }),
      );
    }
    if (!this.endpoints.has(service)) {
      this.endpoints.set(service, 'learning');
      this.track(
        serviceEndpointOf(config).then((endpoint) => {
          if (endpoint) this.endpoints.set(service, endpoint);
        }),
      );
    }
  }

  /** Resolves when every setting being read is known (or given up). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private track(learning: Promise<void>): void {
    // Not learnt (a malformed setting): every client goes on resolving its own, and meets the error itself, as the SDK does.
    const settled = learning.catch(() => undefined);
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }
}

/** Each setting the client has a provider for, by that provider. */
async function read(config: Partial<Record<SharedSetting, unknown>>): Promise<Partial<Record<SharedSetting, unknown>>> {
  const values: Partial<Record<SharedSetting, unknown>> = {};
  for (const setting of SHARED_SETTINGS) {
    const provider = config[setting];
    if (typeof provider === 'function') values[setting] = await (provider as () => Promise<unknown>)();
  }
  return values;
}
