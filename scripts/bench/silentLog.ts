import type { Log } from '../../services/core/log.ts';

/** A log that keeps only counts: the bench's runs log thousands of lines nobody reads. */
export function silentLog(): Log & { warnings: number; errors: number } {
  const log = {
    warnings: 0,
    errors: 0,
    debug: () => undefined,
    info: () => undefined,
    warn: () => {
      log.warnings += 1;
    },
    error: () => {
      log.errors += 1;
    },
  };
  return log;
}
