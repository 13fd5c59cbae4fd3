import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { accountIdSchema as accountId, regionSchema as region } from './fieldSchemas.ts';
import { FRAMEWORKS } from './frameworks.ts';
import { RESOURCE_TYPES } from './resourceTypes.ts';
import { SEVERITIES } from './findings.ts';

/**
 * An exception matches a finding when every field it sets matches: `{type, id}`
 * for one resource, `{account, type}` for an account x type, `{checkId}` (with
 * optional account/id) for a check; `id` takes `*` and `?`; past `expires` it
 * no longer applies. It stops remediation, never the finding.
 */
/** The date part names a day that exists (2027-02-30 does not), and the whole value parses. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && !Number.isNaN(Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value));
}

export const exceptionSchema = z
  .object({
    checkId: z.string().min(1).optional(),
    account: accountId.optional(),
    type: z.enum(RESOURCE_TYPES).optional(),
    /** `*` and `?` match any run of characters and one character. */
    id: z.string().min(1).optional(),
    reason: z.string().optional(),
    /** An ISO date (valid through that day, UTC) or date-time; past it the exception no longer applies. */
    expires: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, 'must be an ISO date (2027-01-31) or date-time with a zone (2027-01-31T18:00:00Z)')
      .refine(isCalendarDate, 'is not a real date')
      .optional(),
  })
  .strict()
  .refine((e) => e.checkId ?? e.account ?? e.type ?? e.id, {
    message: 'an exception must set at least one of checkId, account, type, id',
  });
export type RemediationException = z.infer<typeof exceptionSchema>;

/** The remediation role's default name: the config default and the client factory's when given none. */
export const DEFAULT_REMEDIATION_ROLE_NAME = 'ComplianceAuditorRemediationRole';

/** Every configuration key, its type and default: the one list the environment names and text parsing derive from. */
export const configFields = z
  .object({
    /** Member accounts to audit: a list, or "organization" (AWS Organizations ListAccounts). */
    accounts: z.union([z.literal('organization'), z.array(accountId).min(1)]).optional(),
    regions: z.array(region).min(1).default(['us-east-1']),
    /** Where global types (IAM) and account-level checks run; defaults to the first region. */
    homeRegion: region.optional(),
    memberRoleName: z.string().min(1).default('ComplianceAuditorMemberRole'),
    /** The member role the remediator assumes only to remediate (member-account stack, RemediationLevel safe or disruptive). */
    remediationRoleName: z.string().min(1).default(DEFAULT_REMEDIATION_ROLE_NAME),
    externalId: z.string().min(2).optional(),
    /** false: use the ambient credentials for every account (a local run inside one account). */
    assumeRole: z.boolean().default(true),
    remediate: z.boolean().default(false),
    maxRemediationsPerRun: z.number().int().min(0).default(25),
    /** Organization-wide cap on mutating remediations per UTC hour, shared by every remediator instance. */
    maxRemediationsPerHour: z.number().int().min(0).default(50),
    /** DynamoDB table (name or ARN) counting maxRemediationsPerHour; unset: counted in the process's memory. */
    brakeTableName: z.string().min(1).optional(),
    /** Check ids whose remediation runs with remediate on: required for `disruptive` ones, allowed for `safe` ones. */
    remediateChecks: z.array(z.string().min(1)).default([]),
    /** Check ids whose remediation never runs (the finding is still reported). */
    skipChecks: z.array(z.string().min(1)).default([]),
    /**
     * Only checks that declare a control of this framework (fsbp, cis) are
     * reported and remediated, and the poller lists only the types that have
     * one; unset: every check.
     */
    framework: z.enum(FRAMEWORKS).optional(),
    devAccounts: z.array(accountId).default([]),
    requiredTags: z.array(z.string().min(1)).default([]),
    trustedAccounts: z.array(accountId).default([]),
    exceptions: z.array(exceptionSchema).default([]),
    /** More exceptions in an SSM parameter (name), read at each run (cached 5 minutes): editable without a redeploy. */
    exceptionsParameter: z.string().regex(/^\/[a-zA-Z0-9_.\-/]{1,2047}$/, 'must be an SSM parameter name starting with /').optional(),
    /** More exceptions in an S3 object, `bucket/key`, read like exceptionsParameter. */
    exceptionsObject: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, 'must be bucket/key').optional(),
    /** The tag form of exceptions: a resource tagged <key> = <check id or *> is excepted (unset: off). */
    exceptionTagKey: z.string().min(1).max(128).optional(),
    notificationsTopicArn: z.string().startsWith('arn:').optional(),
    resourceQueueUrl: z.string().url().optional(),
    pollQueueUrl: z.string().url().optional(),
    /** How many (account, region) units a poller works on at once; default defaultUnitConcurrency(). */
    concurrency: z.number().int().min(1).max(64).optional(),
    /** Instances allowed a public IP in dev accounts and never deregistered from load balancers. */
    ignoredInstances: z.array(z.string().min(1)).default([]),
    /** Ports open to the internet that are not a finding (security_group.open_ingress). */
    allowedIngressPorts: z.array(z.number().int().min(0).max(65535)).default([80, 443]),
    /** Deprecated: true adds DEPRECATED_SWITCHES' check ids to remediateChecks. */
    revokeOpenIngress: z.boolean().optional(),
    stopNonCompliantDatabases: z.boolean().optional(),
    stopUntaggedInstances: z.boolean().optional(),
    encryptRedshiftClusters: z.boolean().optional(),
    /** iam_user thresholds. */
    consoleUnusedDays: z.number().int().min(1).default(90),
    accessKeyUnusedDays: z.number().int().min(1).default(90),
    /** iam_user.access_key_too_old: an active key created longer ago than this (FSBP IAM.3 and CIS 1.14 say 90). */
    accessKeyMaxAgeDays: z.number().int().min(1).default(90),
    mfaGraceHours: z.number().int().min(0).default(24),
    // Account and region posture (issue 6)
    /** region.cloudtrail_not_logging enablement: S3 bucket a new multi-region trail delivers to. */
    cloudTrailBucket: z.string().min(3).optional(),
    /** region.config_not_recording enablement: S3 bucket of a new AWS Config delivery channel. */
    configDeliveryBucket: z.string().min(3).optional(),
    /** AWS Config recorder role; default: the service-linked role AWSServiceRoleForConfig. */
    configRecorderRoleArn: z.string().startsWith('arn:').optional(),
    /** region.vpc_flow_logs_missing enablement: destination ARN (S3 bucket or CloudWatch Logs log group). */
    flowLogsDestination: z.string().startsWith('arn:').optional(),
    /** Role that delivers flow logs to CloudWatch Logs (not needed for S3). */
    flowLogsRoleArn: z.string().startsWith('arn:').optional(),
    /** Security Hub standards that must be enabled; FSBP always is. */
    securityHubStandards: z.array(z.enum(['fsbp', 'cis', 'pci'])).default(['fsbp']),
    /** Whether Macie, Inspector and Audit Manager must be on (else reported, never a finding). */
    macieRequired: z.boolean().default(false),
    inspectorRequired: z.boolean().default(false),
    auditManagerRequired: z.boolean().default(false),
    /** region.password_policy_weak thresholds. */
    passwordMinLength: z.number().int().min(6).max(128).default(14),
    passwordReusePrevention: z.number().int().min(1).max(24).default(24),
    passwordMaxAgeDays: z.number().int().min(1).max(1095).default(90),
    /** Enablement switches, each off unless set (and remediation on). */
    enableCloudTrail: z.boolean().default(false),
    enableConfig: z.boolean().default(false),
    enableVpcFlowLogs: z.boolean().default(false),
    enableEbsEncryption: z.boolean().default(false),
    enableSecurityHub: z.boolean().default(false),
    enableMacie: z.boolean().default(false),
    enableInspector: z.boolean().default(false),
    enableAuditManager: z.boolean().default(false),
    enablePasswordPolicy: z.boolean().default(false),
    enableS3AccountPublicAccessBlock: z.boolean().default(false),
    enableGuardDuty: z.boolean().default(false),
    // GuardDuty and notifications (issue 5)
    /** Organization management account; GuardDuty enrolment runs only when this is set. */
    guardDutyManagementAccount: accountId.optional(),
    /** Role assumed in the management account (delegated administrator, organization accounts). */
    guardDutyManagementRoleName: z.string().min(1).default('GuardDutyEnrolmentRole'),
    /** GuardDuty delegated administrator; default: the security account (the caller's own account). */
    guardDutyAdministratorAccount: accountId.optional(),
    /** Regions to enrol; unset: every region enabled for the account (EC2 DescribeRegions). */
    guardDutyRegions: z.array(region).min(1).optional(),
    /** AutoEnableOrganizationMembers: ALL (existing and new accounts) or NEW (accounts added later). */
    guardDutyAutoEnable: z.enum(['ALL', 'NEW']).default('ALL'),
    /** Protection plans turned on in the administrator's detector and auto-enabled for members; never turned off. */
    guardDutyProtectionPlans: z
      .array(z.enum(['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING']))
      .default([]),
    /** Re-associate disassociated members and restart stopped monitoring (else reported only). */
    guardDutyReassociateMembers: z.boolean().default(false),
    /** SNS topic for operational alarms (the enrolment summary when something failed). */
    alarmsTopicArn: z.string().startsWith('arn:').optional(),
    /** SSM SecureString holding the Slack incoming webhook URL; unset: no Slack. */
    slackWebhookParameter: z.string().min(1).optional(),
    /** SSM SecureString holding the PagerDuty Events API v2 routing key; unset: no PagerDuty. */
    pagerDutyRoutingKeyParameter: z.string().min(1).optional(),
    /** Lowest severity sent to Slack / PagerDuty. */
    slackMinSeverity: z.enum(SEVERITIES).default('low'),
    pagerDutyMinSeverity: z.enum(SEVERITIES).default('high'),
    pagerDutyEventsUrl: z.string().url().default('https://events.pagerduty.com/v2/enqueue'),
    /** Per-request timeout and attempts (with exponential backoff) for Slack and PagerDuty. */
    notifierTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
    notifierMaxAttempts: z.number().int().min(1).max(10).default(3),
    // Finding lifecycle (issue 14)
    /** DynamoDB findings table (deployed); unset and no --findings-store: no lifecycle, every finding is published on every audit. */
    findingsTableName: z.string().min(1).optional(),
    /** An open finding is notified again (transition digest) when last notified more than this many days ago; 0: never. */
    renotifyDays: z.number().int().min(0).default(7),
    /** Import findings into Security Hub (ASFF, BatchImportFindings through each account's audit role); not enableSecurityHub, which turns the service on. */
    securityHub: z.boolean().default(false),
  })
  .strict();

/**
 * The per-remediation switches of earlier versions, each now the check ids it
 * opts in through remediateChecks (a test checks each id is a disruptive
 * remediation). Still accepted, with a deprecation warning.
 */
export const DEPRECATED_SWITCHES = {
  revokeOpenIngress: ['security_group.open_admin_port', 'security_group.open_ingress'],
  stopNonCompliantDatabases: ['rds.unencrypted', 'rds.missing_required_tags'],
  stopUntaggedInstances: ['ec2.missing_required_tags'],
  encryptRedshiftClusters: ['redshift.unencrypted'],
} as const satisfies Partial<Record<keyof z.input<typeof configFields>, readonly string[]>>;
type DeprecatedSwitch = keyof typeof DEPRECATED_SWITCHES;
const DEPRECATED_SWITCH_NAMES = Object.keys(DEPRECATED_SWITCHES) as DeprecatedSwitch[];

/** Folds the deprecated switches into remediateChecks; the Config type has no switch left to read. */
function withoutDeprecatedSwitches(c: z.output<typeof configFields>): Omit<z.output<typeof configFields>, DeprecatedSwitch> {
  const { revokeOpenIngress, stopNonCompliantDatabases, stopUntaggedInstances, encryptRedshiftClusters, ...rest } = c;
  const switchedOn = { revokeOpenIngress, stopNonCompliantDatabases, stopUntaggedInstances, encryptRedshiftClusters };
  const added = DEPRECATED_SWITCH_NAMES.filter((name) => switchedOn[name] === true).flatMap((name) => DEPRECATED_SWITCHES[name]);
  return { ...rest, remediateChecks: [...new Set([...c.remediateChecks, ...added])] };
}

/** One warning per deprecated switch that a source sets, saying what replaces it. */
export function deprecationWarnings(raw: RawConfig): string[] {
  return DEPRECATED_SWITCH_NAMES.filter((name) => raw[name] !== undefined).map(
    (name) =>
      `${name} (${environmentVariableOf(name)}) is deprecated: list ${DEPRECATED_SWITCHES[name].join(', ')} in remediateChecks (REMEDIATE_CHECKS, --remediate-checks) instead`,
  );
}

/**
 * Units are independent throttle domains (each account and region has its
 * own buckets), so what bounds them is this machine's CPU: 12 per CPU, 8 to
 * 64, shared by the poller's threads (one per CPU, pollThreads.ts). More
 * units at once finish sooner but each waits longer for a CPU between its
 * calls. Measured (the bench's CLI run, 50 ms per call, 500 accounts x 4
 * regions, 2 CPUs, 2 threads, session 6): at 24, 30.0 to 30.8 s, each unit
 * 1.17x to 1.19x its chain, 1.20x to 1.23x the lower bound; at 32, 25.0 to
 * 25.9 s, units 1.29x to 1.33x, 1.33x to 1.38x. `--concurrency` (CONCURRENCY)
 * trades the one for the other.
 */
export const UNITS_PER_CPU = 12;

export function defaultUnitConcurrency(cpus: number = availableParallelism()): number {
  return Math.min(64, Math.max(8, UNITS_PER_CPU * cpus));
}

export const configSchema = configFields
  .transform((c) => ({ ...withoutDeprecatedSwitches(c), homeRegion: c.homeRegion ?? c.regions[0] ?? 'us-east-1', concurrency: c.concurrency ?? defaultUnitConcurrency() }))
  .refine((c) => c.regions.includes(c.homeRegion), {
    path: ['homeRegion'],
    message: 'must be one of the configured regions',
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
/** A layer of configuration before validation (a file, the environment, flags). */
export type RawConfig = Record<string, unknown>;

export type ConfigKey = keyof ConfigInput;

/** Product names that stay one word in environment variables: GUARDDUTY_REGIONS, not GUARD_DUTY_REGIONS. */
const ONE_WORD_NAMES = ['CloudTrail', 'GuardDuty', 'PagerDuty'] as const;

/** `memberRoleName` -> `MEMBER_ROLE_NAME`, `guardDutyRegions` -> `GUARDDUTY_REGIONS`. */
export function environmentVariableOf(key: string): string {
  const joined = ONE_WORD_NAMES.reduce((text, name) => text.replace(new RegExp(name, 'i'), (found) => found.charAt(0) + found.slice(1).toLowerCase()), key);
  return joined.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Environment variable for each key (deployed Lambdas read these), derived from the schema. */
export const ENV_KEYS = Object.fromEntries(Object.keys(configFields.shape).map((key) => [key, environmentVariableOf(key)])) as Readonly<
  Record<ConfigKey, string>
>;

type Kind = 'list' | 'numbers' | 'boolean' | 'number' | 'json' | 'string' | { literalOrList: string };

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional || schema instanceof z.ZodDefault ? unwrap(schema.unwrap() as z.ZodType) : schema;
}

/** How a key's text (an environment variable, a CLI flag) becomes a value, read off its schema. */
function kindOf(key: ConfigKey): Kind {
  const schema = unwrap(configFields.shape[key] as z.ZodType);
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodNumber) return 'number';
  if (schema instanceof z.ZodArray) {
    const element = unwrap(schema.element as z.ZodType);
    if (element instanceof z.ZodNumber) return 'numbers';
    return element instanceof z.ZodObject ? 'json' : 'list';
  }
  if (schema instanceof z.ZodUnion) {
    const literal = schema.options.find((option): option is z.ZodLiteral<string> => option instanceof z.ZodLiteral);
    if (literal) return { literalOrList: String(literal.value) };
  }
  return 'string';
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * Turn one text value (an environment variable or a CLI flag) into the type
 * its key takes. Bad text is kept as-is so that validation names it.
 */
export function parseTextValue(key: ConfigKey, text: string): unknown {
  const kind = kindOf(key);
  if (typeof kind === 'object') return text.trim() === kind.literalOrList ? kind.literalOrList : splitList(text);
  switch (kind) {
    case 'list':
      return splitList(text);
    case 'numbers':
      return splitList(text).map((item) => (Number.isNaN(Number(item)) ? item : Number(item)));
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lower)) return true;
      if (['false', '0', 'no', 'off', ''].includes(lower)) return false;
      return text;
    }
    case 'number':
      return text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text);
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    case 'string':
      return text;
  }
}

/** The configuration that the environment sets; unset and empty variables set nothing. */
export function configFromEnvironment(env: NodeJS.ProcessEnv): RawConfig {
  const layer: RawConfig = {};
  for (const [key, variable] of Object.entries(ENV_KEYS) as [ConfigKey, string][]) {
    const text = env[variable];
    if (text !== undefined && text !== '') layer[key] = parseTextValue(key, text);
  }
  return layer;
}

export function configFromFile(path: string): RawConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read config file ${path}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`config file ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError([`config file ${path} must hold a JSON object`]);
  }
  return value as RawConfig;
}

export interface ConfigSources {
  /** CLI flags, already converted with parseTextValue. */
  flags?: RawConfig;
  env?: NodeJS.ProcessEnv;
  /** A JSON config file; `CONFIG_FILE` in the environment names one too. */
  file?: string;
  /** Deployed functions must know their accounts; a local dry run may not. */
  requireAccounts?: boolean;
  /** A deployed function (it always assumes member roles through STS): it must have an ExternalId. */
  deployed?: boolean;
  /** Where deprecation warnings go; default stderr (console.warn). */
  warn?: (message: string) => void;
}

/**
 * Precedence, highest first: CLI flag > environment > config file > default.
 * Validated once; every problem is listed with its key and its source's name.
 */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? {};
  const file = sources.file ?? env.CONFIG_FILE;
  const merged: RawConfig = {
    ...(file ? configFromFile(file) : {}),
    ...configFromEnvironment(env),
    ...(sources.flags ?? {}),
  };
  for (const warning of deprecationWarnings(merged)) (sources.warn ?? console.warn)(warning);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        const variable = key in ENV_KEYS ? ` (${ENV_KEYS[key as ConfigKey]})` : '';
        const where = issue.path.join('.') || 'config';
        const got = key in merged ? `, got ${JSON.stringify(merged[key])}` : '';
        return `${where}${variable}: ${issue.message}${got}`;
      }),
    );
  }
  if (sources.requireAccounts && result.data.accounts === undefined) {
    throw new ConfigError(['accounts (ACCOUNTS): required; a list of account ids or "organization"']);
  }
  const externalIdProblem = externalIdRefusal(result.data, sources.deployed ?? false);
  if (externalIdProblem) throw new ConfigError([externalIdProblem]);
  return result.data;
}

/** The placeholder serverless.yml ships with; never a real ExternalId. */
export const EXTERNAL_ID_PLACEHOLDER_PREFIX = 'change-me';
const EXTERNAL_ID_HOW =
  'set it to the secret the member stacks were deployed with: serverless deploy --param="externalId=<secret>", EXTERNAL_ID, or --external-id';

/**
 * Assuming member roles with the shipped placeholder (or, for a deployed
 * function, with none) is refused. The bad value is shown only by its first
 * characters, never in full.
 */
function externalIdRefusal(config: Config, deployed: boolean): string | undefined {
  if (!config.assumeRole) return undefined;
  const { externalId } = config;
  if (externalId === undefined) return deployed ? `externalId (EXTERNAL_ID): required when assumeRole is on; ${EXTERNAL_ID_HOW}` : undefined;
  if (!externalId.toLowerCase().startsWith(EXTERNAL_ID_PLACEHOLDER_PREFIX)) return undefined;
  return `externalId (EXTERNAL_ID): still the placeholder (${externalId.slice(0, 4)}...); ${EXTERNAL_ID_HOW}`;
}
