import { z } from 'zod';
import { InvalidMessageError } from '../core/errors.ts';
import { isKnownRegion } from '../core/regions.ts';
import type { PollUnit } from './pollUnit.ts';

/** The dispatcher's message to the poll workers: one (account, region). */
export const pollTaskSchema = z.object({
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  region: z.string().refine(isKnownRegion, 'is not a known AWS region'),
});

export function parsePollTask(body: string): PollUnit {
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
