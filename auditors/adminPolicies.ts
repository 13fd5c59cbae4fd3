/**
 * IAM.1 for users and roles: the customer managed policies attached to the
 * identity whose default version allows "*" on "*".
 *
 * The rule (AWS Config's iam-policy-no-statements-with-admin-access, which
 * Security Hub IAM.1 runs): a customer managed policy statement with
 * "Effect": "Allow", "Action": "*" over "Resource": "*"; inline and AWS
 * managed policies (AdministratorAccess included) are not judged, nor are
 * NotAction statements or conditions (a condition does not clear the rule).
 * https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-admin-access.html
 *
 * APIs: ListAttachedUserPolicies / ListAttachedRolePolicies (paginated),
 * GetPolicy (DefaultVersionId), GetPolicyVersion (the document, URL-encoded).
 * A policy deleted between the list and the read is skipped.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  type AttachedPolicy,
} from '@aws-sdk/client-iam';
import { hasErrorName } from '../services/core/errors.ts';
import { GONE, type Check, type Gone } from './contract.ts';
import { asList, describeStatement, parsePolicyDocument, type PolicyDocument } from './policy/index.ts';

export const ADMIN_POLICY_PERMISSIONS = {
  user: ['iam:ListAttachedUserPolicies', 'iam:GetPolicy', 'iam:GetPolicyVersion'],
  role: ['iam:ListAttachedRolePolicies', 'iam:GetPolicy', 'iam:GetPolicyVersion'],
} as const;

/** An attached customer managed policy that grants everything, and the statements that do. */
export interface AdminPolicy {
  arn: string;
  name: string;
  statements: string[];
}

/** AWS managed policies live in the `aws` account: `arn:aws:iam::aws:policy/AdministratorAccess`. */
export function isAwsManaged(policyArn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(policyArn);
}

/** The statements of a document that allow Action "*" on Resource "*" (NotAction and Deny are not IAM.1). */
export function adminStatements(document: PolicyDocument): string[] {
  return document.Statement.filter((s) => s.Effect === 'Allow' && asList(s.Action).includes('*') && asList(s.Resource).includes('*')).map((s) =>
    describeStatement(document, s),
  );
}

export function describeAdminPolicies(policies: readonly AdminPolicy[]): string | undefined {
  if (policies.length === 0) return undefined;
  const each = policies.map((p) => `${p.name} (${p.arn}, ${p.statements.join(', ')})`);
  return `customer managed polic${policies.length === 1 ? 'y' : 'ies'} allowing "*" on "*" attached: ${each.join('; ')}`;
}

/** The default version's document of a customer managed policy; undefined when the policy is gone. */
async function defaultDocument(client: IAMClient, policyArn: string): Promise<PolicyDocument | undefined> {
  try {
    const { Policy } = await client.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    if (!Policy?.DefaultVersionId) return undefined;
    const { PolicyVersion } = await client.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: Policy.DefaultVersionId }));
    return PolicyVersion?.Document ? parsePolicyDocument(PolicyVersion.Document) : undefined;
  } catch (error) {
    if (hasErrorName(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
    throw error;
  }
}

async function adminPoliciesAmong(client: IAMClient, attached: readonly AttachedPolicy[]): Promise<AdminPolicy[]> {
  const found: AdminPolicy[] = [];
  for (const policy of attached) {
    if (!policy.PolicyArn || isAwsManaged(policy.PolicyArn)) continue;
    const document = await defaultDocument(client, policy.PolicyArn);
    const statements = document ? adminStatements(document) : [];
    if (statements.length > 0) found.push({ arn: policy.PolicyArn, name: policy.PolicyName ?? policy.PolicyArn, statements });
  }
  return found;
}

/** Attached customer managed policies of a user or role that grant "*" on "*"; GONE when the identity vanished. */
export async function readAdminPolicies(client: IAMClient, kind: 'user' | 'role', name: string): Promise<AdminPolicy[] | Gone> {
  const attached: AttachedPolicy[] = [];
  try {
    const pages =
      kind === 'user' ? paginateListAttachedUserPolicies({ client }, { UserName: name }) : paginateListAttachedRolePolicies({ client }, { RoleName: name });
    for await (const page of pages) attached.push(...(page.AttachedPolicies ?? []));
  } catch (error) {
    if (hasErrorName(error, 'NoSuchEntity', 'NoSuchEntityException')) return GONE;
    throw error;
  }
  return adminPoliciesAmong(client, attached);
}

/** The check, the same for users and roles (notify-only: see the rationale). */
export function adminPolicyCheck<S extends { adminPolicies: readonly AdminPolicy[] }>(type: 'iam_user' | 'iam_role'): Check<S> {
  return {
    id: `${type}.admin_policy_attached`,
    title: `${type === 'iam_user' ? 'User' : 'Role'} has a customer managed policy allowing "*" on "*"`,
    severity: 'high',
    rationale:
      'A policy allowing every action on every resource makes the identity an administrator: one leaked credential controls the account. Notify-only: detaching it could break whatever relies on those rights, so the owner must replace it with least privilege.',
    // Security Hub IAM.1 (https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1), the Config rule cited at the top;
    // no CIS v3.0.0 number: the page could not be read to confirm one.
    controls: { fsbp: ['IAM.1'] },
    evaluate(state: S) {
      const detail = describeAdminPolicies(state.adminPolicies);
      return detail ? { detail } : undefined;
    },
  };
}
