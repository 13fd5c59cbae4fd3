import { z } from 'zod';
import { InvalidMessageError } from '../core/errors.ts';
import { accountIdSchema, regionSchema } from '../core/fieldSchemas.ts';
import type { PollUnit } from './pollUnit.ts';

/** The dispatcher's message to the poll workers: one (account, region). */
export const pollTaskSchema = z.object({
  account: accountIdSchema,
  region: regionSchema,
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
