/**
 * What the auditors of resources with a resource-based policy share (SNS
 * topics, ECR repositories, DynamoDB tables): the `<type>.public_policy` and
 * `<type>.shared_unknown_account` checks over the one policy analyser
 * (auditors/policy/*), and their remediations, which re-read the policy and
 * remove only the public statements or only the unknown accounts. Where
 * nothing of the policy is left, the auditor says what to write (SNS: its
 * owner-only default) or delete (ECR, DynamoDB).
 */
import type { ControlDeclaration } from '../services/core/frameworks.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';
import { GONE, type Check, type Gone, type Remediation, type ResourceContext } from './contract.ts';
import {
  isPublicStatement,
  publicPolicyViolation,
  unknownAccountViolation,
  publicStatements,
  untrustedGrants,
  withoutStatements,
  withoutUntrustedAccounts,
  type PolicyDocument,
} from './policy/index.ts';

/** A collected state that carries the resource's policy (undefined: it has none). */
export interface WithResourcePolicy {
  policy?: PolicyDocument;
}

export interface ResourcePolicyChecksSpec {
  /** The auditor's type: the checks are `<type>.public_policy` and `<type>.shared_unknown_account`. */
  type: string;
  /** "Topic", "Repository", "Table": the start of each title. */
  noun: string;
  /** What anyone could do through a public statement ("publish to the topic, subscribe to its messages or change it"). */
  publicRisk: string;
  /** What an unknown account could do ("publish to the topic or subscribe to its messages"). */
  foreignRisk: string;
  /** The public check's controls, with the Security Hub page cited by the caller. */
  publicControls: ControlDeclaration;
}

/** The two policy checks, pure. */
export function resourcePolicyChecks<State extends WithResourcePolicy>(spec: ResourcePolicyChecksSpec): Check<State>[] {
  return [
    {
      id: `${spec.type}.public_policy`,
      title: `${spec.noun} policy allows access to everyone`,
      severity: 'critical',
      rationale: `An Allow to principal "*" (or with NotPrincipal) without a condition limiting it to fixed accounts, an organization, a source or a network lets anyone ${spec.publicRisk} (ForAllValues: conditions and wildcards such as "o-*" limit nothing).`,
      controls: spec.publicControls,
      evaluate: (state) => publicPolicyViolation(state.policy),
    },
    {
      id: `${spec.type}.shared_unknown_account`,
      title: `${spec.noun} policy grants access to an unknown account`,
      severity: 'high',
      rationale: `An account outside the organization and the trusted list can ${spec.foreignRisk}.`,
      controls: OWN_RULE.sharing,
      evaluate: (state, { account, trustedAccounts }) => unknownAccountViolation(state.policy, account, trustedAccounts),
    },
  ];
}

export interface ResourcePolicyAccess {
  /** The policy now (undefined: none), or GONE when the resource no longer exists. */
  read(context: ResourceContext): Promise<PolicyDocument | undefined | Gone>;
  /** Write the narrowed policy; one without statements is the caller's to delete or replace. */
  write(context: ResourceContext, policy: PolicyDocument): Promise<void>;
  /** IAM actions of read and write. */
  permissions: readonly string[];
  /** What becomes of a policy left without statements ("the policy is deleted"). */
  whenEmptied: string;
}

/** The two remediations, keyed by check id: safe, idempotent, removing only what is wrong. */
export function resourcePolicyRemediations<State>(type: string, access: ResourcePolicyAccess): Record<string, Remediation<State>> {
  return {
    [`${type}.public_policy`]: {
      description: `Remove only the public statements; ${access.whenEmptied} only if no statement is left.`,
      risk: 'safe',
      permissions: access.permissions,
      async apply(context) {
        const policy = await access.read(context);
        if (policy === GONE) return 'gone';
        if (!policy || publicStatements(policy).length === 0) return 'already_compliant';
        await access.write(context, withoutStatements(policy, isPublicStatement));
        return 'applied';
      },
    },
    [`${type}.shared_unknown_account`]: {
      description: `Remove only the unknown accounts from the policy (a statement goes only if nothing is left of it); ${access.whenEmptied} only if no statement is left.`,
      risk: 'safe',
      permissions: access.permissions,
      async apply(context, _state, { account, trustedAccounts }) {
        const policy = await access.read(context);
        if (policy === GONE) return 'gone';
        if (!policy || untrustedGrants(policy, account, trustedAccounts).length === 0) return 'already_compliant';
        await access.write(context, withoutUntrustedAccounts(policy, account, trustedAccounts));
        return 'applied';
      },
    },
  };
}
