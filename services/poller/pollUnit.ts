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
 * The throttle domain of a type's list calls: its service, read off the first
 * list action (ami, ebs_snapshot, security_group and ec2 share EC2's bucket).
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export function listingServiceOf(auditor: Pick<Auditor, 'type' | 'permissions'>): string {
  const first = auditor.permissions.list[0];
  return first?.includes(':') ? first.slice(0, first.indexOf(':')) : auditor.type;
}

/** SendMessageBatch takes 10: messages of every type of the unit share one buffer. */
const FLUSH_AT = 10;

/**
 * List every resource of the unit and hand them to `emit`, 10 at a time from
 * one buffer. Types of different services are listed at once; types of one
 * service one after another, so each service's throttle bucket sees one
 * caller per unit. A type that fails (AccessDenied, a disabled region) is
 * reported and the other types go on; an error from `emit` (the queue) stops
 * the unit and is not swallowed. Message order carries no meaning. The
 * unit's clients are released when it ends.
 */
export async function pollUnit(unit: PollUnit, options: PollOptions, emit: (messages: ResourceMessage[]) => Promise<void>): Promise<UnitReport> {
  try {
    return await listUnit(unit, options, emit);
  } finally {
    // The unit's clients are not needed again in this run: their sockets close and the heap stays flat however many units.
    options.factory.release(unit.account, unit.region);
  }
}

async function listUnit(unit: PollUnit, options: PollOptions, emit: (messages: ResourceMessage[]) => Promise<void>): Promise<UnitReport> {
  const report: UnitReport = { ...unit, listed: 0, failures: [] };
  const clients = options.factory.forAccount(unit.account, unit.region);
  const buffer: ResourceMessage[] = [];
  let sinkFailed = false;
  const send = async (messages: ResourceMessage[]): Promise<void> => {
    try {
      await emit(messages);
    } catch (error) {
      sinkFailed = true;
      throw new EmitError(error);
    }
    report.listed += messages.length;
  };
  const listType = async (auditor: Auditor): Promise<void> => {
    try {
      for await (const resource of auditor.list({ ...unit, clients, config: options.config })) {
        if (sinkFailed) return;
        if (options.onlyTestResources && !isTestResource(resource)) continue;
        buffer.push({ account: unit.account, region: unit.region, type: auditor.type, id: resource.id });
        if (buffer.length >= FLUSH_AT && !sinkFailed) await send(buffer.splice(0, FLUSH_AT));
      }
    } catch (error) {
      if (error instanceof EmitError) throw error;
      const text = describeError(error);
      report.failures.push({ type: auditor.type, error: text, accessDenied: isAccessDenied(error) });
      options.log.warn(`cannot list ${auditor.type}; skipped`, { account: unit.account, region: unit.region, error: text });
    }
  };
  // Map.groupBy is Node 21+; Node 20 runs the CLI.
  const byService = new Map<string, Auditor[]>();
  for (const auditor of auditorsForUnit(unit, options)) {
    const service = listingServiceOf(auditor);
    byService.set(service, [...(byService.get(service) ?? []), auditor]);
  }
  // The longest chain (most types on one service: EC2's) sends its first call first: it bounds the unit.
  const chains = [...byService.values()].sort((a, b) => b.length - a.length);
  const listChain = async (auditors: Auditor[]): Promise<void> => {
    for (const auditor of auditors) {
      if (sinkFailed) return;
      await listType(auditor);
    }
  };
  // Starting a chain makes its client and builds and signs its first request (about half a millisecond of
  // CPU, 20 chains a unit): answers that arrived meanwhile for the units in flight go in between, so a unit
  // that starts does not hold up their chains. (Measured, 100 x 17 on 2 threads: units 1.37x -> 1.22x their chain.)
  const listings: Promise<void>[] = [];
  for (const auditors of chains) {
    const listing = listChain(auditors);
    // Settled below; a chain that fails while the others start is not an unhandled rejection.
    listing.catch(() => undefined);
    listings.push(listing);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const settled = await Promise.allSettled(listings);
  const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason instanceof EmitError ? failure.reason.cause : failure.reason;
  while (buffer.length > 0) {
    try {
      await send(buffer.splice(0, FLUSH_AT));
    } catch (error) {
      throw error instanceof EmitError ? error.cause : error;
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
