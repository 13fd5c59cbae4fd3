import { existsSync } from 'node:fs';
import { ClientFactory } from '../services/core/clientFactory.ts';
import type { Config } from '../services/core/config.ts';
import { ConfigError } from '../services/core/errors.ts';
import { Sandbox } from './sandbox.ts';
import { loadSandboxState, saveSandboxState } from './sandboxState.ts';

export interface FactorySession {
  factory: ClientFactory;
  sandbox?: Sandbox;
  /** Persist what the run changed (sandbox runs); a no-op against AWS. */
  save(): void;
}

/**
 * The client factory a CLI uses: against AWS (or AWS_ENDPOINT_URL), or, with
 * `--sandbox FILE`, against the sandbox organization saved in FILE, whose
 * changes are written back when the run ends.
 */
export function openFactory(config: Config, sandboxFile: string | undefined): FactorySession {
  if (!sandboxFile) return { factory: new ClientFactory({ ...config, env: process.env }), save: () => undefined };
  if (!existsSync(sandboxFile)) throw new ConfigError([`--sandbox ${sandboxFile}: no such file (create one with npm run demo -- --save ${sandboxFile})`]);
  const sandbox = new Sandbox(loadSandboxState(sandboxFile));
  return {
    factory: new ClientFactory({ ...config, env: process.env, interceptor: sandbox }),
    sandbox,
    save: () => saveSandboxState(sandboxFile, sandbox.state),
  };
}
