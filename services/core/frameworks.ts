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
export function declaresFramework(controls: Controls | undefined, framework: Framework): boolean {
  return (controls?.[framework]?.length ?? 0) > 0;
}

/** The frameworks the check names a control of, in FRAMEWORKS order. */
export function frameworksOf(controls: Controls | undefined): Framework[] {
  return FRAMEWORKS.filter((framework) => declaresFramework(controls, framework));
}

/** `["FSBP S3.2", "FSBP S3.8", "CIS 2.1.4"]`: for people (the README) and for SNS filter policies. */
export function controlLabels(controls: Controls | undefined): string[] {
  return FRAMEWORKS.flatMap((framework) => (controls?.[framework] ?? []).map((id) => `${LABEL[framework]} ${id}`));
}

/** Declared controls that do not have their framework's form (the registry meta-test lists them). */
export function malformedControls(controls: Controls | undefined): string[] {
  return FRAMEWORKS.flatMap((framework) => (controls?.[framework] ?? []).filter((id) => !CONTROL_FORMS[framework].test(id)).map((id) => `${framework} ${JSON.stringify(id)}`));
}

/** A copy without empty lists, or undefined when nothing is declared: what a finding carries. */
export function declaredControls(controls: Controls | undefined): Controls | undefined {
  const entries = FRAMEWORKS.flatMap((framework) => (declaresFramework(controls, framework) ? [[framework, [...(controls?.[framework] ?? [])]] as const] : []));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
