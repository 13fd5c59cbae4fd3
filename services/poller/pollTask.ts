import { z } from 'zod';
import { InvalidMessageError } from '../core/errors.ts';
import { accountIdSchema, regionSchema } from '../core/fieldSchemas.ts';

/**
 * The dispatcher's message to the poll workers: one account and some of its
 * regions, so the account's role is assumed once per worker container rather
 * than once per region (its credentials serve every region, see
 * MemberCredentials). `{account, region}`, the shape of earlier releases, is
 * still read: tasks queued before an upgrade are not lost.
 */
export interface PollTask {
  account: string;
  regions: string[];
}

/**
 * At most this many regions per task. A worker lists a task's regions at once
 * (each is its own throttle domain), so a task lasts about as long as its
 * slowest region, far inside the worker's 900 s; the cap keeps one
 * invocation's clients and sockets bounded (10 regions: about 150 clients)
 * and a failed task's retry small. 17 regions make 2 tasks of 9 and 8.
 */
export const MAX_REGIONS_PER_TASK = 10;

const regionsSchema = z
  .array(regionSchema)
  .min(1)
  .max(MAX_REGIONS_PER_TASK)
  .refine((regions) => new Set(regions).size === regions.length, 'lists a region twice');

/** `{account, region}` (earlier releases) read as `{account, regions: [region]}`. */
function withRegions(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'regions' in value || !('region' in value)) return value;
  const { region, ...rest } = value as { region: unknown };
  return { ...rest, regions: [region] };
}

export const pollTaskSchema = z.preprocess(withRegions, z.object({ account: accountIdSchema, regions: regionsSchema }));

/** One task per account, its regions split into near-equal tasks of at most MAX_REGIONS_PER_TASK. */
export function tasksOf(accounts: readonly string[], regions: readonly string[]): PollTask[] {
  const parts = Math.ceil(regions.length / MAX_REGIONS_PER_TASK);
  const size = Math.ceil(regions.length / Math.max(1, parts));
  const chunks = Array.from({ length: parts }, (_, i) => regions.slice(i * size, (i + 1) * size)).filter((chunk) => chunk.length > 0);
  return accounts.flatMap((account) => chunks.map((chunk) => ({ account, regions: [...chunk] })));
}

export function parsePollTask(body: string): PollTask {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidMessageError([`poll task is not JSON: ${body.slice(0, 80)}`]);
  }
  const result = pollTaskSchema.safeParse(value);
  if (!result.success) throw new InvalidMessageError(result.error.issues.map((i) => `${i.path.join('.') || 'task'}: ${i.message}`));
  return result.data;
}
