import type { RedshiftClusterRecord, RedshiftState } from '../../sandbox/services/redshift.ts';
import type { SandboxState } from '../../sandbox/sandboxState.ts';

/**
 * An unencrypted cluster from before AWS's 2025 secure defaults, seeded in a
 * sandbox account x region: only a test can make one (the sandbox's
 * CreateCluster refuses Encrypted false, as Redshift does).
 */
export function seedLegacyRedshiftCluster(state: SandboxState, where: { account: string; region: string }, id: string, overrides: Partial<RedshiftClusterRecord> = {}): void {
  const regionState = state.accounts[where.account]?.regions[where.region];
  if (!regionState) throw new Error(`no sandbox region ${where.account}/${where.region}`);
  regionState.redshift ??= { clusters: {} };
  (regionState.redshift as RedshiftState).clusters[id] = {
    identifier: id,
    nodeType: 'dc2.large',
    numberOfNodes: 1,
    status: 'available',
    masterUsername: 'awsuser',
    dbName: 'dev',
    port: 5439,
    publiclyAccessible: false,
    encrypted: false,
    parameterGroup: 'default.redshift-1.0',
    availabilityZone: `${where.region}a`,
    namespaceId: '00000000-0000-4000-8000-000000000001',
    createdAt: '2023-06-01T08:00:00.000Z',
    tags: [],
    ...overrides,
  };
}
