/**
 * Whether a private ECR repository's images are scanned, from the registry's
 * scanning configuration (GetRegistryScanningConfiguration) and the
 * repository's own scanOnPush (DescribeRepositories). Security Hub ECR.1
 * passes a repository configured for scan on push or continuous scanning.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html#ecr-1
 *
 * - BASIC (the default): images are scanned on push when the repository's
 *   scanOnPush is on or a SCAN_ON_PUSH rule's filter matches its name.
 * - ENHANCED (Amazon Inspector): only the registry's rules decide
 *   (SCAN_ON_PUSH or CONTINUOUS_SCAN); the repository-level setting is
 *   ignored, so turning it on fixes nothing.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
 *
 * A filter without "*" matches every name that contains it; with "*", the
 * wildcard stands for zero or more characters of the whole name.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced-enabling.html
 */
import type { RegistryScanningConfiguration } from '@aws-sdk/client-ecr';

export type ScanType = 'BASIC' | 'ENHANCED';

export interface RegistryScanning {
  scanType: ScanType;
  /** Each rule's frequency and its WILDCARD filters. */
  rules: readonly { frequency: string; filters: readonly string[] }[];
}

export function registryScanningOf(configuration: RegistryScanningConfiguration | undefined): RegistryScanning {
  return {
    scanType: configuration?.scanType === 'ENHANCED' ? 'ENHANCED' : 'BASIC',
    rules: (configuration?.rules ?? []).map((rule) => ({
      frequency: rule.scanFrequency ?? 'MANUAL',
      filters: (rule.repositoryFilters ?? []).flatMap((filter) => (filter.filter ? [filter.filter] : [])),
    })),
  };
}

export function filterMatches(filter: string, repositoryName: string): boolean {
  if (!filter.includes('*')) return repositoryName.includes(filter);
  const pattern = filter.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(repositoryName);
}

/** The frequencies that scan automatically, per scan type (MANUAL scans nothing by itself). */
const AUTOMATIC: Readonly<Record<ScanType, ReadonlySet<string>>> = {
  BASIC: new Set(['SCAN_ON_PUSH']),
  ENHANCED: new Set(['SCAN_ON_PUSH', 'CONTINUOUS_SCAN']),
};

/** The registry rule that scans the repository automatically, if one does. */
export function scanningRuleFor(repositoryName: string, registry: RegistryScanning): { frequency: string; filter: string } | undefined {
  for (const rule of registry.rules) {
    if (!AUTOMATIC[registry.scanType].has(rule.frequency)) continue;
    const filter = rule.filters.find((candidate) => filterMatches(candidate, repositoryName));
    if (filter !== undefined) return { frequency: rule.frequency, filter };
  }
  return undefined;
}

/** Whether the repository's images are scanned without anyone asking. */
export function isScanned(repositoryName: string, scanOnPush: boolean, registry: RegistryScanning): boolean {
  return (registry.scanType === 'BASIC' && scanOnPush) || scanningRuleFor(repositoryName, registry) !== undefined;
}
