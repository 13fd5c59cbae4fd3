/**
 * secret: Secrets Manager secrets: a resource policy open to everyone or
 * shared with an unknown account, automatic rotation off (SecretsManager.1),
 * and no rotation for longer than SecretsManager.4 allows. A secret scheduled
 * for deletion is judged by no check (it can no longer be read).
 *
 * APIs: ListSecrets (list); DescribeSecret, GetResourcePolicy (collect);
 * remediation: PutResourcePolicy (the policy narrowed) or
 * DeleteResourcePolicy (nothing left of it). Rotation is notify-only: it
 * takes a rotation function that knows how to change the credential where
 * it is used, which only the owner can choose.
 * CloudTrail: CreateSecret, PutResourcePolicy, RotateSecret,
 * CancelRotateSecret (responseElements.arn).
 * Ids are secret ARNs (name and six random characters): a secret made again
 * under a deleted one's name is another secret.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#API_CreateSecret_ResponseSyntax
 */
import {
  DeleteResourcePolicyCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
  SecretsManagerClient,
  paginateListSecrets,
} from '@aws-sdk/client-secrets-manager';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import {
  isPublicStatement,
  parsePolicyDocument,
  publicPolicyViolation,
  publicStatements,
  serialisePolicyDocument,
  unknownAccountViolation,
  untrustedGrants,
  withoutStatements,
  withoutUntrustedAccounts,
  type PolicyDocument,
} from './policy/index.ts';
import { secretTriggers } from './triggers/secret.ts';

/**
 * SecretsManager.4's default maxDaysSinceRotation: a secret not rotated for
 * longer fails it. https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html#secretsmanager-4
 */
export const MAX_DAYS_SINCE_ROTATION = 90;
const DAY_MS = 86_400_000;

export interface SecretState {
  arn: string;
  name: string;
  rotationEnabled: boolean;
  /** RotationRules.AutomaticallyAfterDays, where the schedule is given in days. */
  rotationDays?: number;
  /** RotationRules.ScheduleExpression, where the schedule is a rate() or cron() expression. */
  scheduleExpression?: string;
  lastRotated?: Date;
  created?: Date;
  /** Set when the secret is scheduled for deletion. */
  deleted?: Date;
  /** The service that manages the secret (rds, ...), which rotates it itself. */
  owningService?: string;
  /** undefined: the secret has no resource policy. */
  policy?: PolicyDocument;
  tags: Readonly<Record<string, string>>;
}

// ---------- pure ----------

/** When the secret was last rotated, or made if it never was. */
export function lastRotationOf(state: Pick<SecretState, 'lastRotated' | 'created'>): Date | undefined {
  return state.lastRotated ?? state.created;
}

function describeSchedule(state: Pick<SecretState, 'rotationDays' | 'scheduleExpression'>): string {
  if (state.rotationDays !== undefined) return `every ${state.rotationDays} days`;
  return state.scheduleExpression ? `on ${state.scheduleExpression}` : 'on no schedule';
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// ---------- reads ----------

function secretsManager(context: ResourceContext): SecretsManagerClient {
  return context.clients.get(SecretsManagerClient);
}

/** The secret's resource policy now; undefined when it has none. */
async function readPolicy(context: ResourceContext): Promise<PolicyDocument | undefined> {
  const { ResourcePolicy } = await secretsManager(context).send(new GetResourcePolicyCommand({ SecretId: context.id }));
  return ResourcePolicy ? parsePolicyDocument(ResourcePolicy) : undefined;
}

async function readSecret(context: ResourceContext): Promise<SecretState | Gone> {
  try {
    const secret = await secretsManager(context).send(new DescribeSecretCommand({ SecretId: context.id }));
    if (!secret.ARN || !secret.Name) return GONE;
    const rules = secret.RotationRules;
    return {
      arn: secret.ARN,
      name: secret.Name,
      rotationEnabled: secret.RotationEnabled === true,
      ...(rules?.AutomaticallyAfterDays !== undefined ? { rotationDays: rules.AutomaticallyAfterDays } : {}),
      ...(rules?.ScheduleExpression ? { scheduleExpression: rules.ScheduleExpression } : {}),
      ...(secret.LastRotatedDate ? { lastRotated: secret.LastRotatedDate } : {}),
      ...(secret.CreatedDate ? { created: secret.CreatedDate } : {}),
      ...(secret.DeletedDate ? { deleted: secret.DeletedDate } : {}),
      ...(secret.OwningService ? { owningService: secret.OwningService } : {}),
      ...(secret.DeletedDate ? {} : { policy: await readPolicy(context) }),
      tags: tagsToRecord(secret.Tags),
    };
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.secret)) return GONE;
    throw error;
  }
}

/** Put the narrowed policy back, or delete it when no statement is left (a resource policy must have one). */
async function writePolicy(context: ResourceContext, policy: PolicyDocument): Promise<void> {
  if (policy.Statement.length === 0) await secretsManager(context).send(new DeleteResourcePolicyCommand({ SecretId: context.id }));
  else await secretsManager(context).send(new PutResourcePolicyCommand({ SecretId: context.id, ResourcePolicy: serialisePolicyDocument(policy) }));
}

/** The policy now, GONE when the secret is, undefined when it has none (or is scheduled for deletion). */
async function currentPolicy(context: ResourceContext): Promise<PolicyDocument | undefined | Gone> {
  const secret = await readSecret(context);
  return secret === GONE ? GONE : secret.policy;
}

// ---------- the auditor ----------

export const secretAuditor = defineAuditor<SecretState>({
  type: 'secret',
  scope: 'regional',
  description: 'Secrets Manager secrets: public or unknown-account resource policies, rotation off or overdue',
  permissions: {
    list: ['secretsmanager:ListSecrets'],
    collect: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'],
  },
  triggers: secretTriggers,

  async *list({ clients }) {
    // MaxResults 1 to 100: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html
    for await (const page of paginateListSecrets({ client: clients.get(SecretsManagerClient), pageSize: 100 }, {})) {
      for (const secret of page.SecretList ?? []) {
        if (!secret.ARN) continue;
        yield { id: secret.ARN, ...(secret.Name ? { name: secret.Name } : {}), tags: tagsToRecord(secret.Tags) };
      }
    }
  },

  collect: readSecret,

  identity: (state) => ({ tags: state.tags }),

  checks: [
    {
      id: 'secret.public_policy',
      title: 'Secret policy allows access to everyone',
      severity: 'critical',
      rationale:
        'An Allow to principal "*" without a condition limiting it to fixed accounts, an organization, a source or a network lets any AWS account act on the secret, up to reading its value.',
      // No FSBP or CIS v3.0.0 control judges secret resource policies: https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html
      controls: { none: 'no FSBP or CIS v3.0.0 control judges a secret\'s resource policy (SecretsManager.1 to .5 judge rotation, use and tags)' },
      evaluate(state) {
        return state.deleted ? undefined : publicPolicyViolation(state.policy);
      },
    },
    {
      id: 'secret.shared_unknown_account',
      title: 'Secret policy grants access to an unknown account',
      severity: 'high',
      rationale: 'An account outside the organization and the trusted list can act on the secret, up to reading the credential it holds.',
      controls: OWN_RULE.sharing,
      evaluate(state, { account, trustedAccounts }) {
        return state.deleted ? undefined : unknownAccountViolation(state.policy, account, trustedAccounts);
      },
    },
    {
      id: 'secret.rotation_off',
      title: 'Secret does not rotate automatically',
      severity: 'medium',
      rationale: 'A credential that is never rotated stays valid for as long as anyone who ever saw it keeps a copy.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html#secretsmanager-1 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['SecretsManager.1'] },
      evaluate(state) {
        if (state.deleted || state.rotationEnabled) return undefined;
        return { detail: 'automatic rotation is off' };
      },
    },
    {
      id: 'secret.rotation_overdue',
      title: `Secret not rotated in ${MAX_DAYS_SINCE_ROTATION} days`,
      severity: 'medium',
      rationale: `Security Hub expects a secret to be rotated at least every ${MAX_DAYS_SINCE_ROTATION} days; an older value has had that much longer to leak, whether rotation is off, scheduled too far apart, or failing.`,
      // https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html#secretsmanager-4 (default maxDaysSinceRotation 90; no CIS v3.0.0 requirement)
      controls: { fsbp: ['SecretsManager.4'] },
      evaluate(state, { now }) {
        const since = lastRotationOf(state);
        if (state.deleted || !since) return undefined;
        const days = Math.floor((now.getTime() - since.getTime()) / DAY_MS);
        if (days <= MAX_DAYS_SINCE_ROTATION) return undefined;
        const last = state.lastRotated ? `last rotated ${day(state.lastRotated)}` : `never rotated since it was made on ${day(since)}`;
        const schedule = state.rotationEnabled ? `rotation is on, ${describeSchedule(state)}` : 'rotation is off';
        return { detail: `${last} (${days} days ago); ${schedule}` };
      },
    },
  ],

  remediations: {
    'secret.public_policy': {
      description: 'Remove only the public statements; delete the policy only if no statement is left.',
      risk: 'safe',
      permissions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy'],
      async apply(context) {
        const policy = await currentPolicy(context);
        if (policy === GONE) return 'gone';
        if (!policy || publicStatements(policy).length === 0) return 'already_compliant';
        await writePolicy(context, withoutStatements(policy, isPublicStatement));
        return 'applied';
      },
    },
    'secret.shared_unknown_account': {
      description: 'Remove only the unknown accounts from the policy (a statement goes only if nothing is left of it); delete the policy only if no statement is left.',
      risk: 'safe',
      permissions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy'],
      async apply(context, _state, { account, trustedAccounts }) {
        const policy = await currentPolicy(context);
        if (policy === GONE) return 'gone';
        if (!policy || untrustedGrants(policy, account, trustedAccounts).length === 0) return 'already_compliant';
        await writePolicy(context, withoutUntrustedAccounts(policy, account, trustedAccounts));
        return 'applied';
      },
    },
  },
});
