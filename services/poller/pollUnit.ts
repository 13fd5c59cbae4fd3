import { AUDITORS, typesDeclaring } from '../../auditors/registry.ts';
import type { Auditor } from '../../auditors/contract.ts';
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { describeError, isAccessDenied } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import type { ResourceMessage } from '../core/message.ts';
import type { ResourceType } from '../core/resourceTypes.ts';
import { isTestResource } from '../core/testResources.ts';

/** The unit of polling work: one account in one region. */
export interface PollUnit {
  account: string;
  region: string;
}

export interface PollOptions {
  config: Config;
  factory: ClientFactory;
  log: Log;
  /** Types to list; all registered types when absent. */
  types?: readonly ResourceType[];
  onlyTestResources?: boolean;
}

export interface UnitReport extends PollUnit {
  listed: number;
  failures: { type: ResourceType; error: string; accessDenied: boolean }[];
}

/**
 * Global types (IAM) are listed once per account, in the home region. With
 * config.framework, only the types with at least one check that declares a
 * control of it are listed.
 */
export function auditorsForUnit(unit: PollUnit, options: Pick<PollOptions, 'config' | 'types'>): Auditor[] {
  const inFramework = options.config.framework ? typesDeclaring(options.config.framework) : undefined;
  return AUDITORS.filter(
    (auditor) =>
      (options.types === undefined || options.types.includes(auditor.type)) &&
      (inFramework === undefined || inFramework.includes(auditor.type)) &&
      (auditor.scope === 'regional' || unit.region === options.config.homeRegion),
  );
}

/**
 * List every resource of the unit and hand them to `emit` in small groups.
 * A type that fails (AccessDenied, a disabled region) is reported and the
 * other types go on; an error from `emit` (the queue) is not swallowed.
 */
export async function pollUnit(unit: PollUnit, options: PollOptions, emit: (messages: ResourceMessage[]) => Promise<void>): Promise<UnitReport> {
  const report: UnitReport = { ...unit, listed: 0, failures: [] };
  const clients = options.factory.forAccount(unit.account, unit.region);
  for (const auditor of auditorsForUnit(unit, options)) {
    let batch: ResourceMessage[] = [];
    try {
      for await (const resource of auditor.list({ ...unit, clients, config: options.config })) {
        if (options.onlyTestResources && !isTestResource(resource)) continue;
        batch.push({ account: unit.account, region: unit.region, type: auditor.type, id: resource.id });
        if (batch.length >= 10) {
          const full = batch;
          batch = [];
          await emitOrFail(emit, full);
          report.listed += full.length;
        }
      }
    } catch (error) {
      if (error instanceof EmitError) throw error.cause;
      const text = describeError(error);
      report.failures.push({ type: auditor.type, error: text, accessDenied: isAccessDenied(error) });
      options.log.warn(`cannot list ${auditor.type}; skipped`, { account: unit.account, region: unit.region, error: text });
    }
    if (batch.length > 0) {
      await emit(batch);
      report.listed += batch.length;
    }
  }
  return report;
}

/** Distinguishes a failing sink (never swallowed) from a failing list call. */
class EmitError extends Error {
  constructor(cause: unknown) {
    super('emit failed', { cause });
  }
}

async function emitOrFail(emit: (messages: ResourceMessage[]) => Promise<void>, messages: ResourceMessage[]): Promise<void> {
  try {
    await emit(messages);
  } catch (error) {
    throw new EmitError(error);
  }
}
