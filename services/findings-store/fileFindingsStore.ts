/**
 * The findings store in a JSON file, for the CLI (`remediator
 * --findings-store FILE`): read at start, written back (whole, through a
 * temporary file and a rename) by save(). One CLI run at a time per file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { REMEDIATION_STATUSES } from '../core/findings.ts';
import { findingSchema } from '../notifier/notifierEvents.ts';
import type { LifecycleSettings } from './decideTransition.ts';
import { FINDING_STATUSES, TRANSITIONS, type FindingRecord } from './findingRecord.ts';
import { MemoryFindingsStore } from './memoryFindingsStore.ts';

const recordSchema = findingSchema.omit({ remediation: true, remediationDetail: true }).extend({
  status: z.enum(FINDING_STATUSES),
  firstSeen: z.string(),
  lastSeen: z.string(),
  lastChange: z.string(),
  lastTransition: z.enum(TRANSITIONS).exclude(['digest', 'unchanged']),
  lastNotified: z.string().optional(),
  lastRemediation: z.object({ status: z.enum(REMEDIATION_STATUSES), detail: z.string().optional() }),
  expiresAt: z.number().int().optional(),
  version: z.number().int().min(1),
});
const fileSchema = z.object({ kind: z.literal('findings-store'), records: z.array(recordSchema) });

function load(path: string): FindingRecord[] {
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`--findings-store ${path} is not JSON (${error instanceof Error ? error.message : String(error)}); point it at a new file or one this CLI wrote`]);
  }
  const file = fileSchema.safeParse(parsed);
  if (!file.success) {
    const issues = file.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || 'file'}: ${issue.message}`);
    throw new ConfigError([`--findings-store ${path} is not a findings store written by this CLI: ${issues.join('; ')}`]);
  }
  return file.data.records;
}

export class FileFindingsStore extends MemoryFindingsStore {
  constructor(readonly path: string, settings: Partial<LifecycleSettings> = {}) {
    super(settings, load(path));
  }

  save(): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ kind: 'findings-store', records: this.all() }, null, 2)}\n`);
    renameSync(temporary, this.path);
  }
}
