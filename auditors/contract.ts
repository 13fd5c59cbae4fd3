/**
 * The auditor contract: the unit a contributor adds, one file per resource
 * type, read top to bottom: metadata (type, permissions, CloudTrail
 * triggers), list, collect, checks, remediations.
 */
import type { AwsClients } from '../services/core/clientFactory.ts';
import type { Config } from '../services/core/config.ts';
import type { Log } from '../services/core/log.ts';
import type { Severity } from '../services/core/findings.ts';
import type { ControlDeclaration } from '../services/core/frameworks.ts';
import type { ResourceType } from '../services/core/resourceTypes.ts';
import { protectionOf, type ResourceIdentity } from '../services/core/selfProtection.ts';

/** `collect` returns GONE when the resource vanished: no finding, no error. */
export const GONE = Symbol('gone');
export type Gone = typeof GONE;

/**
 * `collect` returns this when the resource exists but cannot be judged yet
 * (an RDS instance still `creating`): the message is re-queued with a delay.
 */
export class NotReady {
  readonly reason: string;
  readonly delaySeconds: number;
  constructor(reason: string, delaySeconds = 300) {
    this.reason = reason;
    this.delaySeconds = Math.min(900, Math.max(0, delaySeconds));
  }
}

/** Where the type is listed: every region, or once per account in the home region (IAM). */
export type Scope = 'regional' | 'global';

export interface ListContext {
  account: string;
  region: string;
  clients: AwsClients;
  config: Config;
}

/** One resource found by `list`; name and tags let the poller filter test resources. */
export interface ListedResource {
  id: string;
  name?: string;
  tags?: Readonly<Record<string, string>>;
}

export interface ResourceContext extends ListContext {
  id: string;
  /**
   * Member-account clients for another (account, region): a remediation that
   * must act elsewhere (a trail's home region, the GuardDuty administrator
   * account). Absent where the caller offers none.
   */
  clientsFor?: (account: string, region: string) => AwsClients;
  /**
   * Clients through the member account's remediation role, which a
   * remediation's apply gets as `clients` (and `remediationClientsFor` as
   * `clientsFor`). Lazy: nothing is assumed before the first call. Absent
   * where the caller has one role only: apply then gets `clients`.
   */
  remediationClients?: AwsClients;
  remediationClientsFor?: (account: string, region: string) => AwsClients;
  /** For what an auditor notices but is not a finding (S3 and the policy analyser disagreeing). Absent where the caller offers none. */
  log?: Log;
}

/** What a pure check may read besides the collected state. */
export interface CheckContext {
  account: string;
  region: string;
  id: string;
  config: Config;
  /** Organization accounts plus the configured trusted accounts: exact 12-digit ids. */
  trustedAccounts: ReadonlySet<string>;
  /** The organization's id (o-…) when the audited accounts are an organization's; undefined when unknown. */
  organizationId?: string;
  now: Date;
}

export interface Violation {
  /** What is wrong, specifically enough to act on ("grant READ to AllUsers"). */
  detail: string;
}

export interface Check<State> {
  /** `<type>.<name>`, stable: exceptions and alerts refer to it. */
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  /**
   * The AWS Security Hub FSBP control ids and CIS AWS Foundations Benchmark
   * v3.0.0 recommendations the check corresponds to, each checked against the
   * Security Hub controls reference (cite the page next to the declaration);
   * a framework left out when none of its controls matches, and
   * `{ none: reason }` when no control of either framework does.
   */
  controls: ControlDeclaration;
  /** Pure: no AWS call. Returns a violation, or undefined when compliant. */
  evaluate(state: State, context: CheckContext): Violation | undefined;
}

/** applied: a mutating call was made; already_compliant / gone: nothing to do, no mutating call. */
export type RemediationOutcome = 'applied' | 'already_compliant' | 'gone';

/**
 * safe: removes a public or foreign grant, turns on encryption at rest or
 * logging, nothing running stops; disruptive: may break what runs (stops,
 * revokes ingress, enforces IMDSv2, rewrites a trust policy to deny-all).
 */
export type RemediationRisk = 'safe' | 'disruptive';

export interface Remediation<State> {
  description: string;
  /** remediate=true applies `safe` ones; a `disruptive` one only when its check id is in `remediateChecks`. */
  risk: RemediationRisk;
  /** IAM actions the remediation calls (read ones included: it reads before it writes). */
  permissions: readonly string[];
  /**
   * With `iam:PassRole` in permissions: the service principals the role is
   * passed to (`config.amazonaws.com`), the remediation role's
   * `iam:PassedToService` condition.
   */
  passRoleTo?: readonly string[];
  /**
   * true when the remediation contains the risk without fixing the cause (it
   * stops the instance or database): the check keeps failing, and later runs
   * report already_compliant until someone fixes the resource.
   */
  mitigates?: true;
  /**
   * For the region posture's enablements (enableCloudTrail, ...), which say
   * what the account's baseline must contain: false makes the check
   * notify-only. Resource remediations opt in through remediateChecks instead.
   */
  enabled?: (config: Config) => boolean;
  /**
   * For remediations that can fix only some forms of the violation (an
   * internet-facing load balancer with instances behind it, not one with
   * none): false makes this finding notify-only.
   */
  applicable?: (state: State, context: CheckContext) => boolean;
  /**
   * Idempotent and state-setting: read the current state, change only what
   * is wrong, write; a resource already compliant or gone gets no mutating call.
   */
  apply(context: ResourceContext, state: State, checkContext: CheckContext): Promise<RemediationOutcome>;
}

/** The parts of a CloudTrail event's detail a transformId may read; parsed JSON, so unknown. */
export interface CloudTrailCallFields {
  requestParameters?: unknown;
  responseElements?: unknown;
}

/** A CloudTrail API call that should trigger an audit of this type. */
export interface CloudTrailTrigger {
  /** `s3.amazonaws.com` */
  eventSource: string;
  eventNames: readonly string[];
  /**
   * Where the id is in the event's `detail`: a dotted path, `[]` walks every
   * element of an array (`responseElements.instancesSet.items[].instanceId`).
   */
  idPath: string;
  /** Delay before auditing a resource that takes a while to become describable (at most 900). */
  delaySeconds?: number;
  /**
   * Turn the value found at idPath into the id `collect` takes, when they
   * differ (a listener ARN into its load balancer's ARN). Pure. `detail`
   * is the event's, for a second field that completes the id (a Lambda
   * Qualifier beside the function name).
   */
  transformId?: (value: string, detail: CloudTrailCallFields) => string;
  /**
   * The event changes an account-wide setting (IAM, the account's S3 Public
   * Access Block): audit it in the home region, where account-level checks
   * run, whatever region CloudTrail recorded it in.
   */
  accountLevel?: boolean;
  /**
   * When no id is at idPath: why the call concerns nothing this type can
   * audit from the event (the root user's own access keys; an address put
   * on a network interface, whose instance the event does not name), or
   * undefined when an id was expected, so the event is malformed. Pure:
   * reads the event's detail through `valueAt` (a dotted path, the first
   * non-empty string there).
   */
  notAudited?: (valueAt: (path: string) => string | undefined) => string | undefined;
}

export interface AuditorDefinition<State> {
  type: ResourceType;
  scope: Scope;
  description: string;
  permissions: {
    /** IAM actions `list` calls. */
    list: readonly string[];
    /** IAM actions `collect` calls. */
    collect: readonly string[];
  };
  triggers: readonly CloudTrailTrigger[];
  list(context: ListContext): AsyncIterable<ListedResource>;
  collect(context: ResourceContext): Promise<State | Gone | NotReady>;
  checks: readonly Check<State>[];
  /** Keyed by full check id; a check without one is notify-only. */
  remediations: Readonly<Record<string, Remediation<State>>>;
  /**
   * Optional: what of the state tells the resource apart (an IAM path, its
   * tags): services/core/selfProtection.ts reads it (the stack's own tag),
   * and so do tag-form exceptions. Every auditor whose state has tags declares it.
   */
  identity?(state: State): Omit<ResourceIdentity, 'type' | 'id'>;
  /** Optional: a JSON-able summary of the collected state (the region auditor's per-control status). */
  summarise?(state: State, context: CheckContext): AuditSummary;
  /**
   * Optional: the id `list` gives for an id that names the resource only
   * indirectly (a network interface for the instance it is attached to), or
   * GONE when it names nothing this type audits. Called before `collect`,
   * so both paths audit under one id (and one finding id).
   */
  canonicalId?(context: ResourceContext): Promise<string | Gone>;
}

export type AuditSummary = Readonly<Record<string, unknown>>;

export type CheckInfo = Pick<Check<unknown>, 'id' | 'title' | 'severity' | 'rationale' | 'controls'>;

/** What the registry and a FailedCheck carry of a check: no evaluate. */
function checkInfoOf({ id, title, severity, rationale, controls }: Check<never>): CheckInfo {
  return { id, title, severity, rationale, controls };
}
export type RemediationInfo = Pick<Remediation<unknown>, 'description' | 'risk' | 'permissions' | 'passRoleTo' | 'mitigates'>;

export interface FailedCheck {
  check: CheckInfo;
  violation: Violation;
  /** Present when the check has a remediation. */
  remediate?: () => Promise<RemediationOutcome>;
  /** The remediation's risk, present with `remediate`. */
  risk?: RemediationRisk;
  /** Why the resource must never be remediated (services/core/selfProtection.ts); the finding is still reported. */
  protectedBecause?: string;
  /** The resource's tags, where its auditor declares identity() with them (tag-form exceptions). */
  tags?: Readonly<Record<string, string>>;
}

/** An auditor with its state type closed over, so the registry can hold every type. */
export interface Auditor {
  type: ResourceType;
  scope: Scope;
  description: string;
  permissions: AuditorDefinition<unknown>['permissions'];
  triggers: readonly CloudTrailTrigger[];
  checks: readonly CheckInfo[];
  remediations: Readonly<Record<string, RemediationInfo>>;
  list(context: ListContext): AsyncIterable<ListedResource>;
  /** Collect now, evaluate every check; GONE when the resource vanished. `observe` gets the summary, if the auditor makes one. */
  audit(context: ResourceContext, checkContext: CheckContext, observe?: (summary: AuditSummary) => void): Promise<FailedCheck[] | Gone | NotReady>;
  /** The id to audit under: the message's, or what it names (AuditorDefinition.canonicalId). */
  canonicalId(context: ResourceContext): Promise<string | Gone>;
}

export function defineAuditor<State>(definition: AuditorDefinition<State>): Auditor {
  const { checks, remediations } = definition;
  return {
    type: definition.type,
    scope: definition.scope,
    description: definition.description,
    permissions: definition.permissions,
    triggers: definition.triggers,
    checks: checks.map(checkInfoOf),
    remediations: Object.fromEntries(
      Object.entries(remediations).map(([id, r]) => [
        id,
        { description: r.description, risk: r.risk, permissions: r.permissions, ...(r.passRoleTo ? { passRoleTo: r.passRoleTo } : {}), ...(r.mitigates ? { mitigates: r.mitigates } : {}) },
      ]),
    ),
    list: (context) => definition.list(context),
    canonicalId: (context) => (definition.canonicalId ? definition.canonicalId(context) : Promise.resolve(context.id)),
    async audit(context, checkContext, observe) {
      const collected = await definition.collect(context);
      if (collected === GONE) return GONE;
      if (collected instanceof NotReady) return collected;
      const state: State = collected;
      if (observe && definition.summarise) observe(definition.summarise(state, checkContext));
      const identity = definition.identity?.(state);
      const protectedBecause = protectionOf({ type: definition.type, id: context.id, ...identity }, checkContext.config);
      const failed: FailedCheck[] = [];
      for (const check of checks) {
        const violation = check.evaluate(state, checkContext);
        if (!violation) continue;
        const candidate = remediations[check.id];
        const remediation =
          candidate && (candidate.enabled?.(checkContext.config) ?? true) && (candidate.applicable?.(state, checkContext) ?? true) ? candidate : undefined;
        failed.push({
          check: checkInfoOf(check),
          violation,
          ...(remediation ? { remediate: () => remediation.apply(remediationContext(context), state, checkContext), risk: remediation.risk } : {}),
          ...(protectedBecause ? { protectedBecause } : {}),
          ...(identity?.tags ? { tags: identity.tags } : {}),
        });
      }
      return failed;
    },
  };
}

/** The context a remediation's apply gets: the remediation role's clients where the caller offers them. */
function remediationContext(context: ResourceContext): ResourceContext {
  const clientsFor = context.remediationClientsFor ?? context.clientsFor;
  return { ...context, clients: context.remediationClients ?? context.clients, ...(clientsFor ? { clientsFor } : {}) };
}

/** Tags as a plain record, from the SDK's `{Key, Value}[]` shapes. */
export function tagsToRecord(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}
