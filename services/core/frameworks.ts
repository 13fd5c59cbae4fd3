/**
 * The compliance frameworks a check can name its controls in: AWS Security
 * Hub's Foundational Security Best Practices (FSBP) control ids (`S3.2`) and
 * the CIS AWS Foundations Benchmark v3.0.0 recommendations (`2.1.4`).
 * https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html
 * https://docs.aws.amazon.com/securityhub/latest/userguide/cis-aws-foundations-benchmark.html
 */
export const FRAMEWORKS = ['fsbp', 'cis'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** What a check declares: only controls that exist in the framework's reference, none invented. */
export type Controls = { readonly [F in Framework]?: readonly string[] };

/** A check that matches no control of either framework says so, and why (the registry meta-test requires one or the other). */
export interface NoControl {
  readonly none: string;
}

/** The reasons shared by several checks that follow a rule of this service's own rather than a framework's. */
export const OWN_RULE = {
  sharing: { none: "sharing with an account outside the organization and trustedAccounts is this service's own rule: FSBP and CIS v3.0.0 judge only public access" },
  requiredTags: { none: "the organization's own tagging rule (requiredTags): Security Hub's tagging controls belong to its AWS Resource Tagging standard, not FSBP or CIS v3.0.0" },
  devAccounts: { none: "the organization's own rule (devAccounts): no control of FSBP or CIS v3.0.0" },
} as const satisfies Record<string, NoControl>;

/** Every check declares its controls, or `{ none: reason }`. */
export type ControlDeclaration = Controls | NoControl;

export function isNoControl(declaration: ControlDeclaration | undefined): declaration is NoControl {
  return declaration !== undefined && 'none' in declaration;
}

/** The ids the declaration names in the framework: none for a NoControl. */
function idsIn(declaration: ControlDeclaration | undefined, framework: Framework): readonly string[] {
  return declaration === undefined || isNoControl(declaration) ? [] : (declaration[framework] ?? []);
}

/** An FSBP control id: `S3.2`, `EC2.19`, `SecretsManager.1` (a service name may hold digits, so not just letters). */
export const FSBP_CONTROL_ID = /^[A-Za-z][A-Za-z0-9]*\.\d+$/;
/** A CIS recommendation number: `1.5`, `2.1.4`. */
export const CIS_RECOMMENDATION = /^\d+(\.\d+)+$/;

export const CONTROL_FORMS: Readonly<Record<Framework, RegExp>> = { fsbp: FSBP_CONTROL_ID, cis: CIS_RECOMMENDATION };

const LABEL: Readonly<Record<Framework, string>> = { fsbp: 'FSBP', cis: 'CIS' };

export function isFramework(value: string): value is Framework {
  return (FRAMEWORKS as readonly string[]).includes(value);
}

/** true when the check names at least one control of the framework. */
export function declaresFramework(controls: ControlDeclaration | undefined, framework: Framework): boolean {
  return idsIn(controls, framework).length > 0;
}

/** The frameworks the check names a control of, in FRAMEWORKS order. */
export function frameworksOf(controls: ControlDeclaration | undefined): Framework[] {
  return FRAMEWORKS.filter((framework) => declaresFramework(controls, framework));
}

/** `["FSBP S3.2", "FSBP S3.8", "CIS 2.1.4"]`: for people (the README) and for SNS filter policies. */
export function controlLabels(controls: ControlDeclaration | undefined): string[] {
  return FRAMEWORKS.flatMap((framework) => idsIn(controls, framework).map((id) => `${LABEL[framework]} ${id}`));
}

/** Declared controls that do not have their framework's form (the registry meta-test lists them). */
export function malformedControls(controls: ControlDeclaration | undefined): string[] {
  return FRAMEWORKS.flatMap((framework) => idsIn(controls, framework).filter((id) => !CONTROL_FORMS[framework].test(id)).map((id) => `${framework} ${JSON.stringify(id)}`));
}

/** A copy without empty lists, or undefined when nothing is declared: what a finding carries. */
export function declaredControls(controls: ControlDeclaration | undefined): Controls | undefined {
  const entries = FRAMEWORKS.flatMap((framework) => (declaresFramework(controls, framework) ? [[framework, [...idsIn(controls, framework)]] as const] : []));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
