/**
 * Issue 16's targets, in one place: the bench reports each as met or not,
 * and the packaging test asserts the bundle sizes.
 */
export const MiB = 1024 * 1024;
export const KiB = 1024;

/** Zipped bundle ceilings by function; the others are held to the remediator's. */
export const ZIP_TARGET_BYTES = {
  remediator: 1.5 * MiB,
  eventTranslator: 300 * KiB,
  notifier: 300 * KiB,
} as const;

/** Init (module import, median of 10) ceilings by function. */
export const INIT_TARGET_MS = {
  eventTranslator: 150,
  remediator: 400,
  pollWorker: 400,
} as const;

/** One poll unit at 50 ms: at most this times its longest single-service chain. */
export const ONE_UNIT_TARGET_RATIO = 1.5;
/** Poller CLI, 500 x 4: at most this times the lower bound, 0 resources lost. */
export const POLLER_TARGET_RATIO = 1.25;
export const REMEDIATOR_OVERHEAD_TARGET_MS = 5;
/** Remediator heap after 10,000 account-regions in one container. */
export const REMEDIATOR_HEAP_TARGET_MIB = 200;
/** Poller CLI peak for 500 x 17. */
export const POLLER_PEAK_TARGET_MIB = 500;
