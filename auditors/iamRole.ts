/**
 * iam_role: trust policies that let anyone, or an account that is neither
 * the owner nor trusted, assume the role.
 *
 * Also IAM.1: attached customer managed policies allowing "*" on "*"
 * (notify-only, auditors/adminPolicies.ts).
 *
 * APIs: ListRoles, GetRole (the trust policy comes URL-encoded),
 * ListAttachedRolePolicies, GetPolicy, GetPolicyVersion; remediation:
 * UpdateAssumeRolePolicy (only the offending trust is removed; a trust
 * policy left empty becomes a deny-all).
 */
import { GetRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand, paginateListRoles } from '@aws-sdk/client-iam';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, defineAuditor, type Gone, type ResourceContext } from './contract.ts';
import { iamRoleTriggers } from './triggers/iamRole.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';
import { ADMIN_POLICY_PERMISSIONS, adminPolicyCheck, readAdminPolicies, type AdminPolicy } from './adminPolicies.ts';
import {
  describePublicStatements,
  describeUntrustedGrants,
  isPublicStatement,
  parsePolicyDocument,
  publicStatements,
  serialisePolicyDocument,
  untrustedGrants,
  withoutStatements,
  withoutUntrustedAccounts,
  type PolicyDocument,
} from './policy/index.ts';

/** What a trust policy becomes when removing the offending statements would leave none: nobody may assume the role. */
export const DENY_ALL_TRUST_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
};

export interface RoleState {
  name: string;
  path: string;
  arn?: string;
  trustPolicy: PolicyDocument;
}

/** What the auditor judges: the trust policy and the attached customer managed policies granting "*" on "*". */
export interface AuditedRoleState extends RoleState {
  adminPolicies: AdminPolicy[];
}

// ---------- pure helpers (shared by checks and remediations) ----------

/** The role name from a name or a role ARN (`arn:aws:iam::111111111111:role/service/app-deployer`). */
export function roleNameOf(id: string): string {
  const match = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(id);
  return match?.[1] ?? id;
}

// ---------- reads (collect and the read half of remediations) ----------

function iam(context: ResourceContext): IAMClient {
  return context.clients.get(IAMClient);
}

async function readRole(context: ResourceContext): Promise<RoleState | Gone> {
  const name = roleNameOf(context.id);
  try {
    const { Role } = await iam(context).send(new GetRoleCommand({ RoleName: name }));
    if (!Role) return GONE;
    return {
      name,
      path: Role.Path ?? '/',
      arn: Role.Arn,
      trustPolicy: Role.AssumeRolePolicyDocument ? parsePolicyDocument(Role.AssumeRolePolicyDocument) : { Statement: [] },
    };
  } catch (error) {
    if (hasErrorName(error, 'NoSuchEntity', 'NoSuchEntityException')) return GONE;
    throw error;
  }
}

async function writeTrustPolicy(context: ResourceContext, role: RoleState, trustPolicy: PolicyDocument): Promise<void> {
  const document = trustPolicy.Statement.length === 0 ? DENY_ALL_TRUST_POLICY : trustPolicy;
  await iam(context).send(new UpdateAssumeRolePolicyCommand({ RoleName: role.name, PolicyDocument: serialisePolicyDocument(document) }));
}

// ---------- the auditor ----------

export const iamRoleAuditor = defineAuditor<AuditedRoleState>({
  type: 'iam_role',
  scope: 'global',
  description: 'IAM roles: trust policies open to everyone or to accounts that are not trusted',
  permissions: {
    list: ['iam:ListRoles'],
    collect: ['iam:GetRole', ...ADMIN_POLICY_PERMISSIONS.role],
  },
  triggers: iamRoleTriggers,

  async *list({ clients }) {
    const client = clients.get(IAMClient);
    for await (const page of paginateListRoles({ client, pageSize: 1000 }, {})) {
      for (const role of page.Roles ?? []) {
        if (role.RoleName) yield { id: role.RoleName, name: role.RoleName };
      }
    }
  },

  async collect(context) {
    const role = await readRole(context);
    if (role === GONE) return GONE;
    const adminPolicies = await readAdminPolicies(iam(context), 'role', role.name);
    return adminPolicies === GONE ? GONE : { ...role, adminPolicies };
  },
  identity: (state) => ({ path: state.path }),

  checks: [
    {
      id: 'iam_role.public_trust',
      title: 'Role can be assumed by anyone',
      severity: 'critical',
      rationale: 'A trust statement allowing principal "*" (or with NotPrincipal) without a condition limiting it to fixed accounts or an organization lets any AWS principal take the role and its permissions (ForAllValues: conditions and wildcards such as "o-*" limit nothing).',
      // No FSBP or CIS v3.0.0 control: Security Hub does not judge role trust policies.
      controls: { none: "no FSBP or CIS v3.0.0 control judges a role's trust policy" },
      evaluate(state) {
        const detail = describePublicStatements(state.trustPolicy);
        return detail ? { detail: `trust ${detail}` } : undefined;
      },
    },
    {
      id: 'iam_role.untrusted_account_trust',
      title: 'Role can be assumed from an account that is not trusted',
      severity: 'high',
      rationale: 'An account outside the organization and the trusted list can take the role and its permissions.',
      // No FSBP or CIS v3.0.0 control: Security Hub does not judge role trust policies.
      controls: OWN_RULE.sharing,
      evaluate(state, { account, trustedAccounts }) {
        const grants = untrustedGrants(state.trustPolicy, account, trustedAccounts);
        return grants.length === 0 ? undefined : { detail: `trust policy ${describeUntrustedGrants(state.trustPolicy, grants)}` };
      },
    },
    adminPolicyCheck<AuditedRoleState>('iam_role'),
  ],

  remediations: {
    'iam_role.public_trust': {
      description: 'Remove only the public trust statements; if none would be left, the trust policy becomes a deny-all.',
      risk: 'disruptive',
      permissions: ['iam:GetRole', 'iam:UpdateAssumeRolePolicy'],
      async apply(context) {
        const role = await readRole(context);
        if (role === GONE) return 'gone';
        if (publicStatements(role.trustPolicy).length === 0) return 'already_compliant';
        await writeTrustPolicy(context, role, withoutStatements(role.trustPolicy, isPublicStatement));
        return 'applied';
      },
    },
    'iam_role.untrusted_account_trust': {
      description: 'Remove only the untrusted accounts from the trust policy (a statement goes only if nothing is left of it); if no statement would be left, the trust policy becomes a deny-all.',
      risk: 'disruptive',
      permissions: ['iam:GetRole', 'iam:UpdateAssumeRolePolicy'],
      async apply(context, _state, { account, trustedAccounts }) {
        const role = await readRole(context);
        if (role === GONE) return 'gone';
        if (untrustedGrants(role.trustPolicy, account, trustedAccounts).length === 0) return 'already_compliant';
        await writeTrustPolicy(context, role, withoutUntrustedAccounts(role.trustPolicy, account, trustedAccounts));
        return 'applied';
      },
    },
  },
});
