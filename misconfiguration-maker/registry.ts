import type { MisconfigurationEntry } from './makerContract.ts';
import { s3BucketMaker } from './entries/s3Bucket.ts';

/** One entry per auditor type whose checks can be provoked by creating something. */
export const MAKER_ENTRIES: readonly MisconfigurationEntry[] = [s3BucketMaker];
