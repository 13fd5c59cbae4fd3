import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * The state of a sandbox organization: per account, a global scope (IAM,
 * S3's bucket list) and one scope per region, each holding a slice per
 * service. Plain JSON, so separate processes can share it through a file.
 */
export interface AccountState {
  name: string;
  global: Record<string, unknown>;
  regions: Record<string, Record<string, unknown>>;
}

export interface SandboxState {
  version: 1;
  organizationId: string;
  managementAccount: string;
  regions: string[];
  accounts: Record<string, AccountState>;
  /** Source of ids (sg-..., snap-...) so they are unique and repeatable. */
  sequence: number;
}

export function createSandboxState(options: { accounts: readonly string[]; regions: readonly string[]; organizationId?: string }): SandboxState {
  const accounts: Record<string, AccountState> = {};
  options.accounts.forEach((account, index) => {
    accounts[account] = { name: `sandbox-account-${index + 1}`, global: {}, regions: Object.fromEntries(options.regions.map((r) => [r, {}])) };
  });
  return {
    version: 1,
    organizationId: options.organizationId ?? 'o-sandbox0001',
    managementAccount: options.accounts[0] ?? '000000000000',
    regions: [...options.regions],
    accounts,
    sequence: 0,
  };
}

export function loadSandboxState(path: string): SandboxState {
  const value = JSON.parse(readFileSync(path, 'utf8')) as SandboxState;
  if (value.version !== 1 || typeof value.accounts !== 'object') throw new Error(`${path} is not a sandbox state file (version 1)`);
  return value;
}

/** Write atomically: a reader never sees half a file. */
export function saveSandboxState(path: string, state: SandboxState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 1)}\n`);
  renameSync(temporary, path);
}
