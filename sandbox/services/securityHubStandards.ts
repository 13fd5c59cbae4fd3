/**
 * The standards Security Hub offers in a region (DescribeStandards), with
 * the ARNs AWS gives them: CIS 1.2.0 is a region-less "ruleset", the others
 * are per region. A subscription's ARN is the account's, in the region.
 */
import type { Standard } from '@aws-sdk/client-securityhub';

interface CatalogEntry {
  /** After `standards/` (or `ruleset/` for CIS 1.2.0). */
  path: string;
  name: string;
  enabledByDefault: boolean;
  ruleset?: boolean;
}

const CATALOG: readonly CatalogEntry[] = [
  { path: 'aws-foundational-security-best-practices/v/1.0.0', name: 'AWS Foundational Security Best Practices v1.0.0', enabledByDefault: true },
  { path: 'cis-aws-foundations-benchmark/v/1.2.0', name: 'CIS AWS Foundations Benchmark v1.2.0', enabledByDefault: true, ruleset: true },
  { path: 'cis-aws-foundations-benchmark/v/1.4.0', name: 'CIS AWS Foundations Benchmark v1.4.0', enabledByDefault: false },
  { path: 'cis-aws-foundations-benchmark/v/3.0.0', name: 'CIS AWS Foundations Benchmark v3.0.0', enabledByDefault: false },
  { path: 'nist-800-53/v/5.0.0', name: 'NIST Special Publication 800-53 Revision 5', enabledByDefault: false },
  { path: 'pci-dss/v/3.2.1', name: 'PCI DSS v3.2.1', enabledByDefault: false },
  { path: 'pci-dss/v/4.0.1', name: 'PCI DSS v4.0.1', enabledByDefault: false },
  { path: 'aws-resource-tagging-standard/v/1.0.0', name: 'AWS Resource Tagging Standard v1.0.0', enabledByDefault: false },
];

function standardsArn(entry: CatalogEntry, region: string): string {
  return entry.ruleset ? `arn:aws:securityhub:::ruleset/${entry.path}` : `arn:aws:securityhub:${region}::standards/${entry.path}`;
}

export function standardsIn(region: string): Standard[] {
  return CATALOG.map((entry) => ({
    StandardsArn: standardsArn(entry, region),
    Name: entry.name,
    Description: `${entry.name} (sandbox)`,
    EnabledByDefault: entry.enabledByDefault,
    StandardsManagedBy: { Company: entry.path.startsWith('cis') ? 'CIS' : entry.path.startsWith('pci') ? 'PCI' : entry.path.startsWith('nist') ? 'NIST' : 'AWS', Product: 'Security Hub' },
  }));
}

/** The standards EnableSecurityHub turns on unless EnableDefaultStandards is false. */
export function defaultStandardsIn(region: string): string[] {
  return CATALOG.filter((entry) => entry.enabledByDefault).map((entry) => standardsArn(entry, region));
}

export function isStandardIn(arn: string, region: string): boolean {
  return CATALOG.some((entry) => standardsArn(entry, region) === arn);
}

export function subscriptionArn(standardsArn: string, account: string, region: string): string {
  const path = standardsArn.replace(/^arn:aws:securityhub:[^:]*::(standards|ruleset)\//, '');
  return `arn:aws:securityhub:${region}:${account}:subscription/${path}`;
}
