/**
 * region.securityhub_off: Security Hub is enabled with the configured
 * standards (FSBP always; CIS and PCI DSS when in securityHubStandards).
 *
 * APIs: DescribeHub, GetEnabledStandards; enablement: EnableSecurityHub
 * (without default standards), DescribeStandards, BatchEnableStandards.
 */
import {
  BatchEnableStandardsCommand,
  EnableSecurityHubCommand,
  SecurityHubClient,
  DescribeHubCommand,
  paginateDescribeStandards,
  paginateGetEnabledStandards,
} from '@aws-sdk/client-securityhub';
import type { Config } from '../../services/core/config.ts';
import { hasErrorName } from '../../services/core/errors.ts';
import { REGION_CONTROL_TRIGGERS } from '../triggers/region.ts';
import type { RegionControl, Verdict } from './control.ts';

export type StandardFamily = Config['securityHubStandards'][number];

/** How each family's standards ARNs read (any version counts). */
export const STANDARD_FAMILIES: Readonly<Record<StandardFamily, { name: string; path: string }>> = {
  fsbp: { name: 'AWS Foundational Security Best Practices', path: '/aws-foundational-security-best-practices/' },
  cis: { name: 'CIS AWS Foundations Benchmark', path: '/cis-aws-foundations-benchmark/' },
  pci: { name: 'PCI DSS', path: '/pci-dss/' },
};

/** Subscription states that count as on (INCOMPLETE: on, some controls failed to enable). */
const ON_STATES = new Set(['READY', 'PENDING', 'INCOMPLETE']);

export interface SecurityHubState {
  hubEnabled: boolean;
  /** Enabled standards subscriptions. */
  standards: { arn: string; status: string }[];
}

// ---------- pure ----------

export function requiredFamilies(config: Config): StandardFamily[] {
  return [...new Set<StandardFamily>(['fsbp', ...config.securityHubStandards])];
}

export function familyOf(arn: string): StandardFamily | undefined {
  return (Object.keys(STANDARD_FAMILIES) as StandardFamily[]).find((family) => arn.includes(STANDARD_FAMILIES[family].path));
}

export function missingFamilies(state: SecurityHubState, config: Config): StandardFamily[] {
  const on = new Set(state.standards.filter((s) => ON_STATES.has(s.status)).map((s) => familyOf(s.arn)));
  return requiredFamilies(config).filter((family) => !on.has(family));
}

export function judgeSecurityHub(state: SecurityHubState, config: Config): Verdict {
  if (!state.hubEnabled) return { status: 'disabled', detail: 'Security Hub is not enabled' };
  const missing = missingFamilies(state, config);
  if (missing.length > 0) return { status: 'disabled', detail: `standards not enabled: ${missing.map((f) => `${STANDARD_FAMILIES[f].name} (${f})`).join(', ')}` };
  return { status: 'enabled', detail: `enabled with ${requiredFamilies(config).join(', ')}` };
}

/** The newest version of a family among the region's standards (`.../v/3.0.0`). */
export function newestStandard(arns: readonly string[], family: StandardFamily): string | undefined {
  const version = (arn: string) => (/\/v\/([\d.]+)$/.exec(arn)?.[1] ?? '0').split('.').map(Number);
  const newer = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return false;
  };
  let best: string | undefined;
  for (const arn of arns) if (familyOf(arn) === family && (!best || newer(version(arn), version(best)))) best = arn;
  return best;
}

// ---------- reads ----------

async function readSecurityHub(client: SecurityHubClient): Promise<SecurityHubState> {
  try {
    await client.send(new DescribeHubCommand({}));
  } catch (error) {
    // "Account 111111111111 is not subscribed to AWS Security Hub"
    if (hasErrorName(error, 'InvalidAccessException', 'ResourceNotFoundException')) return { hubEnabled: false, standards: [] };
    throw error;
  }
  const standards: SecurityHubState['standards'] = [];
  for await (const page of paginateGetEnabledStandards({ client }, {})) {
    for (const s of page.StandardsSubscriptions ?? []) if (s.StandardsArn) standards.push({ arn: s.StandardsArn, status: s.StandardsStatus ?? '' });
  }
  return { hubEnabled: true, standards };
}

// ---------- the control ----------

export const securityHubControl: RegionControl<SecurityHubState> = {
  key: 'securityhub',
  check: 'securityhub_off',
  label: 'Security Hub',
  level: REGION_CONTROL_TRIGGERS.securityHub.level,
  title: 'Security Hub or a required standard is off',
  severity: 'medium',
  rationale: 'Security Hub runs the configured standards continuously and gathers the findings of the other security services in one place.',
  controls: { none: "no FSBP or CIS v3.0.0 control: Security Hub's standards do not judge Security Hub itself being off" },
  // No FSBP or CIS v3.0.0 control: Security Hub has no control for itself.
  reads: 'DescribeHub and GetEnabledStandards: the hub, and FSBP plus securityHubStandards in READY (or PENDING, INCOMPLETE)',
  permissions: ['securityhub:DescribeHub', 'securityhub:GetEnabledStandards'],
  triggers: REGION_CONTROL_TRIGGERS.securityHub.triggers,

  collect: (context) => readSecurityHub(context.clients.get(SecurityHubClient)),
  judge: (state, context) => judgeSecurityHub(state, context.config),

  enablement: {
    description: 'Enable Security Hub (without its default standards) and the newest version of each missing standard; enabled standards are left as they are.',
    permissions: [
      'securityhub:DescribeHub',
      'securityhub:GetEnabledStandards',
      'securityhub:EnableSecurityHub',
      'securityhub:DescribeStandards',
      'securityhub:BatchEnableStandards',
      'iam:CreateServiceLinkedRole',
    ],
    enabled: (config) => config.enableSecurityHub,
    async apply(context) {
      const client = context.clients.get(SecurityHubClient);
      const state = await readSecurityHub(client);
      if (judgeSecurityHub(state, context.config).status === 'enabled') return 'already_compliant';
      if (!state.hubEnabled) await client.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
      const missing = missingFamilies(state, context.config);
      if (missing.length === 0) return 'applied';
      const available: string[] = [];
      for await (const page of paginateDescribeStandards({ client }, {})) for (const s of page.Standards ?? []) if (s.StandardsArn) available.push(s.StandardsArn);
      const arns = missing.map((family) => {
        const arn = newestStandard(available, family);
        if (!arn) throw new Error(`Security Hub offers no ${STANDARD_FAMILIES[family].name} standard in ${context.region}`);
        return arn;
      });
      await client.send(new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: arns.map((StandardsArn) => ({ StandardsArn })) }));
      return 'applied';
    },
  },
};
