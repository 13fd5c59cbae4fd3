import { parseArgs } from 'node:util';
import { ConfigError } from './errors.ts';
import { defaultUnitConcurrency, loadConfig, parseTextValue, UNITS_PER_CPU, type Config, type ConfigKey, type RawConfig } from './config.ts';
type FlagOption = { type: 'string' | 'boolean'; short?: string };

/** Flags every CLI shares; each sets the configuration key it names. */
/** Every one takes a value, parsed like its key's environment variable. */
export const CONFIG_FLAGS: Record<string, { key: ConfigKey; help: string }> = {
  accounts: { key: 'accounts', help: 'comma-separated account ids, or "organization"' },
  regions: { key: 'regions', help: 'comma-separated regions (default us-east-1)' },
  'home-region': { key: 'homeRegion', help: 'region for global types such as IAM (default: first region)' },
  'role-name': { key: 'memberRoleName', help: 'member role to assume (default ComplianceAuditorMemberRole)' },
  'external-id': { key: 'externalId', help: 'ExternalId for AssumeRole' },
  'required-tags': { key: 'requiredTags', help: 'comma-separated tag keys every resource must carry' },
  'trusted-accounts': { key: 'trustedAccounts', help: 'comma-separated accounts trusted for sharing checks' },
  'dev-accounts': { key: 'devAccounts', help: 'comma-separated development accounts' },
  concurrency: { key: 'concurrency', help: `units (account x region) worked on at once (default ${UNITS_PER_CPU} per CPU, 8 to 64: ${defaultUnitConcurrency()} here)` },
  'remediate-checks': { key: 'remediateChecks', help: 'comma-separated check ids to remediate, disruptive ones included' },
  'skip-checks': { key: 'skipChecks', help: 'comma-separated check ids never to remediate' },
};

export const COMMON_FLAGS_HELP = [
  '  --config FILE            JSON configuration file (also CONFIG_FILE)',
  ...Object.entries(CONFIG_FLAGS).map(([name, flag]) => `  --${`${name} VALUE`.padEnd(23)}${flag.help}`),
  '  --no-assume-role         use your own credentials for every account (one-account runs)',
  '  --sandbox FILE           run against a sandbox organization saved in FILE (see npm run demo)',
  '  -h, --help               this help',
  '',
  'Precedence: flag > environment variable > config file > default.',
].join('\n');

type ExtraOptions = Record<string, FlagOption>;

/**
 * Parse a CLI's own flags plus the shared configuration flags. `configFlags`
 * names more flags that set a configuration key (`--auto-enable` ->
 * guardDutyAutoEnable): each is a string option, parsed like its key's
 * environment variable.
 */
export function parseCli<E extends ExtraOptions>(argv: string[], extra: E, configFlags: Readonly<Record<string, ConfigKey>> = {}) {
  const keyOfFlag: Record<string, ConfigKey> = { ...Object.fromEntries(Object.entries(CONFIG_FLAGS).map(([name, flag]) => [name, flag.key])), ...configFlags };
  const options = {
    ...Object.fromEntries(Object.keys(keyOfFlag).map((name) => [name, { type: 'string' as const }])),
    config: { type: 'string' },
    sandbox: { type: 'string' },
    'no-assume-role': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...extra,
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new ConfigError([`${error instanceof Error ? error.message : String(error)} (see --help)`]);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const flags: RawConfig = {};
  for (const [name, key] of Object.entries(keyOfFlag)) {
    const value = values[name];
    if (typeof value === 'string') flags[key] = parseTextValue(key, value);
  }
  if (values['no-assume-role']) flags.assumeRole = false;
  return {
    values,
    flags,
    file: typeof values.config === 'string' ? values.config : undefined,
    loadConfig: (more: RawConfig = {}, requireAccounts = false): Config =>
      loadConfig({ flags: { ...flags, ...more }, env: process.env, file: typeof values.config === 'string' ? values.config : undefined, requireAccounts }),
  };
}
