import type { Auditor, RemediationInfo, RemediationRisk } from '../auditors/contract.ts';
import { IMPORT_ACTION } from '../services/securityhub/importFindings.ts';
import { accessOf } from './actionAccess.ts';

export const PASS_ROLE = 'iam:PassRole';

/** The remediation role's levels, each including the ones before it (template parameter RemediationLevel). */
export const RISK_LEVELS: readonly RemediationRisk[] = ['safe', 'disruptive'];
export type RemediationLevel = 'none' | RemediationRisk;

/** What the remediations of one risk need: their actions (iam:PassRole apart) and the services they pass roles to. */
export interface RiskPermissions {
  risk: RemediationRisk;
  actions: string[];
  passRoleTo: string[];
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function remediationsOf(auditors: readonly Auditor[]): [string, RemediationInfo][] {
  return auditors.flatMap((auditor) => Object.entries(auditor.remediations));
}

/**
 * The audit role's actions: every auditor's list and collect actions, sorted,
 * without duplicates. Throws when one of them writes: the audit role reads only.
 */
export function auditRoleActions(auditors: readonly Auditor[]): string[] {
  const actions = sorted(auditors.flatMap((auditor) => [...auditor.permissions.list, ...auditor.permissions.collect]));
  const writes = actions.filter((action) => accessOf(action) === 'write');
  if (writes.length > 0) throw new Error(`the audit role reads only, but list/collect declare ${writes.join(', ')}: move them to a remediation's permissions`);
  return actions;
}

/**
 * The audit role's one write, apart from its reads: importing the account's
 * own findings into its Security Hub (securityHub=true), allowed on the
 * account's default product ARN alone, in any region. Security Hub takes a
 * finding through that product only from the account it is about
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html),
 * so this role, not the security account, must send it. It changes no
 * resource of the account: it adds to what Security Hub reports.
 */
export const AUDIT_ROLE_FINDINGS_IMPORT = {
  action: IMPORT_ACTION,
  resource: 'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default',
} as const;

/**
 * The remediation role's permissions per risk level, each level holding only
 * what the levels before it do not (the template allows level n's statements
 * when RemediationLevel is n or above). A remediation that declares
 * iam:PassRole must say to which services (passRoleTo), and the reverse.
 */
export function remediationPermissionsByRisk(auditors: readonly Auditor[]): RiskPermissions[] {
  const remediations = remediationsOf(auditors);
  for (const [checkId, remediation] of remediations) {
    const passes = remediation.permissions.includes(PASS_ROLE);
    if (passes !== (remediation.passRoleTo !== undefined && remediation.passRoleTo.length > 0)) {
      throw new Error(`${checkId}: a remediation with ${PASS_ROLE} declares passRoleTo (the services it passes the role to), and only such a one`);
    }
  }
  const earlierActions = new Set<string>();
  const earlierServices = new Set<string>();
  return RISK_LEVELS.map((risk) => {
    const ofRisk = remediations.filter(([, remediation]) => remediation.risk === risk).map(([, remediation]) => remediation);
    const actions = sorted(ofRisk.flatMap((r) => r.permissions).filter((action) => action !== PASS_ROLE && !earlierActions.has(action)));
    const passRoleTo = sorted(ofRisk.flatMap((r) => r.passRoleTo ?? []).filter((service) => !earlierServices.has(service)));
    for (const action of actions) earlierActions.add(action);
    for (const service of passRoleTo) earlierServices.add(service);
    return { risk, actions, passRoleTo };
  });
}
